"""Tables as CSV or Excel downloads, safe to open in a spreadsheet.

A value that starts like a formula (= + - @, a tab or a carriage return) must never run as
one when the file is opened (CSV/formula injection): CSV marks it with a leading apostrophe,
the spreadsheet convention; XLSX stores every value as text, with the quotePrefix style on
those, so Excel shows the value exactly as it was typed and still treats it as text.
"""

import csv

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value) -> str:
    return "" if value is None else str(value)


def csv_value(value) -> str:
    text = _text(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def xlsx_cell(sheet, value) -> WriteOnlyCell:
    text = _text(value)
    cell = WriteOnlyCell(sheet, text)
    # Text, always: openpyxl would store "=..." as a formula and "#N/A" as an error.
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def _filename(basename: str, extension: str) -> str:
    return f"{basename}-{timezone.localdate().isoformat()}.{extension}"


def table_csv(rows, basename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(basename, "csv")}"'
    response.write("\ufeff")  # so that Excel reads the file as UTF-8 (æ, ø, å)
    writer = csv.writer(response, delimiter=";")
    writer.writerows([csv_value(value) for value in row] for row in rows)
    return response


def table_xlsx(rows, basename: str, sheet_title) -> HttpResponse:
    workbook = Workbook(write_only=True)  # rows are streamed out, not kept as cell objects
    sheet = workbook.create_sheet(str(sheet_title)[:31])
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(basename, "xlsx")}"'
    workbook.save(response)
    return response
