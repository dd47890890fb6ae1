"""The filters on /news/: a new one (by programme, say) is one more declared filter."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Article
from .selectors import organisations_with_news, programmes_with_news


class ArticleFilter(django_filters.FilterSet):
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Article.Language.choices, empty_label=_("All languages")
    )
    # Only what public articles mention is offered: a choice that finds nothing helps no one.
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        field_name="related_organisations",
        queryset=lambda request: organisations_with_news(),
        empty_label=_("All organisations"),
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        field_name="related_programmes",
        queryset=lambda request: programmes_with_news(),
        empty_label=_("All programmes"),
    )

    class Meta:
        model = Article
        fields = []

    @property
    def filtered(self) -> bool:
        """Whether any filter is chosen (and valid): the page then offers "Show all news"."""
        return self.is_valid() and any(
            value not in (None, "") for value in self.form.cleaned_data.values()
        )
