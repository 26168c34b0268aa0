"""Both parties' deadlines on an agreement, followed up daily through ``core.deadlines``
(``agreements.tasks``): read from the rows, nothing stored for them.

The municipality's deadlines count exactly as much as the committee's (issue 12):

- **payments** (the municipality): each unpaid instalment's ``due_on`` is its last day, a
  grant's payment (no agreement: ``payment_owners``) exactly like an agreement's. The
  department is reminded ``PAYMENT_REMINDER_DAYS_BEFORE`` days before; once it has passed the
  department is told again with the escalation — every case handler — and the committee's
  board sees it too (an overdue payment is visible to both parties);
- **reports** (the committee): each owed report duty's ``due_on`` (open, or returned for
  changes). The committee's board is reminded ``REPORT_REMINDER_DAYS_BEFORE`` days before; once
  it has passed the board is told and it is escalated to the department.

Only agreements in force are followed up (``IN_FORCE_STATES``), and a terminated one until its
last day; a grant's payment until it is paid or cancelled. Each notification has a dedupe key
naming the agreement, the line and its due date
(``agreement:7:payment:12:payment:2027-06-30:passed``; a grant's ``grant-payment:12:…``): a
re-run sends nothing twice, a moved due date gets fresh reminders; a passed deadline is told
for ``LOOKBACK_DAYS`` days, so a run missed is caught up.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from committees import selectors as committee_selectors
from committees.staff import case_handlers
from core.deadlines import PASSED, SOON, Deadline, DeadlineFollowUp
from notifications.services import notify

from . import notifications as kinds
from .models import DUTY_OWED_STATES, IN_FORCE_STATES, Payment, ReportDuty, State
from .payment_owners import owner_relations, target_of
from .selectors import board_recipients, department_recipients

PAYMENT = "payment"
REPORT = "report"


def followed_q(today: datetime.date, *, prefix: str = "agreement__") -> Q:
    """The agreements whose deadlines run today: in force, or terminated and not yet past their
    last day (``Agreement.last_day``)."""
    return Q(**{f"{prefix}state__in": IN_FORCE_STATES}) | Q(
        **{f"{prefix}state": State.TERMINATED, f"{prefix}terminated_on__gte": today}
    )


def is_followed(agreement, today: datetime.date) -> bool:
    """``followed_q`` for one row."""
    return agreement.state in IN_FORCE_STATES or (
        agreement.state == State.TERMINATED and agreement.last_day >= today
    )


def payment_deadline(payment: Payment) -> Deadline | None:
    """An unpaid, uncancelled instalment's due date (``None`` once paid or cancelled)."""
    if payment.is_paid or payment.cancelled:
        return None
    return Deadline(PAYMENT, payment.due_on)


def report_deadline(duty: ReportDuty) -> Deadline | None:
    """A report the committee still owes (open, or returned for changes)."""
    if duty.state not in DUTY_OWED_STATES:
        return None
    return Deadline(REPORT, duty.due_on)


def _only(deadline: Deadline | None) -> list[Deadline]:
    return [deadline] if deadline is not None else []


def _lookback() -> int:
    return settings.AGREEMENTS["LOOKBACK_DAYS"]


# --- the municipality: payments ------------------------------------------------------------------


def followed_payments_q(today: datetime.date) -> Q:
    """The payments whose deadlines run today: an agreement's while it is followed
    (``followed_q``), a grant's (no agreement) always."""
    return followed_q(today) | Q(agreement__isnull=True)


def payment_key_prefix(payment: Payment) -> str:
    """``agreement:7:payment:12`` for an agreement's instalment, ``grant-payment:12`` for a
    grant's."""
    if payment.agreement_id is None:
        return f"grant-payment:{payment.pk}"
    return f"agreement:{payment.agreement_id}:payment:{payment.pk}"


def payee_board(payment: Payment) -> list:
    """The board of the committee paid (the agreement's, or the grant payment's own)."""
    return committee_selectors.committee_board_users(committee=payment.payee)


def _payment_escalation(payment: Payment, deadline: Deadline) -> list:
    """An overdue payment: every case handler, and the committee's board sees it too."""
    return [*case_handlers(), *payee_board(payment)]


def payments_follow_up(*, today: datetime.date | None = None) -> dict[str, int]:
    """Remind the paying department of each payment due soon (an agreement's instalment or a
    grant's); once overdue tell it again, with every case handler and the committee's board.
    Returns ``{"soon": n, "passed": n}``."""
    today = today or timezone.localdate()
    owed = Payment.objects.filter(followed_payments_q(today), paid_on__isnull=True, cancelled=False)
    return DeadlineFollowUp(
        candidates=lambda low, high: owed.filter(due_on__range=(low, high)),
        current=owed.select_related(
            "agreement__committee",
            "agreement__department",
            "committee",
            "department",
            *owner_relations(),
        ),
        deadlines_of=lambda payment: _only(payment_deadline(payment)),
        key_prefix=payment_key_prefix,
        reminder_kind=kinds.PAYMENT_DUE,
        passed_kind=kinds.PAYMENT_OVERDUE,
        reminder_recipients=lambda payment, deadline: department_recipients(payment.payer),
        passed_recipients=lambda payment, deadline: department_recipients(payment.payer),
        escalation_recipients=_payment_escalation,
        context=lambda payment, deadline, phase: {
            "agreement": payment.agreement,
            "payment": payment,
            "payee": payment.payee,
            "deadline": deadline,
        },
        target=target_of,
        notify=notify,
        days_before=settings.AGREEMENTS["PAYMENT_REMINDER_DAYS_BEFORE"],
        lookback_days=_lookback(),
    ).run(today=today)


# --- the committee: reports --------------------------------------------------------------------


def _report_target(duty: ReportDuty) -> str:
    return reverse(
        "agreements:report-form", kwargs={"number": duty.agreement.number, "pk": duty.pk}
    )


def reports_follow_up(*, today: datetime.date | None = None) -> dict[str, int]:
    """Remind the committee's board of each report due soon; once overdue tell the board again
    and escalate to the department. Returns ``{"soon": n, "passed": n}``."""
    today = today or timezone.localdate()
    owed = ReportDuty.objects.filter(followed_q(today), state__in=DUTY_OWED_STATES)
    return DeadlineFollowUp(
        candidates=lambda low, high: owed.filter(due_on__range=(low, high)),
        current=owed.select_related("agreement__committee", "agreement__department"),
        deadlines_of=lambda duty: _only(report_deadline(duty)),
        key_prefix=lambda duty: f"agreement:{duty.agreement_id}:report:{duty.pk}",
        reminder_kind=kinds.REPORT_DUE,
        passed_kind=kinds.REPORT_OVERDUE,
        reminder_recipients=lambda duty, deadline: board_recipients(duty.agreement),
        passed_recipients=lambda duty, deadline: board_recipients(duty.agreement),
        escalation_recipients=lambda duty, deadline: department_recipients(
            duty.agreement.department
        ),
        context=lambda duty, deadline, phase: {
            "agreement": duty.agreement,
            "duty": duty,
            "deadline": deadline,
        },
        target=_report_target,
        notify=notify,
        days_before=settings.AGREEMENTS["REPORT_REMINDER_DAYS_BEFORE"],
        lookback_days=_lookback(),
    ).run(today=today)


__all__ = [
    "PASSED",
    "SOON",
    "followed_q",
    "is_followed",
    "payment_deadline",
    "payments_follow_up",
    "report_deadline",
    "reports_follow_up",
]
