"""The outbox: every e-mail the portal sends is a row here first.

A row is recorded in the same transaction as what caused it (a sweep that found it due, a
sign-up promoted from the waiting list, an account e-mail) under a unique key, so nothing
records it twice; a separate task claims the row, sends it and marks it sent
(portal/reminders/services.py says how, and which window remains).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.search import lower_trigram_index


class Category(models.TextChoices):
    """What a message is about; people unsubscribe from a category, never from ACCOUNT or
    SIGNUP (their own account's security and answers to what they asked for)."""

    ACCOUNT = "account", _("Account and security")
    SIGNUP = "signup", _("Your sign-ups")
    AGREEMENTS = "agreements", _("Agreement deadlines")
    FOLLOW_UPS = "follow_ups", _("Follow-up activities")
    SESSIONS = "sessions", _("Programme sessions")
    REVIEWS = "reviews", _("Sign-ups waiting for review")
    DIGEST = "digest", _("Weekly digest")


REQUIRED_CATEGORIES = frozenset({Category.ACCOUNT, Category.SIGNUP})


class ReminderQuerySet(models.QuerySet):
    def due(self, now=None):
        """Pending rows whose time has come (send window, retry backoff)."""
        return self.filter(status=Reminder.Status.PENDING, not_before__lte=now or timezone.now())

    def for_user(self, user):
        """What the user's notification list shows: what was sent to them, or held back
        only because they unsubscribed from e-mail."""
        return self.filter(
            recipient=user, status__in=[Reminder.Status.SENT, Reminder.Status.UNSUBSCRIBED]
        ).exclude(rule="message")


class Reminder(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        UNSUBSCRIBED = "unsubscribed", _("Not e-mailed (unsubscribed)")
        OBSOLETE = "obsolete", _("No longer due")

    # rule:target:recipient:occasion, e.g. "agreement_ending:partnerships.agreement.7:u12:30".
    key = models.CharField(_("key"), max_length=255, unique=True)
    rule = models.CharField(_("rule"), max_length=60)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    # The address at the time of recording: a partner's contact person has no account.
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    occasion = models.CharField(_("occasion"), max_length=60, blank=True)
    # A message rendered when it was recorded (account e-mails, sign-up confirmations);
    # rules render theirs when sending, from the object as it is then. Cleared once sent:
    # it may hold a password-reset link.
    message = models.JSONField(_("message"), null=True, blank=True, editable=False)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Not sent before: the employer send window, or the next try after a failure.
    not_before = models.DateTimeField(_("not before"), default=timezone.now)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["not_before"],
                condition=Q(status__in=["pending", "sending"]),
                name="reminder_waiting",
            ),
            models.Index(fields=["recipient", "-created_at"], name="reminder_recipient"),
            # The admin's search (portal.search.admin_search) and its sorts by date (with the
            # id, which the admin's list sorts by after the column).
            lower_trigram_index("email", "key", "subject", name="reminder_search_trgm"),
            models.Index(fields=["not_before", "id"], name="reminder_not_before"),
            models.Index(fields=["sent_at", "id"], name="reminder_sent_at"),
        ]

    def __str__(self):
        return self.subject or self.key


class ReminderSetting(models.Model):
    """A rule's timing, which admins change without a deploy (days before, working days).
    Rows are created with the rule's defaults the first time a sweep meets the rule."""

    rule = models.CharField(_("rule"), max_length=60, unique=True)
    active = models.BooleanField(_("active"), default=True)
    offsets = models.JSONField(
        _("days"),
        default=list,
        blank=True,
        help_text=_("Whole numbers of days, separated by commas, e.g. 90, 30, 7."),
    )

    class Meta:
        verbose_name = _("reminder setting")
        verbose_name_plural = _("reminder settings")
        ordering = ["rule"]

    def __str__(self):
        from .rules import rule_get

        rule = rule_get(self.rule)
        return str(rule.label) if rule else self.rule


class Unsubscription(models.Model):
    """Somebody who wants no more e-mail of a category; by address, as a partner's contact
    person has no account."""

    email = models.EmailField(_("e-mail address"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("unsubscription")
        verbose_name_plural = _("unsubscriptions")
        constraints = [
            models.UniqueConstraint(fields=["email", "category"], name="unsubscription_unique")
        ]

    def __str__(self):
        return f"{self.email}: {self.get_category_display()}"


class CalendarFeed(models.Model):
    """A user's personal iCal address. The token is the credential (calendar apps such as
    Outlook cannot log in): 32 random bytes, shown on the user's own settings page, so it
    is kept as it is; a new address replaces the row's token and the old one stops working.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)
