"""Every page of every role, in every language: axe-core finds no WCAG 2.1 A/AA violation,
every image has a text alternative, and the page fits a 390 px phone without sideways
scrolling. One browser context per role visits each page once per language."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
LANGUAGES = ["nb", "nn", "en"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PROGRAMME = "/programmes/jobbstart-gardermoen"
OWN_PROGRAMME = "/programmes/sommerjobb-nordlysrittet"
ARTICLE = "/news/nordlysrittet-og-nav-sammen-om-flere-i-jobb/"
DRAFT = "/news/forste-halvar-med-nordlysrittet-avtalen/"

USERS = {
    "public": None,
    "adviser": "radgiver@example.no",
    "partner": "partner@example.no",
    "employer": "arbeidsgiver@example.no",
    "editor": "redaktor@example.no",
    "admin": "admin@example.no",
}


def _pages(role):
    """The pages each kind of user reaches on the demo world, read from it after the seed."""
    from partnerships.models import Agreement
    from portal.accounts.models import User
    from portal.news.models import Article
    from portal.reminders.models import Reminder
    from programmes.models import Session, SignUp

    ahead = Session.objects.get(title="Møteplass: reiseliv og servering")
    held = Session.objects.get(title="Speeddating med bedrifter")
    own_session = Session.objects.get(title="Oppstartsmøte i Bodø")
    if role == "public":
        return [
            "/",
            "/privacy/",
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password/reset/",
            "/news/",
            ARTICLE,
            "/programmes/",
            "/programmes/results/",
            f"{PROGRAMME}/",
            f"{PROGRAMME}/results/",
            f"{PROGRAMME}/sign-up/?session={ahead.pk}",
        ]
    if role in ("adviser", "partner"):
        mine = Agreement.objects.filter(title__startswith="Nordlysrittet som plattform").get()
        organisation = mine.parties.exclude(organisation__kind="nav_unit").first().organisation
        pages = [
            "/dashboard/",
            "/agreements/",
            "/agreements/?scope=all&status=active&sort=title",
            mine.get_absolute_url(),
            organisation.get_absolute_url(),
            "/search/?q=avtale",
            "/notifications/",
            f"{OWN_PROGRAMME}/manage/",
            f"{OWN_PROGRAMME}/sessions/{own_session.pk}/edit/",
            "/accounts/e-mails/",
            "/accounts/calendar/",
            "/accounts/password/change/",
        ]
        if role == "adviser":
            lars = User.objects.get(email="lars.radgiver@example.no")
            pages += [
                # The list's filters with an adviser chosen and a NAV unit searched for.
                f"/agreements/?scope=all&adviser={lars.pk}&nav_unit_search=nav",
                "/agreements/new/",
                f"{mine.get_absolute_url()}edit/",
                "/organisations/",
                "/organisations/new/",
                f"{organisation.get_absolute_url()}edit/",
                "/programmes/manage/",
                "/programmes/new/",
                f"{OWN_PROGRAMME}/edit/",
                f"{OWN_PROGRAMME}/sessions/new/",
                "/accounts/email/",
                "/accounts/2fa/",
            ]
        return pages
    if role == "employer":
        mine = SignUp.objects.get(
            session__title="Jobbmesse i Jessheim", employer__name__startswith="Fjell"
        )
        return [
            "/programmes/my-signups/",
            f"/programmes/my-signups/{mine.pk}/edit/",
            f"{PROGRAMME}/sign-up/?session={ahead.pk}",
            f"{PROGRAMME}/sign-up/done/",
            "/notifications/",
            "/accounts/e-mails/",
            "/accounts/2fa/",
            "/account/delete/",
        ]
    if role == "editor":
        draft = Article.objects.get(slug=DRAFT.split("/")[2])
        return [
            "/admin/",
            "/admin/news/article/",
            "/admin/news/article/add/",
            f"/admin/news/article/{draft.pk}/change/",
            DRAFT + "preview/",
        ]
    reminder = Reminder.objects.order_by("pk").first()
    return [
        "/dashboard/",
        "/admin/",
        "/admin/accounts/user/",
        "/admin/partnerships/agreement/",
        "/admin/programmes/signup/",
        "/admin/reminders/reminder/",
        *([f"/admin/reminders/reminder/{reminder.pk}/change/"] if reminder else []),
        f"{PROGRAMME}/manage/",
        f"{PROGRAMME}/sessions/{held.pk}/results/",
    ]


def _fits_a_phone(page):
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(DESKTOP)
    return width


def _check(page, live_server, language, path, problems):
    response = page.goto(f"{live_server.url}{path}")
    where = f"[{language}] {path}"
    if not response.ok:
        problems.append(f"{where}: HTTP {response.status}")
        return
    results = Axe().run(page, options=WCAG_21_AA)
    if results.violations_count:
        problems.append(f"{where}:\n{results.generate_report()}")
    without_alt = page.locator("img:not([alt])").evaluate_all("imgs => imgs.map(i => i.src)")
    if without_alt:
        problems.append(f"{where}: images without alt {without_alt}")
    # The admin site keeps Django's own layout, which scrolls its tables.
    if not path.startswith("/admin/"):
        width = _fits_a_phone(page)
        if width > PHONE["width"]:
            problems.append(f"{where}: {width} px wide on a 390 px phone")


@pytest.mark.parametrize("role", USERS)
def test_every_page_passes_axe_in_every_language(
    browser, live_server, demo_world, served_media, role
):
    """Every page of the role, in bokmål, nynorsk and English; all problems in one report."""
    context = browser.new_context(locale="nb-NO", viewport=DESKTOP)
    problems = []
    try:
        page = context.new_page()
        if USERS[role]:
            log_in(page, live_server, USERS[role])
        for language in LANGUAGES:
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            for path in _pages(role):
                _check(page, live_server, language, path, problems)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_login_form_with_errors_passes_axe(page, live_server, demo_world):
    log_in(page, live_server, "ukjent@example.no", "feil")
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_the_sign_up_form_with_errors_passes_axe(page, live_server, demo_world):
    log_in(page, live_server, "arbeidsgiver@example.no")
    page.goto(f"{live_server.url}{PROGRAMME}/sign-up/")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert").first).to_be_visible()
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_the_programme_form_finds_an_organiser_to_tick_and_passes_axe(
    page, live_server, demo_world
):
    """Organisers and agreements are found with a search (not listed all) and ticked; a
    second search keeps what was ticked; the form with its matches showing passes axe."""
    from programmes.models import Programme

    log_in(page, live_server, "radgiver@example.no")
    page.goto(f"{live_server.url}/programmes/new/")
    page.get_by_label("Navn", exact=True).fill("Vinterjobb i Lofoten")
    page.get_by_label("Beskrivelse").fill("Vinterjobber for unge.")
    page.get_by_label("Målgruppe").fill("Unge 16–30")
    page.get_by_label("Startdato").fill("2026-12-01")
    page.get_by_label("Finn en arrangør").fill("Nordlysrittet")
    expect(page.locator("#id_organisers_search-status")).to_have_text("Velg blant 1 treff")
    page.get_by_label("Nordlysrittet AS").check()
    page.get_by_label("Finn en arrangør").fill("Næringsforum")
    expect(page.get_by_label("Næringsforum Gardermoen")).to_be_visible()
    expect(page.get_by_label("Nordlysrittet AS")).to_be_checked()
    page.get_by_label("Finn en avtale").fill("Nordlysrittet som plattform")
    agreement = page.get_by_label("Nordlysrittet som plattform for inkludering")
    agreement.check()
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
    page.get_by_role("button", name="Lagre programmet").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vinterjobb i Lofoten")
    created = Programme.objects.get(title="Vinterjobb i Lofoten")
    assert "Nordlysrittet AS" in {o.name for o in created.organisers.all()}
    assert created.agreements.get().title == "Nordlysrittet som plattform for inkludering"
