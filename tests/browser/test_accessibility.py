"""axe-core finds no WCAG 2.1 A/AA violation on the portal's pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

PUBLIC_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
]

PAGES_BY_USER = {
    "radgiver@example.no": [
        "/dashboard/",
        "/agreements/",
        "/agreements/?scope=all&status=active&sort=title",
        "/agreements/new/",
        "/organisations/",
        "/organisations/new/",
        "/search/?q=avtale",
        "/accounts/email/",
        "/accounts/password/change/",
    ],
    "partner@example.no": ["/dashboard/", "/agreements/"],
    "arbeidsgiver@example.no": ["/programmes/my-signups/", "/accounts/2fa/"],
}


def assert_no_violations(page, url):
    page.goto(url)
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, f"{url}\n{results.generate_report()}"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_pass_axe(page, live_server, demo_world, path):
    assert_no_violations(page, f"{live_server.url}{path}")


def test_login_form_with_errors_passes_axe(page, live_server, demo_world):
    log_in(page, live_server, "ukjent@example.no", "feil")
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("email", sorted(PAGES_BY_USER))
def test_pages_behind_login_pass_axe(page, live_server, demo_world, email):
    log_in(page, live_server, email)
    for path in PAGES_BY_USER[email]:
        assert_no_violations(page, f"{live_server.url}{path}")


def test_agreement_and_organisation_pages_pass_axe(page, live_server, demo_world):
    from partnerships.models import Agreement

    log_in(page, live_server, "radgiver@example.no")
    agreement = Agreement.objects.filter(status="active").order_by("reference").first()
    organisation = agreement.parties.first().organisation
    for path in [
        agreement.get_absolute_url(),
        f"{agreement.get_absolute_url()}edit/",
        organisation.get_absolute_url(),
        f"{organisation.get_absolute_url()}edit/",
    ]:
        assert_no_violations(page, f"{live_server.url}{path}")
