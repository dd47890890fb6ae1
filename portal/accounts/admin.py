import contextlib

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_site import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    ChosenAtOnceFormSet,
)

from . import access, services
from .models import AuditEvent, Membership, Organisation, User


class AccessScoped:
    """Admin pages that show and change only what the access module allows: the
    changelist, the change, delete and history pages, the autocomplete answers, the
    actions (they get the changelist's queryset) and the choices of every related field."""

    # Counting every row of a table of 100,000 for "(of N in all)" beside each filtered count
    # is a second COUNT a page; the filtered count is enough.
    show_full_result_count = False

    def get_queryset(self, request):
        return access.managed(request.user, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        # The history pages ask about an object they found in its history, not through
        # get_queryset: it must be one of the user's.
        allowed = super().has_view_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        return _asked_once(request, "view", obj, access.can_manage)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or _asked_once(request, "change", obj, access.can_change))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or _asked_once(request, "change", obj, access.can_change))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _scoped_choices(self.model, field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _scoped_choices(self.model, field, request)


def _asked_once(request, action, obj, allows) -> bool:
    """The access module's answer for obj, kept for the rest of the request: a change page
    asks it of the page and of each inline again and again (a query each for partner staff)."""
    answers = request.__dict__.setdefault("_portal_access_answers", {})
    key = (action, obj._meta.label_lower, obj.pk)
    if key not in answers:
        answers[key] = allows(request.user, obj)
    return answers[key]


def _scoped_choices(model, field, request):
    """A related field of what an organisation owns offers only what the user may see (a
    partner's staff never pick another partner's programme). What no organisation owns (a
    news article) may point at any organisation."""
    if access.scope_for(model).org_path is None:
        return field
    if field is not None and hasattr(field, "queryset"):
        # A model without a scope (a group, a permission) keeps the admin's own rules.
        with contextlib.suppress(LookupError):
            field.queryset = access.managed(request.user, field.queryset)
    return field


class AccessScopedAdmin(AccessScoped, admin.ModelAdmin):
    pass


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's history pages, read-only (SIMPLE_HISTORY_REVERT_DISABLED)."""

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple-history 3.13 calls select_related() with no names for a model without
        # tracked foreign keys (a programme), which Django 6.1 deprecates.
        related = [
            field.name
            for field in history_manager.model.tracked_fields
            if isinstance(field, models.ForeignKey)
        ]
        return history_manager.filter(**{pk_name: object_id}).select_related(
            "history_user", *related
        )


class AccessScopedInline(AccessScoped, admin.TabularInline):
    extra = 0
    formset = ChosenAtOnceFormSet
    # What the rows' names and read-only columns show, read with the rows.
    select_related = ()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.select_related(*self.select_related) if self.select_related else queryset

    def has_add_permission(self, request, obj=None):
        allowed = super().has_add_permission(request, obj)
        return allowed and (obj is None or access.can_change(request.user, obj))


class MembershipInline(AccessScopedInline):
    model = Membership
    autocomplete_fields = ["user", "organisation"]
    select_related = ["user", "organisation"]
    fields = ["user", "organisation", "role", "title", "confirmed"]


@admin.register(User)
class UserAdmin(AccessScoped, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_superuser", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "memberships__role"]
    search_fields = ["email", "full_name"]
    date_hierarchy = "date_joined"
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name",)}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )


# Django's group page, for the Administrators group's members (the groups themselves come
# from a data migration: portal/accounts/groups.py).
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    list_display = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(AccessScopedAdmin):
    list_display = ["name", "kind", "org_number", "category", "county", "municipality"]
    list_filter = ["kind", "category", "county"]
    search_fields = ["name", "org_number", "municipality"]
    # Along the (kind, name) index: NAV units, partners, then 20,000 employers, by name.
    ordering = ["kind", "name"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at"]
    fields = [
        "name",
        "kind",
        "org_number",
        "category",
        "county",
        "municipality",
        "website",
        "description",
        "created_at",
    ]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        # The search columns are the database's to read, not the admin's.
        return super().get_queryset(request).defer("search_text", "search_vector")


@admin.register(Membership)
class MembershipAdmin(AccessScopedAdmin):
    list_display = ["user", "organisation", "role", "title", "confirmed", "created_at"]
    list_filter = ["confirmed", "role", "organisation__kind"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]
    date_hierarchy = "created_at"
    actions = ["confirm"]

    @admin.action(description=_("Confirm the selected memberships"), permissions=["change"])
    def confirm(self, request, queryset):
        count = services.memberships_confirm(
            user=request.user, memberships=access.changeable(request.user, queryset)
        )
        self.message_user(
            request,
            ngettext("%(count)d membership confirmed.", "%(count)d memberships confirmed.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log: read-only, for whom access.can_read_audit_log allows (admins)."""

    list_display = ["created_at", "action", "actor", "subject", "target", "ip_address"]
    list_filter = ["action", ("created_at", admin.DateFieldListFilter), "actor__is_staff"]
    search_fields = ["actor__email", "subject__email", "target", "ip_address"]
    # Every login adds a row: the date filter stands in for a date hierarchy, which reads
    # every row's year.
    list_select_related = ["actor", "subject"]
    show_full_result_count = False
    readonly_fields = [
        "created_at",
        "action",
        "actor",
        "subject",
        "target",
        "ip_address",
        "user_agent",
        "detail",
    ]
    fields = readonly_fields

    def has_module_permission(self, request):
        return access.can_read_audit_log(request.user)

    def has_view_permission(self, request, obj=None):
        return access.can_read_audit_log(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
