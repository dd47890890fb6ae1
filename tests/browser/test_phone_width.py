"""The workspace's lists fit a 390 px wide phone: wide tables scroll inside their own box."""

import pytest

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

PAGES = [
    "/agreements/",
    "/agreements/?scope=all",
    "/agreements/?scope=all&q=avtale",
    "/organisations/",
    "/dashboard/",
    "/search/?q=avtale",
    "/news/",
]


def test_the_workspace_lists_fit_a_phone_without_sideways_scrolling(page, live_server, demo_world):
    log_in(page, live_server, "radgiver@example.no")
    page.set_viewport_size(PHONE)
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1, path  # the page itself, not an error page
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide"
    # The agreement table is wider than the phone: it scrolls inside its own box.
    page.goto(f"{live_server.url}/agreements/?scope=all")
    box = page.locator(".portal-table-scroll").first
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
