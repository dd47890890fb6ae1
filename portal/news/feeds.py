"""The news as RSS 2.0 and Atom 1.0: published articles only, newest first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
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
        return item.lead

    def item_pubdate(self, item):
        return item.public_since

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return str(item.author) if item.author else None


class ArticlesAtomFeed(ArticlesFeed):
    feed_type = Atom1Feed
    subtitle = ArticlesFeed.description
