"""The admin site, branded as the portal, for everyone the access module lets in."""

from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.forms.models import BaseInlineFormSet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext, ngettext_lazy

from . import search
from .accounts import access
from .accounts.audit import audit_record
from .accounts.models import AuditAction


class PortalAdminSite(admin.AdminSite):
    site_header = _("NAV partnership portal – administration")
    site_title = _("NAV partnership portal")
    index_title = _("Administration")

    def has_permission(self, request):
        # Django's own rule is "is_staff"; ours lets NAV advisers and partner staff in too,
        # and what each sees is their group's permissions narrowed by the access module.
        return access.uses_admin_site(request.user)

    def autocomplete_view(self, request):
        return PortalAutocompleteJsonView.as_view(admin_site=self)(request)


class PortalAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete answers with what the user may open in the related model's
    admin (its get_queryset: ``access.managed``). A page may offer other choices than that:
    an editor names any organisation, signed agreement or public programme in an article,
    with no organisation or agreement pages of their own. Its model admin says so in
    ``autocomplete_choices(request, field_name)``, which answers the queryset of choices
    (found with the related admin's search) or None for Django's rule."""

    def process_request(self, request):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        source_admin = self.admin_site._registry.get(source_field.model)
        hook = getattr(source_admin, "autocomplete_choices", None)
        self.choices = hook(request, source_field.name) if hook else None
        if self.choices is None and source_field.auto_created:
            # A relation another model holds (an article's agreements) has no choices of
            # its own (no limit_choices_to) unless its page gives them.
            raise PermissionDenied
        return term, model_admin, source_field, to_field_name

    def has_perm(self, request, obj=None):
        # autocomplete_choices answers only those who may write on its page.
        return self.choices is not None or super().has_perm(request, obj)

    def get_queryset(self):
        if self.choices is None:
            return super().get_queryset()
        # In the related admin's order, as Django's answers are (a page needs one).
        ordering = self.model_admin.get_ordering(self.request)
        choices = self.choices.order_by(*ordering) if ordering else self.choices
        if not choices.ordered:
            choices = choices.order_by("pk")
        found, duplicates = self.model_admin.get_search_results(self.request, choices, self.term)
        return found.distinct() if duplicates else found


class IndexedSearch:
    """A model admin's search that finds what Django's does (each word in one of
    search_fields), asked so that indexes answer it (`portal.search.admin_search`): Django's
    `icontains` over joins read every row of the big lists (0.4 to 1.1 s at 100,000)."""

    def get_search_results(self, request, queryset, search_term):
        if connections[queryset.db].vendor != "postgresql":
            # Django's own search where no index would answer: SQLite, the development
            # default, whose LOWER() leaves æ, ø and å as they are.
            return super().get_search_results(request, queryset, search_term)
        fields = self.get_search_fields(request)
        if fields and search_term:
            queryset = search.admin_search(queryset, fields, search_term)
        return queryset, False  # foreign keys only: no row found twice


class ChosenOptions:
    """Django's autocomplete widgets read their chosen options with a query of their own: a
    query a row in an inline, a second one where the form has read them already. Whoever
    has them hands them over (``autocomplete_chosen``); without them, Django's query."""

    chosen = None  # value -> label, of chosen options that the field's queryset offers

    def optgroups(self, name, value, attr=None):
        if self.chosen is None:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for chosen in value:
            if str(chosen) in self.chosen:
                label = self.chosen[str(chosen)]
                options.append(self.create_option(name, chosen, label, True, len(options)))
        return [(None, options, 0)]


class AutocompleteSelect(ChosenOptions, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(ChosenOptions, widgets.AutocompleteSelectMultiple):
    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        # Each choice has its own remove button; Select2's "clear all" is a <span> it puts
        # in its <ul> of choices (axe: list). The search box's name: static/js/admin.js.
        attrs["data-allow-clear"] = "false"
        return attrs


def autocomplete_chosen(field, objects) -> None:
    """Hand a form field's autocomplete widget its chosen objects, read already (and among
    the field's choices), so that it shows them without reading them again."""
    widget = getattr(field.widget, "widget", field.widget)  # the admin's wrapper, if any
    widget.chosen = {str(obj.pk): field.label_from_instance(obj) for obj in objects}


class ChosenAtOnceFormSet(BaseInlineFormSet):
    """An inline whose autocomplete fields (AutocompleteSelect) read the chosen options of
    all rows in one query a field, not one a row."""

    @cached_property
    def forms(self):
        forms = super().forms
        for name, field in forms[0].fields.items() if forms else ():
            if not isinstance(getattr(field.widget, "widget", field.widget), AutocompleteSelect):
                continue
            values = {str(form[name].value()) for form in forms} - {"", "None"}
            chosen = list(field.queryset.filter(pk__in=values))
            for form in forms:
                autocomplete_chosen(form.fields[name], chosen)
        return forms


class ExportActions:
    """*Export the selection to CSV/Excel* for a model admin: the selection (already narrowed
    by the access module, as every action's queryset is) as the portal's own exports write
    it, and an audit event as the site's export views record. A model admin names
    ``export_target`` (what the audit log calls the list) and writes the file in
    ``export_response(queryset, xlsx=...)``."""

    export_target = ""

    def export_response(self, queryset, *, xlsx: bool):
        raise NotImplementedError

    def _export(self, request, queryset, *, xlsx: bool):
        audit_record(
            action=AuditAction.EXPORT,
            request=request,
            target=self.export_target,
            detail={
                "format": "xlsx" if xlsx else "csv",
                "source": "admin",
                "selected": [str(pk) for pk in queryset.values_list("pk", flat=True)[:1000]],
            },
        )
        return self.export_response(queryset, xlsx=xlsx)

    @admin.action(description=_("Export the selection to CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self._export(request, queryset, xlsx=False)

    @admin.action(description=_("Export the selection to Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return self._export(request, queryset, xlsx=True)


def reminders_queued(modeladmin, request, count: int) -> None:
    """What *Send a reminder now* tells the user (on agreements and on sessions)."""
    if count:
        modeladmin.message_user(
            request,
            ngettext("%(count)d reminder queued.", "%(count)d reminders queued.", count)
            % {"count": count},
            messages.SUCCESS,
        )
    else:
        modeladmin.message_user(
            request, _("No reminder was queued: nobody to remind."), messages.WARNING
        )


# Strings of Django's admin site (6.1) and django-simple-history (3.13) that their bokmål or
# nynorsk catalogues lack: listing them here puts them in the portal's catalogues, which
# Django consults first (LOCALE_PATHS), so no admin page shows English in Norwegian.
# "Add %(name)s" is here for its gender: Django's "Legg til ny %(name)s" is wrong for a
# neuter noun ("ny program"), so the portal says "Legg til %(name)s".
LIBRARY_STRINGS = [
    gettext_noop("Add %(name)s"),
    gettext_noop("Add link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Change or view list link"),
    gettext_noop("Change reason"),
    gettext_noop("Changed by"),
    gettext_noop("Changed"),
    gettext_noop("Changes"),
    gettext_noop("Created"),
    gettext_noop("Deleted"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Model name"),
    gettext_noop("Object"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Reset password"),
    gettext_noop("Run"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Show counts"),
    gettext_noop("Sidebar"),
    gettext_noop("Start typing to filter…"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("View history: %s"),
    gettext_noop("View selected %(model)s"),
    ngettext_lazy("entry", "entries", 1),
]
