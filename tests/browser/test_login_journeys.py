"""Each demo user logs in through a real browser and lands on the page made for their role."""

import re

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from portal import demo
from portal.accounts.models import User
from tests.browser.conftest import log_in, save_screenshot, type_totp_code
from tests.browser.test_accessibility import WCAG_21_AA
from tests.factories import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START_PAGES = [
    ("admin@example.no", "/dashboard/", "Oversikt", "Dashboard", "Administrator"),
    ("radgiver@example.no", "/dashboard/", "Oversikt", "Dashboard", "NAV Nordland"),
    ("partner@example.no", "/dashboard/", "Oversikt", "Dashboard", "Nordlysrittet AS"),
    (
        "arbeidsgiver@example.no",
        "/programmes/my-signups/",
        "Mine påmeldinger",
        "My sign-ups",
        "Fjellvind Hotell AS",
    ),
]


@pytest.mark.parametrize(("email", "path", "heading_nb", "heading_en", "organisation"), START_PAGES)
def test_demo_user_lands_on_their_start_page_in_bokmal(
    page, live_server, demo_world, email, path, heading_nb, heading_en, organisation
):
    log_in(page, live_server, email)
    expect(page).to_have_url(f"{live_server.url}{path}")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading_nb)
    expect(page.get_by_test_id("header-organisation")).to_contain_text(organisation)


@pytest.mark.parametrize(("email", "path", "heading_nb", "heading_en", "organisation"), START_PAGES)
def test_demo_user_lands_on_their_start_page_in_english(
    page, live_server, demo_world, email, path, heading_nb, heading_en, organisation
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign In")
    log_in(page, live_server, email)
    expect(page).to_have_url(f"{live_server.url}{path}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading_en)


def test_unknown_user_gets_a_clear_error(page, live_server, demo_world):
    log_in(page, live_server, "ukjent@example.no", "feil-passord")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("alert")).to_contain_text(
        "E-postadressen og/eller passordet du oppgav er feil."
    )
    expect(page.locator("#id_login")).to_have_value("ukjent@example.no")


def test_logging_out_returns_to_the_front_page(page, live_server, demo_world):
    log_in(page, live_server, "radgiver@example.no")
    page.get_by_role("button", name="Logg ut").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("banner").get_by_role("link", name="Logg inn")).to_be_visible()


def test_the_admin_site_logs_in_through_the_portals_login_and_a_code(page, live_server, demo_world):
    page.goto(f"{live_server.url}/admin/news/article/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/admin/news/article/$"))
    page.locator("#id_login").fill("redaktor@example.no")
    page.locator("#id_password").fill(demo.PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/authenticate/")
    type_totp_code(page)
    expect(page).to_have_url(f"{live_server.url}/admin/news/article/")


def test_a_new_adviser_sets_up_an_authenticator_app_before_anything_else(
    page, live_server, demo_world
):
    from portal.accounts.models import Membership, Organisation

    user = User.objects.create_user(email="ny.radgiver@example.no", password=demo.PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(name="NAV Nordland"), role="nav_adviser"
    )
    log_in(page, live_server, user.email)
    # allauth asks for the password again before a second factor is added.
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.locator("#id_password").fill(demo.PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/totp/activate/")
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()

    # The person types the secret into their app, and the app's code into the page.
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("#id_code").fill(totp_code(secret))
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/recovery-codes/")
    expect(page.locator("main")).to_contain_text(re.compile(r"\b[0-9a-z]{8}\b"))

    page.goto(f"{live_server.url}/dashboard/")
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Oversikt")


def test_the_code_step_passes_axe(page, live_server, demo_world):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill("radgiver@example.no")
    page.locator("#id_password").fill(demo.PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/authenticate/")
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_the_admin_logs_in_with_a_code_and_reads_the_reminders_outbox(
    page, live_server, demo_world
):
    """MFA, the admin site, and the outbox after the reminder job (run_reminders) has run."""
    from portal.reminders.models import Reminder
    from portal.reminders.services import reminders_send_due, reminders_sweep

    reminders_sweep()
    reminders_send_due()
    sent = Reminder.objects.filter(status=Reminder.Status.SENT).order_by("pk").first()
    assert sent is not None  # the demo world has reminders due at once

    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill("admin@example.no")
    page.locator("#id_password").fill(demo.PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/authenticate/")
    type_totp_code(page)

    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    page.goto(f"{live_server.url}/admin/reminders/reminder/")
    row = page.locator("#result_list tbody tr", has_text=sent.email)
    expect(row.first).to_be_visible()
    save_screenshot(page, "admin-journey")
