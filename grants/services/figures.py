"""Population figures: one saved from the admin (``population_figure_save``), or many imported
from a CSV file (``population_import``, behind ``manage.py import_population`` and the admin's
"Import population figures" page; ``grants.figures_report`` words its report for both).

An import checks every row before it writes anything, and says for each what it would do: a
new figure, a changed one (old → new), one unchanged, or a row refused with why (an unknown
committee, a number that is not one, more residents in the age range than in all, a NUL byte,
…). One refused row and nothing is written: the file is fixed and imported again, in one
transaction, never half.

The file: UTF-8 (a byte-order mark is fine), commas or semicolons, a header row with the
columns ``committee`` (the committee's slug), ``reference_date`` (``YYYY-MM-DD`` or
``dd.mm.yyyy``), ``age_from``, ``age_to``, ``residents``, ``residents_in_range`` and ``source``.
A figure is known by its committee, reference date and age range; the residents and the source
are what an import may change.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agreements.models import LINE_MAX_LENGTH
from committees.models import Committee
from committees.staff import is_municipal_staff

from ..models import MAX_AGE, MAX_RESIDENTS, PopulationFigure

COLUMNS = (
    "committee",
    "reference_date",
    "age_from",
    "age_to",
    "residents",
    "residents_in_range",
    "source",
)
# What an import may change on a figure it finds (the rest is the figure's key).
CHANGEABLE = ("residents", "residents_in_range", "source")
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")
# Limits of one file (``settings.GRANTS`` may set them): far above a municipality's areas ×
# years, far below what would hold a worker for long.
MAX_ROWS = settings.GRANTS.get("MAX_POPULATION_ROWS", 10_000)
# Below Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): the admin's import posts the checked text
# back as a form field, and a bigger file would pass the check and fail the import with a bare
# 400. 10 000 rows of figures are well under 1 MB.
MAX_BYTES = settings.GRANTS.get("MAX_POPULATION_BYTES", 2 * 1024 * 1024)

NEW, CHANGED, UNCHANGED, REFUSED = "new", "changed", "unchanged", "refused"


def can_import_figures(user) -> bool:
    """Whether ``user`` may import a file of figures (the admin's import page): a case handler
    who may both add figures and change them, as an import does both."""
    return is_municipal_staff(user) and user.has_perms(
        ["grants.add_populationfigure", "grants.change_populationfigure"]
    )


def size_problem(size: int) -> str | None:
    """Why a file of ``size`` bytes is refused, or None: one limit and one message for the
    import, the command and the admin's page (which check the size before reading the file)."""
    if size > MAX_BYTES:
        return _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}
    return None


@transaction.atomic
def population_figure_save(*, figure: PopulationFigure, actor) -> PopulationFigure:
    """A figure entered or corrected in the admin, checked as an import checks it."""
    if actor is not None and not (
        is_municipal_staff(actor)
        and actor.has_perm(
            "grants.change_populationfigure" if figure.pk else "grants.add_populationfigure"
        )
    ):
        raise ValidationError(_("Only the municipality's case handlers keep population figures."))
    figure.full_clean()
    figure.save()
    return figure


@dataclass
class RowResult:
    """What one row of the file does (or would do)."""

    line: int
    outcome: str
    committee: str = ""
    reference_date: datetime.date | None = None
    age_from: int | None = None
    age_to: int | None = None
    changes: list[tuple[str, object, object]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    figure: PopulationFigure | None = None

    @property
    def key(self) -> str:
        day = self.reference_date.isoformat() if self.reference_date else "?"
        ages = f"{self.age_from}–{self.age_to}" if self.age_from is not None else "?"
        return f"{self.committee or '?'} {day} {ages}"


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    # Problems of the file as a whole (not UTF-8, no header, a column missing, too many rows).
    problems: list[str] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False

    @property
    def refused(self) -> bool:
        return bool(self.problems) or any(row.outcome == REFUSED for row in self.rows)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)


def _text(data: bytes | str, report: ImportReport) -> str | None:
    if isinstance(data, bytes):
        problem = size_problem(len(data))
        if problem:
            report.problems.append(problem)
            return None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.problems.append(_("The file is not UTF-8 text."))
            return None
    return data.removeprefix("\ufeff")


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _whole_number(value: str, label: str, *, most: int, problems: list[str]) -> int | None:
    cleaned = value.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if not cleaned.isascii() or not cleaned.isdigit():
        problems.append(
            _("%(column)s is not a whole number: “%(value)s”.") % {"column": label, "value": value}
        )
        return None
    number = int(cleaned)
    if number > most:
        problems.append(
            _("%(column)s cannot be more than %(most)s.") % {"column": label, "most": most}
        )
        return None
    return number


def _date(value: str, problems: list[str]) -> datetime.date | None:
    for date_format in DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(value.strip(), date_format).date()
        except ValueError:
            continue
        if not 2000 <= day.year <= 2100:
            problems.append(_("Give a date between the years 2000 and 2100."))
            return None
        return day
    problems.append(
        _("reference_date is not a date (YYYY-MM-DD or dd.mm.yyyy): “%(value)s”.")
        % {"value": value}
    )
    return None


def _parse_row(line: int, cells: dict[str, str], committees: dict[str, Committee]) -> RowResult:
    result = RowResult(line=line, outcome=REFUSED)
    problems = result.problems
    if any("\x00" in (value or "") for value in cells.values()):
        problems.append(_("The row holds a NUL byte."))
        return result
    slug = (cells.get("committee") or "").strip()
    result.committee = slug
    committee = committees.get(slug)
    if committee is None:
        problems.append(_("Unknown committee: “%(slug)s”.") % {"slug": slug})
    result.reference_date = _date(cells.get("reference_date") or "", problems)
    result.age_from = _whole_number(
        cells.get("age_from") or "", "age_from", most=MAX_AGE, problems=problems
    )
    result.age_to = _whole_number(
        cells.get("age_to") or "", "age_to", most=MAX_AGE, problems=problems
    )
    residents = _whole_number(
        cells.get("residents") or "", "residents", most=MAX_RESIDENTS, problems=problems
    )
    in_range = _whole_number(
        cells.get("residents_in_range") or "",
        "residents_in_range",
        most=MAX_RESIDENTS,
        problems=problems,
    )
    source = (cells.get("source") or "").strip()
    if not source:
        problems.append(_("source is empty: say where the figures come from."))
    elif len(source) > LINE_MAX_LENGTH:
        problems.append(
            _("source is longer than %(count)s characters.") % {"count": LINE_MAX_LENGTH}
        )
    if (
        result.age_from is not None
        and result.age_to is not None
        and result.age_to < result.age_from
    ):
        problems.append(_("The age range must end at or after where it starts."))
    if residents is not None and in_range is not None and in_range > residents:
        problems.append(
            _(
                "residents_in_range (%(in_range)s) is more than the residents in all "
                "(%(residents)s)."
            )
            % {"in_range": in_range, "residents": residents}
        )
    if problems:
        return result
    result.figure = PopulationFigure(
        committee=committee,
        reference_date=result.reference_date,
        age_from=result.age_from,
        age_to=result.age_to,
        residents=residents,
        residents_in_range=in_range,
        source=source,
    )
    return result


def population_import(*, data: bytes | str, dry_run: bool = False) -> ImportReport:
    """Check every row of the CSV ``data``; unless ``dry_run`` or a row is refused, write the
    new and changed figures, all in one transaction. The report says what each row did."""
    report = ImportReport(dry_run=dry_run)
    text = _text(data, report)
    if text is None:
        return report
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        report.problems.append(_("The file is empty: it needs a header row and a row per figure."))
        return report
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(lines[0]))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    if any("\x00" in name for name in header):
        report.problems.append(_("The header row holds a NUL byte."))
        return report
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        report.problems.append(
            _("Columns missing from the header row: %(columns)s.") % {"columns": ", ".join(missing)}
        )
        return report
    try:
        raw_rows = []
        for row in reader:
            if len(raw_rows) >= MAX_ROWS:
                report.problems.append(
                    _("The file has more than %(count)s rows.") % {"count": MAX_ROWS}
                )
                return report
            raw_rows.append((reader.line_num, row))
    except csv.Error as error:
        report.problems.append(_("The file is not valid CSV: %(error)s") % {"error": error})
        return report
    # A slug with a NUL byte is no committee's (its row is refused for the byte), and
    # PostgreSQL refuses it in a query.
    slugs = {(row.get("committee") or "").strip() for _line, row in raw_rows}
    slugs = {slug for slug in slugs if slug and "\x00" not in slug}
    committees = {c.slug: c for c in Committee.objects.filter(slug__in=slugs)}
    existing = {
        (f.committee_id, f.reference_date, f.age_from, f.age_to): f
        for f in PopulationFigure.objects.filter(committee__in=committees.values())
    }
    seen: dict[tuple, int] = {}
    for line, cells in raw_rows:
        if all(not (value or "").strip() for value in cells.values() if isinstance(value, str)):
            continue  # an empty line at the end
        if None in cells:  # more cells than the header has columns
            result = RowResult(line=line, outcome=REFUSED)
            result.problems.append(_("The row has more cells than the header has columns."))
            report.rows.append(result)
            continue
        result = _parse_row(line, cells, committees)
        report.rows.append(result)
        if result.figure is None:
            continue
        figure = result.figure
        key = (figure.committee.pk, figure.reference_date, figure.age_from, figure.age_to)
        if key in seen:
            result.outcome = REFUSED
            result.problems.append(
                _("The same committee, reference date and age range as line %(line)s.")
                % {"line": seen[key]}
            )
            result.figure = None
            continue
        try:
            # The field checks; the unique key and the constraints are checked above.
            figure.full_clean(
                exclude=["committee"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            result.outcome = REFUSED
            result.problems.extend(error.messages)
            result.figure = None
            continue
        seen[key] = line
        old = existing.get(key)
        if old is None:
            result.outcome = NEW
            continue
        result.changes = [
            (name, getattr(old, name), getattr(figure, name))
            for name in CHANGEABLE
            if getattr(old, name) != getattr(figure, name)
        ]
        if result.changes:
            for name in CHANGEABLE:
                setattr(old, name, getattr(figure, name))
            result.figure = old
            result.outcome = CHANGED
        else:
            result.figure = old
            result.outcome = UNCHANGED
    if not report.rows and not report.problems:
        report.problems.append(_("The file has no rows of figures."))
    if report.refused or dry_run:
        return report
    _write(report)
    return report


@transaction.atomic
def _write(report: ImportReport) -> None:
    for row in report.rows:
        if row.outcome in (NEW, CHANGED):
            row.figure.save()
    report.written = True
