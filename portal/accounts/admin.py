import contextlib

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import access, services
from .models import AuditEvent, Membership, Organisation, User


class AccessScoped:
    """Admin pages that show and change only what the access module allows: the
    changelist, the change, delete and history pages, the autocomplete answers, the
    actions (they get the changelist's queryset) and the choices of every related field."""

    def get_queryset(self, request):
        return access.managed(request.user, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        # The history pages ask about an object they found in its history, not through
        # get_queryset: it must be one of the user's.
        allowed = super().has_view_permission(request, obj)
        if not allowed or obj is None or access.is_admin(request.user):
            return allowed
        return access.managed(request.user, type(obj)._default_manager.filter(pk=obj.pk)).exists()

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.can_change(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or access.can_change(request.user, obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _scoped_choices(self.model, field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _scoped_choices(self.model, field, request)


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

    def has_add_permission(self, request, obj=None):
        allowed = super().has_add_permission(request, obj)
        return allowed and (obj is None or access.can_change(request.user, obj))


class MembershipInline(AccessScopedInline):
    model = Membership
    autocomplete_fields = ["user", "organisation"]
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
    date_hierarchy = "created_at"
    list_select_related = ["actor", "subject"]
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
