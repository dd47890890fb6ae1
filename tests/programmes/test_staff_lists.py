"""The organisers' long lists come a page at a time (issue 13): a programme's sign-ups and the
programmes one runs, 25 a page, in as many queries and about as many bytes whatever their
number."""

import pytest

from portal.accounts.models import Organisation
from programmes.models import SignUp
from tests.factories import OrganisationFactory
from tests.measuring import page_and_queries
from tests.partnerships.factories import member_of, nav_unit
from tests.programmes.factories import (
    SIGNUP_DATA,
    programme_for,
    programme_under,
    session_in,
    sign_up,
)

pytestmark = pytest.mark.django_db

MOST_QUERIES = 12  # issue 13: every page at most 12 queries


@pytest.fixture
def programme(client):
    """A programme with one session and one sign-up; its organiser's staff logged in, in
    English."""
    programme = programme_for(title="Jobbmesse Skalering")
    sign_up(session_in(programme, title="Første økt"), contact_name="Første Kontakt")
    client.force_login(member_of(programme.organisers.get()))
    client.cookies["django_language"] = "en"
    return programme


def signups_in(programme, n, status="pending", session=None):
    """n more sign-ups, from n new employers, in session (else a new one)."""
    session = session or session_in(programme, days=14, capacity=1000, title="Senere økt")
    employers = Organisation.objects.bulk_create(
        OrganisationFactory.build(kind=Organisation.Kind.EMPLOYER, name=f"Bedrift {i:03} AS")
        for i in range(n)
    )
    SignUp.objects.bulk_create(
        SignUp(
            session=session,
            employer=employer,
            status=status,
            **{**SIGNUP_DATA, "contact_name": f"Kontakt i {employer.name}"},
        )
        for employer in employers
    )


def test_the_manage_page_shows_25_sign_ups_a_page_in_as_many_queries_for_300(
    client, programme, django_assert_max_num_queries
):
    url = f"/programmes/{programme.slug}/manage/"
    client.get(url)  # once a session: the two-factor check, the unread count cached
    few, few_queries = page_and_queries(client, url)
    assert few_queries <= MOST_QUERIES
    signups_in(programme, 24, session=programme.sessions.get())
    full, _ = page_and_queries(client, url)  # 25 sign-ups: one full page
    signups_in(programme, 300, session=programme.sessions.get())
    page, _ = page_and_queries(client, url)
    print(f"{url}: {len(few)} bytes with 1 sign-up, {len(full)} with 25, {len(page)} with 325")
    with django_assert_max_num_queries(few_queries):
        client.get(url)
    assert page.count('class="portal-card portal-stack"') == 25
    assert "325 sign-ups" in page and 'rel="next"' in page
    # 300 more sign-ups add the links to the other pages (about a kilobyte), not 300 cards.
    assert len(page) < len(full) + 2000 and len(page) < 200_000
    # Ten sessions more (and their history) are ten rows more in those lists, no more queries.
    for _n in range(10):
        session_in(programme, days=21)
    with django_assert_max_num_queries(few_queries):
        client.get(url)
    assert "Første Kontakt" in page and "Bedrift 299 AS" not in page  # by session, then time


def test_the_second_page_shows_the_next_sign_ups(client, programme):
    signups_in(programme, 30)
    url = f"/programmes/{programme.slug}/manage/"
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('class="portal-card portal-stack"') == 6
    assert "Første Kontakt" not in second and "Bedrift 029 AS" in second
    assert 'aria-current="page"' in second and 'rel="prev"' in second
    # A page past the end shows the last one.
    assert "Bedrift 029 AS" in client.get(url, {"page": 99}).content.decode()


def test_the_sign_ups_are_filtered_by_state(client, programme):
    signups_in(programme, 30, status="confirmed")
    url = f"/programmes/{programme.slug}/manage/"
    pending = client.get(url, {"status": "pending"}).content.decode()
    assert "1 sign-up" in pending and "Første Kontakt" in pending and "Bedrift" not in pending
    confirmed = client.get(url, {"status": "confirmed"}).content.decode()
    assert "30 sign-ups" in confirmed and "Første Kontakt" not in confirmed
    assert '<option value="confirmed" selected>' in confirmed
    # The pages keep the filter.
    assert 'href="?status=confirmed&amp;page=2"' in confirmed
    empty = client.get(url, {"status": "declined"}).content.decode()
    assert "No sign-ups in this state." in empty
    # An unknown state is ignored: every sign-up is listed.
    assert "31 sign-ups" in client.get(url, {"status": "x"}).content.decode()


def test_a_decision_comes_back_to_the_same_page_and_filter(client, programme):
    signups_in(programme, 30)
    url = f"/programmes/{programme.slug}/manage/"
    page = client.get(url, {"status": "pending", "page": 2}).content.decode()
    last = SignUp.objects.order_by("session__starts_at", "created_at", "pk").last()
    decide = f"/programmes/{programme.slug}/signups/{last.pk}/decide/"
    assert f'action="{decide}?page=2&amp;status=pending"' in page
    response = client.post(f"{decide}?page=2&status=pending", {"decision": "confirm"})
    assert response.url == f"{url}?page=2&status=pending#signups"
    last.refresh_from_db()
    assert last.status == "confirmed"
    # Nothing else of the query is carried into the address.
    response = client.post(f"{decide}?next=https://evil.example/", {"decision": "confirm"})
    assert response.url == f"{url}#signups"


def test_attendance_comes_back_to_the_samepage_and_queries(client, programme):
    signups_in(programme, 30, status="confirmed")
    confirmed = SignUp.objects.filter(status="confirmed").last()
    url = f"/programmes/{programme.slug}/signups/{confirmed.pk}/attendance/?page=2"
    response = client.post(url, {"attended": "1"})
    assert response.url == f"/programmes/{programme.slug}/manage/?page=2#signups"


def test_the_programme_list_shows_25_a_page_and_finds_by_title(
    client, django_assert_max_num_queries
):
    adviser = member_of(nav_unit())
    first = programme_for(title="Sommerjobb Bodø")
    client.force_login(adviser)
    client.cookies["django_language"] = "en"
    client.get("/programmes/manage/")
    _few, few_queries = page_and_queries(client, "/programmes/manage/")
    assert few_queries <= MOST_QUERIES
    agreement = first.agreements.get()
    for n in range(30):
        programme_under(agreement, title=f"Jobbmesse {n:02}")
    signups_in(first, 40)  # waiting for review: counted per programme shown
    page, _ = page_and_queries(client, "/programmes/manage/")
    with django_assert_max_num_queries(few_queries):
        client.get("/programmes/manage/")
    assert page.count('<tr class="aksel-table__row">') == 1 + 25  # the header, 25 programmes
    assert 'rel="next"' in page
    second = client.get("/programmes/manage/", {"page": 2}).content.decode()
    assert second.count('<tr class="aksel-table__row">') == 1 + 6
    found = client.get("/programmes/manage/", {"q": "bodø"}).content.decode()
    assert "Sommerjobb Bodø" in found and "Jobbmesse" not in found
    assert ">40</td>" in found  # its sign-ups waiting for review
    none = client.get("/programmes/manage/", {"q": "ingen slik"}).content.decode()
    assert "No programme you run has that in its title." in none


def test_partner_staff_list_only_the_programmes_they_run(client, programme):
    programme_for(title="Andres program")
    page = client.get("/programmes/manage/").content.decode()
    assert "Jobbmesse Skalering" in page and "Andres program" not in page
    found = client.get("/programmes/manage/", {"q": "andres"}).content.decode()
    assert "Andres program" not in found
