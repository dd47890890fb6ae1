"""Exports: what a spreadsheet user sees when they open the file."""

import csv
import io

import pytest
from openpyxl import load_workbook

from partnerships.models import Agreement
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def adviser_with_formulas():
    nav = nav_unit()
    adviser = member_of(nav)
    for title in ["=1+1", "+47 99 99 99 99", "-fra nord", "@mention", "#N/A", "Vanlig"]:
        agreement = agreement_for(adviser, nav, partner())
        Agreement.objects.filter(pk=agreement.pk).update(title=title)
    return adviser


def test_excel_shows_a_formula_like_value_as_typed_and_never_runs_it(client, adviser_with_formulas):
    client.force_login(adviser_with_formulas)
    response = client.get("/agreements/export/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    cells = {row[1].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert set(cells) == {"=1+1", "+47 99 99 99 99", "-fra nord", "@mention", "#N/A", "Vanlig"}
    formula = cells["=1+1"]
    assert formula.quotePrefix and formula.data_type == "s"
    assert all(cells[value].quotePrefix for value in ("+47 99 99 99 99", "-fra nord", "@mention"))
    assert not cells["Vanlig"].quotePrefix and not cells["#N/A"].quotePrefix
    assert cells["#N/A"].data_type == "s"  # text, not Excel's error value
    every_cell = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in every_cell if cell.data_type in ("f", "e")]


def test_csv_marks_a_formula_like_value_with_an_apostrophe(client, adviser_with_formulas):
    client.force_login(adviser_with_formulas)
    body = client.get("/agreements/export/?format=csv").getvalue().decode("utf-8-sig")
    titles = {row[1] for row in list(csv.reader(io.StringIO(body), delimiter=";"))[1:]}
    assert {"'=1+1", "'+47 99 99 99 99", "'-fra nord", "'@mention", "#N/A", "Vanlig"} == titles


def test_exports_never_hold_a_live_formula(client, setting):
    agreement = setting["agreement"]
    Agreement.objects.filter(pk=agreement.pk).update(
        title='=HYPERLINK("https://x.example","Klikk")'
    )
    client.force_login(setting["responsible"])
    sheet = load_workbook(
        io.BytesIO(client.get("/agreements/export/?format=xlsx").getvalue())
    ).active
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.quotePrefix
    assert cell.value == '=HYPERLINK("https://x.example","Klikk")'
    csv_body = client.get("/agreements/export/?format=csv").getvalue().decode("utf-8-sig")
    assert ";\"'=HYPERLINK" in csv_body  # quoted by csv, and starting with the apostrophe
