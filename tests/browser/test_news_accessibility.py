"""axe-core finds no WCAG 2.1 A/AA violation on the news pages."""

import pytest

from tests.browser.conftest import log_in
from tests.browser.test_accessibility import assert_no_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A demo article with a photo, caption and credit.
ARTICLE = "/news/nordlysrittet-og-nav-sammen-om-flere-i-jobb/"


@pytest.mark.parametrize("path", ["/news/", "/news/?language=nb", ARTICLE])
def test_news_pages_pass_axe(page, live_server, demo_world, served_media, path):
    assert_no_violations(page, f"{live_server.url}{path}")


def test_the_preview_of_a_draft_passes_axe(page, live_server, demo_world, served_media):
    log_in(page, live_server, "redaktor@example.no")
    assert_no_violations(
        page, f"{live_server.url}/news/forste-halvar-med-nordlysrittet-avtalen/preview/"
    )
