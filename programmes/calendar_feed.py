"""Programme sessions in a user's personal calendar feed (portal.registry): the sessions
of programmes the user's organisations organise, or that belong to agreements they are
responsible for, as far as the access module lets them see."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from portal.accounts import access
from portal.registry import CalendarEvent

from .models import Programme, Session

PAST = timedelta(days=90)


def events(user) -> list[CalendarEvent]:
    mine = Q(
        programme__in=Programme.objects.filter(
            Q(organisers__in=list(access.roles_of(user))) | Q(agreements__responsible_adviser=user)
        ).values("pk")
    )
    sessions = access.visible(
        user, Session.objects.filter(mine, starts_at__gte=timezone.now() - PAST)
    ).select_related("programme")
    return [
        CalendarEvent(
            # The same UID as the .ics in the sign-up e-mails (programmes/calendar.py).
            uid=f"session-{session.pk}@partnerportal.nav.no",
            title=f"{session.programme.title}: {session.title}",
            start=session.starts_at,
            end=session.ends_at,
            url=session.programme.get_absolute_url(),
            description=session.description,
        )
        for session in sessions
    ]
