"""Tables as CSV or Excel downloads, safe to open in a spreadsheet.

A value that starts like a formula (= + - @, a tab or a carriage return) must never run as
one when the file is opened (CSV/formula injection): CSV marks it with a leading apostrophe,
the spreadsheet convention; XLSX stores every value as text, with the quotePrefix style on
those, so Excel shows the value exactly as it was typed and still treats it as text.

Both stream in constant memory, whatever the number of rows: CSV is written row by row into
the response as the client reads it (give them an iterator, e.g. `.iterator(chunk_size=...)`),
and the Excel sheet is written row by row to a temporary file (openpyxl's write-only mode),
then zipped into the response or, for an export too big to make while the user waits, into
a file a worker keeps (``xlsx_write``; partnerships/exports.py).
https://docs.djangoproject.com/en/6.1/howto/outputting-csv/
"""

import csv
import io

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)


def _text(value) -> str:
    return "" if value is None else str(value)


def csv_value(value) -> str:
    # Written for every cell of 100,000 rows: a set lookup of the first character.
    text = "" if value is None else value if type(value) is str else str(value)
    return "'" + text if text[:1] in _FORMULA_FIRST else text


def export_filename(basename: str, extension: str, day=None) -> str:
    return f"{basename}-{(day or timezone.localdate()).isoformat()}.{extension}"


class _Echo:
    """A file-like object whose write returns what it was given, for csv.writer to stream."""

    def write(self, value):
        return value


# Rows sent at a time: the response handles each piece it is given (encoding, settings
# lookups), which cost more than writing a row.
CSV_ROWS_A_PIECE = 500


def _csv_lines(rows, language):
    yield "\ufeff"  # so that Excel reads the file as UTF-8 (æ, ø, å)
    writer = csv.writer(_Echo(), delimiter=";")
    piece = []
    # Rows are made as the response is sent, after the view returned: in the request's language.
    with translation.override(language):
        for row in rows:
            piece.append(writer.writerow([csv_value(value) for value in row]))
            if len(piece) == CSV_ROWS_A_PIECE:
                yield "".join(piece)
                piece.clear()
    yield "".join(piece)


def table_csv(rows, basename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _csv_lines(rows, translation.get_language()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename(basename, "csv")}"'
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_write(rows, sheet_title, output) -> None:
    """Write rows as a workbook to output (a binary file, or a path)."""
    # Imported when a workbook is written, not with the portal: openpyxl weighs about 9 MB in
    # every process, and few requests are Excel exports.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    def cell(value) -> WriteOnlyCell:
        text = _text(value)
        written = WriteOnlyCell(sheet, text)
        # Text, always: openpyxl would store "=..." as a formula and "#N/A" as an error.
        written.data_type = "s"
        if text.startswith(FORMULA_STARTS):
            written.quotePrefix = True
        return written

    workbook = Workbook(write_only=True)  # rows go to a temporary file, not kept as cells
    sheet = workbook.create_sheet(str(sheet_title)[:31])
    for row in rows:
        sheet.append([cell(value) for value in row])
    workbook.save(output)


def table_xlsx(rows, basename: str, sheet_title) -> FileResponse:
    # The zipped workbook in memory: compressed, 100,000 agreements are a few megabytes
    # (docs/BENCHMARKS.md), and a buffer needs no closing when a client stops reading.
    output = io.BytesIO()
    xlsx_write(rows, sheet_title, output)
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=export_filename(basename, "xlsx"),
        content_type=XLSX_TYPE,
    )
