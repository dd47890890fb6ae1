"""The admin site, branded as the portal, for everyone the access module lets in."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext, ngettext_lazy

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
