from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "portal.news"
    label = "news"
    verbose_name = _("News")

    def ready(self):
        from portal.accounts.models import Organisation

        from . import mentions

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
