"""CSV exports that open right in a Norwegian spreadsheet, streamed however many rows there are.

An export is a list of columns (a header and how to get the value from an object) and the rows
to write: ``csv_response(rows, columns, filename=...)``, or, in the admin,
``csv_export_action(columns=..., filename=...)`` in a ``ModelAdmin``'s ``actions``.

What every export gets, whatever it exports:
- semicolons between cells (Excel in Norway reads the comma as the decimal separator), and a
  byte-order mark first, so spreadsheet programs read the file as UTF-8 (æøå);
- headers and values in the language of the request that asked for it, even though the rows are
  written after the view has returned;
- times to the minute in the portal's time zone (``settings.TIME_ZONE``), dates as ISO dates,
  yes/no in words, whole numbers as numbers;
- no cell that a spreadsheet would run as a formula (``csv_cell``): the file holds what
  residents wrote, and a title like ``=HYPERLINK(...)`` must stay text.

The same columns also make an Excel workbook (openpyxl): ``xlsx_response(rows, columns,
filename=..., sheet=...)`` or ``xlsx_export_action(...)`` beside the CSV action — one list of
``Column`` for both files. In a workbook numbers (``Decimal`` money included) and dates are real
numbers and dates a spreadsheet can add up and sort (``xlsx_cell``); text is always stored as
text, never as a formula, and characters a workbook cannot hold (control characters a pasted
text may carry) are dropped rather than failing the whole export.
"""

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .formatting import local_zone

# A cell starting with one of these is read as a formula (or a formula's start) by spreadsheet
# programs: OWASP's "CSV injection". Tab and carriage return hide a formula after them.
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DELIMITER = ";"
BYTE_ORDER_MARK = "\ufeff"
TIME_FORMAT = "%Y-%m-%d %H:%M"  # a spreadsheet reads it as a time; no seconds, no offset


@dataclass(frozen=True)
class Column:
    """One column: its header (translated when the file is written) and its value for an object.

    ``value`` must not query the database: give the export rows with what it reads already
    loaded (``select_related``), so an export of 10 or 10 000 rows makes the same queries."""

    header: str
    value: Callable[[Any], Any]


def csv_cell(value) -> str | int:
    """What a value looks like in the file, never runnable as a formula.

    ``None`` is empty, ``True``/``False`` are yes/no in words, whole numbers stay numbers, an
    aware time is local wall-clock time to the minute, a date is ``YYYY-MM-DD``; any text that
    starts like a formula gets a leading apostrophe, which spreadsheets show as plain text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, int):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, local_zone())
        return value.strftime(TIME_FORMAT)
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if text.startswith(CSV_FORMULA_START) else text


class _Echo:
    """A file-like object that hands back what is written: ``csv.writer`` makes each line, the
    response streams it (Django's documented pattern for large CSV files)."""

    def write(self, value):
        return value


def in_language(language: str | None, pieces: Iterator) -> Iterator:
    """``pieces`` (a generator) read with ``language`` active while each piece is made, and
    only then: a streamed file is read after the view returned, perhaps partly and closed later
    (a client that went away). A ``translation.override`` held across a ``yield`` would be
    undone whenever the generator is closed or collected — in the middle of another request on
    the same thread, switching its language."""
    while True:
        with translation.override(language):
            try:
                piece = next(pieces)
            except StopIteration:
                return
        yield piece


def csv_lines(rows: Iterable, columns: Sequence[Column]) -> Iterable[str]:
    """The file, line by line: byte-order mark, headers, one line per row. The active language
    is the one when this is called, whenever the lines are read."""
    language = translation.get_language()
    writer = csv.writer(_Echo(), delimiter=DELIMITER)

    def lines():
        yield BYTE_ORDER_MARK
        yield writer.writerow([str(column.header) for column in columns])
        for row in rows:
            yield writer.writerow([csv_cell(column.value(row)) for column in columns])

    return in_language(language, lines())


def csv_filename(prefix: str, *, extension: str = "csv") -> str:
    """``<prefix>-<today>.csv``, today in the portal's time zone."""
    return f"{prefix}-{timezone.localdate(timezone=local_zone()):%Y-%m-%d}.{extension}"


def csv_response(rows: Iterable, columns: Sequence[Column], *, filename: str):
    """A download of ``rows`` as CSV, streamed (rows may be a queryset's ``iterator()``)."""
    response = StreamingHttpResponse(
        csv_lines(rows, columns), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_export_action(
    *,
    columns: Sequence[Column],
    filename: str,
    rows: Callable | None = None,
    description=None,
    permissions=("view",),
    name: str = "export_csv",
):
    """An admin action that downloads the selected objects as CSV.

    ``rows(queryset)`` gives what to write (ordered, with ``select_related``, as an
    ``iterator()``); by default the selected objects as they are. ``filename`` is the file's
    prefix; today's date is added. An export is a read, so it needs only ``view``."""

    def export(modeladmin, request, queryset):
        selected = rows(queryset) if rows is not None else queryset.iterator(chunk_size=500)
        return csv_response(selected, columns, filename=csv_filename(filename))

    export.__name__ = name
    return admin.action(
        description=description or _("Export to CSV"), permissions=list(permissions)
    )(export)


# --- Excel workbooks (openpyxl), from the same columns ------------------------------------------

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's own limit on a sheet's name; and the characters it refuses in one.
SHEET_NAME_MAX = 31
SHEET_NAME_REFUSED = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def xlsx_cell(value):
    """What a value is in a workbook: numbers and dates stay numbers and dates (money as
    ``Decimal``, exact), an aware time is local wall-clock time (a workbook has no time zones),
    ``True``/``False`` are yes/no in words, ``None`` is an empty cell, anything else is text
    without the control characters a workbook cannot hold. (The text is marked as text when it
    is written, so ``=...`` is never a formula: ``xlsx_row``.)"""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None:
        return None
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, local_zone()).replace(tzinfo=None)
        return value.replace(second=0, microsecond=0)
    if isinstance(value, datetime.date):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def xlsx_row(sheet, values: Iterable) -> list:
    """A row of write-only cells; text is stored as text (openpyxl would take a text starting
    with ``=`` for a formula), dates and times get a date format."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        elif isinstance(value, datetime.datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
        cells.append(cell)
    return cells


def sheet_name(title) -> str:
    return (str(title).translate(SHEET_NAME_REFUSED).strip() or "Sheet")[:SHEET_NAME_MAX]


def xlsx_file(rows: Iterable, columns: Sequence[Column], *, sheet: str = "Sheet"):
    """The workbook in a temporary file (rewound): a header row, then one row per row. The
    workbook is written in openpyxl's write-only mode, so a long export does not sit in memory
    as cell objects."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet_name(sheet))
    worksheet.freeze_panes = "A2"
    headers = xlsx_row(worksheet, [str(column.header) for column in columns])
    for cell in headers:
        cell.font = Font(bold=True)
    worksheet.append(headers)
    for row in rows:
        worksheet.append(xlsx_row(worksheet, [xlsx_cell(column.value(row)) for column in columns]))
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    workbook.save(file)
    file.seek(0)
    return file


def xlsx_response(rows: Iterable, columns: Sequence[Column], *, filename: str, sheet="Sheet"):
    """A download of ``rows`` as an Excel workbook, in the language active now."""
    return FileResponse(
        xlsx_file(rows, columns, sheet=sheet),
        as_attachment=True,
        filename=filename,
        content_type=XLSX_CONTENT_TYPE,
    )


def xlsx_export_action(
    *,
    columns: Sequence[Column],
    filename: str,
    rows: Callable | None = None,
    description=None,
    sheet=None,
    permissions=("view",),
    name: str = "export_xlsx",
):
    """``csv_export_action``'s twin: the selected objects as an Excel workbook, from the same
    ``columns`` and ``rows``. ``sheet`` names the worksheet (translated when written)."""

    def export(modeladmin, request, queryset):
        selected = rows(queryset) if rows is not None else queryset.iterator(chunk_size=500)
        return xlsx_response(
            selected,
            columns,
            filename=csv_filename(filename, extension="xlsx"),
            sheet=sheet or modeladmin.opts.verbose_name_plural,
        )

    export.__name__ = name
    return admin.action(
        description=description or _("Export to Excel (XLSX)"), permissions=list(permissions)
    )(export)
