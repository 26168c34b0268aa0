"""A formula scheme's allocation list: worked out per committee from the population figures,
checked against the pot, approved once by staff (then each eligible committee's payment is
created on the agreements' payment machinery), and a reserved or held allocation released later
when its committee has become eligible.

The formula is the scheme's data: ``base_amount + rate_per_resident × residents`` aged
``age_from``–``age_to`` on the newest figure on or before ``population_date`` (Larvik 2023:
80 000 kr + 87 kr per resident aged 0–19). Sums are exact to the øre (``Decimal``, never a
float). A committee that is not eligible keeps its sum, shown as "reserved, not payable" with
the reason, and it counts against the pot: the money is kept for it.

Above the pot the scheme's rule decides (``OverPotRule``): ``PRO_RATA`` scales every allocation
down so that they add up to the pot exactly (to the øre: the øre left over by rounding down go
to the largest remainders); ``HOLD_BACK`` leaves the sums as the formula gives them and refuses
the approval until the pot or the rules are changed.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Committee, CommitteeStatus
from core.formatting import money
from notifications.services import notify

from ..allocation_reasons import (
    ANNUAL_REPORT_NOT_APPROVED,
    NO_FIGURES,
    NO_ORGANISATION_NUMBER,
    NO_REGISTRATION_DATE,
    NOT_ACTIVE,
    NOTHING_TO_PAY,
    reason,
    reasons_text,
)
from ..models import (
    Allocation,
    AllocationListState,
    AllocationState,
    AnnualReport,
    AnnualReportState,
    GrantScheme,
    OverPotRule,
    PopulationFigure,
)
from ..notifications import ALLOCATION_APPROVED
from ..permissions import can_approve_allocations
from ..selectors import board_recipients
from .payments import grant_payment_create

ORE = Decimal("0.01")
# States an allocation may be released from, once its committee is eligible.
RELEASABLE = frozenset({AllocationState.RESERVED, AllocationState.HELD})


# --- reads --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PotCheck:
    """The allocations' total against the pot. ``difference`` is ``total - pot`` (above the pot
    when positive); ``formula_total`` is what the formula gave before any scaling, so a list
    scaled down pro rata says by how much (``scaled``)."""

    total: Decimal
    pot: Decimal
    difference: Decimal
    over: bool
    formula_total: Decimal
    scaled: bool
    count: int

    @property
    def left(self) -> Decimal:
        """What is left in the pot (nothing when above it)."""
        return max(self.pot - self.total, Decimal(0))

    @property
    def above_by(self) -> Decimal:
        return max(self.difference, Decimal(0))

    @property
    def formula_above_by(self) -> Decimal:
        return max(self.formula_total - self.pot, Decimal(0))


def pot_check(scheme: GrantScheme, *, allocations=None) -> PotCheck:
    """Every allocation of ``scheme`` (payable, proposed, reserved and held: all money kept for
    a committee) against its pot. Give ``allocations`` already loaded to spend no query;
    otherwise one aggregate query."""
    if allocations is not None:
        rows = list(allocations)
        total = sum((a.amount for a in rows), Decimal(0))
        formula_total = sum((a.formula_amount for a in rows), Decimal(0))
        count = len(rows)
    else:
        sums = Allocation.objects.filter(scheme=scheme).aggregate(
            total=Sum("amount"), formula_total=Sum("formula_amount"), count=Count("pk")
        )
        total = sums["total"] or Decimal(0)
        formula_total = sums["formula_total"] or Decimal(0)
        count = sums["count"] or 0
    pot = scheme.pot or Decimal(0)
    return PotCheck(
        total=total,
        pot=pot,
        difference=total - pot,
        over=total > pot,
        formula_total=formula_total,
        scaled=formula_total != total,
        count=count,
    )


def figures_for(scheme: GrantScheme) -> dict[int, PopulationFigure]:
    """Each committee's figure for the scheme: the scheme's age range exactly, the newest
    reference date on or before ``population_date`` (or the newest of all). One query."""
    figures = PopulationFigure.objects.filter(age_from=scheme.age_from, age_to=scheme.age_to)
    if scheme.population_date:
        figures = figures.filter(reference_date__lte=scheme.population_date)
    chosen: dict[int, PopulationFigure] = {}
    for figure in figures.order_by("-reference_date", "-pk"):
        chosen.setdefault(figure.committee_id, figure)
    return chosen


def approved_report_committees(scheme: GrantScheme) -> set[int]:
    """The committees whose annual report for the year before the scheme's is approved."""
    return set(
        AnnualReport.objects.filter(
            year=scheme.year - 1, state=AnnualReportState.APPROVED
        ).values_list("committee_id", flat=True)
    )


def formula_parts(scheme: GrantScheme, residents: int) -> tuple[Decimal, Decimal, Decimal]:
    """(base, the residents' part, their sum), each to the øre."""
    base = Decimal(scheme.base_amount).quantize(ORE, ROUND_HALF_UP)
    per_resident = (Decimal(scheme.rate_per_resident) * residents).quantize(ORE, ROUND_HALF_UP)
    return base, per_resident, base + per_resident


def eligibility(
    *, scheme: GrantScheme, committee: Committee, figure, reports_approved: set[int]
) -> tuple[str, list[dict]]:
    """``(state, reasons)`` for one committee: proposed (eligible), reserved (not eligible: why)
    or held (eligible, held by the scheme's annual-report rule). The rules are the scheme's
    fields, never literals. The reasons are codes (``grants.allocation_reasons``), worded in
    the reader's language when shown, not in the language of whoever works the list out."""
    found = []
    if figure is None:
        found.append(reason(NO_FIGURES, age_from=scheme.age_from, age_to=scheme.age_to))
    if scheme.requires_registration:
        if not committee.organisation_number:
            found.append(reason(NO_ORGANISATION_NUMBER))
        elif not committee.registered_on:
            found.append(reason(NO_REGISTRATION_DATE))
    if scheme.requires_active and committee.status != CommitteeStatus.ACTIVE:
        found.append(reason(NOT_ACTIVE, status=committee.status))
    if found:
        return AllocationState.RESERVED, found
    if scheme.requires_annual_report and committee.pk not in reports_approved:
        return AllocationState.HELD, [reason(ANNUAL_REPORT_NOT_APPROVED, year=scheme.year - 1)]
    return AllocationState.PROPOSED, []


def scaled_to_pot(amounts: list[Decimal], pot: Decimal) -> list[Decimal]:
    """``amounts`` scaled down in proportion so that they add up to ``pot`` exactly, in øre.

    Each share is rounded down to the øre; the øre that leaves over go one each to the shares
    with the largest remainders (the first of equals first), so no share is off by more than
    one øre and the sum is the pot. Integer arithmetic in øre: no rounding error anywhere."""
    ore = [int((amount / ORE).to_integral_value()) for amount in amounts]
    pot_ore = int((pot / ORE).to_integral_value())
    total = sum(ore)
    if total <= pot_ore or total == 0:
        return list(amounts)
    floors = [value * pot_ore // total for value in ore]
    remainders = [value * pot_ore % total for value in ore]
    left = pot_ore - sum(floors)
    for index in sorted(range(len(ore)), key=lambda i: (-remainders[i], i))[:left]:
        floors[index] += 1
    return [Decimal(value) * ORE for value in floors]


# --- writes -------------------------------------------------------------------------------------


def _require_staff(actor) -> None:
    if actor is None or not can_approve_allocations(actor):
        raise ValidationError(_("Only the municipality's case handlers can work out allocations."))


def _lock_scheme(scheme: GrantScheme) -> GrantScheme:
    return (
        GrantScheme.objects.select_for_update(of=("self",))
        .select_related("department")
        .get(pk=scheme.pk)
    )


def _require_formula(scheme: GrantScheme) -> None:
    if not scheme.is_formula:
        raise ValidationError(
            _("Only a formula scheme has an allocation list: committees apply to this one.")
        )


@transaction.atomic
def allocations_compute(*, scheme: GrantScheme, actor) -> list[Allocation]:
    """Work out (again) every top-level committee's allocation while the list is a draft.

    Sub-committees (Nanset, Torstrand and Langestrand within Larvik sentrum) are groups within
    their committee's area: the area's figures, and its grant, count once, on the committee.
    A committee that is not eligible is reserved with the reason, its sum still worked out;
    above the pot, ``PRO_RATA`` scales every sum down to the pot, ``HOLD_BACK`` leaves them."""
    _require_staff(actor)
    scheme = _lock_scheme(scheme)
    _require_formula(scheme)
    if scheme.allocation_state != AllocationListState.DRAFT:
        raise ValidationError(
            _("The allocation list is approved: it can no longer be worked out again.")
        )
    committees = list(Committee.objects.top_level().order_by("name", "pk"))
    figures = figures_for(scheme)
    reports = approved_report_committees(scheme) if scheme.requires_annual_report else set()
    existing = {a.committee_id: a for a in Allocation.objects.filter(scheme=scheme)}
    rows: list[Allocation] = []
    for committee in committees:
        figure = figures.get(committee.pk)
        residents = figure.residents_in_range if figure is not None else 0
        base, per_resident, formula = formula_parts(scheme, residents)
        state, reasons = eligibility(
            scheme=scheme, committee=committee, figure=figure, reports_approved=reports
        )
        allocation = existing.pop(committee.pk, None) or Allocation(
            scheme=scheme, committee=committee
        )
        allocation.committee = committee
        allocation.figure = figure
        allocation.residents_in_range = residents
        allocation.base_amount = base
        allocation.per_resident_amount = per_resident
        allocation.formula_amount = formula
        allocation.amount = formula
        allocation.state = state
        allocation.reasons = reasons
        rows.append(allocation)
    formula_total = sum((a.formula_amount for a in rows), Decimal(0))
    if formula_total > scheme.pot and scheme.over_pot_rule == OverPotRule.PRO_RATA:
        for allocation, amount in zip(
            rows, scaled_to_pot([a.formula_amount for a in rows], scheme.pot), strict=True
        ):
            allocation.amount = amount
    for allocation in rows:
        if allocation.state == AllocationState.PROPOSED and allocation.amount <= 0:
            allocation.state = AllocationState.RESERVED
            allocation.reasons = [reason(NOTHING_TO_PAY, amount=allocation.amount)]
        allocation.full_clean(exclude=["scheme", "committee", "figure", "payment"])
        allocation.save()
    # A committee no longer on the list (it became a sub-committee): its draft row goes.
    if existing:
        Allocation.objects.filter(pk__in=[a.pk for a in existing.values()]).delete()
    return rows


def _payment_for(scheme: GrantScheme, allocation: Allocation):
    return grant_payment_create(
        committee=allocation.committee,
        department=scheme.department,
        amount=allocation.amount,
        due_on=timezone.localdate() + datetime.timedelta(days=scheme.payment_days),
        description=f"{scheme.name} {scheme.year} – {allocation.committee.name}",
    )


def _tell_board(allocation: Allocation, *, key: str) -> None:
    notify(
        recipients=board_recipients(allocation.committee),
        kind=ALLOCATION_APPROVED,
        context={"allocation": allocation},
        target=allocation,
        dedupe_key=f"grant-allocation:{allocation.pk}:{key}",
    )


@transaction.atomic
def allocations_approve(*, scheme: GrantScheme, actor) -> list[Allocation]:
    """Approve the draft list, once: each eligible allocation gets its payment (due
    ``payment_days`` from today) and becomes payable; reserved and held ones stay as they are.
    Refused above the pot (``HOLD_BACK``, or a list worked out before the pot was lowered).
    Each committee's board is told its sum, or why it is reserved or held."""
    _require_staff(actor)
    scheme = _lock_scheme(scheme)
    _require_formula(scheme)
    if scheme.allocation_state != AllocationListState.DRAFT:
        raise ValidationError(_("The allocation list is already approved."))
    allocations = list(
        Allocation.objects.filter(scheme=scheme)
        .select_related("committee")
        .select_for_update(of=("self",))
        .order_by("committee__name", "pk")
    )
    if not allocations:
        raise ValidationError(_("Work out the allocations before approving the list."))
    check = pot_check(scheme, allocations=allocations)
    if check.over:
        if scheme.over_pot_rule == OverPotRule.HOLD_BACK:
            message = _(
                "The allocations add up to %(total)s, %(above)s above the pot of %(pot)s. "
                "The scheme holds back the approval: raise the pot or change the rules, then "
                "work out the allocations again."
            )
        else:
            message = _(
                "The allocations add up to %(total)s, %(above)s above the pot of %(pot)s. "
                "Work out the allocations again: they are then scaled down to the pot."
            )
        raise ValidationError(
            message
            % {
                "total": money(check.total),
                "above": money(check.above_by),
                "pot": money(check.pot),
            }
        )
    for allocation in allocations:
        if allocation.state == AllocationState.PROPOSED:
            allocation.payment = _payment_for(scheme, allocation)
            allocation.state = AllocationState.PAYABLE
            allocation.save(update_fields=["payment", "state", "computed_at"])
    scheme.allocation_state = AllocationListState.APPROVED
    scheme.approved_at = timezone.now()
    scheme.approved_by = actor
    scheme.save(update_fields=["allocation_state", "approved_at", "approved_by"])
    for allocation in allocations:
        allocation.scheme = scheme
        _tell_board(allocation, key="approved")
    return allocations


@transaction.atomic
def allocation_release(*, allocation: Allocation, actor) -> Allocation:
    """A reserved or held allocation of an approved list whose committee has become eligible
    since (registered, active, last year's report approved): its payment is created and it is
    payable, for the sum it was allocated. Refused while the committee is still not eligible,
    with the reason as it stands now."""
    _require_staff(actor)
    allocation = (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("scheme", "scheme__department", "committee", "figure")
        .get(pk=allocation.pk)
    )
    scheme = allocation.scheme
    if scheme.allocation_state != AllocationListState.APPROVED:
        raise ValidationError(
            _("Approve the allocation list first: releasing is for what it reserved or held.")
        )
    if allocation.state not in RELEASABLE:
        raise ValidationError(_("Only a reserved or held allocation can be released."))
    if allocation.figure is None:
        raise ValidationError(
            _(
                "It was worked out without population figures, so its sum is not the formula's: "
                "it cannot be released."
            )
        )
    state, reasons = eligibility(
        scheme=scheme,
        committee=allocation.committee,
        figure=allocation.figure,
        reports_approved=approved_report_committees(scheme)
        if scheme.requires_annual_report
        else set(),
    )
    if state != AllocationState.PROPOSED:
        raise ValidationError(_("Not eligible yet: %(reason)s") % {"reason": reasons_text(reasons)})
    if allocation.amount <= 0:
        raise ValidationError(_("There is nothing to pay."))
    allocation.payment = _payment_for(scheme, allocation)
    allocation.state = AllocationState.PAYABLE
    allocation.reasons = []
    allocation.save(update_fields=["payment", "state", "reasons", "computed_at"])
    _tell_board(allocation, key="released")
    return allocation
