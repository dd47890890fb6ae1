"""Programme pages: the public catalogue and page, sign-up, my sign-ups, the organisers' pages."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from programmes.models import Programme, SignUp
from tests.factories import UserFactory, employer_contact
from tests.partnerships.factories import member_of, nav_unit, partner
from tests.programmes.factories import (
    SIGNUP_DATA,
    company,
    programme_for,
    session_in,
    sign_up,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    programme = programme_for(title="WorkOP Gardermoen", county="32")
    session_in(programme, title="Jobbmesse", capacity=2)
    return programme


# --- The public catalogue and page ------------------------------------------------------------


def test_anyone_finds_open_programmes_in_the_catalogue(client, programme):
    programme_for(title="Utkast", state="draft")
    page = client.get("/programmes/").content.decode()
    assert "WorkOP Gardermoen" in page and "Utkast" not in page
    assert f'href="{programme.get_absolute_url()}"' in page


def test_the_catalogue_filters_by_county_and_offer(client, programme):
    national = programme_for(title="Hele landet", county="", offer_kinds=["mentoring"])
    titles = lambda query: [  # noqa: E731
        p.title for p in client.get(f"/programmes/?{query}").context["page"].object_list
    ]
    assert titles("county=32") == [national.title, programme.title] or set(titles("county=32")) == {
        national.title,
        programme.title,
    }
    assert titles("county=18") == [national.title]
    assert titles("offer_kind=mentoring") == [national.title]
    assert titles("offer_kind=internship") == [programme.title]


def test_the_programme_page_shows_sessions_places_and_the_calendar_to_anyone(client, programme):
    sign_up(programme.sessions.get())
    response = client.get(f"/programmes/{programme.slug}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Jobbmesse" in page and "1 plass igjen for arbeidsgivere" in page
    assert f'href="/programmes/{programme.slug}/calendar.ics"' in page
    assert '<meta property="og:title" content="WorkOP Gardermoen">' in page


def test_a_draft_programme_is_a_404_for_the_public_and_other_partners(client):
    draft = programme_for(state="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(member_of(partner()))
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(member_of(draft.organisers.get()))
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_the_calendar_feed_holds_the_sessions(client, programme):
    response = client.get(f"/programmes/{programme.slug}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == "WorkOP Gardermoen: Jobbmesse"
    all_sessions = Calendar.from_ical(client.get("/programmes/calendar.ics").content)
    assert len(all_sessions.walk("VEVENT")) == 1


def test_public_results_show_totals_only(client, programme):
    page = client.get(f"/programmes/{programme.slug}/results/").content.decode()
    assert "Jobs gained" in page or "Jobber" in page
    assert client.get("/programmes/results/").status_code == 200


# --- Signing up -------------------------------------------------------------------------------


def test_a_visitor_is_led_to_register_and_back_to_the_sign_up(client, programme):
    page = client.get(f"/programmes/{programme.slug}/sign-up/").content.decode()
    back = f"next=%2Fprogrammes%2F{programme.slug}%2Fsign-up%2F"
    assert f"/accounts/signup/?{back}" in page and f"/accounts/login/?{back}" in page


def test_a_visitor_comes_back_to_the_session_they_chose(client, programme):
    session = programme.sessions.get()
    page = client.get(f"/programmes/{programme.slug}/sign-up/?session={session.pk}")
    back = f"next=%2Fprogrammes%2F{programme.slug}%2Fsign-up%2F%3Fsession%3D{session.pk}"
    assert f"/accounts/signup/?{back}" in page.content.decode()


def test_an_employer_signs_up_and_sees_it_under_my_signups(
    client, programme, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    user, employer = company()
    session = programme.sessions.get()
    client.force_login(user)
    form = client.get(f"/programmes/{programme.slug}/sign-up/?session={session.pk}")
    assert form.context["form"].initial["sessions"] == [session.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/programmes/{programme.slug}/sign-up/",
            {**SIGNUP_DATA, "employer": employer.pk, "sessions": [session.pk], "talk": ""},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == f"/programmes/{programme.slug}/sign-up/done/"
    assert SignUp.objects.get().employer == employer
    assert len(mail.outbox) == 1
    page = client.get("/programmes/my-signups/").content.decode()
    assert "WorkOP Gardermoen" in page and "Jobbmesse" in page


def test_a_sign_up_without_consent_re_renders_with_everything_typed(client, programme):
    user, employer = company()
    client.force_login(user)
    data = {**SIGNUP_DATA, "employer": employer.pk, "sessions": [programme.sessions.get().pk]}
    data.pop("consent_to_contact")
    response = client.post(f"/programmes/{programme.slug}/sign-up/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "NAV needs your consent" in page or "samtykke" in page
    assert 'value="Kari Nordmann"' in page
    assert not SignUp.objects.exists()


def test_a_second_sign_up_for_the_same_session_gets_a_clear_message(client, programme):
    user, employer = company()
    session = programme.sessions.get()
    sign_up(session, user, employer)
    client.force_login(user)
    response = client.post(
        f"/programmes/{programme.slug}/sign-up/",
        {**SIGNUP_DATA, "employer": employer.pk, "sessions": [session.pk]},
    )
    assert response.status_code == 400
    assert "already signed up" in response.content.decode() or "allerede" in (
        response.content.decode()
    )
    assert SignUp.objects.count() == 1


def test_a_nav_adviser_cannot_sign_a_company_up(client, programme):
    client.force_login(member_of(nav_unit()))
    assert client.get(f"/programmes/{programme.slug}/sign-up/").status_code == 403


def test_an_employer_cancels_from_my_signups_and_the_next_in_line_moves_up(client, programme):
    session = programme.sessions.get()
    user, employer = company()
    held = sign_up(session, user, employer)
    sign_up(session)
    waiting = sign_up(session)
    client.force_login(user)
    client.post(f"/programmes/my-signups/{held.pk}/cancel/")
    held.refresh_from_db()
    waiting.refresh_from_db()
    assert (held.status, waiting.status) == ("cancelled", "pending")


def test_my_signups_come_a_page_at_a_time_the_coming_sessions_first(
    client, programme, django_assert_max_num_queries
):
    """A company that has taken part for years finds what is next on the first page."""
    user, employer = company()
    past = [session_in(programme, title=f"Tidligere {n}", days=-n) for n in range(1, 26)]
    coming = [session_in(programme, title=f"Kommende {n}", days=n) for n in (30, 3, 10)]
    for session in [*past, *coming]:
        SignUp.objects.create(session=session, employer=employer, **SIGNUP_DATA)
    client.force_login(user)
    client.get("/programmes/my-signups/")  # the session's own first-visit reads
    with django_assert_max_num_queries(8):
        first = client.get("/programmes/my-signups/").content.decode()
    shown = [title for title in re.findall(r"· ((?:Kommende|Tidligere) \d+)</p>", first)]
    assert shown[:5] == ["Kommende 3", "Kommende 10", "Kommende 30", "Tidligere 1", "Tidligere 2"]
    assert len(shown) == 25 and 'rel="next"' in first
    second = client.get("/programmes/my-signups/?page=2").content.decode()
    assert re.findall(r"· ((?:Kommende|Tidligere) \d+)</p>", second) == [
        "Tidligere 23",
        "Tidligere 24",
        "Tidligere 25",
    ]


def test_my_signups_never_shows_or_cancels_another_companys(client, programme):
    other = sign_up(programme.sessions.get())
    user, _employer = company()
    client.force_login(user)
    assert other.employer.name not in client.get("/programmes/my-signups/").content.decode()
    assert client.post(f"/programmes/my-signups/{other.pk}/cancel/").status_code == 404
    assert client.get(f"/programmes/my-signups/{other.pk}/edit/").status_code == 404
    other.refresh_from_db()
    assert other.status == "pending"


def test_my_signups_never_lists_other_companies_whatever_the_role(client, programme):
    """ "My sign-ups" are the user's own company's: a NAV adviser, who sees every programme,
    has no company and so no sign-ups there."""
    sign_up(programme.sessions.get())
    client.force_login(member_of(nav_unit()))
    response = client.get("/programmes/my-signups/")
    assert response.context["signups"] == []


# --- The organisers ---------------------------------------------------------------------------


def test_an_adviser_creates_a_programme_in_the_portal(client, programme):
    adviser = member_of(nav_unit())
    agreement = programme.agreements.get()
    organiser = programme.organisers.get()
    client.force_login(adviser)
    response = client.post(
        "/programmes/new/",
        {
            "title": "Sommerjobb",
            "slug": "",
            "description": "Sommerjobber for unge.",
            "target_group": "Unge 16–30",
            "county": "18",
            "organisers": [organiser.pk],
            "agreements": [agreement.pk],
            "start_date": "2026-05-01",
            "end_date": "2026-09-01",
            "signup_deadline": "",
            "state": "open",
            "offer_kinds": ["job"],
        },
    )
    created = Programme.objects.get(slug="sommerjobb")
    assert response.url == f"/programmes/{created.slug}/manage/"
    assert created.history.get().history_user == adviser


def test_the_programme_form_refuses_a_draft_agreement(client, programme):
    from tests.partnerships.factories import agreement_for

    nav = nav_unit()
    adviser = member_of(nav)
    draft = agreement_for(adviser, nav, programme.organisers.get())
    client.force_login(adviser)
    response = client.post(
        "/programmes/new/",
        {
            "title": "Hemmelig",
            "description": "x",
            "target_group": "Unge",
            "organisers": [programme.organisers.get().pk],
            "agreements": [draft.pk],
            "start_date": "2026-05-01",
            "state": "draft",
        },
    )
    assert response.status_code == 400
    assert not Programme.objects.filter(title="Hemmelig").exists()


def test_organisers_confirm_a_sign_up_from_the_programmes_page(client, programme):
    signup = sign_up(programme.sessions.get())
    staff = member_of(programme.organisers.get())
    client.force_login(staff)
    page = client.get(f"/programmes/{programme.slug}/manage/").content.decode()
    assert signup.employer.name in page
    client.post(
        f"/programmes/{programme.slug}/signups/{signup.pk}/decide/",
        {"decision": "confirm", "message": "Velkommen"},
    )
    signup.refresh_from_db()
    assert (signup.status, signup.message) == ("confirmed", "Velkommen")


def test_the_organisers_read_one_job_not_one_jobs(client, programme):
    from programmes.models import SessionResult

    held = session_in(programme, days=-7, title="Holdt")
    SessionResult.objects.create(session=held, permanent_jobs=1)
    client.force_login(member_of(programme.organisers.get()))
    page = client.get(f"/programmes/{programme.slug}/manage/", headers={"Accept-Language": "en"})
    assert "1 job · edit" in page.content.decode()


def test_another_partner_cannot_manage_or_export_the_programme(client, programme):
    signup = sign_up(programme.sessions.get())
    client.force_login(member_of(partner()))
    base = f"/programmes/{programme.slug}"
    for url in [f"{base}/manage/", f"{base}/edit/", f"{base}/signups/export/?format=csv"]:
        assert client.get(url).status_code == 404, url
    response = client.post(f"{base}/signups/{signup.pk}/decide/", {"decision": "confirm"})
    assert response.status_code == 404
    signup.refresh_from_db()
    assert signup.status == "pending"
    client.force_login(employer_contact())
    assert client.get(f"{base}/manage/").status_code == 404


def test_sign_ups_export_to_csv_and_excel_without_formulas(client, programme):
    sign_up(programme.sessions.get(), contact_name="=HYPERLINK(1)")
    client.force_login(member_of(nav_unit()))
    csv_body = (
        client.get(f"/programmes/{programme.slug}/signups/export/?format=csv")
        .getvalue()
        .decode("utf-8-sig")
    )
    assert "'=HYPERLINK(1)" in csv_body and "Jobbmesse" in csv_body
    workbook = load_workbook(
        io.BytesIO(
            client.get(f"/programmes/{programme.slug}/signups/export/?format=xlsx").getvalue()
        )
    )
    values = [cell for row in workbook.active.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in values)


def test_results_are_recorded_for_a_held_session(client, programme):
    held = session_in(programme, days=-2, title="Holdt")
    client.force_login(member_of(nav_unit()))
    client.post(
        f"/programmes/{programme.slug}/sessions/{held.pk}/results/",
        {
            "young_people_met": 20,
            "interviews": 4,
            "internships_started": 2,
            "permanent_jobs": 1,
            "temporary_jobs": 2,
        },
    )
    page = client.get(f"/programmes/{programme.slug}/results/").content.decode()
    assert ">3 <" in page or ">3<" in page or "3 <span" in page


def test_the_staff_page_costs_a_constant_number_of_queries(
    client, programme, django_assert_max_num_queries
):
    client.force_login(member_of(nav_unit()))
    url = f"/programmes/{programme.slug}/manage/"
    client.get(url)
    for _ in range(5):
        sign_up(session_in(programme, days=10))
    with django_assert_max_num_queries(30):
        client.get(url)


__all__ = ["UserFactory", "timedelta", "timezone"]


def test_the_front_page_leads_employers_to_open_programmes(client, programme):
    programme_for(title="Utkast", state="draft")
    page = client.get("/").content.decode()
    assert f'href="{programme.get_absolute_url()}"' in page
    assert 'href="/programmes/"' in page and "Utkast" not in page


def test_search_finds_programmes_and_published_news(client, programme):
    from tests.news.factories import ArticleFactory

    ArticleFactory(title="WorkOP åpner dører", lead="Nye jobber.")
    ArticleFactory(title="WorkOP-utkast", state="draft")
    client.force_login(member_of(nav_unit()))
    page = client.get("/search/?q=workop").content.decode()
    assert f'href="{programme.get_absolute_url()}"' in page
    assert "WorkOP åpner dører" in page and "WorkOP-utkast" not in page


def test_the_privacy_page_says_no_job_seeker_is_stored(client):
    client.cookies["django_language"] = "en"
    page = client.get("/privacy/").content.decode()
    assert "The portal stores no personal data about job seekers." in page


def test_every_logged_in_user_has_programmes_in_the_menu(client):
    client.force_login(company()[0])
    assert 'href="/programmes/"' in client.get("/programmes/my-signups/").content.decode()


def test_an_unconfirmed_colleague_signs_up_and_sees_only_their_own_sign_ups(client, programme):
    from tests.factories import MembershipFactory, UserFactory

    session = programme.sessions.get()
    contact, employer = company()
    theirs = sign_up(session, contact, employer, contact_name="Kollega")
    newcomer = UserFactory()
    MembershipFactory(user=newcomer, organisation=employer, confirmed=False)
    client.force_login(newcomer)
    client.cookies["django_language"] = "en"
    later = session_in(programme, days=14, title="Senere")
    response = client.post(
        f"/programmes/{programme.slug}/sign-up/",
        {**SIGNUP_DATA, "employer": employer.pk, "sessions": [later.pk]},
    )
    assert response.status_code == 302
    mine = SignUp.objects.get(session=later)
    page = client.get("/programmes/my-signups/").content.decode()
    assert "Senere" in page and "Kollega" not in page and "waits for confirmation" in page
    assert client.post(f"/programmes/my-signups/{theirs.pk}/cancel/").status_code == 404
    assert client.post(f"/programmes/my-signups/{mine.pk}/cancel/").status_code == 302
    # Once confirmed, the colleague acts for the company.
    newcomer.memberships.update(confirmed=True)
    client.force_login(newcomer)
    assert "Jobbmesse" in client.get("/programmes/my-signups/").content.decode()


def test_the_agreement_and_organisation_pages_list_the_programmes(client, programme):
    agreement = programme.agreements.get()
    client.force_login(agreement.responsible_adviser)
    link = f'href="{programme.get_absolute_url()}"'
    assert link in client.get(agreement.get_absolute_url()).content.decode()
    organiser = programme.organisers.get()
    assert link in client.get(f"/organisations/{organiser.pk}/").content.decode()


def test_a_co_organisers_agreement_is_kept_when_the_other_partner_edits(client):
    from tests.partnerships.factories import agreement_for

    first = partner()
    programme = programme_for(organiser=first)
    second = partner()
    nav = nav_unit()
    theirs = agreement_for(member_of(nav), nav, second, status="active")
    programme.organisers.add(second)
    programme.agreements.add(theirs)
    client.force_login(member_of(first))
    data = {
        "title": programme.title,
        "slug": programme.slug,
        "description": "Endret av den første arrangøren.",
        "target_group": programme.target_group,
        "county": "",
        "organisers": [str(o.pk) for o in programme.organisers.all()],
        # The form offers what the first partner may see, and what the programme has.
        "agreements": [str(a.pk) for a in programme.agreements.all()],
        "start_date": programme.start_date.isoformat(),
        "end_date": programme.end_date.isoformat(),
        "signup_deadline": "",
        "state": "open",
        "offer_kinds": ["job"],
    }
    response = client.post(f"/programmes/{programme.slug}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    assert theirs in programme.agreements.all()


def test_a_hostile_session_parameter_is_ignored(client, programme):
    user, _employer = company()
    client.force_login(user)
    response = client.get(f"/programmes/{programme.slug}/sign-up/?session=%C2%B2")
    assert response.status_code == 200


def test_a_session_in_year_one_is_refused_with_a_message(client, programme):
    client.force_login(member_of(programme.organisers.get()))
    response = client.post(
        f"/programmes/{programme.slug}/sessions/new/",
        {
            "title": "Feil",
            "starts_at": "0001-01-01T00:00",
            "ends_at": "0001-01-01T02:00",
            "address": "Storgata 1",
            "capacity": "5",
        },
    )
    assert response.status_code == 400


def test_the_change_form_asks_only_for_what_the_programme_asks(client):
    programme = programme_for(offer_kinds=["job"])
    user, employer = company()
    signup = sign_up(session_in(programme), user, employer)
    client.force_login(user)
    form = client.get(f"/programmes/my-signups/{signup.pk}/edit/").context["form"]
    assert "job_openings" in form.fields and "mentors" not in form.fields
