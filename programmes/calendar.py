"""Sessions as iCalendar (RFC 5545): the .ics attached to e-mails and the feeds advisers
subscribe to. Times are written in UTC, which every calendar converts to its own zone."""

from datetime import UTC

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vText

PRODID = "-//NAV partnerportal//programmes//NO"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(str(name)))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def session_event(session, *, base_url: str = "") -> Event:
    event = Event()
    # Stable across feeds and e-mails, so a calendar updates the event instead of adding one.
    event.add("uid", f"session-{session.pk}@partnerportal.nav.no")
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", f"{session.programme.title}: {session.title}")
    event.add("location", vText(str(session.place)))
    if session.description:
        event.add("description", session.description)
    if base_url:
        event.add("url", base_url + session.programme.get_absolute_url())
    return event


def sessions_ics(sessions, *, name: str, base_url: str = "") -> bytes:
    calendar = _calendar(name)
    for session in sessions:
        calendar.add_component(session_event(session, base_url=base_url))
    return calendar.to_ical()
