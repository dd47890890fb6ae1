"""The filtered agreement list as CSV or Excel, with the same columns.

A value that starts like a formula (= + - @) must never run as one when the file is opened
(CSV/formula injection): CSV marks it with a leading apostrophe, the spreadsheet convention;
XLSX stores it as text with the cell's quotePrefix style, so Excel shows the value exactly as
it was typed and still treats it as text.
"""

import csv

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value: str) -> str:
    """Text a spreadsheet will not run: a leading = + - @ could start a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _xlsx_cell(sheet, value: str) -> Cell:
    cell = WriteOnlyCell(sheet, value)
    # Text, always: openpyxl would store "=..." as a formula and "#N/A" as an error.
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def _rows(agreements):
    yield [
        _("Reference"),
        _("Title"),
        _("Status"),
        _("Parties"),
        _("Start date"),
        _("End date"),
        _("Responsible adviser"),
        _("Focus areas"),
    ]
    for agreement in agreements:
        row = [
            agreement.reference,
            agreement.title,
            agreement.get_status_display(),
            "; ".join(party.organisation.name for party in agreement.parties.all()),
            agreement.start_date.isoformat(),
            agreement.end_date.isoformat() if agreement.end_date else "",
            str(agreement.responsible_adviser),
            ", ".join(str(label) for label in agreement.focus_area_labels()),
        ]
        yield [str(value) for value in row]


def _filename(extension):
    return f"avtaler-{timezone.localdate().isoformat()}.{extension}"


def agreements_csv(agreements) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    response.write("\ufeff")  # so that Excel reads the file as UTF-8 (æ, ø, å)
    writer = csv.writer(response, delimiter=";")
    writer.writerows([_csv_value(value) for value in row] for row in _rows(agreements))
    return response


def agreements_xlsx(agreements) -> HttpResponse:
    workbook = Workbook(write_only=True)  # rows are streamed out, not all kept as cell objects
    sheet = workbook.create_sheet(_("Agreements")[:31])
    for row in _rows(agreements):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    workbook.save(response)
    return response
