"""Payments: the plan generated from the pricing, marked paid by staff, cancelled after an
agreement's last day. (Filled in by the payments work.)"""

import datetime

from ..models import Agreement, DutyState, Payment, ReportDuty


def cancel_after(*, agreement: Agreement, day: datetime.date) -> None:
    """An agreement ending on ``day``: unpaid instalments and open report duties due after it
    are cancelled (they stay on record, marked)."""
    Payment.objects.filter(agreement=agreement, paid_on__isnull=True, due_on__gt=day).update(
        cancelled=True
    )
    ReportDuty.objects.filter(
        agreement=agreement, due_on__gt=day, state__in=[DutyState.OPEN, DutyState.RETURNED]
    ).update(state=DutyState.CANCELLED)
