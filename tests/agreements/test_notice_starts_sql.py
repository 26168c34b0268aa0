"""The notice period's first day as SQL (``agreements.admin.queries.NoticeStarts``) is the same
day as ``core.deadlines.add_months`` in Python, on both databases the portal runs on: the
PostgreSQL form through the ORM (CI's database), the SQLite form (the embedded default for a
quick local run) in Python's own sqlite3, so it is proved on every run without a second
database. The month ends are the cases that differ between the calendars."""

import datetime
import sqlite3

import pytest

from agreements.admin.queries import NoticeStarts, sqlite_notice_starts
from core.deadlines import add_months

ENDS = [
    datetime.date(2027, 3, 31),  # − 1 month: 28 February
    datetime.date(2028, 3, 31),  # leap year: 29 February
    datetime.date(2027, 5, 31),  # − 1 month: 30 April
    datetime.date(2027, 1, 31),  # − 2 months: 30 November the year before
    datetime.date(2027, 12, 15),
    datetime.date(2027, 7, 1),
    datetime.date(2027, 2, 28),
]
MONTHS = [0, 1, 2, 3, 6, 11, 12, 13, 24]


def sqlite_day(ends: datetime.date, months: int) -> datetime.date:
    sql, order = sqlite_notice_starts("?", "?")
    values = {"ends": ends.isoformat(), "months": months}
    with sqlite3.connect(":memory:") as connection:
        (text,) = connection.execute(f"SELECT {sql}", [values[n] for n in order]).fetchone()
    return datetime.date.fromisoformat(text)


@pytest.mark.parametrize("ends", ENDS)
def test_sqlite_form_is_the_calendar_month(ends):
    for months in MONTHS:
        assert sqlite_day(ends, months) == add_months(ends, -months), (ends, months)


@pytest.mark.django_db
def test_postgresql_form_is_the_calendar_month():
    from django.db import connection
    from django.db.models import DateField, IntegerField, Value

    if connection.vendor != "postgresql":
        pytest.fail("CI runs on PostgreSQL; this test proves its SQL there")
    # The expression compiled on its own and selected (no table row needed).
    from django.db.models.sql import Query

    for ends in ENDS:
        for months in MONTHS:
            query = Query(None)
            query.add_annotation(
                NoticeStarts(
                    Value(ends, output_field=DateField()),
                    Value(months, output_field=IntegerField()),
                ),
                "day",
            )
            compiler = query.get_compiler(connection=connection)
            sql, params = compiler.compile(query.annotations["day"])
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {sql}", params)
                assert cursor.fetchone()[0] == add_months(ends, -months), (ends, months)
