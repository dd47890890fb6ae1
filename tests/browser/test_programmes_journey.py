"""A new employer finds a programme, registers, signs up for a session and cancels it; the next
company on the waiting list is promoted and told."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from freezegun import freeze_time
from playwright.sync_api import expect

from tests.browser.conftest import log_in, save_screenshot
from tests.browser.test_accessibility import WCAG_21_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROGRAMME = "JobbStart Gardermoen"
SESSION = "Møteplass: reiseliv og servering"
NEW_EMAIL = "siri@solstrand-kafe.example.no"
PASSWORD = "Solstrand-kafe-2026!"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # In English, the portal's source language: the journey reads the words a user sees,
    # and stays true while the translations are being written.
    return {**browser_context_args, "locale": "en-GB"}


def _new_org_number():
    from portal.accounts.models import Organisation
    from portal.accounts.validators import org_number_check_digit

    for n in range(81234500, 81235000):
        check = org_number_check_digit(str(n))
        number = f"{n}{check}"
        if check is not None and not Organisation.objects.filter(org_number=number).exists():
            return number
    raise AssertionError("no free organisation number")


def _one_place_left():
    """The demo's reiseliv session, with room for one more employer."""
    from programmes.models import Session

    session = Session.objects.get(title=SESSION)
    assert not session.signups.exists()
    session.capacity = 1
    session.save(update_fields=["capacity"])
    return session


def _fjellvind_signs_up_meanwhile(session):
    """Another company signs up through the same service while the place is taken."""
    from portal.accounts.models import Organisation, User
    from programmes import services

    user = User.objects.get(email="arbeidsgiver@example.no")
    [signup] = services.signup_create(
        user=user,
        employer=Organisation.objects.get(name="Fjellvind Hotell AS"),
        sessions=[session],
        data={
            "contact_name": "Arne Arbeidsgiver",
            "contact_phone": "+47 911 11 111",
            "contact_email": "arne@fjellvind.example.no",
            "sector": "hospitality",
            "consent_to_contact": True,
        },
    )
    return signup


def _organisers_confirm(session, email):
    """The programme's organisers accept the new company's sign-up."""
    from portal.accounts.models import User
    from programmes import services

    signup = session.signups.get(signed_up_by__email=email)
    organiser = User.objects.get(email="lars.radgiver@example.no")
    services.signup_decide(user=organiser, signup=signup, confirm=True)


def _the_day_before(session):
    """10:00 on the working day before the session: inside the employer send window
    (weekdays 08-17), when the reminder job runs."""
    oslo = ZoneInfo("Europe/Oslo")
    day = session.starts_at.astimezone(oslo).date() - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return datetime.combine(day, time(10), oslo)


def _reminders_run(now):
    """run_reminders at that moment: the sweep records what is due, then it is sent."""
    from portal.reminders.services import reminders_send_due, reminders_sweep

    with freeze_time(now):
        reminders_sweep(now=now)
        reminders_send_due(now=now)


def _sent_to(address):
    return [message for message in mail.outbox if address in message.to]


def test_a_new_employer_signs_up_and_cancels_and_the_waiting_company_is_promoted(
    page, live_server, demo_world, settings
):
    # E-mails link to PORTAL_URL (portal/accounts/adapter.py): here, the live server.
    settings.PORTAL_URL = live_server.url
    session = _one_place_left()
    org_number = _new_org_number()

    # The front page shows the programmes open for sign-up: the employer finds WorkOP there.
    page.goto(f"{live_server.url}/")
    page.get_by_test_id("open-programmes").get_by_role("link", name=PROGRAMME).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROGRAMME)
    page.get_by_role("link", name=f"Sign up {SESSION}").click()
    expect(page).to_have_url(re.compile(rf"/jobbstart-gardermoen/sign-up/\?session={session.pk}$"))

    # Not logged in: register the company, and come back.
    page.get_by_role("link", name="Register your company").click()
    page.locator("#id_full_name").fill("Siri Solstrand")
    page.locator("#id_email").fill(NEW_EMAIL)
    page.locator("#id_company_name").fill("Solstrand Kafé AS")
    page.locator("#id_org_number").fill(org_number)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()

    [verification] = _sent_to(NEW_EMAIL)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", verification.body).group(0)
    page.goto(link)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()

    # Back on the sign-up form, with the chosen session ticked and the person filled in.
    expect(page).to_have_url(re.compile(r"/programmes/jobbstart-gardermoen/sign-up/"))
    expect(page.locator(f"input[name=sessions][value='{session.pk}']")).to_be_checked()
    expect(page.locator("#id_contact_name")).to_have_value("Siri Solstrand")
    expect(page.locator("#id_contact_email")).to_have_value(NEW_EMAIL)
    page.locator("#id_contact_phone").fill("+47 922 22 222")
    page.locator("#id_sector").select_option("hospitality")
    page.locator("#id_internship_places").fill("2")
    page.locator("#id_consent_to_contact").check()
    page.locator("main form button[type=submit]").first.click()

    expect(page).to_have_url(f"{live_server.url}/programmes/jobbstart-gardermoen/sign-up/done/")
    expect(page.get_by_text(SESSION).first).to_be_visible()
    [confirmation] = [m for m in _sent_to(NEW_EMAIL) if m is not verification]
    assert [a[0] for a in confirmation.attachments] == ["motested.ics"]
    assert "BEGIN:VEVENT" in confirmation.attachments[0][1]

    # Accepted by the organisers, the company is reminded the working day before.
    _organisers_confirm(session, NEW_EMAIL)
    before = len(_sent_to(NEW_EMAIL))
    _reminders_run(_the_day_before(session))
    [reminder] = _sent_to(NEW_EMAIL)[before:]
    assert SESSION in reminder.body
    assert [a[0] for a in reminder.attachments] == ["motested.ics"]
    page.goto(f"{live_server.url}/notifications/")
    expect(page.get_by_test_id("notifications")).to_contain_text(reminder.subject)

    # The place is taken: the next company goes on the waiting list.
    waiting = _fjellvind_signs_up_meanwhile(session)
    assert waiting.status == "waiting"

    page.get_by_role("link", name="My sign-ups").first.click()
    card = page.locator(".portal-signup", has_text=SESSION)
    expect(card).to_contain_text("Solstrand Kafé AS")
    card.get_by_role("button", name="Cancel the sign-up").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    # The dialog fades in; axe reads the colours once it has.
    dialog.evaluate("d => Promise.all(d.getAnimations({subtree: true}).map(a => a.finished))")
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
    dialog.get_by_role("button", name="Cancel the sign-up").click()
    expect(page.locator(".portal-signup", has_text=SESSION)).to_contain_text("Cancelled")

    waiting.refresh_from_db()
    assert waiting.status == "pending"
    # To the account that signed up, not the contact address typed in its form.
    [promoted] = _sent_to("arbeidsgiver@example.no")[-1:]
    assert SESSION in promoted.body
    save_screenshot(page, "employer-journey")


def _tab_to(page, selector, most=60):
    """Press Tab until the element has focus, as a keyboard user moves through the page."""
    for _ in range(most):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reaches {selector}")


def test_an_employer_signs_up_with_the_keyboard_alone(page, live_server, demo_world):
    from programmes.models import Session, SignUp

    session = Session.objects.get(title=SESSION)
    log_in(page, live_server, "arbeidsgiver@example.no")
    page.goto(f"{live_server.url}/programmes/jobbstart-gardermoen/sign-up/")

    # Sent with no session ticked: the page comes back with focus on the error summary, which
    # is an alert, so a screen reader reads it out.
    _tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert").filter(has_text="not sent yet")
    expect(summary).to_be_focused()
    assert not SignUp.objects.filter(session=session, employer__name="Fjellvind Hotell AS").exists()

    _tab_to(page, f"input[name=sessions][value='{session.pk}']")
    page.keyboard.press("Space")
    _tab_to(page, "#id_contact_phone")
    page.keyboard.type("+47 933 33 333")
    _tab_to(page, "#id_sector")
    page.keyboard.type("Hotels")  # typing picks the option, as in any select box
    _tab_to(page, "#id_consent_to_contact")
    page.keyboard.press("Space")
    _tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/programmes/jobbstart-gardermoen/sign-up/done/")
    signup = SignUp.objects.get(session=session, employer__name="Fjellvind Hotell AS")
    assert (signup.contact_phone, signup.sector) == ("+47 933 33 333", "hospitality")
