"""A user's personal calendar feed (RFC 5545): the events the apps register through
portal.registry.calendar_provider_add, each provider showing only what the access module
lets the user see."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText

from portal import registry

PRODID = "-//NAV partnerportal//calendar feed//NO"


def _event(item: registry.CalendarEvent, now: datetime) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", now.astimezone(UTC))
    if isinstance(item.start, datetime):
        event.add("dtstart", item.start.astimezone(UTC))
        event.add("dtend", (item.end or item.start + timedelta(hours=1)).astimezone(UTC))
    else:
        # An all-day event: DTEND is the day after (RFC 5545, 3.6.1).
        event.add("dtstart", item.start)
        event.add("dtend", item.end or item.start + timedelta(days=1))
    event.add("summary", item.title)
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", settings.PORTAL_URL + item.url)
    return event


def calendar_ics(user) -> bytes:
    """The feed in the user's own language: a calendar app's request says nothing useful."""
    with translation.override(user.language):
        return _calendar_ics(user)


def _calendar_ics(user) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(f"{settings.PORTAL_NAME}: {_('my deadlines')}"))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    now = timezone.now()
    for item in registry.calendar_events(user):
        calendar.add_component(_event(item, now))
    return calendar.to_ical()
