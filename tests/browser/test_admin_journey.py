"""A partner's staff member keeps their programme's sessions in the admin site: adds one in
the programme's sessions, changes another on the session's own page, and never sees another
partner's programme there."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWN_PROGRAMME = "JobbStart Gardermoen"  # organised by Næringsforum Gardermoen, Gro's
OTHER_PROGRAMME = "Sommerjobb på Nordlysrittet"  # organised by Nordlysrittet AS
OTHER_SESSION = "Oppstartsmøte i Bodø"
NEW_SESSION = "Møteplass: bygg og anlegg"
# The folder is gitignored; CI keeps it as the run's artefacts.
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # In English, the portal's source language: the journey reads the admin's own words.
    return {**browser_context_args, "locale": "en-GB"}


def test_partner_staff_keep_their_own_programmes_sessions_in_the_admin_site(
    page, live_server, demo_world
):
    from programmes.models import Programme, Session

    log_in(page, live_server, "gro.partner@example.no")
    page.goto(f"{live_server.url}/admin/")
    # The row of the model (the module's caption, also "Programmes", opens the app's page).
    page.get_by_role("rowheader", name="Programmes", exact=True).get_by_role("link").click()

    # Their own programme is listed; another partner's is not.
    results = page.locator("#result_list")
    expect(results).to_contain_text(OWN_PROGRAMME)
    expect(results).not_to_contain_text(OTHER_PROGRAMME)

    # A session added in the programme's sessions.
    results.get_by_role("link", name=OWN_PROGRAMME).click()
    sessions_before = Session.objects.filter(programme__title=OWN_PROGRAMME).count()
    page.get_by_role("button", name=re.compile(r"^Add another session$", re.I)).click()
    row = page.locator("tr.dynamic-sessions").last
    day = (timezone.localdate() + timedelta(days=60)).isoformat()
    row.locator("input[name$='-title']").fill(NEW_SESSION)
    row.locator("input[name$='-starts_at_0']").fill(day)
    row.locator("input[name$='-starts_at_1']").fill("10:00")
    row.locator("input[name$='-ends_at_0']").fill(day)
    row.locator("input[name$='-ends_at_1']").fill("14:00")
    row.locator("input[name$='-address']").fill("Gardermoen næringspark")
    row.locator("input[name$='-capacity']").fill("12")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Session.objects.filter(programme__title=OWN_PROGRAMME).count() == sessions_before + 1
    added = Session.objects.get(title=NEW_SESSION)
    assert added.capacity == 12
    assert timezone.localtime(added.starts_at).hour == 10

    # Another session changed on its own page.
    page.goto(f"{live_server.url}/admin/programmes/session/")
    sessions = page.locator("#result_list")
    expect(sessions).to_contain_text(NEW_SESSION)
    expect(sessions).not_to_contain_text(OTHER_SESSION)
    sessions.get_by_role("link", name="Møteplass: reiseliv og servering").click()
    page.locator("#id_capacity").fill("15")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Session.objects.get(title="Møteplass: reiseliv og servering").capacity == 15

    # Another partner's programme, by its address: sent back to the index, nothing shown.
    other = Programme.objects.get(title=OTHER_PROGRAMME)
    page.goto(f"{live_server.url}/admin/programmes/programme/{other.pk}/change/")
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.locator(".messagelist")).to_contain_text(re.compile(r"doesn.t exist"))
    expect(page.locator("main")).not_to_contain_text(OTHER_PROGRAMME)
    # Its history is refused outright.
    response = page.goto(f"{live_server.url}/admin/programmes/programme/{other.pk}/history/")
    assert response.status == 403

    page.goto(f"{live_server.url}/admin/programmes/programme/")
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTEFACTS / "admin-journey.png", full_page=True)
