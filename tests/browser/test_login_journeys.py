"""Each demo user logs in through a real browser and lands on the page made for their role."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

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
