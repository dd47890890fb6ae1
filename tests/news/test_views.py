"""Reading news: the list, an article's page, the preview and the front page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.accounts.models import Organisation
from portal.news import services
from portal.news.models import Article
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    adviser,
    employer_contact,
    enrol_totp,
    partner_staff,
)
from tests.news.factories import ArticleFactory, photo_upload

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def listed_slugs(response):
    return [article.slug for article in response.context["page"].object_list]


# --- the list --------------------------------------------------------------------------------


def test_the_list_shows_published_articles_newest_first(client):
    ArticleFactory(slug="eldre", published_at=days_ago(3))
    ArticleFactory(slug="nyere", published_at=days_ago(1))
    ArticleFactory(slug="planlagt-passert", state="scheduled", publish_at=days_ago(2))
    ArticleFactory(slug="utkast", state=Article.State.DRAFT)
    ArticleFactory(slug="arkivert", state=Article.State.ARCHIVED)
    ArticleFactory(slug="fremtid", state="scheduled", publish_at=timezone.now() + timedelta(1))
    response = client.get("/news/")
    assert listed_slugs(response) == ["nyere", "planlagt-passert", "eldre"]


def test_the_list_has_twelve_articles_a_page(client):
    for n in range(13):
        ArticleFactory(slug=f"sak-{n}", published_at=days_ago(n))
    first = client.get("/news/")
    second = client.get("/news/?page=2")
    assert len(listed_slugs(first)) == 12
    assert listed_slugs(second) == ["sak-12"]
    assert 'aria-current="page"' in first.content.decode()


def test_the_list_filters_by_language(client):
    ArticleFactory(slug="bokmal", language="nb")
    ArticleFactory(slug="nynorsk", language="nn")
    assert listed_slugs(client.get("/news/?language=nn")) == ["nynorsk"]


def test_the_list_filters_by_organisation_and_offers_only_those_in_the_news(client):
    rittet = OrganisationFactory(name="Rittet AS")
    OrganisationFactory(name="Uten nyheter AS")
    ArticleFactory(slug="om-rittet", organisations=[rittet])
    ArticleFactory(slug="annen-sak")
    ArticleFactory(slug="utkast-om-rittet", state="draft", organisations=[rittet])
    response = client.get(f"/news/?organisation={rittet.pk}")
    assert listed_slugs(response) == ["om-rittet"]
    choices = [str(label) for _, label in response.context["form"].fields["organisation"].choices]
    assert "Rittet AS" in choices and "Uten nyheter AS" not in choices


def test_the_filter_is_kept_in_the_page_links(client):
    for n in range(13):
        ArticleFactory(language="nn", published_at=days_ago(n))
    page = client.get("/news/?language=nn").content.decode()
    assert 'href="?language=nn&amp;page=2"' in page


def test_an_unknown_filter_value_shows_all_news(client):
    ArticleFactory(slug="sak")
    assert listed_slugs(client.get("/news/?organisation=999999&language=xx")) == ["sak"]


def test_the_list_says_so_when_there_is_no_news(client):
    assert "Ingen nyheter ennå." in client.get("/news/").content.decode()


def test_the_list_says_so_when_nothing_matches_the_filter(client):
    ArticleFactory(language="nb")
    page = client.get("/news/?language=en").content.decode()
    assert "Ingen artikler passer med filteret." in page


# --- an article's page -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "state_kwargs",
    [
        {"state": "draft"},
        {"state": "archived"},
        {"state": "scheduled", "publish_at": timezone.now() + timedelta(hours=1)},
    ],
    ids=["draft", "archived", "scheduled-later"],
)
def test_articles_that_are_not_public_are_404_for_everyone_on_the_public_page(client, state_kwargs):
    ArticleFactory(slug="skjult", **state_kwargs)
    assert client.get("/news/skjult/").status_code == 404
    client.force_login(adviser())
    assert client.get("/news/skjult/").status_code == 404


def test_an_article_shows_its_photo_caption_credit_and_dates(client):
    ArticleFactory(
        slug="med-bilde",
        photo=photo_upload(width=2000, height=1000),
        photo_alt="To ledere med avtalen",
        photo_caption="Lederne med avtalen.",
        photo_credit="NAV",
        published_at=timezone.make_aware(timezone.datetime(2026, 3, 2, 10, 0)),
    )
    page = client.get("/news/med-bilde/").content.decode()
    assert 'alt="To ledere med avtalen"' in page
    assert 'width="1600" height="800"' in page
    assert 'src="/news/med-bilde/photo/?v=' in page
    assert "Lederne med avtalen." in page
    assert "Foto: NAV" in page
    assert '<time datetime="2026-03-02T10:00:00+01:00">2. mars 2026</time>' in page


def test_an_article_page_has_open_graph_tags_with_an_absolute_image_url(client):
    ArticleFactory(
        slug="deling",
        title="Ny avtale",
        lead="Partene har signert.",
        photo=photo_upload(),
        photo_alt="Bilde",
    )
    page = client.get("/news/deling/").content.decode()
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:title" content="Ny avtale">' in page
    assert '<meta property="og:description" content="Partene har signert.">' in page
    assert '<meta property="og:url" content="http://testserver/news/deling/">' in page
    assert '<meta property="og:image" content="http://testserver/news/deling/photo/?v=' in page


def test_the_article_body_is_marked_with_its_language(client):
    ArticleFactory(slug="english", language="en")
    assert 'lang="en"' in client.get("/news/english/").content.decode()


def test_related_organisations_link_only_for_readers_who_may_see_them(client):
    rittet = OrganisationFactory(name="Rittet AS", kind=Organisation.Kind.PARTNER)
    ArticleFactory(slug="sak", organisations=[rittet])
    link = f'<a class="aksel-link" href="/organisations/{rittet.pk}/">Rittet AS</a>'

    client.force_login(adviser())  # NAV advisers see every organisation
    assert link in client.get("/news/sak/").content.decode()

    client.force_login(employer_contact())  # an employer sees only their own company
    page = client.get("/news/sak/").content.decode()
    assert link not in page and "<li>Rittet AS</li>" in page

    client.logout()
    assert "<li>Rittet AS</li>" in client.get("/news/sak/").content.decode()


# --- the preview -----------------------------------------------------------------------------


def test_an_editor_previews_a_draft_with_a_banner(client):
    editor = enrol_totp(UserFactory())
    services.editor_add(user=editor)
    ArticleFactory(slug="utkast", title="Utkast til sak", state="draft")
    client.force_login(editor)
    response = client.get("/news/utkast/preview/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Forhåndsvisning – ikke publisert" in page
    assert "Utkast til sak" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "no-cache" in response["Cache-Control"]


def test_the_preview_sends_visitors_to_the_portals_login(client):
    ArticleFactory(slug="utkast", state="draft")
    response = client.get("/news/utkast/preview/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/news/utkast/preview/"


@pytest.mark.parametrize("make_user", [adviser, partner_staff, employer_contact])
def test_the_preview_is_closed_to_readers(client, make_user):
    ArticleFactory(slug="utkast", state="draft")
    client.force_login(make_user())
    assert client.get("/news/utkast/preview/").status_code == 403


def test_staff_outside_the_editors_group_cannot_preview_a_draft(client):
    ArticleFactory(slug="utkast", state="draft")
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/news/utkast/preview/").status_code == 403


# --- the front page --------------------------------------------------------------------------


def test_the_front_page_shows_the_three_latest_articles(client):
    for n in range(4):
        ArticleFactory(slug=f"sak-{n}", title=f"Sak {n}", published_at=days_ago(n))
    ArticleFactory(slug="utkast", title="Hemmelig utkast", state="draft")
    page = client.get("/").content.decode()
    assert [s in page for s in ("/news/sak-0/", "/news/sak-1/", "/news/sak-2/")] == [True] * 3
    assert "/news/sak-3/" not in page
    assert "Hemmelig utkast" not in page
    assert "Siste nytt" in page


# --- query counts ----------------------------------------------------------------------------


def _orgs(n):
    return [OrganisationFactory() for _ in range(n)]


@pytest.mark.parametrize("articles", [1, 30])
def test_the_list_costs_the_same_queries_however_many_articles(
    client, django_assert_num_queries, articles
):
    organisations = _orgs(3)
    for n in range(articles):
        ArticleFactory(organisations=organisations, photo=None, published_at=days_ago(n))
    # the page count, the page's articles, the organisations and programmes for the filters
    with django_assert_num_queries(4):
        assert client.get("/news/?organisation=").status_code == 200


@pytest.mark.parametrize("organisations", [1, 20])
def test_an_article_page_costs_the_same_queries_however_many_organisations(
    client, django_assert_num_queries, organisations
):
    ArticleFactory(slug="sak", organisations=_orgs(organisations))
    # the article with its author, and its organisations, agreements and programmes; an
    # anonymous reader may see no organisation's page, which the access module knows without
    # asking the database
    with django_assert_num_queries(4):
        assert client.get("/news/sak/").status_code == 200


def test_a_logged_in_reader_pays_one_query_for_the_links_however_many_organisations(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ArticleFactory(slug="liten", organisations=_orgs(1))
    ArticleFactory(slug="stor", organisations=_orgs(20))
    client.force_login(employer_contact())
    client.get("/news/liten/")  # the header's unread count is counted once, then kept
    counts = []
    for slug in ("liten", "stor"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/news/{slug}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("articles", [1, 10])
def test_the_front_page_costs_a_query_for_the_news_and_one_for_programmes(
    client, django_assert_num_queries, articles
):
    for n in range(articles):
        ArticleFactory(published_at=days_ago(n))
    with django_assert_num_queries(2):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("language", "heading", "all_languages"),
    [
        ("nb", "Nyheter", "Alle språk"),
        ("nn", "Nyheiter", "Alle språk"),
        ("en", "News", "All languages"),
    ],
)
def test_the_news_list_speaks_the_chosen_language(
    client, settings, language, heading, all_languages
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/news/").content.decode()
    assert f'<h1 class="aksel-heading aksel-heading--xlarge">{heading}</h1>' in page
    assert all_languages in page
