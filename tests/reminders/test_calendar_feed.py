"""The personal iCal feed: a secret address per adviser, renewed to revoke the old one,
showing only what the access module lets its owner see."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from portal.reminders.models import CalendarFeed
from tests.factories import employer_contact
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner
from tests.programmes.factories import programme_for, session_in

pytestmark = pytest.mark.django_db


def end_in(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def feed_address(client, user) -> str:
    client.force_login(user)
    client.post("/accounts/calendar/")
    page = client.get("/accounts/calendar/").content.decode()
    return re.search(r'value="https?://[^/"]+(/calendar/[^"]+\.ics)"', page).group(1)


def summaries(response) -> list[str]:
    calendar = Calendar.from_ical(response.content)
    return sorted(str(event["summary"]) for event in calendar.walk("VEVENT"))


def test_an_adviser_subscribes_without_logging_in_and_sees_their_deadlines():
    nav, owner = nav_unit(), partner()
    adviser = member_of(nav)
    agreement = agreement_for(
        adviser, nav, owner, status="active", end_date=end_in(60), notice_period_months=1
    )
    path = feed_address(Client(), adviser)
    response = Client().get(path)  # Outlook has no session
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "private" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    end = events[f"agreement-{agreement.pk}-end@partnerportal.nav.no"]
    assert end["dtstart"].dt == end_in(60)
    assert agreement.reference in str(end["summary"])
    notice = events[f"agreement-{agreement.pk}-notice@partnerportal.nav.no"]
    assert notice["dtstart"].dt < end_in(60)


def test_a_new_address_revokes_the_old_one():
    adviser = member_of(nav_unit())
    client = Client()
    old = feed_address(client, adviser)
    client.post("/accounts/calendar/")
    new = feed_address(client, adviser)
    assert old != new
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert len(CalendarFeed.objects.get(user=adviser).token) >= 43  # 32 random bytes


def test_a_wrong_token_is_a_404():
    assert Client().get("/calendar/not-a-token.ics").status_code == 404


def test_a_partner_never_gets_another_partners_agreements():
    nav, mine, theirs = nav_unit(), partner(), partner()
    adviser = member_of(nav)
    own = agreement_for(adviser, nav, mine, status="active", end_date=end_in(30), title="Vår")
    agreement_for(adviser, nav, theirs, status="active", end_date=end_in(30), title="Deres")
    staff = member_of(mine)
    response = Client().get(feed_address(Client(), staff))
    titles = summaries(response)
    assert any(own.reference in title for title in titles)
    assert not any("Deres" in title for title in titles)


def test_follow_ups_and_sessions_are_in_the_feed():
    from partnerships.models import Activity

    organiser = partner()
    programme = programme_for(organiser=organiser, title="Møteplass Jessheim")
    session = session_in(programme, days=10, title="Høstsamling")
    staff = member_of(organiser)
    agreement = programme.agreements.get()
    Activity.objects.create(
        agreement=agreement,
        kind="meeting",
        title="Statusmøte",
        due_date=end_in(5),
        responsible=agreement.responsible_adviser,
    )
    titles = summaries(Client().get(feed_address(Client(), staff)))
    assert f"Møteplass Jessheim: {session.title}" in titles
    assert any("Statusmøte" in title for title in titles)


def test_employers_have_no_calendar_page_and_a_deactivated_users_feed_stops():
    client = Client()
    client.force_login(employer_contact())
    assert client.get("/accounts/calendar/").status_code == 404
    adviser = member_of(nav_unit())
    path = feed_address(Client(), adviser)
    adviser.is_active = False
    adviser.save()
    assert Client().get(path).status_code == 404
