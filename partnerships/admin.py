from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.accounts.admin import AccessScopedAdmin, AccessScopedInline, HistoryAdmin
from portal.admin_site import ExportActions, IndexedSearch, reminders_queued

from . import exports, search, services
from .models import (
    Activity,
    Agreement,
    AgreementDocument,
    AgreementParty,
    ContactPerson,
    Goal,
    Signatory,
)

# The columns the database keeps for search: not the admin's to load.
SEARCH_COLUMNS = ["search_text", "search_vector"]


class PartyInline(AccessScopedInline):
    model = AgreementParty
    autocomplete_fields = ["organisation"]
    select_related = ["organisation"]
    # The signatories are on the party's own page.
    show_change_link = True


class SignatoryInline(AccessScopedInline):
    model = Signatory
    fields = ["name", "title", "signed_on"]


class GoalInline(AccessScopedInline):
    model = Goal
    fields = ["text", "target", "measure", "reached_manual"]


class ActivityInline(AccessScopedInline):
    model = Activity
    fields = ["kind", "title", "due_date", "responsible", "done_at"]
    autocomplete_fields = ["responsible"]
    select_related = ["responsible"]  # shown as text where the agreement is read-only


class DocumentInline(AccessScopedInline):
    model = AgreementDocument
    fields = ["title", "kind", "uploaded_by", "uploaded_at"]
    readonly_fields = ["uploaded_by", "uploaded_at"]
    select_related = ["uploaded_by"]

    def has_add_permission(self, request, obj=None):
        # Uploads go through the agreement page, which checks the file's type and size.
        return False


@admin.register(Agreement)
class AgreementAdmin(ExportActions, AccessScopedAdmin, HistoryAdmin):
    list_display = ["reference", "title", "status", "start_date", "end_date", "responsible_adviser"]
    list_filter = ["status", "start_date", "end_date", "parties__organisation__county"]
    search_fields = ["reference", "title", "parties__organisation__name"]
    list_select_related = ["responsible_adviser"]
    # Newest first, along the reference's unique index: the model's order (by start date)
    # sorts all 100,000 rows for each page. The start and end date filters stand in for a
    # date hierarchy, which reads every row's year.
    ordering = ["-reference_year", "-reference_number"]
    autocomplete_fields = ["responsible_adviser", "partner_contact", "replaces"]
    readonly_fields = ["reference"]
    exclude = ["news_articles"]
    inlines = [PartyInline, GoalInline, ActivityInline, DocumentInline]
    actions = ["export_csv", "export_xlsx", "remind"]

    def get_queryset(self, request):
        # The adviser is shown in the list, and as text on a read-only page (partner staff).
        queryset = super().get_queryset(request).defer(*SEARCH_COLUMNS)
        return queryset.select_related("responsible_adviser")

    @admin.action(
        description=_("Send a reminder now (to the responsible adviser)"), permissions=["change"]
    )
    def remind(self, request, queryset):
        reminders_queued(
            self, request, services.agreements_remind(user=request.user, agreements=queryset)
        )

    def get_search_results(self, request, queryset, search_term):
        # The portal's search (partnerships/search.py: indexes, at most CAP + 1 matches),
        # for the list and the autocomplete alike: Django's icontains over the title, the
        # reference and every party's name reads all 100,000 agreements (about a second).
        duplicates = False
        if search_term.strip():
            queryset = search.agreements_search(queryset, search_term)
        # A programme and a news article point only at signed agreements (the services
        # refuse the others): their autocomplete offers only those.
        if request.GET.get("field_name") in ("agreements", "related_agreements"):
            queryset = queryset.signed()
        return queryset, duplicates

    def has_add_permission(self, request):
        # Registered through the portal's form: the service numbers the reference and checks
        # the parties; the admin's form would save an agreement without a reference.
        return False

    export_target = "agreements"

    def export_response(self, queryset, *, xlsx):
        rows = queryset.select_related("responsible_adviser").prefetch_related(
            "parties__organisation"
        )
        return exports.agreements_xlsx(rows) if xlsx else exports.agreements_csv(rows)


@admin.register(AgreementParty)
class AgreementPartyAdmin(IndexedSearch, AccessScopedAdmin, HistoryAdmin):
    list_display = ["organisation", "agreement"]
    list_filter = ["organisation__kind"]
    search_fields = ["organisation__name", "agreement__reference", "agreement__title"]
    list_select_related = ["organisation", "agreement"]
    ordering = ["-pk"]  # the model's (by organisation) sorts every party for each page
    autocomplete_fields = ["organisation", "agreement"]
    inlines = [SignatoryInline]


@admin.register(ContactPerson)
class ContactPersonAdmin(AccessScopedAdmin):
    list_display = ["name", "title", "organisation", "email", "phone"]
    list_filter = ["organisation__kind"]
    search_fields = ["name", "email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]


@admin.register(Activity)
class ActivityAdmin(IndexedSearch, AccessScopedAdmin, HistoryAdmin):
    list_display = ["title", "kind", "agreement", "due_date", "responsible", "done_at"]
    list_filter = ["kind", "due_date", "done_at"]
    search_fields = ["title", "agreement__reference", "agreement__title"]
    autocomplete_fields = ["agreement", "responsible"]
    list_select_related = ["agreement", "responsible"]
    ordering = ["-pk"]  # newest first along the primary key; the due date filter stays


@admin.register(AgreementDocument)
class AgreementDocumentAdmin(AccessScopedAdmin, HistoryAdmin):
    list_display = ["title", "kind", "agreement", "uploaded_by", "uploaded_at"]
    list_filter = ["kind", "uploaded_at"]
    list_select_related = ["agreement", "uploaded_by"]
    ordering = ["-pk"]  # newest first along the primary key; the date filter stays
    readonly_fields = ["uploaded_by", "content_type", "size"]
    search_fields = ["title", "agreement__reference"]
    autocomplete_fields = ["agreement"]

    def has_add_permission(self, request):
        # Uploads go through the agreement page, which checks the file and records the uploader.
        return False
