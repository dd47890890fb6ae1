from django.contrib import admin

from portal.accounts.admin import AccessScopedAdmin

from .models import Programme, ProgrammeSession, SignUp


class SessionInline(admin.TabularInline):
    model = ProgrammeSession
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(AccessScopedAdmin):
    list_display = ["title", "agreement", "start_date", "end_date"]
    search_fields = ["title", "agreement__reference", "agreement__title"]
    autocomplete_fields = ["agreement"]
    list_select_related = ["agreement"]
    inlines = [SessionInline]


@admin.register(SignUp)
class SignUpAdmin(AccessScopedAdmin):
    list_display = ["employer", "programme", "status", "jobs_gained", "created_at"]
    list_filter = ["status"]
    autocomplete_fields = ["programme", "employer"]
    list_select_related = ["employer", "programme"]
