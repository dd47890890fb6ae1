from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "portal.news"
    label = "news"
    verbose_name = _("News")

    def ready(self):
        from PIL import Image

        from portal import registry
        from portal.accounts.models import Organisation

        from . import mentions, selectors
        from .images import MAX_PHOTO_PIXELS

        # Pillow's own guard against decompression bombs, at our limit rather than its
        # default of 89 megapixels: it warns above it and refuses twice as much, for any
        # code in the process that opens an image.
        Image.MAX_IMAGE_PIXELS = MAX_PHOTO_PIXELS

        mentions.mention_add(
            mentions.Mention(
                name="organisation",
                relation="related_organisations",
                model=Organisation,
                heading=_("Organisations in this article"),
                label=_("Organisation"),
                order=10,
            )
        )
        registry.panel_add(
            "search",
            registry.Panel(
                "news",
                "news/includes/_search_hits.html",
                lambda request, query: {"articles": selectors.articles_searched(query)},
                order=30,
            ),
        )
