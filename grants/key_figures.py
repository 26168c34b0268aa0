"""The municipality's economic picture (``/nokkeltall/``) and the front page's key figures: per
year and per committee. Each figure is its owning app's rule, read here, never worked out again:

- grants paid: grant payments (``agreements.Payment``, source "grant") paid in the year, to
  the payee committee (summed in SQL);
- agreement compensation paid, in kind and the municipality's avoided cost (its cost doing the
  tasks itself) and net effect: the signed agreements' picture for the year
  (``agreements.economics.rollup_by_committee``);
- hours: reported dugnads' hours (``dugnads.figures.counted_q``: reported, by the year they
  started) plus the hours of agreements' approved report lines done in the year (an agreement's
  linked dugnads are among the dugnads already, so they count once). Value = hours × the year's
  hourly value (``HourlyRate``); a year without one shows the hours only;
- proposals received, answered, accepted and both sides' median answer times
  (``proposals.figures``);
- dugnads held and participants (``dugnads.figures.dugnad_figures_by_committee``).

A fixed number of queries, whatever the number of committees and rows.
"""

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from agreements import economics
from agreements.models import Agreement, Payment
from agreements.states import PaymentSource
from committees.models import Committee
from dugnads import figures as dugnad_figures
from dugnads.models import Dugnad
from proposals import figures as proposal_figures
from proposals.models import Proposal

ZERO = Decimal(0)


@dataclass(frozen=True)
class Row:
    """One committee's figures of the year (or the totals: ``committee`` None)."""

    committee: Committee | None
    grants_paid: Decimal = ZERO
    compensation_paid: Decimal = ZERO
    in_kind: Decimal = ZERO
    avoided_cost: Decimal = ZERO
    net_effect: Decimal = ZERO
    dugnad_hours: Decimal = ZERO
    agreement_hours: Decimal = ZERO
    proposals_received: int = 0
    proposals_answered: int = 0
    proposals_accepted: int = 0
    committee_days: Decimal | None = None
    municipality_days: Decimal | None = None
    dugnads_held: int = 0
    participants: int = 0
    value: Decimal | None = None  # hours × the year's hourly value; None when none is set

    @property
    def hours(self) -> Decimal:
        return self.dugnad_hours + self.agreement_hours


SUMMED = (
    "grants_paid",
    "compensation_paid",
    "in_kind",
    "avoided_cost",
    "net_effect",
    "dugnad_hours",
    "agreement_hours",
    "proposals_received",
    "proposals_answered",
    "proposals_accepted",
    "dugnads_held",
    "participants",
)


@dataclass(frozen=True)
class YearFigures:
    year: int
    rows: list  # Row per committee, by name
    totals: Row
    rate: object = None  # dugnads.HourlyRate or None

    @property
    def value_is_set(self) -> bool:
        return self.rate is not None

    @property
    def total_value(self) -> Decimal | None:
        return self.totals.value

    def chart_data(self) -> dict:
        """Per committee, for ``static/js/agreement-chart.js`` (the table carries the figures)."""
        rows = [r for r in self.rows if any(getattr(r, f) for f in SUMMED)]
        return {
            "labels": [r.committee.name for r in rows],
            "money": {
                "grants_paid": [float(r.grants_paid) for r in rows],
                "compensation_paid": [float(r.compensation_paid) for r in rows],
                "in_kind": [float(r.in_kind) for r in rows],
                "avoided_cost": [float(r.avoided_cost) for r in rows],
            },
            "hours": {"hours": [float(r.hours) for r in rows]},
        }


def _grants_paid(year: int) -> dict:
    return dict(
        Payment.objects.filter(
            source=PaymentSource.GRANT, paid_on__year=year, agreement__isnull=True
        )
        .order_by()
        .values("committee_id")
        .annotate(total=Sum("amount"))
        .values_list("committee_id", "total")
    )


def figures_for_year(*, year: int) -> YearFigures:
    """Every committee's figures of ``year`` and their totals."""
    grants = _grants_paid(year)
    agreements = economics.rollup_by_committee(year=year)
    dugnads = dugnad_figures.dugnad_figures_by_committee(year=year)
    proposals = proposal_figures.proposal_year_figures(year=year)
    rate = dugnad_figures.hourly_rate_for(year)
    rows = []
    for committee in Committee.objects.order_by("name").only("pk", "name", "slug"):
        a = agreements.get(committee.pk)
        d = dugnads.get(committee.pk, dugnad_figures.CommitteeDugnads())
        p = proposals.by_committee.get(committee.pk, proposal_figures.CommitteeProposals())
        rows.append(
            Row(
                committee=committee,
                grants_paid=Decimal(grants.get(committee.pk) or 0),
                compensation_paid=a.compensation_paid if a else ZERO,
                in_kind=a.in_kind if a else ZERO,
                avoided_cost=(a.municipal_cost or ZERO) if a else ZERO,
                net_effect=(a.net_effect or ZERO) if a else ZERO,
                dugnad_hours=d.hours,
                agreement_hours=a.hours_from_reports if a else ZERO,
                proposals_received=p.received,
                proposals_answered=p.answered,
                proposals_accepted=p.accepted,
                committee_days=p.committee_days,
                municipality_days=p.municipality_days,
                dugnads_held=d.held,
                participants=d.participants,
            )
        )
    rows = [replace(r, value=None if rate is None else r.hours * rate.nok_per_hour) for r in rows]
    totals = Row(
        committee=None,
        **{f: sum((getattr(r, f) for r in rows), type(getattr(Row(None), f))()) for f in SUMMED},
        committee_days=proposals.committee_days,
        municipality_days=proposals.municipality_days,
    )
    totals = replace(totals, value=None if rate is None else totals.hours * rate.nok_per_hour)
    return YearFigures(year=year, rows=rows, totals=totals, rate=rate)


def years_available() -> list[int]:
    """The years with any figure, newest first, and always this year."""
    years = {timezone.localdate().year}
    years |= set(
        Payment.objects.filter(paid_on__isnull=False)
        .annotate(y=ExtractYear("paid_on"))
        .order_by()
        .values_list("y", flat=True)
        .distinct()
    )
    years |= set(
        Proposal.objects.published()
        .filter(submitted_at__isnull=False)
        .annotate(y=ExtractYear("submitted_at"))
        .order_by()
        .values_list("y", flat=True)
        .distinct()
    )
    years |= set(
        Dugnad.objects.filter(state__in=list(dugnad_figures.HELD_STATES))
        .annotate(y=ExtractYear("starts_at"))
        .order_by()
        .values_list("y", flat=True)
        .distinct()
    )
    for starts, ends in (
        Agreement.objects.public().order_by().values_list("starts_on__year", "ends_on__year")
    ).distinct():
        years |= set(range(starts, min(ends, datetime.date.max.year - 1) + 1))
    return sorted((y for y in years if y), reverse=True)
