"""The agreement reminder rules (portal/reminders/rules.py says what a rule is).

Each rule's ``due()`` reads what it needs in a few queries, whatever the number of
agreements: the sweep runs every five minutes over all of them. A missed sweep (the worker
was down for a week) is caught up with the nearest threshold passed, never with every
missed one at once. ``context()`` looks again when the e-mail is sent and returns None when
the reminder no longer holds (renewed, ended, a new end date), so a stale one is not sent.
"""

import calendar
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts import access
from portal.accounts.models import Membership, Organisation, User
from portal.reminders.models import Category, ReminderSetting
from portal.reminders.rules import Due, Rule, rule_add

from .models import Activity, Agreement, AgreementParty

ACTIVE = Agreement.Status.ACTIVE


def months_before(day: date, months: int) -> date:
    """The same day months earlier, or the month's last day (31 May - 3 months = 28/29 Feb).
    Written out: python-dateutil is only a dependency of our dependencies."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def threshold_passed(days_left: int, offsets: list) -> int | None:
    """The nearest threshold (days before) that has been reached: with 90, 30 and 7 and 20
    days left, 30. None before the first one, or when the day has passed."""
    if days_left < 0:
        return None
    reached = [offset for offset in offsets if offset >= days_left]
    return min(reached) if reached else None


def notice_deadline(agreement) -> date | None:
    """The last day to give notice: the end date minus the notice period."""
    if agreement.end_date is None or not agreement.notice_period_months:
        return None
    return months_before(agreement.end_date, agreement.notice_period_months)


def notice_deadline_between(first: date | None, last: date) -> Q:
    """Agreements whose last day to give notice may fall between first and last (first None:
    any day up to last). A little wide, so that due() reads a few rows and not all active
    agreements; due() then computes each deadline exactly. One query for the periods used."""
    # A month is 28 to 31 days: the end date lies within 3 days of the deadline's date n
    # months on, and months_before(-n) is that date.
    slack = timedelta(days=3)
    periods = Agreement.objects.filter(status=ACTIVE, notice_period_months__gt=0)
    condition = Q(pk__in=[])
    for months in periods.values_list("notice_period_months", flat=True).order_by().distinct():
        window = Q(notice_period_months=months, end_date__lte=months_before(last, -months) + slack)
        if first is not None:
            window &= Q(end_date__gte=months_before(first, -months) - slack)
        condition |= window
    return condition


def _renewable(agreement, today: date) -> bool:
    """Still something to decide: active, not renewed, its end date not passed."""
    return (
        agreement is not None
        and agreement.status == ACTIVE
        and not hasattr(agreement, "successor")
        and agreement.end_date is not None
        and agreement.end_date >= today
    )


# The columns due() reads: a sweep builds thousands of these, and every column costs.
ADVISER_COLUMNS = [
    "responsible_adviser__id",
    "responsible_adviser__email",
    "responsible_adviser__language",
]


def _renewable_agreements(today: date):
    return (
        Agreement.objects.filter(status=ACTIVE, end_date__gte=today)
        # Not renewed. NOT IN (a hashed subplan) rather than the reverse join, which the
        # planner may run as a nested loop over all agreements.
        .exclude(pk__in=Agreement.objects.filter(replaces__isnull=False).values("replaces_id"))
        .select_related("responsible_adviser")
        .only("pk", "end_date", "notice_period_months", *ADVISER_COLUMNS)
    )


def _agreement_link(rule, reminder, context) -> str:
    return context["agreement"].get_absolute_url()


def _occasion_date(reminder, position: int = 0) -> str:
    return reminder.occasion.split(":")[position]


class AgreementEnding(Rule):
    """An active agreement ends in 90, 30 and 7 days: its adviser and the partner's contact
    person are told, once per threshold and end date."""

    def due(self, today, offsets):
        if not offsets:
            return
        agreements = (
            _renewable_agreements(today)
            .filter(end_date__lte=today + timedelta(days=max(offsets)))
            .select_related("partner_contact")
            .only(*ADVISER_COLUMNS, "end_date", "partner_contact__email")
        )
        for agreement in agreements:
            offset = threshold_passed((agreement.end_date - today).days, offsets)
            if offset is None:
                continue
            # The end date in the occasion: a new end date reminds anew.
            occasion = f"{agreement.end_date}:{offset}"
            yield Due(agreement, occasion, recipient=agreement.responsible_adviser)
            contact = agreement.partner_contact
            if contact is not None and contact.email:
                yield Due(agreement, occasion, email=contact.email, language=settings.LANGUAGE_CODE)

    def context(self, reminder):
        agreement = reminder.target
        today = timezone.localdate()
        if not _renewable(agreement, today) or str(agreement.end_date) != _occasion_date(reminder):
            return None
        return {
            "agreement": agreement,
            "end_date": agreement.end_date,
            "days_left": (agreement.end_date - today).days,
            "contact": reminder.recipient is None,
        }

    link = _agreement_link


class NoticeDeadline(Rule):
    """The last day to give notice comes near: the adviser must renew or let it end."""

    def due(self, today, offsets):
        if not offsets:
            return
        agreements = _renewable_agreements(today).filter(
            notice_deadline_between(today, today + timedelta(days=max(offsets)))
        )
        for agreement in agreements:
            deadline = notice_deadline(agreement)
            offset = threshold_passed((deadline - today).days, offsets)
            if offset is not None:
                yield Due(
                    agreement, f"{deadline}:{offset}", recipient=agreement.responsible_adviser
                )

    def context(self, reminder):
        agreement = reminder.target
        today = timezone.localdate()
        if not _renewable(agreement, today):
            return None
        deadline = notice_deadline(agreement)
        if deadline is None or deadline < today or str(deadline) != _occasion_date(reminder):
            return None
        return {
            "agreement": agreement,
            "deadline": deadline,
            "days_left": (deadline - today).days,
        }

    link = _agreement_link


class RenewalEscalation(Rule):
    """A renewal reminder nobody answered: the last agreement_ending reminder (7 days
    before the end) or the notice deadline has passed, and the agreement is still active,
    not renewed and not ended. The leaders of the NAV units that are parties hear of it, or
    failing those the leaders of the responsible adviser's unit."""

    def _last_call(self) -> int:
        """Days before the end of the last agreement_ending reminder (7 by default)."""
        setting = ReminderSetting.objects.filter(rule=AGREEMENT_ENDING.code).first()
        offsets = setting.offsets if setting else AGREEMENT_ENDING.default_offsets
        return min(offsets) if offsets else 0

    def deadlines(self, agreement, last_call: int) -> list[tuple[str, date]]:
        """What the adviser was asked to answer, and by which day."""
        found = [("ending", agreement.end_date - timedelta(days=last_call))]
        if deadline := notice_deadline(agreement):
            found.append(("notice", deadline))
        return found

    def due(self, today, offsets):
        if not offsets:
            return
        last_call = self._last_call()
        escalations = []
        for agreement in _renewable_agreements(today).filter(
            Q(end_date__lte=today + timedelta(days=last_call))
            | notice_deadline_between(None, today - timedelta(days=min(offsets)))
        ):
            for kind, deadline in self.deadlines(agreement, last_call):
                # Past its date by at least the offset; the largest offset passed, once.
                passed = [o for o in offsets if deadline + timedelta(days=o) < today]
                if passed:
                    escalations.append((agreement, f"{kind}:{deadline}:{max(passed)}"))
        if not escalations:
            return
        leaders = leaders_of([agreement for agreement, _occasion in escalations])
        for agreement, occasion in escalations:
            for leader in leaders.get(agreement.pk, []):
                yield Due(agreement, occasion, recipient=leader)

    def context(self, reminder):
        agreement = reminder.target
        today = timezone.localdate()
        if not _renewable(agreement, today):
            return None
        kind, deadline = reminder.occasion.split(":")[:2]
        if (kind, deadline) not in {
            (k, str(d)) for k, d in self.deadlines(agreement, self._last_call())
        }:
            return None
        return {
            "agreement": agreement,
            "adviser": agreement.responsible_adviser,
            "notice": kind == "notice",
            "deadline": date.fromisoformat(deadline),
            "end_date": agreement.end_date,
        }

    link = _agreement_link


class AgreementManual(Rule):
    """Sent by hand from the admin site (*Send a reminder now*), to the agreement's
    responsible adviser; never by the sweep (swept=False). Each press records new rows,
    under an occasion "manual:<moment>" (services.agreements_remind)."""

    def context(self, reminder):
        agreement = reminder.target
        if agreement is None:
            return None
        return {"agreement": agreement}

    link = _agreement_link


def leaders_of(agreements) -> dict[int, list[User]]:
    """agreement pk -> the leaders of its NAV unit parties, or, when those have none, of the
    responsible adviser's NAV units. Three queries for any number of agreements."""
    ids = [agreement.pk for agreement in agreements]
    units = defaultdict(set)
    for agreement_id, organisation_id in AgreementParty.objects.filter(
        agreement_id__in=ids, organisation__kind=Organisation.Kind.NAV_UNIT
    ).values_list("agreement_id", "organisation_id"):
        units[agreement_id].add(organisation_id)
    adviser_units = defaultdict(set)
    for user_id, organisation_id in Membership.objects.filter(
        user_id__in={agreement.responsible_adviser_id for agreement in agreements},
        organisation__kind=Organisation.Kind.NAV_UNIT,
    ).values_list("user_id", "organisation_id"):
        adviser_units[user_id].add(organisation_id)
    wanted = set().union(*units.values(), *adviser_units.values())
    leaders = defaultdict(list)
    for membership in Membership.objects.filter(
        organisation_id__in=wanted, is_leader=True, user__is_active=True
    ).select_related("user"):
        leaders[membership.organisation_id].append(membership.user)

    def of(organisation_ids):
        found = {user.pk: user for org in organisation_ids for user in leaders[org]}
        return sorted(found.values(), key=lambda user: user.pk)

    result = {}
    for agreement in agreements:
        result[agreement.pk] = of(units[agreement.pk]) or of(
            adviser_units[agreement.responsible_adviser_id]
        )
    return result


class FollowUpDue(Rule):
    """A follow-up activity is due tomorrow, or overdue (once): its responsible person."""

    def due(self, today, offsets):
        tomorrow = today + timedelta(days=1)
        activities = list(
            Activity.objects.filter(done_at__isnull=True, due_date__lte=tomorrow)
            .exclude(due_date=today)
            .only("pk", "due_date", "responsible_id")
        )
        # The few people responsible, once each: with each of 25,000 overdue activities
        # (the large world) their user cost a third of the rule's time.
        people = User.objects.only("pk", "email", "language").in_bulk(
            {activity.responsible_id for activity in activities}
        )
        for activity in activities:
            occasion = "tomorrow" if activity.due_date == tomorrow else "overdue"
            yield Due(activity, occasion, recipient=people[activity.responsible_id])

    def context(self, reminder):
        activity = reminder.target
        today = timezone.localdate()
        if activity is None or activity.is_done:
            return None
        if reminder.occasion == "tomorrow" and activity.due_date != today + timedelta(days=1):
            return None
        if reminder.occasion == "overdue" and activity.due_date >= today:
            return None
        return {
            "activity": activity,
            "agreement": activity.agreement,
            "overdue": reminder.occasion == "overdue",
        }

    link = _agreement_link


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _digest_sources(user_ids, today: date) -> dict:
    """What the weekly digest tells the given advisers, as querysets: agreements they are
    responsible for that end within 90 days, their follow-ups due this week or overdue, and
    agreements new since last week (theirs, or with one of their NAV units as a party)."""
    sunday = today + timedelta(days=6 - today.weekday())
    since = datetime.combine(today - timedelta(days=7), time(), timezone.get_current_timezone())
    return {
        "ending": Agreement.objects.filter(
            responsible_adviser_id__in=user_ids,
            status=ACTIVE,
            end_date__gte=today,
            end_date__lte=today + timedelta(days=90),
        ),
        "follow_ups": Activity.objects.filter(
            responsible_id__in=user_ids, done_at__isnull=True, due_date__lte=sunday
        ),
        "units": Membership.objects.filter(
            user_id__in=user_ids, organisation__kind=Organisation.Kind.NAV_UNIT
        ),
        "new": Agreement.objects.filter(created_at__gte=since),
    }


def digest_readers(user_ids, today: date) -> set[int]:
    """Which of the advisers have something in their digest: five queries, of ids only."""
    sources = _digest_sources(user_ids, today)
    readers = set(
        sources["ending"].values_list("responsible_adviser_id", flat=True).order_by().distinct()
    )
    readers |= set(
        sources["follow_ups"].values_list("responsible_id", flat=True).order_by().distinct()
    )
    readers |= set(
        sources["new"].values_list("responsible_adviser_id", flat=True).order_by().distinct()
    )
    members = defaultdict(set)
    for user_id, organisation_id in sources["units"].values_list("user_id", "organisation_id"):
        members[organisation_id].add(user_id)
    for organisation_id in (
        AgreementParty.objects.filter(
            agreement__in=sources["new"], organisation_id__in=list(members)
        )
        .values_list("organisation_id", flat=True)
        .order_by()
        .distinct()
    ):
        readers |= members[organisation_id]
    return readers & set(user_ids)


def digest_for(user, today: date) -> dict:
    sources = _digest_sources([user.pk], today)
    units = sources["units"].values("organisation_id")
    return {
        "ending": list(sources["ending"].order_by("end_date", "pk")),
        "follow_ups": list(
            sources["follow_ups"].select_related("agreement").order_by("due_date", "pk")
        ),
        "new": list(
            sources["new"]
            .filter(Q(responsible_adviser=user) | Q(parties__organisation__in=units))
            .distinct()
            .order_by("created_at", "pk")
        ),
    }


class WeeklyDigest(Rule):
    """Monday morning: each NAV adviser with something to tell gets one summary."""

    def due(self, today, offsets):
        if today.weekday() != 0:
            return
        advisers = {
            user.pk: user
            for user in access.responsible_candidates(User.objects.all()).only(
                "pk", "email", "language"
            )
        }
        for user_id in sorted(digest_readers(list(advisers), today)):
            yield Due(None, iso_week(today), recipient=advisers[user_id])

    def context(self, reminder):
        today = timezone.localdate()
        if reminder.recipient is None or reminder.occasion != iso_week(today):
            return None
        digest = digest_for(reminder.recipient, today)
        if not any(digest.values()):
            return None
        return {"week": today.isocalendar()[1], **digest}

    def link(self, reminder, context):
        return reverse("dashboard")


AGREEMENT_ENDING = AgreementEnding(
    code="agreement_ending",
    category=Category.AGREEMENTS,
    label=_("Agreement ends"),
    template="partnerships/email/agreement_ending",
    default_offsets=[90, 30, 7],
)
NOTICE_DEADLINE = NoticeDeadline(
    code="notice_deadline",
    category=Category.AGREEMENTS,
    label=_("Last day to give notice"),
    template="partnerships/email/notice_deadline",
    default_offsets=[14],
)
RENEWAL_ESCALATION = RenewalEscalation(
    code="renewal_escalation",
    category=Category.AGREEMENTS,
    label=_("Unanswered renewal, to the unit leader"),
    template="partnerships/email/renewal_escalation",
    default_offsets=[0],
)
FOLLOW_UP_DUE = FollowUpDue(
    code="follow_up_due",
    category=Category.FOLLOW_UPS,
    label=_("Follow-up activity due"),
    template="partnerships/email/follow_up_due",
)
WEEKLY_DIGEST = WeeklyDigest(
    code="weekly_digest",
    category=Category.DIGEST,
    label=_("Weekly digest for NAV advisers"),
    template="partnerships/email/weekly_digest",
)
AGREEMENT_MANUAL = AgreementManual(
    code="agreement_manual",
    category=Category.AGREEMENTS,
    label=_("Reminder sent from the admin site"),
    template="partnerships/email/agreement_manual",
    swept=False,
)

# The rules the sweep runs; AGREEMENT_MANUAL is registered beside them.
RULES = [AGREEMENT_ENDING, NOTICE_DEADLINE, RENEWAL_ESCALATION, FOLLOW_UP_DUE, WEEKLY_DIGEST]


def register() -> None:
    for rule in [*RULES, AGREEMENT_MANUAL]:
        rule_add(rule)
