"""The public catalogue's filters (django-filter)."""

import django_filters
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import County

from .models import OfferKind, Programme


class CatalogueFilter(django_filters.FilterSet):
    county = django_filters.ChoiceFilter(
        label=_("County"),
        choices=County.choices,
        empty_label=_("All counties"),
        method="filter_county",
    )
    offer_kind = django_filters.ChoiceFilter(
        label=_("What you can offer"),
        choices=OfferKind.choices,
        empty_label=_("Anything"),
        method="filter_offer_kind",
    )

    class Meta:
        model = Programme
        fields = []

    def filter_county(self, queryset, name, value):
        # A programme across the country is in every county.
        return queryset.filter(Q(county=value) | Q(county=""))

    def filter_offer_kind(self, queryset, name, value):
        # The JSON list as text: portable between PostgreSQL and SQLite.
        return queryset.annotate(offer_text=Cast("offer_kinds", TextField())).filter(
            offer_text__contains=f'"{value}"'
        )
