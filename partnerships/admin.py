from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.accounts.admin import AccessScopedAdmin

from .models import Activity, Agreement, AgreementDocument, AgreementParty, ContactPerson, Goal


class PartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 0
    autocomplete_fields = ["organisation"]


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(AccessScopedAdmin, SimpleHistoryAdmin):
    list_display = ["reference", "title", "status", "start_date", "end_date", "responsible_adviser"]
    list_filter = ["status"]
    search_fields = ["reference", "title", "parties__organisation__name"]
    list_select_related = ["responsible_adviser"]
    autocomplete_fields = ["responsible_adviser", "partner_contact", "replaces"]
    readonly_fields = ["reference"]
    inlines = [PartyInline, GoalInline]

    def has_add_permission(self, request):
        # Registered through the portal's form: the service numbers the reference and checks
        # the parties; the admin's form would save an agreement without a reference.
        return False


@admin.register(ContactPerson)
class ContactPersonAdmin(AccessScopedAdmin):
    list_display = ["name", "title", "organisation", "email", "phone"]
    search_fields = ["name", "email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]


@admin.register(Activity)
class ActivityAdmin(AccessScopedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "agreement", "due_date", "responsible", "done_at"]
    list_filter = ["kind"]
    search_fields = ["title", "agreement__reference"]
    autocomplete_fields = ["agreement", "responsible"]
    list_select_related = ["agreement", "responsible"]


@admin.register(AgreementDocument)
class AgreementDocumentAdmin(AccessScopedAdmin):
    list_display = ["title", "kind", "agreement", "uploaded_by", "uploaded_at"]
    list_select_related = ["agreement", "uploaded_by"]
    readonly_fields = ["uploaded_by", "content_type", "size"]
    search_fields = ["title", "agreement__reference"]

    def has_add_permission(self, request):
        # Uploads go through the agreement page, which checks the file and records the uploader.
        return False
