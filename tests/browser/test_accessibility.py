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


# --- Programmes --------------------------------------------------------------------------------

PHONE = {"width": 390, "height": 844}


def _programme_pages(role):
    """The programmes' pages each kind of user sees, on the demo world."""
    from programmes.models import Session, SignUp

    slug = "jobbstart-gardermoen"
    ahead = Session.objects.get(title="Møteplass: reiseliv og servering")
    if role == "visitor":
        return [
            "/programmes/",
            f"/programmes/{slug}/",
            f"/programmes/{slug}/results/",
            "/programmes/results/",
            f"/programmes/{slug}/sign-up/?session={ahead.pk}",
        ]
    if role == "employer":
        mine = SignUp.objects.get(
            session__title="Jobbmesse i Jessheim", employer__name__startswith="Fjell"
        )
        return [
            f"/programmes/{slug}/sign-up/?session={ahead.pk}",
            f"/programmes/{slug}/sign-up/done/",
            "/programmes/my-signups/",
            f"/programmes/my-signups/{mine.pk}/edit/",
        ]
    held = Session.objects.get(title="Speeddating med bedrifter")
    return [
        "/programmes/manage/",
        "/programmes/new/",
        f"/programmes/{slug}/manage/",
        f"/programmes/{slug}/edit/",
        f"/programmes/{slug}/sessions/new/",
        f"/programmes/{slug}/sessions/{ahead.pk}/edit/",
        f"/programmes/{slug}/sessions/{held.pk}/results/",
    ]


PROGRAMME_USERS = {
    "visitor": None,
    "employer": "arbeidsgiver@example.no",
    "organiser": "lars.radgiver@example.no",
}


def _as(role, page, live_server):
    if PROGRAMME_USERS[role]:
        log_in(page, live_server, PROGRAMME_USERS[role])
    return [f"{live_server.url}{path}" for path in _programme_pages(role)]


@pytest.mark.parametrize("role", PROGRAMME_USERS)
def test_programme_pages_pass_axe(page, live_server, demo_world, role):
    for url in _as(role, page, live_server):
        assert_no_violations(page, url)
        assert page.locator("h1").count() == 1, url  # the page itself, not an error page


def test_the_sign_up_form_with_errors_passes_axe(page, live_server, demo_world):
    log_in(page, live_server, "arbeidsgiver@example.no")
    page.goto(f"{live_server.url}/programmes/jobbstart-gardermoen/sign-up/")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".aksel-alert").count() > 0
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("role", PROGRAMME_USERS)
def test_programme_pages_fit_a_phone_without_sideways_scrolling(
    page, live_server, demo_world, role
):
    page.set_viewport_size(PHONE)
    for url in _as(role, page, live_server):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{url} is {width} px wide"
