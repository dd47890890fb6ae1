"""Reminders about programmes: sessions coming up (to the employers and to the organisers)
and sign-ups nobody has reviewed. Registered in ProgrammesConfig.ready(); the sweep in
portal.reminders finds them, records each once under its key and sends it.

Each ``due()`` is a fixed number of queries, however many sessions and sign-ups there are.
An occasion holds what the reminder was about (a session's date), so a session that moves
gets a new reminder and the old one, re-checked in ``context()`` when it is sent, is dropped.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts import access
from portal.accounts.models import Membership
from portal.reminders.models import Category
from portal.reminders.rules import Due, Rule, working_days_after

from . import notifications, selectors
from .calendar import sessions_ics
from .models import Session, SignUp

S = SignUp.Status


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def _starting_on(first: date, last: date, path: str = "starts_at") -> Q:
    """Starting on a day from first to last (Oslo days)."""
    return Q(**{f"{path}__gte": _midnight(first), f"{path}__lt": _midnight(last + timedelta(1))})


def _session_day(session) -> str:
    return timezone.localdate(session.starts_at).isoformat()


def _still_on(reminder, session) -> bool:
    """The session has not moved (the occasion starts with the day it was on) nor begun."""
    return reminder.occasion.split(":")[0] == _session_day(session) and not session.has_started()


def _runs_it(user, programme) -> bool:
    """user still runs the programme (may have left the organiser since it was recorded)."""
    return (
        user is not None
        and access.organiser_staff(
            Membership.objects.filter(user=user, organisation__organised_programmes=programme)
        ).exists()
    )


class SessionTomorrow(Rule):
    """Each confirmed employer, the working day before its session (offsets: working days
    before). Employer mail goes out on weekdays 08-17 only, so a session on a Saturday,
    Sunday or Monday is reminded of on the Friday."""

    def due(self, today, offsets):
        # Offset n covers the sessions whose n-th working day before is today: those after
        # the (n-1)-th working day from today up to the n-th. A day the sweep missed (a
        # Friday outage) is caught up the next run, before the session.
        windows = {
            n: (working_days_after(today, n - 1) + timedelta(1), working_days_after(today, n))
            for n in offsets
            if n >= 1
        }
        if not windows:
            return
        when = Q()
        for first, last in windows.values():
            when |= _starting_on(first, last, "session__starts_at")
        signups = SignUp.objects.filter(when, status=S.CONFIRMED).select_related(
            "session", "signed_up_by"
        )
        for signup in signups:
            day = timezone.localdate(signup.session.starts_at)
            for n, (first, last) in windows.items():
                if first <= day <= last:
                    yield self.due_for(signup, str(n))

    @staticmethod
    def due_for(signup, tag: str) -> Due:
        """The reminder of one confirmed sign-up. Its occasion starts with the session's
        day (context() checks it is still the day); tag tells one sending from another (the
        offset, or a moment for one sent by hand)."""
        day = timezone.localdate(signup.session.starts_at)
        return Due(
            target=signup,
            occasion=f"{day.isoformat()}:{tag}",
            recipient=signup.signed_up_by,
            email=notifications.recipient(signup),
            language=signup.language,
            employer=True,
        )

    def context(self, reminder):
        signup = reminder.target
        if signup is None or signup.status != S.CONFIRMED:
            return None
        session = signup.session
        if not _still_on(reminder, session):
            return None
        return {"signup": signup, "session": session, "programme": session.programme}

    def attachments(self, reminder, context):
        session = context["session"]
        ics = sessions_ics(
            [session], name=context["programme"].title, base_url=settings.PORTAL_URL
        ).decode()
        return [("motested.ics", ics, notifications.ICS_TYPE)]

    def link(self, reminder, context):
        return reverse("programmes:my_signups")


class SessionTomorrowOrganisers(Rule):
    """The people who run the programme, the day before each session (offsets: days
    before), with who comes and what they offer."""

    def due(self, today, offsets):
        days = {today + timedelta(n): n for n in offsets if n >= 1}
        if not days:
            return
        when = Q()
        for day in days:
            when |= _starting_on(day, day)
        sessions = list(Session.objects.public().filter(when))
        advisers = selectors.programme_advisers({s.programme_id for s in sessions})
        for session in sessions:
            day = timezone.localdate(session.starts_at)
            for user in advisers.get(session.programme_id, []):
                yield Due(target=session, occasion=f"{day.isoformat()}:{days[day]}", recipient=user)

    def context(self, reminder):
        session = reminder.target
        if session is None or not _still_on(reminder, session):
            return None
        programme = session.programme
        if not _runs_it(reminder.recipient, programme):
            return None
        signups = session.signups.select_related("employer").order_by("employer__name", "pk")
        return {
            "session": session,
            "programme": programme,
            "signups": [s for s in signups if s.status == S.CONFIRMED],
            "pending": sum(s.status == S.PENDING for s in signups),
        }

    def link(self, reminder, context):
        return reverse("programmes:programme_manage", args=[context["programme"].slug])


class SignupWaitingReview(Rule):
    """The people who run the programme, when a sign-up has waited for review more than
    offsets working days (the working days after the day it came in: one made on a Monday
    is reminded of on the Thursday), for a session not yet begun.

    One reminder per sign-up rather than one list per programme and day: each is sent once
    (its key), names the sign-up to open, and is dropped when the sign-up was reviewed in
    the meantime; a daily list would repeat the same sign-ups every day until someone acts.
    """

    def due(self, today, offsets):
        offsets = [n for n in offsets if n >= 0]
        # Advisers hear of it on working days; what fell due at the weekend comes on Monday.
        if not offsets or today.weekday() >= 5:
            return
        # The last day a sign-up may have come in and have waited more than the smallest
        # offset (a sign-up made at the weekend counts from the Monday).
        latest = today
        while working_days_after(latest, min(offsets)) >= today:
            latest -= timedelta(1)
        signups = list(
            SignUp.objects.filter(
                status=S.PENDING,
                created_at__lt=_midnight(latest + timedelta(1)),
                session__starts_at__gt=timezone.now(),
            ).select_related("session")
        )
        advisers = selectors.programme_advisers({s.session.programme_id for s in signups})
        for signup in signups:
            came = timezone.localdate(signup.created_at)
            for n in offsets:
                if working_days_after(came, n) < today:
                    for user in advisers.get(signup.session.programme_id, []):
                        yield Due(target=signup, occasion=str(n), recipient=user)

    def context(self, reminder):
        signup = reminder.target
        if signup is None or signup.status != S.PENDING or signup.session.has_started():
            return None
        programme = signup.session.programme
        if not _runs_it(reminder.recipient, programme):
            return None
        return {"signup": signup, "session": signup.session, "programme": programme}

    def link(self, reminder, context):
        # Confirming and declining are buttons on the programme's page, beside each sign-up.
        return reverse("programmes:programme_manage", args=[context["programme"].slug]) + "#signups"


SESSION_TOMORROW = SessionTomorrow(
    code="session_tomorrow",
    category=Category.SESSIONS,
    label=_("Session tomorrow (employers)"),
    template="programmes/email/session_tomorrow",
    default_offsets=[1],
)
SESSION_TOMORROW_ORGANISERS = SessionTomorrowOrganisers(
    code="session_tomorrow_organisers",
    category=Category.SESSIONS,
    label=_("Session tomorrow (organisers)"),
    template="programmes/email/session_tomorrow_organisers",
    default_offsets=[1],
)
SIGNUP_WAITING_REVIEW = SignupWaitingReview(
    code="signup_waiting_review",
    category=Category.REVIEWS,
    label=_("Sign-up waiting for review"),
    template="programmes/email/signup_waiting_review",
    default_offsets=[2],
)
RULES = [SESSION_TOMORROW, SESSION_TOMORROW_ORGANISERS, SIGNUP_WAITING_REVIEW]
