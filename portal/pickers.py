"""Pickers: a form field chosen with a search, never from a list of all of its choices.

There are thousands of organisations, hundreds of advisers and 100,000 agreements: a picker's
list holds only the chosen ones, and the search field before it asks the picker's address
(htmx, as the user types) for at most PICKER_MATCHES matches (``picker_options``). A field of
one choice is a ``<select>`` (``SearchSelect``); a field of many (a programme's organisers) is
a group of checkboxes, the chosen ones ticked (``SearchCheckboxes``). Without JavaScript the
search field has a Search button (named FIND) that sends the form back, not judged yet, with
the matches in the list. The matches are the field's own choices narrowed by what was typed
and by who searches (Picker.matching), so the search never offers what the form would refuse.

Each app gives its forms' pickers an address of its own (``PickerForm.picker_url``), which
checks who may search there before calling ``picker_options``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db.models import QuerySet
from django.forms.boundfield import BoundWidget
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext

PICKER_MATCHES = 20
FIND = "find"  # the name of the Search button shown without JavaScript


@dataclass(frozen=True)
class Picker:
    search_label: str
    help_text: str
    no_match: str
    # (user, the field's choices, text) -> the matches user may see, best first.
    matching: Callable[..., QuerySet]


class SearchChoices:
    """The list of a picker: the chosen ones and the matches of a search (a choice widget's
    optgroups, so Django and the field template render it like any other)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.labels = {}  # ids -> labels read beforehand (a formset's rows read them at once)
        self.search = ""  # what was typed
        self.no_match = ""
        self.matching = None  # text -> the matches (set by PickerForm)
        self._matched = ("", [])

    def matches(self) -> list[tuple[str, str]]:
        """(id, label) of at most PICKER_MATCHES matches of the search, read once."""
        if self.search and self._matched[0] != self.search:
            label = self.choices.field.label_from_instance
            found = self.matching(self.search)[:PICKER_MATCHES]
            self._matched = (self.search, [(str(o.pk), label(o)) for o in found])
        return self._matched[1] if self.search else []

    def status(self) -> str:
        """What the search found, for the live region beside it ("" before a search)."""
        if not self.search:
            return ""
        if count := len(self.matches()):
            return ngettext(
                "Choose from %(counter)s match", "Choose from %(counter)s matches", count
            ) % {"counter": count}
        return str(self.no_match)

    def optgroups(self, name, value, attrs=None):
        posted = [str(v) for v in value if v not in ("", None)]
        labels = self.labels | self._labels_read([pk for pk in posted if pk not in self.labels])
        # An id outside the field's choices shows as nothing chosen.
        chosen = [pk for pk in posted if pk in labels]
        rows = [(pk, labels[pk], True) for pk in chosen]
        rows += [(pk, label, False) for pk, label in self.matches() if pk not in posted]
        options = []
        if not self.allow_multiple_selected:  # the blank choice says what the search found
            blank = self.status() or getattr(self.choices.field, "empty_label", "") or "---------"
            options.append(self.create_option(name, "", blank, not posted, 0))
        for pk, label, selected in rows:
            options.append(self.create_option(name, pk, label, selected, len(options), attrs=attrs))
        return [(None, options, 0)]

    def _labels_read(self, ids) -> dict[str, str]:
        numbers = [pk for pk in ids if pk.isdigit()]
        if not numbers:
            return {}
        field = self.choices.field
        found = field.queryset.filter(pk__in=numbers)
        return {str(o.pk): field.label_from_instance(o) for o in found}


class SearchSelect(SearchChoices, forms.Select):
    """One choice: a blank choice (saying what the search found), the chosen one, matches."""


class SearchCheckboxes(SearchChoices, forms.CheckboxSelectMultiple):
    """Many choices: the chosen ones ticked, then the matches to tick."""


class SearchInput(forms.TextInput):
    """A picker's search field: the text field, a Search button for browsers without
    JavaScript, and a live region that says what the search found."""

    input_type = "search"
    template_name = "forms/widgets/picker_search.html"

    def __init__(self, select: SearchChoices):
        super().__init__(attrs={"autocomplete": "off"})
        self.select = select

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["status"] = self.select.status()
        return context


class PickerForm:
    """A form whose fields named in ``pickers`` are chosen with a search: each gets a search
    field, ``<name>_search``, before it. ``user`` narrows what the search offers. A
    ModelMultipleChoiceField becomes checkboxes, any other choice field a select."""

    pickers: dict[str, Picker] = {}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        order = []
        for name in self.fields:
            order += [f"{name}_search", name] if name in self.pickers else [name]
        for name, picker in self.pickers.items():
            self._picker_add(name, picker)
        self.order_fields(order)

    def clean(self):
        # What was typed in a search is not part of what the form saves.
        cleaned = super().clean()
        for name in self.pickers:
            cleaned.pop(f"{name}_search", None)
            self._chosen_labelled(name, cleaned.get(name))
        return cleaned

    def _chosen_labelled(self, name, chosen):
        """The field's validation read the chosen ones: the list shows them without asking
        the database again."""
        field = self.fields[name]
        many = isinstance(field, forms.ModelMultipleChoiceField)
        for obj in (chosen if many else [chosen]) or []:
            if obj is not None:
                field.widget.labels[str(obj.pk)] = field.label_from_instance(obj)

    def picker_url(self, name) -> str:
        """Where the search of field ``name`` asks for matches (a view that checks who may
        search, then answers with ``picker_options``)."""
        raise NotImplementedError

    def picker_list_id(self, name) -> str:
        """The id of the element holding field ``name``'s choices, which a search replaces:
        the select itself, or the checkboxes' own box inside their fieldset
        (forms/field.html), so the legend and description stay."""
        many = isinstance(self.fields[name].widget, SearchCheckboxes)
        return f"{self[name].auto_id}-options" if many else self[name].auto_id

    def _picker_add(self, name, picker):
        field = self.fields[name]
        many = isinstance(field, forms.ModelMultipleChoiceField)
        select = field.widget = SearchCheckboxes() if many else SearchSelect()
        select.choices = field.choices
        select.no_match = picker.no_match
        select.matching = lambda text: picker.matching(self.user, field.queryset, text)
        search = f"{name}_search"
        self.fields[search] = forms.CharField(
            label=picker.search_label,
            help_text=picker.help_text,
            required=False,
            widget=SearchInput(select),
        )
        if self.is_bound:
            select.search = (self.data.get(self.add_prefix(search)) or "").strip()
        target = f"#{self.picker_list_id(name)}"
        self.fields[search].widget.attrs.update(
            {
                "hx-get": self.picker_url(name),
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": target,
                "hx-include": target,  # the chosen ones stay in the list
                "hx-swap": "innerHTML",
                "aria-controls": self.picker_list_id(name),
            }
        )


def picker_options(request, form: PickerForm, name: str) -> HttpResponse:
    """What htmx puts in a picker's list: the chosen ones and at most PICKER_MATCHES matches
    of what was typed, and, out of band, what the search found for the live region beside
    it. Nothing typed: 204, and htmx leaves the list as it is. The caller has checked that
    the user may use ``form``."""
    if name not in form.pickers:
        raise Http404

    def sent(field) -> list[str]:  # a row's fields are sent with its prefix (parties-2-...)
        return [
            value
            for key in request.GET
            if key.rpartition("-")[2] == field
            for value in request.GET.getlist(key)
        ]

    select = form.fields[name].widget
    select.search = (request.GET.get("q") or next(iter(sent(f"{name}_search")), "")).strip()
    if not select.search:
        return HttpResponse(status=204)
    bound = form[name]
    options = select.optgroups(bound.html_name, sent(name), {"id": bound.auto_id})[0][1]
    many = isinstance(select, SearchCheckboxes)
    return render(
        request,
        "forms/widgets/_picker_options.html",
        {
            # Checkboxes are drawn by the field template's markup, which reads bound widgets.
            "options": [BoundWidget(select, o, None) for o in options] if many else options,
            "many": many,
            "status": select.status(),
            "status_id": f"{request.htmx.trigger}-status" if request.htmx.trigger else "",
        },
    )
