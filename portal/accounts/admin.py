from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from . import access
from .models import AuditEvent, Membership, Organisation, User


class AccessScopedAdmin(admin.ModelAdmin):
    """Admin pages that show and change only what the access module allows."""

    def get_queryset(self, request):
        return access.visible(request.user, super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.can_change(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or access.can_change(request.user, obj))


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_superuser", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "memberships__role"]
    search_fields = ["email", "full_name"]
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


@admin.register(Organisation)
class OrganisationAdmin(AccessScopedAdmin):
    list_display = ["name", "kind", "org_number"]
    list_filter = ["kind"]
    search_fields = ["name", "org_number"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(AccessScopedAdmin):
    list_display = ["user", "organisation", "role", "title", "confirmed"]
    list_filter = ["confirmed", "role", "organisation__kind"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


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
