"""The filters on /news/: the language, and one for each kind of mention registered as
filterable in portal.news.mentions (organisations, programmes)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from . import mentions
from .models import Article
from .selectors import mentioned_in_news, mentioned_recently


def _mention_filter(mention) -> django_filters.ModelChoiceFilter:
    # Only what public articles mention is offered: a choice that finds nothing helps no one.
    return django_filters.ModelChoiceFilter(
        label=mention.label,
        field_name=mention.relation,
        queryset=lambda request: mentioned_in_news(mention),
        empty_label=_("All"),
    )


class ArticleFilter(django_filters.FilterSet):
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Article.Language.choices, empty_label=_("All languages")
    )

    class Meta:
        model = Article
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The mentions are known once every app is ready, so their filters are added here.
        for mention in mentions.mentions():
            if mention.filterable:
                self.filters[mention.name] = _mention_filter(mention)

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_mentions_offered", False):
            form._mentions_offered = True
            for mention in mentions.mentions():
                if mention.filterable and mention.name in form.fields:
                    field = form.fields[mention.name]
                    chosen = self._chosen(field, form[mention.name].value())
                    # Only some are shown; any that public news mentions is still accepted.
                    field.widget.choices = [
                        ("", field.empty_label),
                        *[(item.pk, str(item)) for item in mentioned_recently(mention, chosen)],
                    ]
        return form

    @staticmethod
    def _chosen(field, value):
        if value in (None, ""):
            return None
        try:
            return field.queryset.filter(pk=value).first()
        except (TypeError, ValueError):
            return None

    @property
    def filtered(self) -> bool:
        """Whether any filter is chosen (and valid): the page then offers "Show all news"."""
        return self.is_valid() and any(
            value not in (None, "") for value in self.form.cleaned_data.values()
        )
