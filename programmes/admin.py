from django import forms
from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.accounts import access
from portal.accounts.admin import AccessScopedAdmin, AccessScopedInline, HistoryAdmin
from portal.admin_site import ExportActions, IndexedSearch, reminders_queued
from portal.exceptions import BusinessRuleError

from . import exports, services
from .models import HOLDS_A_PLACE, Programme, Session, SessionResult, SignUp

SESSION_FIELDS = ["programme", "title", "starts_at", "ends_at", "address", "online", "capacity"]


def session_admin_form(user):
    """The session form of the admin site, which asks the service's rules (a programme the
    user may change, no fewer places than employers holding one) before it saves."""

    class SessionAdminForm(forms.ModelForm):
        class Meta:
            model = Session
            fields = SESSION_FIELDS

        def _post_clean(self):
            super()._post_clean()
            if self.instance.programme_id is None or self.errors:
                return
            try:
                services.session_check(session=self.instance, user=user)
            except BusinessRuleError as error:
                self.add_error(error.field if error.field in self.fields else None, error.message)

    return SessionAdminForm


class SessionInline(AccessScopedInline):
    model = Session
    fields = ["title", "starts_at", "ends_at", "address", "online", "capacity"]
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = session_admin_form(request.user)
        return super().get_formset(request, obj, **kwargs)


class SignUpInline(AccessScopedInline):
    """A session's sign-ups, to read: they are decided with the sign-ups page's actions."""

    model = SignUp
    fields = ["employer", "status", "contact_name", "contact_phone", "created_at"]
    readonly_fields = fields
    select_related = ["employer", "session"]  # a row is named by both
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Programme)
class ProgrammeAdmin(AccessScopedAdmin, HistoryAdmin):
    list_display = ["title", "state", "county", "start_date", "end_date", "signup_deadline"]
    list_filter = ["state", "county", "start_date"]
    search_fields = ["title", "slug", "description"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["organisers", "agreements"]
    exclude = ["news_articles"]
    inlines = [SessionInline]

    def get_readonly_fields(self, request, obj=None):
        if access.can_pick_any_organiser(request.user):
            return ["slug"]
        return ["slug", "organisers", "agreements"]

    def has_add_permission(self, request):
        # Created through the portal's form: the service checks organisers and agreements.
        return False

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Session:
            return super().save_formset(request, form, formset, change)
        for session in formset.save(commit=False):
            services.session_save(session=session, user=request.user)
        for session in formset.deleted_objects:
            session.delete()
        return None


@admin.register(Session)
class SessionAdmin(AccessScopedAdmin, HistoryAdmin):
    list_display = ["title", "programme", "starts_at", "ends_at", "capacity", "places_taken"]
    list_filter = ["online", "starts_at", "programme__state"]
    search_fields = ["title", "address", "programme__title"]
    list_select_related = ["programme"]
    date_hierarchy = "starts_at"
    fields = SESSION_FIELDS
    autocomplete_fields = ["programme"]
    inlines = [SignUpInline]
    actions = ["remind"]

    @admin.action(
        description=_("Send a reminder now (to the confirmed employers)"), permissions=["change"]
    )
    def remind(self, request, queryset):
        reminders_queued(
            self, request, services.sessions_remind(user=request.user, sessions=queryset)
        )

    def get_queryset(self, request):
        # A subquery for the rows shown, not a join of every sign-up grouped by session
        # (which the count and the date hierarchy would repeat).
        taken = (
            SignUp.objects.filter(session=OuterRef("pk"), status__in=HOLDS_A_PLACE)
            .order_by()
            .values("session")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(taken=Coalesce(Subquery(taken), 0))

    @admin.display(description=_("places taken"), ordering="taken")
    def places_taken(self, session):
        return session.taken

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = session_admin_form(request.user)
        return super().get_form(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "programme":
            # A session goes only under a programme the user may change.
            field.queryset = access.changeable(request.user, field.queryset)
        return field

    def autocomplete_choices(self, request, field_name):
        """The programme field finds only what it accepts: programmes the user may change."""
        if field_name != "programme" or not (
            self.has_add_permission(request) or self.has_change_permission(request)
        ):
            return None
        return access.changeable(request.user, Programme.objects.all())

    def save_model(self, request, obj, form, change):
        services.session_save(session=obj, user=request.user)


@admin.register(SignUp)
class SignUpAdmin(ExportActions, IndexedSearch, AccessScopedAdmin, HistoryAdmin):
    list_display = [
        "employer",
        "session",
        "programme_title",
        "status",
        "contact_name",
        "created_at",
    ]
    list_filter = ["status", "session__programme__state", "created_at", "sector"]
    search_fields = ["employer__name", "contact_name", "contact_email", "session__programme__title"]
    list_select_related = ["employer", "session__programme"]
    # Newest first along the primary key (the model's order by date sorts every sign-up
    # for each page); the date filter stands in for a date hierarchy, which reads them all.
    ordering = ["-pk"]
    actions = ["confirm", "export_csv", "export_xlsx"]

    @admin.display(description=_("programme"), ordering="session__programme__title")
    def programme_title(self, signup):
        return signup.session.programme.title

    def get_readonly_fields(self, request, obj=None):
        # Sign-ups are made by the employers and decided through the services (which tell
        # the employer and move the waiting list): nothing here is edited by hand.
        return [field.name for field in SignUp._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Confirm the selected sign-ups"), permissions=["change"])
    def confirm(self, request, queryset):
        confirmed, refused = 0, []
        for signup in queryset.select_related("employer", "session"):
            try:
                services.signup_decide(user=request.user, signup=signup, confirm=True)
                confirmed += 1
            except BusinessRuleError as error:
                refused.append(f"{signup.employer}: {error.message}")
        if confirmed:
            self.message_user(
                request,
                ngettext("%(count)d sign-up confirmed.", "%(count)d sign-ups confirmed.", confirmed)
                % {"count": confirmed},
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    export_target = "signups"

    def export_response(self, queryset, *, xlsx):
        rows = queryset.select_related("session", "employer").order_by(
            "session__starts_at", "created_at", "pk"
        )
        if xlsx:
            return exports.signups_selection_xlsx(rows)
        return exports.signups_selection_csv(rows)


@admin.register(SessionResult)
class SessionResultAdmin(AccessScopedAdmin, HistoryAdmin):
    list_display = ["session", "young_people_met", "interviews", "permanent_jobs"]
    search_fields = ["session__title", "session__programme__title"]
    autocomplete_fields = ["session"]
    list_select_related = ["session__programme"]
