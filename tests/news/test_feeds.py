"""The RSS and Atom feeds carry published articles only."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from portal.news.models import Article
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def articles():
    ArticleFactory(slug="publisert", title="Publisert sak", lead="Ingressen.")
    ArticleFactory(
        slug="planlagt-passert",
        title="Planlagt og passert",
        state=Article.State.SCHEDULED,
        publish_at=timezone.now() - timedelta(hours=1),
    )
    ArticleFactory(slug="utkast", title="Utkast", state=Article.State.DRAFT)
    ArticleFactory(slug="arkivert", title="Arkivert", state=Article.State.ARCHIVED)
    ArticleFactory(
        slug="fremtid",
        title="Fremtidig sak",
        state=Article.State.SCHEDULED,
        publish_at=timezone.now() + timedelta(days=1),
    )


def test_the_rss_feed_has_published_articles_and_nothing_else(client, articles):
    response = client.get("/news/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    items = {item.findtext("title"): item for item in channel.findall("item")}
    assert set(items) == {"Publisert sak", "Planlagt og passert"}
    assert items["Publisert sak"].findtext("link") == "http://testserver/news/publisert/"
    assert items["Publisert sak"].findtext("description") == "Ingressen."
    assert items["Publisert sak"].findtext("pubDate")


def test_the_atom_feed_has_published_articles_and_nothing_else(client, articles):
    response = client.get("/news/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    titles = {entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")}
    assert titles == {"Publisert sak", "Planlagt og passert"}


def test_the_pages_with_news_point_to_the_feeds(client):
    ArticleFactory(slug="sak")
    for url in ("/", "/news/", "/news/sak/"):
        page = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/rss+xml"' in page
        assert 'href="/news/feed/"' in page and 'href="/news/feed/atom/"' in page
