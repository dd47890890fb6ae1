from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.accounts.admin import AccessScopedAdmin

from .models import Programme, Session, SessionResult, SignUp


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["title", "starts_at", "ends_at", "address", "online", "capacity"]


@admin.register(Programme)
class ProgrammeAdmin(AccessScopedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "state", "county", "start_date", "end_date", "signup_deadline"]
    list_filter = ["state", "county"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["organisers", "agreements"]
    inlines = [SessionInline]


@admin.register(SignUp)
class SignUpAdmin(AccessScopedAdmin, SimpleHistoryAdmin):
    list_display = ["employer", "session", "status", "contact_name", "created_at"]
    list_filter = ["status"]
    search_fields = ["employer__name", "contact_name", "session__programme__title"]
    autocomplete_fields = ["employer"]
    raw_id_fields = ["session", "signed_up_by", "decided_by"]
    list_select_related = ["employer", "session__programme"]


@admin.register(SessionResult)
class SessionResultAdmin(AccessScopedAdmin, SimpleHistoryAdmin):
    list_display = ["session", "young_people_met", "interviews", "permanent_jobs"]
    raw_id_fields = ["session"]
    list_select_related = ["session__programme"]
