"""The news as RSS 2.0 and Atom 1.0: published articles only, newest first.

The lead is plain text, but feed readers take an RSS <description> as HTML: it goes out
HTML-escaped, so markup typed into a lead is shown as text, never rendered. Atom can say what
it carries, so its <summary> is type="text" and holds the lead as it is.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from . import selectors

FEED_SIZE = 20


class ArticlesFeed(Feed):
    title = _("News from the NAV partnership portal")
    link = reverse_lazy("news:article_list")
    description = _("New agreements and results from NAV and its partners.")

    def items(self):
        return selectors.articles_published()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return escape(item.lead)

    def item_pubdate(self, item):
        return item.public_since

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return str(item.author) if item.author else None


class TextSummaryAtom1Feed(Atom1Feed):
    """Django's Atom feed writes the description as <summary type="html">."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class ArticlesAtomFeed(ArticlesFeed):
    feed_type = TextSummaryAtom1Feed
    subtitle = ArticlesFeed.description

    def item_description(self, item):
        return item.lead
