"""core.export's Excel workbook: the same columns as the CSV, numbers and dates as real ones,
text always text (never a formula), and characters a workbook cannot hold dropped."""

import datetime
import io
from decimal import Decimal

from django.test import override_settings
from django.utils import translation
from openpyxl import load_workbook

from core.export import Column, xlsx_cell, xlsx_response

COLUMNS = [
    Column("Title", lambda row: row["title"]),
    Column("Amount", lambda row: row["amount"]),
    Column("Due", lambda row: row["due"]),
    Column("Paid", lambda row: row["paid"]),
]


def _sheet(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_values_keep_their_kind():
    assert xlsx_cell(Decimal("12000.50")) == Decimal("12000.50")
    assert xlsx_cell(7) == 7
    assert xlsx_cell(None) is None
    assert xlsx_cell(datetime.date(2026, 5, 17)) == datetime.date(2026, 5, 17)
    with translation.override("nb"):
        assert (xlsx_cell(True), xlsx_cell(False)) == ("Ja", "Nei")
    assert xlsx_cell("Flagg\x00heising\x07") == "Flaggheising"


def test_times_are_local_wall_clock_to_the_minute():
    moment = datetime.datetime(2026, 1, 15, 11, 30, 45, tzinfo=datetime.UTC)
    with override_settings(TIME_ZONE="Europe/Oslo"):
        assert xlsx_cell(moment) == datetime.datetime(2026, 1, 15, 12, 30)


def test_the_workbook_has_headers_numbers_dates_and_no_formula():
    rows = [
        {
            "title": '=HYPERLINK("http://x")',
            "amount": Decimal("6000.00"),
            "due": datetime.date(2026, 6, 1),
            "paid": True,
        },
        {
            "title": "Løvblåsing i Bøkeskogen",
            "amount": Decimal("12000"),
            "due": None,
            "paid": False,
        },
    ]
    with translation.override("en"):
        response = xlsx_response(rows, COLUMNS, filename="rows.xlsx", sheet="Payments: 2026?")
    assert 'filename="rows.xlsx"' in response["Content-Disposition"]
    sheet = _sheet(response)
    assert sheet.title == "Payments  2026"  # Excel refuses ':' and '?' in a sheet's name
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Title", "Amount", "Due", "Paid")
    assert values[1][1] == 6000 and values[1][2] == datetime.datetime(2026, 6, 1)
    assert values[2] == ("Løvblåsing i Bøkeskogen", 12000, None, "No")
    formula_cell = sheet["A2"]
    assert formula_cell.data_type == "s" and formula_cell.value == '=HYPERLINK("http://x")'
    assert sheet["C2"].is_date


def test_the_headers_are_in_the_language_of_the_request():
    from django.utils.translation import gettext_lazy as _

    columns = [Column(_("Yes"), lambda row: row)]
    with translation.override("nb"):
        response = xlsx_response([1], columns, filename="x.xlsx")
    assert next(_sheet(response).iter_rows(values_only=True)) == ("Ja",)
