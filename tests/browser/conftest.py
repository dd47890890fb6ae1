import pytest

from portal import demo


@pytest.fixture
def demo_world(transactional_db):
    """The demo accounts, as a newcomer finds them after the run command."""
    demo.seed()


@pytest.fixture
def served_media(settings):
    """Uploaded files served by the live server, as runserver does in development."""
    settings.ROOT_URLCONF = "tests.browser.urls"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Bokmål first, as a Norwegian visitor's browser asks for it.
    return {**browser_context_args, "locale": "nb-NO"}


def log_in(page, live_server, email, password=demo.PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
