"""The Aksel template includes render the markup of Aksel's React components."""

from django import forms
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory


def render(source, **context):
    return Template("{% load i18n %}" + source).render(Context(context))


class ExampleForm(forms.Form):
    name = forms.CharField(label="Navn", help_text="Som i registeret")
    county = forms.ChoiceField(label="Fylke", choices=[("18", "Nordland"), ("55", "Troms")])
    notes = forms.CharField(label="Notat", widget=forms.Textarea, required=False)
    active = forms.BooleanField(label="Aktiv", required=False)


def test_text_field_ties_description_and_error_to_the_input():
    form = ExampleForm(data={"county": "18"})
    html = render('{% include "components/field.html" with field=form.name %}', form=form)
    assert 'class="aksel-form-field aksel-text-field aksel-text-field--error"' in html
    assert 'aria-describedby="id_name-description id_name-error"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_name-error"' in html
    assert "aksel-error-message" in html


def test_select_keeps_the_chosen_option():
    form = ExampleForm(data={"name": "x", "county": "55"})
    html = render('{% include "components/field.html" with field=form.county %}', form=form)
    assert "aksel-select__input" in html
    assert '<option value="55" selected>Troms</option>' in html


def test_textarea_and_checkbox_get_their_own_markup():
    form = ExampleForm()
    textarea = render('{% include "components/field.html" with field=form.notes %}', form=form)
    checkbox = render('{% include "components/field.html" with field=form.active %}', form=form)
    assert "<textarea" in textarea and "aksel-text-field__input" in textarea
    assert "(valgfritt)" in textarea  # bokmål by default
    assert "aksel-checkbox__input" in checkbox


class GroupForm(forms.Form):
    areas = forms.MultipleChoiceField(
        label="Innsatsområder",
        choices=[("a", "Inkludering"), ("b", "Rekruttering")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Velg ett eller flere",
    )
    kind = forms.ChoiceField(
        label="Type", choices=[("m", "Møte"), ("t", "Telefon")], widget=forms.RadioSelect
    )


def test_the_form_renderer_gives_every_field_aksels_markup():
    form = ExampleForm(data={"county": "18"})
    html = form["name"].as_field_group()
    assert 'class="aksel-form-field aksel-text-field aksel-text-field--error"' in html
    assert 'aria-describedby="id_name-description id_name-error"' in html
    assert "aksel-select__input" in str(form)  # the whole form too


def test_a_checkbox_group_is_an_aksel_fieldset_with_its_own_error():
    form = GroupForm(data={"areas": ["x"], "kind": "m"})
    html = form["areas"].as_field_group()
    assert '<fieldset id="id_areas" class="aksel-fieldset aksel-fieldset--error' in html
    assert 'aria-describedby="id_areas-description id_areas-error"' in html
    assert '<legend class="aksel-fieldset__legend aksel-label">Innsatsområder</legend>' in html
    assert html.count('class="aksel-checkbox aksel-checkbox--error"') == 2
    assert 'id="id_areas-error"' in html and "aksel-error-message" in html
    radios = form["kind"].as_field_group()
    assert 'class="aksel-radio__input" checked' in radios and "aksel-fieldset__error" not in radios


def test_button_link_and_variants():
    html = render(
        '{% include "components/button.html" with label="Lagre" variant="secondary" only %}'
    )
    link = render('{% include "components/button.html" with label="Til avtalen" href="/a/" only %}')
    assert 'data-variant="secondary"' in html and "<button" in html
    assert '<a href="/a/" class="aksel-button"' in link


def test_alert_maps_error_to_danger_with_role_alert():
    html = render('{% include "components/alert.html" with variant="error" message="Feil" only %}')
    assert 'data-color="danger"' in html
    assert 'role="alert"' in html


def test_table_renders_rows_and_an_empty_state():
    rows = [[{"text": "SA-2026-0001", "url": "/agreements/SA-2026-0001/"}, "Aktiv"]]
    html = render(
        '{% include "components/table.html" with headers=headers rows=rows empty="Ingen" %}',
        headers=["Referanse", "Status"],
        rows=rows,
    )
    assert '<a class="aksel-link" href="/agreements/SA-2026-0001/">SA-2026-0001</a>' in html
    assert "aksel-table__header-cell" in html
    empty = render('{% include "components/table.html" with rows=rows empty="Ingen" %}', rows=[])
    assert "Ingen" in empty and "<table" not in empty


def test_tag_and_modal():
    tag = render('{% include "components/tag.html" with label="Aktiv" color="success" only %}')
    assert 'class="aksel-tag' in tag and 'data-color="success"' in tag
    modal = render(
        '{% include "components/modal.html" with id="m" heading="Avslutte?" body="Sikker?" %}'
    )
    assert '<dialog id="m" class="aksel-modal' in modal and 'aria-labelledby="m-heading"' in modal


def test_pagination_keeps_the_filters_in_its_links():
    request = RequestFactory().get("/agreements/", {"status": "active", "page": "2"})
    page = Paginator(list(range(100)), 10).page(2)
    html = render(
        '{% include "components/pagination.html" with page=page %}', page=page, request=request
    )
    assert 'href="?status=active&amp;page=1"' in html
    assert 'aria-current="page"' in html
    assert 'href="?status=active&amp;page=3"' in html


def test_pagination_is_absent_on_a_single_page():
    request = RequestFactory().get("/")
    page = Paginator(list(range(5)), 10).page(1)
    html = render(
        '{% include "components/pagination.html" with page=page %}', page=page, request=request
    )
    assert "aksel-pagination" not in html
