"""The admin site at scale (issue 13): organisations, agreements, programmes and people are
picked with the autocomplete, never listed, so the add and change pages are as big and make
as many queries with 300 of each as with one; inline rows read their chosen options at once;
the autocomplete answers only what the user may see or the page may name."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from partnerships.models import Activity, Agreement, AgreementParty, Goal
from portal.accounts.models import Membership, Organisation, Role, User
from programmes.models import Programme
from tests.factories import OrganisationFactory
from tests.news.factories import ArticleFactory
from tests.programmes.factories import company, session_in, signup_row

pytestmark = pytest.mark.django_db

# Every admin page pays for the session, the user, their memberships and permissions before
# it shows anything; the article and agreement pages stay within the twelve.
MAX_QUERIES = 12


def grow(world, n=300):
    """n more partners, each with its staff member, a signed agreement with the NAV unit
    and a public programme under it: what the pages used to list in full."""
    partners = Organisation.objects.bulk_create(
        OrganisationFactory.build(kind=Organisation.Kind.PARTNER, name=f"Vekst {i:03} AS")
        for i in range(n)
    )
    staff = User.objects.bulk_create(
        User(email=f"vekst{i}@example.no", full_name=f"Vekstmedarbeider {i:03}") for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(user=u, organisation=p, role=Role.PARTNER_STAFF, confirmed=True)
        for u, p in zip(staff, partners, strict=True)
    )
    agreements = Agreement.objects.bulk_create(
        Agreement(
            reference=f"SA-2030-{i:04}",
            reference_year=2030,
            reference_number=i,
            title=f"Vekstavtale {i:03}",
            purpose="Flere i arbeid.",
            status=Agreement.Status.ACTIVE,
            start_date=date(2026, 1, 1),
            responsible_adviser=world["adviser"],
        )
        for i in range(n)
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=a, organisation=o)
        for a, p in zip(agreements, partners, strict=True)
        for o in (world["nav"], p)
    )
    programmes = Programme.objects.bulk_create(
        Programme(
            title=f"Vekstprogram {i:03}",
            slug=f"vekstprogram-{i}",
            description="Møteplasser.",
            target_group="Unge",
            start_date=date(2026, 2, 1),
            state="open",
        )
        for i in range(n)
    )
    Programme.agreements.through.objects.bulk_create(
        Programme.agreements.through(programme=p, agreement=a)
        for p, a in zip(programmes, agreements, strict=True)
    )
    Programme.organisers.through.objects.bulk_create(
        Programme.organisers.through(programme=p, organisation=o)
        for p, o in zip(programmes, partners, strict=True)
    )


def page(client, url) -> tuple[str, int]:
    client.get(url)  # the session and the translations are read once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(queries)


def mentioning(world):
    article = ArticleFactory(title="Samarbeid i vekst")
    article.related_organisations.add(world["own"])
    article.related_agreements.add(world["own_agreement"])
    article.related_programmes.add(world["own_programme"])
    return article


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_the_article_pages_do_not_grow_with_300_organisations_agreements_and_programmes(
    client, world, role
):
    article = mentioning(world)
    urls = ["/admin/news/article/add/", f"/admin/news/article/{article.pk}/change/"]
    client.force_login(world[role])
    client.cookies["django_language"] = "en"
    few = {url: page(client, url) for url in urls}
    grow(world)
    for url in urls:
        html, queries = page(client, url)
        print(f"{role} {url}: {len(few[url][0])} bytes, {few[url][1]} queries with few;")
        print(f"  {len(html)} bytes, {queries} queries with 300 more of each")
        assert "Vekst" not in html
        assert len(html) < len(few[url][0]) + 200  # the CSRF token and the like vary a little
        assert queries == few[url][1] <= MAX_QUERIES
    # The change page holds what the article names, chosen.
    html, _ = page(client, urls[1])
    for chosen in [world["own"], world["own_agreement"], world["own_programme"]]:
        assert f"selected>{escape(chosen)}</option>" in html


@pytest.mark.parametrize("role", ["adviser", "partner"])
def test_the_agreement_page_with_its_inlines_does_not_grow(client, world, role):
    agreement = world["own_agreement"]
    Goal.objects.create(agreement=agreement, text="Ti nye arbeidsgivere", target=10)
    meeting = {"agreement": agreement, "kind": Activity.Kind.MEETING, "due_date": date(2026, 3, 1)}
    Activity.objects.create(title="Oppstart", responsible=world["adviser"], **meeting)
    url = f"/admin/partnerships/agreement/{agreement.pk}/change/"
    client.force_login(world[role])
    few = page(client, url)
    grow(world)
    # More rows in its inlines, each with an autocomplete: their chosen people are read at once.
    Activity.objects.bulk_create(
        Activity(title=f"Oppfølging {i}", responsible=user, **meeting)
        for i, user in enumerate([world["adviser"], world["partner"], world["admin"]] * 4)
    )
    html, queries = page(client, url)
    print(f"{role}: {len(few[0])} bytes, {few[1]} queries; 13 activities: {len(html)}, {queries}")
    assert "Vekst" not in html
    assert queries == few[1] <= MAX_QUERIES
    if role == "adviser":
        assert html.count(f"selected>{escape(world['partner'])}</option>") == 4
    else:  # partner staff read the agreement: its activities' people are text
        assert html.count(escape(world["partner"])) >= 4


def test_the_session_page_reads_its_sign_ups_at_once(client, world):
    session = world["own_session"]
    url = f"/admin/programmes/session/{session.pk}/change/"
    client.force_login(world["partner"])
    few = page(client, url)
    grow(world)
    for _ in range(15):
        signup_row(session, company()[1])
    html, queries = page(client, url)
    print(f"session page: {few[1]} queries with 1 sign-up, {queries} with 16")
    assert queries == few[1]
    assert "Vekstprogram" not in html


def autocomplete(client, app_label, model_name, field_name, term=""):
    return client.get(
        "/admin/autocomplete/",
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )


def found(client, *args, **kwargs) -> list[str]:
    response = autocomplete(client, *args, **kwargs)
    assert response.status_code == 200, args
    return [result["text"] for result in response.json()["results"]]


def test_partner_staff_autocomplete_nothing_of_another_organisation(client, world):
    grow(world, n=5)
    client.force_login(world["partner"])
    own = [str(world["own_programme"])]
    assert found(client, "programmes", "session", "programme") == own
    assert found(client, "programmes", "sessionresult", "session") == [str(world["own_session"])]
    for source in [
        ("programmes", "programme", "organisers"),
        ("news", "article", "related_organisations"),
    ]:
        assert found(client, *source) == ["Eget partnerlag"]
    assert found(client, "accounts", "membership", "user") == [str(world["partner"])]
    assert found(client, "partnerships", "activity", "agreement", term="avtale") == [
        str(world["own_agreement"])
    ]
    # An article's agreements are an editor's to pick, not theirs.
    assert autocomplete(client, "news", "article", "related_agreements").status_code == 403


def test_editors_autocomplete_whatever_an_article_may_name_and_nothing_else(client, world):
    grow(world, n=30)
    Agreement.objects.filter(pk=world["other_agreement"].pk).update(status="draft")
    client.force_login(world["editor"])
    organisations = found(client, "news", "article", "related_organisations", term="vekst")
    assert len(organisations) == 20  # a page of the autocomplete: 30 match
    assert "Eget partnerlag" in found(
        client, "news", "article", "related_organisations", term="eget"
    )
    # Each by its own words: on SQLite (the development default) search does not rank, and
    # the 30 "Vekstavtale" would fill the first page of "avtale".
    assert str(world["own_agreement"]) in found(
        client, "news", "article", "related_agreements", term="vår avtale"
    )
    drafts = found(client, "news", "article", "related_agreements", term="deres avtale")
    assert str(world["other_agreement"]) not in drafts  # a draft is never named
    by_reference = found(client, "news", "article", "related_agreements", term="SA-2030-0007")
    assert by_reference[0] == "SA-2030-0007 Vekstavtale 007"
    assert "Vekstprogram 007" in found(client, "news", "article", "related_programmes", term="007")
    # Nothing of the pages editors have no permission for.
    assert autocomplete(client, "partnerships", "activity", "agreement").status_code == 403
    assert autocomplete(client, "programmes", "session", "programme").status_code == 403


def test_an_editor_names_what_the_autocomplete_found_and_keeps_it_through_an_error(client, world):
    article = mentioning(world)
    client.force_login(world["editor"])
    client.cookies["django_language"] = "en"
    url = f"/admin/news/article/{article.pk}/change/"
    picked = {
        "related_organisations": [world["own"], world["other"]],
        "agreement": [world["own_agreement"], world["other_agreement"]],
        "programme": [world["own_programme"], world["other_programme"]],
    }
    data = {
        "title": article.title,
        "slug": article.slug,
        "language": "nb",
        "lead": article.lead,
        "body": article.body,
        "state": "draft",
        **{name: [obj.pk for obj in objects] for name, objects in picked.items()},
    }
    # Sent back with an error, the page shows what was picked, not what was saved.
    html = client.post(url, data | {"title": ""}).content.decode()
    for objects in picked.values():
        for obj in objects:
            assert f"selected>{escape(obj)}</option>" in html
    assert client.post(url, data).status_code == 302
    assert set(article.related_organisations.all()) == {world["own"], world["other"]}
    assert set(article.related_agreements.all()) == set(picked["agreement"])
    assert set(article.related_programmes.all()) == set(picked["programme"])


BIG_LISTS = [
    "/admin/partnerships/agreement/",
    "/admin/partnerships/agreementparty/",
    "/admin/partnerships/activity/",
    "/admin/partnerships/agreementdocument/",
    "/admin/programmes/signup/",
    "/admin/reminders/reminder/",
    "/admin/accounts/auditevent/",
]


@pytest.mark.parametrize("url", BIG_LISTS)
def test_the_big_lists_count_once_and_read_no_year_of_every_row(client, world, url):
    """At 100,000 rows a second COUNT (of every row, beside the filtered count), a date
    hierarchy (every row's year) or a filter's SELECT DISTINCT costs more than the page."""
    client.force_login(world["admin"])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    assert len([q for q in sql if "COUNT(" in q and "FILTER" not in q]) == 1, sql
    assert not [q for q in sql if "DATE_TRUNC" in q or "django_date_trunc" in q]
    assert not [q for q in sql if q.startswith("SELECT DISTINCT")]


def test_the_outbox_filters_by_the_rules_the_code_registers(client, world):
    from portal.reminders import rules

    client.force_login(world["admin"])
    client.cookies["django_language"] = "en"
    html = client.get("/admin/reminders/reminder/").content.decode()
    for rule in rules.rules_registered():
        assert f"?rule={rule.code}" in html


def test_the_big_lists_show_the_newest_first(client, world):
    client.force_login(world["admin"])
    agreements = client.get("/admin/partnerships/agreement/").context["cl"].result_list
    assert list(agreements) == [world["other_agreement"], world["own_agreement"]]
    signups = client.get("/admin/programmes/signup/").context["cl"].result_list
    assert list(signups) == [world["other_signup"], world["own_signup"]]


def test_the_session_list_counts_the_places_taken_of_each_session(client, world):
    session = world["own_session"]  # one pending sign-up already
    signup_row(session, company()[1], status="confirmed")
    signup_row(session, company()[1], status="cancelled")  # holds no place
    empty = session_in(world["own_programme"], title="Ingen ennå")
    client.force_login(world["admin"])
    rows = client.get("/admin/programmes/session/").context["cl"].result_list
    taken = {row.pk: row.taken for row in rows}
    assert taken == {session.pk: 2, world["other_session"].pk: 1, empty.pk: 0}
