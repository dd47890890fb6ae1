"""The RSS and Atom feeds carry published articles only."""

import html
from datetime import timedelta
from html.parser import HTMLParser
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


HOSTILE_LEAD = "Partene har signert <img src=x onerror=alert(1)> & <b>jubler</b>."


class ElementsOf(HTMLParser):
    """The elements a feed reader would make of a piece of HTML."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def test_markup_in_a_lead_is_text_in_the_rss_feed(client):
    ArticleFactory(slug="fiendtlig", lead=HOSTILE_LEAD)
    response = client.get("/news/feed/")
    item = ElementTree.fromstring(response.content).find("channel/item")
    description = item.findtext("description")  # what a reader then renders as HTML
    assert ElementsOf(description).tags == []
    assert html.unescape(description) == HOSTILE_LEAD


def test_the_atom_summary_is_the_lead_as_text(client):
    ArticleFactory(slug="fiendtlig", lead=HOSTILE_LEAD)
    response = client.get("/news/feed/atom/")
    summary = ElementTree.fromstring(response.content).find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == HOSTILE_LEAD
