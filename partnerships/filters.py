"""The filters of the agreement list (and its export) and of the organisation register.

django-filter builds the form and applies the filters; the queryset handed in is already
scoped by the access module (selectors.agreements_visible), so a filter only ever narrows
what the user may see. The responsible adviser and the NAV unit are chosen with a search
(portal.pickers): the page holds the chosen one, not a list of every adviser or unit.
"""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts import access
from portal.accounts.models import County, Organisation
from portal.pickers import Picker, PickerForm

from . import search, selectors
from .forms import ADVISER_PICKER, advisers
from .models import NEWEST_FIRST, Agreement, FocusArea


class AgreementFilterForm(PickerForm, forms.Form):
    pickers = {
        "nav_unit": Picker(
            search_label=_("Find a NAV unit"),
            help_text=_("Type part of the name; the matches appear in the list below."),
            no_match=_("No NAV unit matches"),
            matching=selectors.nav_units_matching,
        ),
        "adviser": ADVISER_PICKER,
    }

    def picker_url(self, name) -> str:
        return reverse("partnerships:agreement_filter_picker_options", args=[name])


class AgreementFilter(django_filters.FilterSet):
    SORTS = [
        ("end_date", _("End date")),
        ("-start_date", _("Newest first")),
        ("reference", _("Reference")),
        ("title", _("Title")),
        ("status", _("Status")),
    ]

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    scope = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[("mine", _("My agreements")), ("all", _("All agreements"))],
        empty_label=None,
        method="filter_scope",
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Agreement.Status.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "aksel-checkbox__input"}),
        distinct=False,  # one row per agreement already: status is a column of its own
    )
    county = django_filters.ChoiceFilter(
        label=_("County"),
        choices=County.choices,
        empty_label=_("All counties"),
        field_name="organisation__county",
        method="filter_party",
    )
    nav_unit = django_filters.ModelChoiceFilter(
        label=_("NAV unit"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.NAV_UNIT),
        empty_label=_("All NAV units"),
        field_name="organisation",
        method="filter_party",
    )
    focus_area = django_filters.ChoiceFilter(
        label=_("Focus area"),
        choices=FocusArea.choices,
        empty_label=_("All focus areas"),
        method="filter_focus_area",
    )
    ending_within = django_filters.ChoiceFilter(
        label=_("Ending within"),
        choices=[("30", _("30 days")), ("90", _("90 days"))],
        empty_label=_("Any time"),
        method="filter_ending_within",
    )
    adviser = django_filters.ModelChoiceFilter(
        label=_("Responsible adviser"),
        queryset=lambda request: advisers(),
        empty_label=_("Everyone"),
        field_name="responsible_adviser",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORTS, empty_label=None, method="filter_sort"
    )

    class Meta:
        model = Agreement
        fields = []
        form = AgreementFilterForm

    def __init__(self, data=None, *args, request=None, user=None, today=None, **kwargs):
        # user without a request: a worker preparing a big export (exports.py).
        self.user = user if user is not None else request.user
        data = data.copy() if data is not None else {}
        # Advisers start on their own agreements; partners see their organisation's.
        data.setdefault("scope", "mine" if access.is_nav_adviser(self.user) else "all")
        data.setdefault("sort", "end_date")
        self.today = today or timezone.localdate()
        super().__init__(data, *args, request=request, **kwargs)

    @property
    def form(self):
        # django-filter's own builds the form without the user, whom the pickers' searches
        # are narrowed by; the filter is always bound (the defaults above).
        if not hasattr(self, "_form"):
            form_class = self.get_form_class()
            self._form = form_class(self.data, prefix=self.form_prefix, user=self.user)
        return self._form

    def filter_search(self, queryset, name, value):
        return queryset  # last, in filter_queryset

    def filter_queryset(self, queryset):
        """Every filter, then the search: search ranks and counts a capped number of matches
        (search.CAP), which must be matches of the other filters too."""
        query = self.form.cleaned_data.get("q")
        queryset = super().filter_queryset(queryset)
        return search.agreements_search(queryset, query) if query else queryset

    def filter_scope(self, queryset, name, value):
        if value == "mine":
            return queryset.filter(responsible_adviser=self.user)
        return queryset

    def filter_party(self, queryset, name, value):
        # A subquery, not a join: an agreement with two parties in the county is one row.
        parties = Agreement.objects.filter(**{f"parties__{name}": value})
        return queryset.filter(pk__in=parties.values("pk"))

    def filter_focus_area(self, queryset, name, value):
        # The JSON list as text: portable between PostgreSQL and SQLite.
        return queryset.annotate(focus_text=Cast("focus_areas", TextField())).filter(
            focus_text__contains=f'"{value}"'
        )

    def filter_ending_within(self, queryset, name, value):
        return queryset.filter(
            status=Agreement.Status.ACTIVE,
            end_date__gte=self.today,
            end_date__lte=self.today + timedelta(days=int(value)),
        )

    # By the reference's numbers: as text "SA-2026-10000" sorts before "SA-2026-9999".
    BY_REFERENCE = ("reference_year", "reference_number")

    def filter_sort(self, queryset, name, value):
        if self.form.cleaned_data.get("q"):
            return queryset  # a search keeps the order of its ranking
        if value == "-start_date":
            return queryset.order_by(*NEWEST_FIRST)  # along the index
        sort = self.BY_REFERENCE if value == "reference" else (value,)
        return queryset.order_by(*sort, *self.BY_REFERENCE)


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Organisation.Kind.choices, empty_label=_("All kinds")
    )
    county = django_filters.ChoiceFilter(
        label=_("County"), choices=County.choices, empty_label=_("All counties")
    )

    class Meta:
        model = Organisation
        fields = []

    def filter_search(self, queryset, name, value):
        return search.organisations_search(queryset, value)
