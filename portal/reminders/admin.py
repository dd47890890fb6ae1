from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.admin_site import IndexedSearch

from . import rules, services
from .forms import ReminderSettingForm
from .models import Reminder, ReminderSetting, Unsubscription


class RuleFilter(admin.SimpleListFilter):
    """The rules the code registers, rather than Django's SELECT DISTINCT over the outbox."""

    title = _("rule")
    parameter_name = "rule"

    def lookups(self, request, model_admin):
        return [(rule.code, rule.label) for rule in rules.rules_registered()]

    def queryset(self, request, queryset):
        return queryset.filter(rule=self.value()) if self.value() else queryset


@admin.register(Reminder)
class ReminderAdmin(IndexedSearch, admin.ModelAdmin):
    """The outbox: what waits, what went, what failed (and sending it again)."""

    list_display = [
        "subject_or_key",
        "email",
        "rule",
        "status",
        "attempts",
        "not_before",
        "sent_at",
    ]
    list_filter = ["status", "category", RuleFilter, "created_at"]
    search_fields = ["email", "key", "subject"]
    list_select_related = ["recipient"]
    # Newest first along the primary key, counted once: the outbox grows by the hundred
    # thousand, and the model's order by date or a date hierarchy reads every row.
    ordering = ["-pk"]
    show_full_result_count = False
    readonly_fields = [f.name for f in Reminder._meta.fields if f.name != "id"]
    fields = [
        "status",
        "subject",
        "email",
        "recipient",
        "language",
        "rule",
        "category",
        "occasion",
        "key",
        "attempts",
        "not_before",
        "queued_at",
        "claimed_at",
        "sent_at",
        "last_error",
        "read_at",
        "created_at",
    ]
    actions = ["resend"]

    @admin.display(description=_("subject"), ordering="subject")
    def subject_or_key(self, reminder):
        return reminder.subject or reminder.key

    @admin.action(description=_("Send the selected reminders again"), permissions=["change"])
    def resend(self, request, queryset):
        count = services.reminders_resend(queryset)
        services.reminders_dispatch()
        self.message_user(
            request,
            ngettext(
                "%(count)d reminder will be sent again.",
                "%(count)d reminders will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReminderSetting)
class ReminderSettingAdmin(admin.ModelAdmin):
    form = ReminderSettingForm
    list_display = ["__str__", "active", "days"]
    list_editable = ["active"]

    @admin.display(description=_("days"))
    def days(self, setting):
        return ", ".join(str(number) for number in setting.offsets)

    def has_add_permission(self, request):
        # A row per rule the code knows, made by the first sweep.
        return False


@admin.register(Unsubscription)
class UnsubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "category", "created_at"]
    list_filter = ["category"]
    search_fields = ["email"]
