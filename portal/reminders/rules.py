"""Reminder rules: one small, named piece of code each, registered by the app that owns the
data (partnerships/reminders.py, programmes/reminders.py), as panels are in registry.py.

A rule answers two questions. ``due(today, offsets)``: which reminders are due now, each a
``Due`` (what about, to whom, on which occasion). ``context(reminder)``: what its e-mail
says, read when it is sent, from the object as it is then; None when it is no longer due
(the agreement was renewed meanwhile), and the reminder is then not sent.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

OSLO = ZoneInfo("Europe/Oslo")


@dataclass(frozen=True)
class Due:
    target: Model | None
    occasion: str
    # A user, or for someone without an account (a partner's contact person) None and an
    # address in ``email``.
    recipient: Model | None = None
    email: str = ""
    language: str = ""
    # An employer: e-mailed only on weekdays 08-17 Europe/Oslo.
    employer: bool = False


@dataclass
class Rule:
    code: str
    category: str
    label: str
    # Template names without the ending: <template>_subject.txt, <template>.txt, .html.
    template: str = ""
    # Admin-editable timing (ReminderSetting.offsets), e.g. days before an agreement ends.
    default_offsets: list = field(default_factory=list)
    # False for a rule only sent by hand (an admin action): the sweep leaves it alone, and
    # it has no timing to edit.
    swept: bool = True

    def due(self, today: date, offsets: list) -> Iterable[Due]:
        return ()

    def context(self, reminder) -> dict | None:
        """The template context, or None when the reminder is no longer due."""
        return {"target": reminder.target}

    def attachments(self, reminder, context: dict) -> list[tuple[str, str, str]]:
        return []

    def link(self, reminder, context: dict) -> str:
        """The page the in-app notification opens (a path)."""
        return ""


class MessageRule(Rule):
    """A message rendered when it was recorded (services.email_enqueue)."""

    def __init__(self):
        super().__init__(code="message", category="account", label=_("E-mail"))


_rules: dict[str, Rule] = {}


def rule_add(rule: Rule) -> None:
    _rules[rule.code] = rule


def rule_get(code: str) -> Rule | None:
    return _rules.get(code)


def rules_registered() -> list[Rule]:
    """Every rule, those sent by hand and the messages too (the outbox's filter)."""
    return sorted(_rules.values(), key=lambda rule: str(rule.label))


def rules_all() -> list[Rule]:
    """The rules the sweep asks what is due."""
    return [rule for code, rule in sorted(_rules.items()) if code != "message" and rule.swept]


# --- Calendar helpers the rules share -----------------------------------------------------


def working_days_after(day: date, count: int) -> date:
    """The day count working days (Monday to Friday) after day."""
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def working_days_before(day: date, count: int) -> date:
    while count > 0:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def send_window_start(moment: datetime) -> datetime:
    """The first moment at or after moment inside the employer send window."""
    start, end = settings.EMPLOYER_SEND_WINDOW
    local = moment.astimezone(OSLO)
    day = local.date()
    if local.weekday() < 5 and start <= local.hour < end:
        return moment
    if local.weekday() < 5 and local.hour < start:
        return datetime.combine(day, time(start), OSLO)
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(start), OSLO)
