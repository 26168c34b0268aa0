"""The economic picture of an agreement, per calendar year of its period, and rolled up per
committee, per department and per year over many agreements.

Everything is ``Decimal`` and exact; the only roundings are where a division happens, each
``ROUND_HALF_UP``:

* a yearly sum prorated to the part of a year the period covers — ``sum × days covered /
  days in that year`` (Europe/Oslo calendar days, the first and last day included; 365 or 366)
  — rounded to whole øre for money and to a tenth of an hour for hours (as hours are kept).
  The yearly sum is prorated once per agreement and year (the tasks', the in-kind lines' sums),
  not line by line. A year the period covers whole is not rounded at all.

Multiplications (per-occasion prices, hours × the hourly value) are exact and not rounded.

A year's lines, for one agreement:

* compensation planned: the payment plan's instalments (not cancelled) due that year, plus the
  payments from approved reports due that year. Without a payment plan yet: the tasks' yearly
  compensation prorated — fixed: the amount; per occasion: amount × occasions a year;
  reimbursed: the ceiling, kept apart as ``compensation_ceiling`` and shown "up to".
  Compensation paid: payments (any source) paid that year.
* in kind: the municipality's provisions' value per year, prorated.
* own contribution: the committee's own contribution per year, prorated.
* municipal cost: what the municipality would have spent doing the tasks itself, prorated
  (``None`` when not estimated; ``municipal_cost_basis`` says how it was estimated).
* hours planned: the tasks' hours per year, prorated. Hours reported: approved report lines
  by the year they were done, plus the hours of linked dugnads that are reported
  (``COUNTED_STATES``) by the year they started; submitted report lines are counted apart as
  awaiting approval.
* value of the hours: hours reported × that year's hourly value (``dugnads.figures.
  hourly_rate_for``); a year without one shows the hours only.
* net effect for the municipality = municipal cost − compensation planned − in kind
  (``None`` without a cost estimate). Worked example (docs/agreements.md): leaf blowing in
  Bøkeskogen for a whole year, 12 000 kr, the municipality's blowers worth 2 000 kr, its own
  cost 32 000 kr: 32 000 − 12 000 − 2 000 = 18 000 kr; the 80 hours at 350 kr are worth
  28 000 kr of voluntary work besides.

The years shown are the period's, and any other year a payment falls due or is paid, a report
line was done or a linked dugnad started (a last instalment paid in January after a season).

The picture of one agreement is a fixed number of queries (on top of the agreement's own
lines, read from ``selectors.with_lines``' prefetch when there): its report hours, its dugnads
and one per year for the hourly value. Roll-ups over many agreements read them all in a fixed
number of queries, whatever their number, and sum in Python; a dugnad linked to two agreements
counts once in a roll-up.
"""

import datetime
from collections import defaultdict, namedtuple
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from dugnads.figures import hourly_rate_for
from dugnads.models import COUNTED_STATES, HourlyRate

from .models import Agreement, Payment, Provision, ReportLine, Task
from .states import DutyState, PaymentSource, Pricing

ZERO = Decimal(0)
ORE = Decimal("0.01")
TENTH = Decimal("0.1")


# --- the figures -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class YearFigures:
    """One year's lines: of one agreement, or summed over many (a roll-up)."""

    year: int
    rate: HourlyRate | None = None  # the year's hourly value, None when not set
    compensation_planned: Decimal = ZERO
    # The part of the planned compensation that is a reimbursement ceiling ("up to"): only when
    # it is estimated from the tasks (no payment plan yet).
    compensation_ceiling: Decimal = ZERO
    compensation_estimated: bool = False  # from the tasks, not a payment plan
    compensation_paid: Decimal = ZERO
    in_kind: Decimal = ZERO
    own_contribution: Decimal = ZERO
    municipal_cost: Decimal | None = None  # None: not estimated (for none of the agreements)
    net_effect: Decimal | None = None  # the sum of the net effects that can be worked out
    without_estimate: int = 0  # agreements in the sum with no municipal cost estimate
    hours_planned: Decimal = ZERO
    hours_from_reports: Decimal = ZERO  # approved report lines
    hours_awaiting: Decimal = ZERO  # submitted report lines, not yet approved
    # Dugnad id → its hours: a dugnad linked to two agreements counts once when summed.
    dugnad_hours: dict = field(default_factory=dict, compare=False)
    agreements: int = 0  # agreements in the figures

    @property
    def hours_from_dugnads(self) -> Decimal:
        return sum(self.dugnad_hours.values(), ZERO)

    @property
    def hours_reported(self) -> Decimal:
        return self.hours_from_reports + self.hours_from_dugnads

    @property
    def value_is_set(self) -> bool:
        return self.rate is not None

    @property
    def value(self) -> Decimal | None:
        """Hours reported × the year's hourly value (exact); None when the year has none."""
        return None if self.rate is None else self.hours_reported * self.rate.nok_per_hour


@dataclass(frozen=True, kw_only=True)
class AgreementYear(YearFigures):
    """One year of one agreement's period, with how much of the year the period covers."""

    days_covered: int = 0
    days_in_year: int = 365

    @property
    def is_whole_year(self) -> bool:
        return self.days_covered == self.days_in_year


@dataclass(frozen=True, kw_only=True)
class Totals:
    """The sums over several years (an agreement's whole period)."""

    compensation_planned: Decimal = ZERO
    compensation_ceiling: Decimal = ZERO
    compensation_paid: Decimal = ZERO
    in_kind: Decimal = ZERO
    own_contribution: Decimal = ZERO
    municipal_cost: Decimal | None = None
    net_effect: Decimal | None = None
    hours_planned: Decimal = ZERO
    hours_from_reports: Decimal = ZERO
    hours_from_dugnads: Decimal = ZERO
    hours_awaiting: Decimal = ZERO
    value: Decimal | None = None  # the years' values that are set, summed
    years_without_rate: tuple[int, ...] = ()  # years with hours reported but no hourly value

    @property
    def hours_reported(self) -> Decimal:
        return self.hours_from_reports + self.hours_from_dugnads


@dataclass
class AgreementPicture:
    """An agreement's economic picture: a line per year and the totals over its period."""

    years: list = field(default_factory=list)  # AgreementYear, oldest first
    totals: Totals = field(default_factory=Totals)
    municipal_cost_basis: str = ""
    has_payment_plan: bool = False

    @property
    def rates_missing(self) -> bool:
        return any(not year.value_is_set for year in self.years)

    def chart_data(self) -> dict:
        return chart_data(self.years)


@dataclass
class Rollup:
    """Figures summed over many public agreements: per year, or one year's (``years`` of one)."""

    years: list = field(default_factory=list)  # YearFigures, oldest first
    totals: Totals = field(default_factory=Totals)
    agreements: int = 0  # agreements with figures in the years shown (each once)

    def chart_data(self) -> dict:
        return chart_data(self.years)


# --- arithmetic -------------------------------------------------------------------------------


def days_in_year(year: int) -> int:
    return (datetime.date(year + 1, 1, 1) - datetime.date(year, 1, 1)).days


def days_covered(start: datetime.date, last: datetime.date, year: int) -> int:
    """Calendar days of ``year`` from ``start`` to ``last``, both included (0 outside)."""
    first = max(start, datetime.date(year, 1, 1))
    end = min(last, datetime.date(year, 12, 31))
    return max((end - first).days + 1, 0)


def prorate(amount: Decimal, covered: int, days: int, *, quantum: Decimal = ORE) -> Decimal:
    """``amount × covered / days`` rounded half up to ``quantum`` (whole øre; a tenth for hours).
    The one division in the picture."""
    if covered == days:
        return Decimal(amount)
    return (Decimal(amount) * covered / days).quantize(quantum, rounding=ROUND_HALF_UP)


def task_compensation(task) -> tuple[Decimal, Decimal]:
    """A task's yearly compensation as (certain, ceiling): fixed → the amount; per occasion →
    amount × occasions a year; reimbursed → a ceiling, what is paid "up to"."""
    if task.pricing == Pricing.REIMBURSED:
        return ZERO, Decimal(task.amount)
    if task.pricing == Pricing.PER_OCCASION:
        return Decimal(task.amount) * (task.occasions_per_year or 0), ZERO
    return Decimal(task.amount), ZERO


def _add(a, b):
    """Sum two optional amounts: None (not known) only when both are."""
    if a is None:
        return b
    if b is None:
        return a
    return a + b


# --- reading ----------------------------------------------------------------------------------


@dataclass
class _Lines:
    """What the picture is computed from: the agreement's tasks, provisions and payments (model
    rows or plain rows with the same attribute names), its counted dugnads' hours by year and
    its report hours by year."""

    tasks: list = field(default_factory=list)
    provisions: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    dugnads: dict = field(default_factory=dict)  # year → {dugnad id: hours}
    report_hours: dict = field(default_factory=dict)  # year → {duty state: hours}


TaskRow = namedtuple("TaskRow", "pricing amount occasions_per_year hours_per_year")
ProvisionRow = namedtuple("ProvisionRow", "value_per_year")
PaymentRow = namedtuple("PaymentRow", "source due_on amount paid_on cancelled")


def _dugnad_hours(rows) -> dict:
    """(agreement id, dugnad id, start, hours) rows → agreement id → {year: {dugnad id: hours}},
    the year the dugnad started in local time."""
    by_agreement = defaultdict(lambda: defaultdict(dict))
    for agreement_id, dugnad_id, starts_at, hours in rows:
        year = timezone.localtime(starts_at).year
        by_agreement[agreement_id][year][dugnad_id] = Decimal(hours or 0)
    return by_agreement


def _counted_dugnad_rows(agreement_ids) -> QuerySet:
    """The reported dugnads linked to the agreements (``agreement_ids``: a subquery or a list):
    one query."""
    return (
        Agreement.dugnads.through.objects.filter(
            agreement_id__in=agreement_ids, dugnad__state__in=list(COUNTED_STATES)
        )
        .order_by()
        .values_list("agreement_id", "dugnad_id", "dugnad__starts_at", "dugnad__hours_total")
    )


def _report_hours(report_lines: QuerySet) -> dict:
    """Agreement id → {year: {duty state: hours}}, for approved and submitted report lines: one
    query, summed in SQL."""
    hours = defaultdict(lambda: defaultdict(dict))
    rows = (
        report_lines.filter(duty__state__in=[DutyState.APPROVED, DutyState.SUBMITTED])
        .annotate(year=ExtractYear("done_on"))
        .values("duty__agreement_id", "duty__state", "year")
        .annotate(hours=Sum("hours"))
        .order_by()
    )
    for row in rows:
        hours[row["duty__agreement_id"]][row["year"]][row["duty__state"]] = row["hours"]
    return hours


class _Rates:
    """The hourly value of each year asked for, looked up once a year (``hourly_rate_for``)."""

    def __init__(self):
        self._rates = {}

    def __call__(self, year: int) -> HourlyRate | None:
        if year not in self._rates:
            self._rates[year] = hourly_rate_for(year)
        return self._rates[year]


# --- one agreement ----------------------------------------------------------------------------


def _picture(agreement, lines: _Lines, *, rates: _Rates) -> AgreementPicture:
    """The picture from the agreement's lines in memory."""
    start, last = agreement.starts_on, agreement.last_day
    tasks, provisions, payments = lines.tasks, lines.provisions, lines.payments
    has_plan = any(p.source == PaymentSource.PLAN for p in payments)
    dugnads, reported = lines.dugnads, lines.report_hours

    certain = sum((task_compensation(task)[0] for task in tasks), ZERO)
    ceiling = sum((task_compensation(task)[1] for task in tasks), ZERO)
    hours_per_year = sum((Decimal(task.hours_per_year) for task in tasks), ZERO)
    in_kind_per_year = sum((Decimal(p.value_per_year) for p in provisions), ZERO)
    own_per_year = Decimal(agreement.own_contribution_per_year)
    cost_per_year = agreement.municipal_cost_per_year

    planned = defaultdict(lambda: ZERO)
    paid = defaultdict(lambda: ZERO)
    for payment in payments:
        if not payment.cancelled:
            planned[payment.due_on.year] += Decimal(payment.amount)
        if payment.paid_on is not None:
            paid[payment.paid_on.year] += Decimal(payment.amount)

    years = set(range(start.year, last.year + 1)) | set(planned) | set(paid) | set(dugnads)
    years |= set(reported)

    rows = []
    for year in sorted(years):
        covered, days = days_covered(start, last, year), days_in_year(year)
        if has_plan:
            compensation, up_to = planned[year], ZERO
        else:
            up_to = prorate(ceiling, covered, days)
            compensation = prorate(certain, covered, days) + up_to
        in_kind = prorate(in_kind_per_year, covered, days)
        cost = None if cost_per_year is None else prorate(cost_per_year, covered, days)
        hours = reported.get(year, {})
        rows.append(
            AgreementYear(
                year=year,
                rate=rates(year),
                days_covered=covered,
                days_in_year=days,
                compensation_planned=compensation,
                compensation_ceiling=up_to,
                compensation_estimated=not has_plan,
                compensation_paid=paid[year],
                in_kind=in_kind,
                own_contribution=prorate(own_per_year, covered, days),
                municipal_cost=cost,
                net_effect=None if cost is None else cost - compensation - in_kind,
                without_estimate=int(cost is None),
                hours_planned=prorate(hours_per_year, covered, days, quantum=TENTH),
                hours_from_reports=Decimal(hours.get(DutyState.APPROVED, ZERO)),
                hours_awaiting=Decimal(hours.get(DutyState.SUBMITTED, ZERO)),
                dugnad_hours=dugnads.get(year, {}),
                agreements=1,
            )
        )
    return AgreementPicture(
        years=rows,
        totals=totals(rows),
        municipal_cost_basis=agreement.municipal_cost_basis,
        has_payment_plan=has_plan,
    )


def agreement_picture(*, agreement) -> AgreementPicture:
    """The economic picture of one agreement, per year of its period and in total.

    Uses the agreement's prefetched tasks, provisions and payments when there (the detail page's
    ``selectors.with_lines``); its report hours and dugnads are two queries, and each year's
    hourly value one."""
    lines = _Lines(
        tasks=list(agreement.tasks.all()),
        provisions=list(agreement.provisions.all()),
        payments=list(agreement.payments.all()),
        dugnads=_dugnad_hours(_counted_dugnad_rows([agreement.pk]))[agreement.pk],
        report_hours=_report_hours(ReportLine.objects.filter(duty__agreement=agreement))[
            agreement.pk
        ],
    )
    return _picture(agreement, lines, rates=_Rates())


def totals(years) -> Totals:
    """The sums over ``years``; the value is that of the years with an hourly value."""
    out = Totals()
    for y in years:
        out = replace(
            out,
            compensation_planned=out.compensation_planned + y.compensation_planned,
            compensation_ceiling=out.compensation_ceiling + y.compensation_ceiling,
            compensation_paid=out.compensation_paid + y.compensation_paid,
            in_kind=out.in_kind + y.in_kind,
            own_contribution=out.own_contribution + y.own_contribution,
            municipal_cost=_add(out.municipal_cost, y.municipal_cost),
            net_effect=_add(out.net_effect, y.net_effect),
            hours_planned=out.hours_planned + y.hours_planned,
            hours_from_reports=out.hours_from_reports + y.hours_from_reports,
            hours_from_dugnads=out.hours_from_dugnads + y.hours_from_dugnads,
            hours_awaiting=out.hours_awaiting + y.hours_awaiting,
            value=_add(out.value, y.value),
            years_without_rate=out.years_without_rate
            + ((y.year,) if y.value is None and y.hours_reported else ()),
        )
    return out


# --- many agreements --------------------------------------------------------------------------


def _merge(year: int, rate, figures: list) -> YearFigures:
    """One year's figures of many agreements, summed (a dugnad counted once)."""
    dugnad_hours = {}
    for f in figures:
        dugnad_hours.update(f.dugnad_hours)
    net_effects = [f.net_effect for f in figures if f.net_effect is not None]
    costs = [f.municipal_cost for f in figures if f.municipal_cost is not None]
    return YearFigures(
        year=year,
        rate=rate,
        compensation_planned=sum((f.compensation_planned for f in figures), ZERO),
        compensation_ceiling=sum((f.compensation_ceiling for f in figures), ZERO),
        compensation_estimated=any(f.compensation_estimated for f in figures),
        compensation_paid=sum((f.compensation_paid for f in figures), ZERO),
        in_kind=sum((f.in_kind for f in figures), ZERO),
        own_contribution=sum((f.own_contribution for f in figures), ZERO),
        municipal_cost=sum(costs, ZERO) if costs else None,
        net_effect=sum(net_effects, ZERO) if net_effects else None,
        without_estimate=sum(f.without_estimate for f in figures),
        hours_planned=sum((f.hours_planned for f in figures), ZERO),
        hours_from_reports=sum((f.hours_from_reports for f in figures), ZERO),
        hours_awaiting=sum((f.hours_awaiting for f in figures), ZERO),
        dugnad_hours=dugnad_hours,
        agreements=sum(f.agreements for f in figures),
    )


def pictures(agreements_qs: QuerySet[Agreement], *, rates: _Rates | None = None) -> dict:
    """Agreement id → its picture, for every agreement in ``agreements_qs``, in a fixed number
    of queries: the agreements, their tasks, provisions, payments and counted dugnads (one
    each, plain rows rather than model objects: a thousand agreements stay quick), their report
    hours (one, summed in SQL), and one per year for the hourly value."""
    # Its own columns only, whatever the caller joined or prefetched (a list's queryset).
    agreements = list(
        agreements_qs.order_by()
        .select_related(None)
        .prefetch_related(None)
        .only(
            "pk",
            "starts_on",
            "ends_on",
            "terminated_on",
            "own_contribution_per_year",
            "municipal_cost_per_year",
            "municipal_cost_basis",
        )
    )
    if not agreements:
        return {}
    ids = agreements_qs.order_by().values("pk")
    lines = defaultdict(_Lines)
    for agreement_id, *row in (
        Task.objects.filter(agreement_id__in=ids)
        .order_by()
        .values_list("agreement_id", "pricing", "amount", "occasions_per_year", "hours_per_year")
    ):
        lines[agreement_id].tasks.append(TaskRow(*row))
    for agreement_id, value in (
        Provision.objects.filter(agreement_id__in=ids)
        .order_by()
        .values_list("agreement_id", "value_per_year")
    ):
        lines[agreement_id].provisions.append(ProvisionRow(value))
    for agreement_id, *row in (
        Payment.objects.filter(agreement_id__in=ids)
        .order_by()
        .values_list("agreement_id", "source", "due_on", "amount", "paid_on", "cancelled")
    ):
        lines[agreement_id].payments.append(PaymentRow(*row))
    for agreement_id, by_year in _dugnad_hours(_counted_dugnad_rows(ids)).items():
        lines[agreement_id].dugnads = by_year
    for agreement_id, by_year in _report_hours(
        ReportLine.objects.filter(duty__agreement_id__in=ids)
    ).items():
        lines[agreement_id].report_hours = by_year
    rates = rates or _Rates()
    return {
        agreement.pk: _picture(agreement, lines[agreement.pk], rates=rates)
        for agreement in agreements
    }


def rollup_by_year(*, agreements_qs: QuerySet[Agreement], years=None) -> Rollup:
    """The figures of many agreements summed per year (only ``years`` when given). Callers pass
    what may be shown: ``Agreement.objects.public()`` for the public."""
    rates = _Rates()
    by_year = defaultdict(list)
    counted = 0
    for picture in pictures(agreements_qs, rates=rates).values():
        shown = [row for row in picture.years if years is None or row.year in years]
        counted += bool(shown)
        for row in shown:
            by_year[row.year].append(row)
    rows = [_merge(year, rates(year), by_year[year]) for year in sorted(by_year)]
    return Rollup(years=rows, totals=totals(rows), agreements=counted)


def _year_qs(qs: QuerySet[Agreement], year: int) -> QuerySet[Agreement]:
    """Agreements that may have figures in ``year``: started by its end, ended at most a year
    before it (a last payment or dugnad can fall in the next year)."""
    return qs.filter(starts_on__year__lte=year, ends_on__year__gte=year - 1)


def committee_rollup(*, committee, year: int) -> Rollup:
    """The committee's public (signed) agreements' figures for ``year``."""
    qs = _year_qs(Agreement.objects.public().filter(committee=committee), year)
    return rollup_by_year(agreements_qs=qs, years={year})


def rollup_by_committee(*, year: int) -> dict:
    """Committee id → the year's figures (``YearFigures``) of its public (signed) agreements,
    for every committee at once: the queries of ``pictures`` and one for the agreements'
    committees, whatever the number of agreements or committees. Each committee's figures are
    those ``committee_rollup`` gives it."""
    qs = _year_qs(Agreement.objects.public(), year)
    rates = _Rates()
    committee_of = dict(qs.order_by().values_list("pk", "committee_id"))
    by_committee = defaultdict(list)
    for agreement_id, picture in pictures(qs, rates=rates).items():
        for row in picture.years:
            if row.year == year:
                by_committee[committee_of[agreement_id]].append(row)
    return {
        committee_id: _merge(year, rates(year), rows) for committee_id, rows in by_committee.items()
    }


def department_rollup(*, department, year: int) -> Rollup:
    """The department's public (signed) agreements' figures for ``year``."""
    qs = _year_qs(Agreement.objects.public().filter(department=department), year)
    return rollup_by_year(agreements_qs=qs, years={year})


# --- the chart's data ---------------------------------------------------------------------------


def _number(value) -> float | None:
    """A figure for the chart (the table carries the exact one)."""
    return None if value is None else float(value)


def chart_data(years) -> dict:
    """What ``static/js/agreement-chart.js`` draws, for ``json_script``: the years and a series
    per line. The labels are the table's own row headings, read from the page."""
    return {
        "years": [str(y.year) for y in years],
        "money": {
            "compensation": [_number(y.compensation_planned) for y in years],
            "in_kind": [_number(y.in_kind) for y in years],
            "own_contribution": [_number(y.own_contribution) for y in years],
            "municipal_cost": [_number(y.municipal_cost) for y in years],
        },
        "hours": {
            "planned": [_number(y.hours_planned) for y in years],
            "reported": [_number(y.hours_reported) for y in years],
        },
    }
