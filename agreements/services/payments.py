"""Payments: the plan generated from the pricing, marked paid by staff, cancelled after an
agreement's last day.

- The plan is part of the terms: :func:`payment_plan_generate` goes through
  ``services.terms.change_terms``, so it is allowed only while the terms may change, leaves one
  "terms changed" line, and voids signatures given on other terms. Afterwards each instalment
  is edited line by line (``payment_plan_save`` / ``payment_plan_delete``).
- Marking an instalment paid is *not* a change of terms (whether paid is not in the hash): it
  voids nothing; django-simple-history keeps the row's old values, the timeline gets a
  "payment made" line and the committee's board is told.
- A grant's payment (no agreement, ``PaymentSource.GRANT``) is marked paid by the same
  service, with the same rules; its owner (``payment_owners``) writes its timeline line.
- Reimbursed tasks are never in the plan: they are paid from approved reports' documented
  costs (``PaymentSource.REPORT``).
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import local_date, money
from notifications.services import notify

from .. import notifications as kinds
from ..models import (
    MAX_PAYMENTS,
    PUBLIC_STATES,
    Agreement,
    AgreementEvent,
    DutyState,
    Party,
    Payment,
    PaymentSource,
    Pricing,
    ReportDuty,
)
from ..payment_owners import owner_of
from ..permissions import can_mark_paid
from ..selectors import board_recipients
from .lifecycle import record

CENT = Decimal("0.01")
MAX_INSTALMENTS_PER_YEAR = 12
VOUCHER_MAX_LENGTH = Payment._meta.get_field("voucher").max_length


# --- the plan ----------------------------------------------------------------------------------


def yearly_compensation(tasks) -> Decimal:
    """What the plan pays for a whole year: fixed sums, and per occasion the price × the
    occasions per year. Reimbursed tasks are left out (paid from approved reports)."""
    total = Decimal(0)
    for task in tasks:
        if task.pricing == Pricing.FIXED:
            total += Decimal(task.amount)
        elif task.pricing == Pricing.PER_OCCASION:
            total += Decimal(task.amount) * (task.occasions_per_year or 0)
    return total


@dataclass(frozen=True)
class YearPart:
    """The part of the period that falls in one calendar year (both days inclusive)."""

    year: int
    first: datetime.date
    last: datetime.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def days_in_year(self) -> int:
        return (datetime.date(self.year, 12, 31) - datetime.date(self.year, 1, 1)).days + 1


def year_parts(starts_on: datetime.date, ends_on: datetime.date) -> list[YearPart]:
    return [
        YearPart(
            year,
            max(starts_on, datetime.date(year, 1, 1)),
            min(ends_on, datetime.date(year, 12, 31)),
        )
        for year in range(starts_on.year, ends_on.year + 1)
    ]


def prorated(yearly: Decimal, part: YearPart) -> Decimal:
    """The year's share of ``yearly`` by the days the period covers that year, to the øre
    (a whole year is exactly ``yearly``)."""
    if part.days == part.days_in_year:
        return yearly.quantize(CENT)
    return (yearly * part.days / part.days_in_year).quantize(CENT, rounding=ROUND_HALF_UP)


def split(total: Decimal, count: int) -> list[Decimal]:
    """``count`` equal instalments of ``total``, rounded down to the øre, the remainder on the
    last: 25 000 in 3 = 8 333.33 + 8 333.33 + 8 333.34. They always add up to ``total``."""
    share = (total / count).quantize(CENT, rounding=ROUND_DOWN)
    return [share] * (count - 1) + [total - share * (count - 1)]


def due_dates(part: YearPart, count: int) -> list[datetime.date]:
    """The year's part cut in ``count`` equal stretches; each instalment is due on the last day
    of its stretch (paid for the work of that stretch), the last one on the part's last day."""
    return [
        part.first + datetime.timedelta(days=max(0, (part.days * number) // count - 1))
        for number in range(1, count + 1)
    ]


def plan_lines(
    *, starts_on: datetime.date, ends_on: datetime.date, yearly: Decimal, per_year: int
) -> list[dict]:
    """The instalments (``due_on``, ``amount``, ``description``) for the period, pure."""
    lines = []
    for part in year_parts(starts_on, ends_on):
        amounts = split(prorated(yearly, part), per_year)
        for number, (due, amount) in enumerate(
            zip(due_dates(part, per_year), amounts, strict=True), 1
        ):
            lines.append(
                {
                    "due_on": due,
                    "amount": amount,
                    "description": _("%(year)s, instalment %(number)s of %(count)s")
                    % {"year": part.year, "number": number, "count": per_year},
                }
            )
    return lines


def payment_plan_generate(*, agreement: Agreement, actor, instalments_per_year: int = 1):
    """Make the payment plan from the tasks' pricing: for each year of the period, its prorated
    share of the yearly compensation in ``instalments_per_year`` equal instalments, due over the
    year's part of the period. Replaces the unpaid plan instalments (paid ones stay on record).
    A change of terms: allowed only while the terms may change; voids signatures on others."""
    from .terms import change_terms

    if not isinstance(instalments_per_year, int) or not (
        1 <= instalments_per_year <= MAX_INSTALMENTS_PER_YEAR
    ):
        raise ValidationError(
            _("Choose between 1 and %(max)s instalments a year.")
            % {"max": MAX_INSTALMENTS_PER_YEAR}
        )

    def apply(locked: Agreement) -> list[Payment]:
        yearly = yearly_compensation(locked.tasks.all())
        if yearly <= 0:
            raise ValidationError(
                _(
                    "There is nothing to plan: no task has a fixed yearly sum or a price per "
                    "occasion (reimbursed tasks are paid from approved reports)."
                )
            )
        lines = plan_lines(
            starts_on=locked.starts_on,
            ends_on=locked.ends_on,
            yearly=yearly,
            per_year=instalments_per_year,
        )
        unpaid = Payment.objects.filter(
            agreement=locked, source=PaymentSource.PLAN, paid_on__isnull=True
        )
        kept = Payment.objects.filter(agreement=locked).count() - unpaid.count()
        if kept + len(lines) > MAX_PAYMENTS:
            raise ValidationError(
                _("An agreement can have at most %(count)s of these.") % {"count": MAX_PAYMENTS}
            )
        for payment in unpaid:
            payment.delete()  # one by one: the history keeps each
        created = []
        for fields in lines:
            payment = Payment(agreement=locked, source=PaymentSource.PLAN, **fields)
            payment.full_clean()
            payment.save()
            created.append(payment)
        return created

    return change_terms(agreement=agreement, actor=actor, apply=apply)


# --- paid ----------------------------------------------------------------------------------------


def _clean_voucher(voucher) -> str:
    voucher = (voucher or "").strip()
    if not voucher:
        raise ValidationError({"voucher": _("Write the voucher reference of the payment.")})
    if "\x00" in voucher:
        raise ValidationError({"voucher": _("The voucher reference contains invalid characters.")})
    if len(voucher) > VOUCHER_MAX_LENGTH:
        raise ValidationError(
            {
                "voucher": _("The voucher reference can be at most %(count)s characters.")
                % {"count": VOUCHER_MAX_LENGTH}
            }
        )
    return voucher


# A payment can be made in advance, but not more than this long before the period starts.
PAID_BEFORE_START_DAYS = 365


@transaction.atomic
def payment_mark_paid(*, payment: Payment, actor, paid_on: datetime.date, voucher: str) -> Payment:
    """Staff mark an instalment paid on ``paid_on`` (not in the future) with its voucher
    reference; once only. An agreement's: a "payment made" line on its timeline and the
    committee's board is told; not a change of terms (no signature is voided). A grant's (no
    agreement): the same rules, and its owner (``payment_owners``) writes its own timeline line
    and tells the payee's board, in this transaction."""
    if actor is None or not can_mark_paid(actor):
        raise ValidationError(_("Only municipal staff who keep the payments can mark them paid."))
    voucher = _clean_voucher(voucher)
    if not isinstance(paid_on, datetime.date) or isinstance(paid_on, datetime.datetime):
        raise ValidationError({"paid_on": _("Give the day it was paid.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The day it was paid cannot be in the future.")})
    payment = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("agreement__committee", "agreement__department", "committee", "department")
        .get(pk=payment.pk)
    )
    agreement = payment.agreement
    if payment.is_paid:
        raise ValidationError(_("This payment has already been marked paid."))
    if payment.cancelled:
        raise ValidationError(_("This payment was cancelled: it will not be paid."))
    if agreement is not None:
        _check_agreement_paid_on(agreement, paid_on)
    elif paid_on < payment.due_on - datetime.timedelta(days=PAID_BEFORE_START_DAYS):
        # A grant is paid once approved, within its days to pay: a year early is a typo.
        raise ValidationError(
            {"paid_on": _("The day it was paid is more than a year before the payment was due.")}
        )
    payment.paid_on = paid_on
    payment.voucher = voucher
    payment.paid_by = actor
    payment.full_clean()
    payment._history_user = actor  # the history row names who, also outside a request
    payment.save()
    if agreement is None:
        owner = owner_of(payment)
        if owner is not None:
            owner.paid(payment=payment, actor=actor)
        return payment
    record(
        agreement,
        kind=AgreementEvent.Kind.PAYMENT_PAID,
        actor=actor,
        party=Party.MUNICIPALITY,
        # Public once signed: the amount and the due date, never the voucher (parties only).
        message=_("%(description)s: %(amount)s, due %(due)s")
        % {
            "description": payment.description or _("Instalment"),
            "amount": money(payment.amount),
            "due": local_date(payment.due_on),
        },
    )
    notify(
        recipients=[person for person in board_recipients(agreement) if person.pk != actor.pk],
        kind=kinds.PAYMENT_PAID,
        context={"agreement": agreement, "payment": payment},
        target=agreement,
        dedupe_key=f"agreement:{agreement.pk}:payment:{payment.pk}:paid",
    )
    return payment


def _check_agreement_paid_on(agreement: Agreement, paid_on: datetime.date) -> None:
    """An agreement's instalment is paid once both have signed, and not long before its
    period."""
    if agreement.state not in PUBLIC_STATES:
        raise ValidationError(
            _("A payment can be marked paid once both parties have signed the agreement.")
        )
    if paid_on < agreement.starts_on - datetime.timedelta(days=PAID_BEFORE_START_DAYS):
        # Paid in advance, perhaps; a year before the period is a typo (a date in year 1).
        raise ValidationError(
            {"paid_on": _("The day it was paid is long before the agreement's period.")}
        )


# --- sums for the pages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentSums:
    total: Decimal
    paid: Decimal
    outstanding: Decimal
    overdue: Decimal


def payment_sums(payments, *, today: datetime.date | None = None) -> PaymentSums:
    """The sums of an agreement's instalments (cancelled ones left out), from rows already read
    (``selectors.with_lines`` prefetches them): no query."""
    from core.deadlines import is_overdue

    today = today or timezone.localdate()
    live = [p for p in payments if not p.cancelled]
    paid = sum((p.amount for p in live if p.is_paid), Decimal(0))
    unpaid = [p for p in live if not p.is_paid]
    return PaymentSums(
        total=sum((p.amount for p in live), Decimal(0)),
        paid=paid,
        outstanding=sum((p.amount for p in unpaid), Decimal(0)),
        overdue=sum((p.amount for p in unpaid if is_overdue(p.due_on, today=today)), Decimal(0)),
    )


# --- an agreement's end ----------------------------------------------------------------------------


def cancel_after(*, agreement: Agreement, day: datetime.date) -> None:
    """An agreement ending on ``day``: unpaid instalments and open report duties due after it
    are cancelled (they stay on record, marked)."""
    Payment.objects.filter(agreement=agreement, paid_on__isnull=True, due_on__gt=day).update(
        cancelled=True
    )
    ReportDuty.objects.filter(
        agreement=agreement, due_on__gt=day, state__in=[DutyState.OPEN, DutyState.RETURNED]
    ).update(state=DutyState.CANCELLED)
