"""The agreements' deadlines and follow-ups in a user's personal calendar feed
(portal.registry.calendar_provider_add): what the access module lets the user see, and of
that what is theirs: agreements they are responsible for or whose party is one of their
organisations, and follow-ups they are responsible for on those or any other agreement."""

import calendar
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts import access
from portal.registry import CalendarEvent

from .models import Activity, Agreement

UID_DOMAIN = "partnerportal.nav.no"
# Deadlines further back than this are history, not something to plan for.
PAST = timedelta(days=90)


def months_before(day: date, months: int) -> date:
    """The same day months earlier, or the month's last day (31 May - 3 months = 28/29 Feb)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _agreements(user):
    mine = Q(responsible_adviser=user) | Q(
        pk__in=Agreement.objects.filter(
            parties__organisation_id__in=list(access.roles_of(user))
        ).values("pk")
    )
    return access.visible(
        user,
        Agreement.objects.filter(
            mine, status__in=[Agreement.Status.ACTIVE, Agreement.Status.NEGOTIATION]
        ),
    )


def agreement_events(user) -> list[CalendarEvent]:
    events = []
    ending = _agreements(user).filter(end_date__gte=timezone.localdate() - PAST)
    for agreement in ending.only("pk", "reference", "title", "end_date", "notice_period_months"):
        url = agreement.get_absolute_url()
        events.append(
            CalendarEvent(
                uid=f"agreement-{agreement.pk}-end@{UID_DOMAIN}",
                title=_("%(reference)s ends: %(title)s")
                % {"reference": agreement.reference, "title": agreement.title},
                start=agreement.end_date,
                url=url,
            )
        )
        if agreement.notice_period_months:
            events.append(
                CalendarEvent(
                    uid=f"agreement-{agreement.pk}-notice@{UID_DOMAIN}",
                    title=_("%(reference)s: last day to give notice (%(title)s)")
                    % {"reference": agreement.reference, "title": agreement.title},
                    start=months_before(agreement.end_date, agreement.notice_period_months),
                    url=url,
                    description=_("Notice period: %(months)s months.")
                    % {"months": agreement.notice_period_months},
                )
            )
    return events


def activity_events(user) -> list[CalendarEvent]:
    activities = access.visible(
        user,
        Activity.objects.filter(
            Q(responsible=user) | Q(agreement__in=_agreements(user).values("pk")),
            done_at__isnull=True,
            due_date__gte=timezone.localdate() - PAST,
        ),
    ).select_related("agreement")
    return [
        CalendarEvent(
            uid=f"activity-{activity.pk}@{UID_DOMAIN}",
            title=f"{activity.agreement.reference}: {activity.title}",
            start=activity.due_date,
            url=activity.agreement.get_absolute_url() + "#activities",
            description=activity.notes,
        )
        for activity in activities
    ]


def events(user) -> list[CalendarEvent]:
    return agreement_events(user) + activity_events(user)
