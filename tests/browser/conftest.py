from pathlib import Path

import pytest

from portal import demo


@pytest.fixture
def demo_world(transactional_db):
    """The demo accounts, as a newcomer finds them after the run command."""
    demo.seed()


@pytest.fixture(autouse=True)
def portal_at_the_live_server(request, settings):
    """Links in e-mails point at PORTAL_URL: in a browser test, the live server."""
    if "live_server" in request.fixturenames:
        settings.PORTAL_URL = request.getfixturevalue("live_server").url


@pytest.fixture
def served_media(settings):
    """Uploaded files served by the live server, as runserver does in development."""
    settings.ROOT_URLCONF = "tests.browser.urls"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Bokmål first, as a Norwegian visitor's browser asks for it.
    return {**browser_context_args, "locale": "nb-NO"}


def log_in(page, live_server, email, password=demo.PASSWORD):
    """Log in as a person would; staff-type accounts then type the code from their app."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:
        type_totp_code(page)


def type_totp_code(page):
    from tests.factories import totp_code

    page.locator("#id_code").fill(totp_code(demo.TOTP_SECRET))
    # The page's other button (Cancel) belongs to a logout form of its own.
    page.locator("main button[type=submit]:not([form])").click()
    page.wait_for_load_state()


RESULTS = Path(__file__).resolve().parents[2] / "test-results"


def save_screenshot(page, name):
    """The journey's last page, kept as a test artefact in test-results/ (gitignored)."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path
