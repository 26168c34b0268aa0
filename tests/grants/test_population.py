"""Population figures: the CSV import (every row checked, each reported as new, changed old → new,
unchanged or refused; nothing written when a row is refused or on a dry run) and the management
command around it."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from grants.models import PopulationFigure
from grants.services.figures import population_import
from tests.factories import PopulationFigureFactory

pytestmark = pytest.mark.django_db

HEADER = "committee,reference_date,age_from,age_to,residents,residents_in_range,source\n"
SSB = "SSB, befolkning etter grunnkrets"
CELL = f'"{SSB}"'  # quoted: it holds a comma


def csv(*rows: str, header: str = HEADER) -> str:
    return header + "".join(f"{row}\n" for row in rows)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_new_changed_and_unchanged_rows_are_reported_and_written(committee, other_committee):
    PopulationFigureFactory(
        committee=committee, residents=1_100, residents_in_range=250, source=SSB
    )
    PopulationFigureFactory(
        committee=other_committee, residents=6_000, residents_in_range=1_150, source=SSB
    )
    report = population_import(
        data=csv(
            f"svarstad,2023-01-01,0,19,1100,260,{CELL}",  # changed: 250 → 260
            f"stavern,01.01.2023,0,19,6000,1150,{CELL}",  # unchanged (dd.mm.yyyy)
            f"stavern,2024-01-01,0,19,6100,1 170,{CELL}",  # new (a space in the thousands)
        )
    )
    assert not report.refused and report.written
    assert [row.outcome for row in report.rows] == ["changed", "unchanged", "new"]
    assert report.rows[0].changes == [("residents_in_range", 250, 260)]
    assert report.rows[0].line == 2
    assert PopulationFigure.objects.get(committee=committee).residents_in_range == 260
    assert (
        PopulationFigure.objects.get(
            committee=other_committee, reference_date=datetime.date(2024, 1, 1)
        ).residents_in_range
        == 1_170
    )


def test_a_dry_run_writes_nothing(committee):
    report = population_import(data=csv(f"svarstad,2023-01-01,0,19,1100,260,{CELL}"), dry_run=True)
    assert report.rows[0].outcome == "new" and not report.written
    assert not PopulationFigure.objects.exists()


BAD_ROWS = [
    ("hvarnes,2023-01-01,0,19,100,10,SSB", "Unknown committee: “hvarnes”."),
    ("svarstad,2023-01-01,0,19,many,10,SSB", "residents is not a whole number: “many”."),
    ("svarstad,2023-01-01,0,19,-5,0,SSB", "residents is not a whole number: “-5”."),
    ("svarstad,2023-01-01,0,19,1.5,0,SSB", "residents is not a whole number: “1.5”."),
    ("svarstad,2023-01-01,0,19,100,101,SSB", "residents_in_range (101) is more than"),
    ("svarstad,2023-01-01,19,6,100,10,SSB", "The age range must end at or after"),
    ("svarstad,2023-01-01,0,121,100,10,SSB", "age_to cannot be more than 120."),
    ("svarstad,2023-13-01,0,19,100,10,SSB", "reference_date is not a date"),
    ("svarstad,1899-01-01,0,19,100,10,SSB", "between the years 2000 and 2100"),
    ("svarstad,2023-01-01,0,19,100,10,", "source is empty"),
    ("svarstad,2023-01-01,0,19,100,10,SS\x00B", "NUL byte"),
    ("svarstad,2023-01-01,0,19,100,10,SSB,extra", "more cells than the header"),
    ("svarstad,2023-01-01,0,19,99999999,10,SSB", "residents cannot be more than"),
]


@pytest.mark.parametrize(("row", "problem"), BAD_ROWS)
def test_a_bad_row_is_refused_and_nothing_is_written(committee, other_committee, row, problem):
    report = population_import(data=csv(f"stavern,2023-01-01,0,19,6000,1150,{CELL}", row).encode())
    assert report.refused and not report.written
    good, bad = report.rows
    assert good.outcome == "new"
    assert bad.outcome == "refused" and bad.line == 3
    assert any(problem in text for text in bad.problems), bad.problems
    assert not PopulationFigure.objects.exists()


def test_the_same_figure_twice_is_refused(committee):
    report = population_import(
        data=csv(
            f"svarstad,2023-01-01,0,19,1100,260,{CELL}", f"svarstad,01.01.2023,0,19,1,1,{CELL}"
        )
    )
    assert report.rows[1].outcome == "refused"
    assert "as line 2" in report.rows[1].problems[0]
    assert not PopulationFigure.objects.exists()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\xff\xfe not utf-8", "not UTF-8"),
        (b"", "empty"),
        (b"committee,reference_date,residents\nsvarstad,2023-01-01,5\n", "Columns missing"),
        (HEADER.encode(), "no rows"),
        (b"commit\x00tee,reference_date\n", "NUL byte"),
    ],
)
def test_a_bad_file_is_refused_whole(committee, data, problem):
    report = population_import(data=data)
    assert report.refused and not report.written
    assert any(problem in text for text in report.problems), report.problems


def test_semicolons_and_a_byte_order_mark(committee):
    text = "\ufeff" + csv(
        f"svarstad;2023-01-01;0;19;1100;260;{SSB}",
        header=HEADER.replace(",", ";"),
    )
    report = population_import(data=text.encode("utf-8"))
    assert [row.outcome for row in report.rows] == ["new"]
    assert PopulationFigure.objects.get().source == SSB


def test_the_command_reports_each_row(tmp_path, committee):
    PopulationFigureFactory(
        committee=committee, residents=1_100, residents_in_range=250, source=SSB
    )
    path = tmp_path / "befolkning.csv"
    path.write_text(csv(f"svarstad,2023-01-01,0,19,1100,260,{CELL}"), encoding="utf-8")
    out = StringIO()
    call_command("import_population", str(path), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Line 2, svarstad 2023-01-01 0–19: changed (residents_in_range 250 → 260)" in text
    assert "Dry run: nothing was written." in text
    assert PopulationFigure.objects.get().residents_in_range == 250
    call_command("import_population", str(path), stdout=StringIO())
    assert PopulationFigure.objects.get().residents_in_range == 260


def test_the_command_refuses_a_bad_file(tmp_path, committee):
    path = tmp_path / "befolkning.csv"
    path.write_text(
        csv(f"svarstad,2023-01-01,0,19,1100,260,{CELL}", f"nowhere,2023-01-01,0,19,1,1,{CELL}"),
        encoding="utf-8",
    )
    out = StringIO()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_population", str(path), stdout=out, stderr=StringIO())
    assert "Line 3, nowhere 2023-01-01 0–19: refused – Unknown committee" in out.getvalue()
    assert "1 new, 0 changed, 0 unchanged, 1 refused." in out.getvalue()
    assert not PopulationFigure.objects.exists()
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_population", str(tmp_path / "missing.csv"))
