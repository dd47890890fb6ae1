"""Tables as CSV or Excel downloads, safe to open in a spreadsheet.

A cell that starts with = + - @ (or a tab or carriage return) could run as a formula when
the file is opened: CSV gets a leading apostrophe, Excel stores the text as text.
"""

import csv

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _filename(basename: str, extension: str) -> str:
    return f"{basename}-{timezone.localdate().isoformat()}.{extension}"


def table_csv(rows, basename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(basename, "csv")}"'
    response.write("\ufeff")  # so that Excel reads the file as UTF-8 (æ, ø, å)
    writer = csv.writer(response, delimiter=";")
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return response


def table_xlsx(rows, basename: str, sheet_title: str) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(sheet_title)[:31])
    for row in rows:
        sheet.append(["" if value is None else value for value in row])
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(basename, "xlsx")}"'
    workbook.save(response)
    return response
