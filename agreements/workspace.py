"""The leader's workspace: the committee's agreements with their next deadlines on both sides.

Shown on the committee page (``committees.sections.committee_page``, slot "main") and on Min
side → My committees (``committees.sections.my_committees_page``): for the committee's board
every agreement still running or to come, drafts included, with the next report due, the next
payment expected from the municipality and the renewal coming, each with its deadline and an
"overdue" mark (the municipality's deadlines count as much as the committee's); for everyone
else the signed agreements only. A fixed number of queries whatever the number of agreements
(``selectors.workspace_agreements``), the deadlines worked out from the prefetched lines.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from committees.permissions import is_board_member
from committees.staff import is_municipal_staff
from core.deadlines import add_months, is_overdue
from core.sections import context_user

from . import selectors
from .models import DUTY_OWED_STATES, IN_FORCE_STATES, Agreement, State

# An agreement whose notice period starts within this many days shows "renewal coming".
RENEWAL_HORIZON_DAYS = 90
# At most this many agreements in a workspace; the rest are a link away (the list, filtered):
# a page must not grow with the number of agreements.
WORKSPACE_LIMIT = 25


@dataclass(frozen=True)
class Row:
    """One agreement in the workspace and what is next on it."""

    agreement: Agreement
    next_report: object  # ReportDuty or None
    next_payment: object  # Payment or None
    notice_starts_on: datetime.date | None  # shown when the renewal is coming
    today: datetime.date

    @property
    def report_overdue(self) -> bool:
        return self.next_report is not None and is_overdue(
            self.next_report.due_on, today=self.today
        )

    @property
    def payment_overdue(self) -> bool:
        return self.next_payment is not None and is_overdue(
            self.next_payment.due_on, today=self.today
        )

    @property
    def renewal_coming(self) -> bool:
        return self.notice_starts_on is not None

    @property
    def expiring(self) -> bool:
        return self.agreement.state == State.EXPIRING


def notice_start(agreement: Agreement) -> datetime.date:
    """The first day of the notice period: the end, less the notice (calendar months)."""
    return add_months(agreement.ends_on, -agreement.notice_months)


def row_for(agreement: Agreement, *, today: datetime.date) -> Row:
    """What is next on one agreement, from its prefetched duties and payments (no query)."""
    in_force = agreement.state in IN_FORCE_STATES
    duties = [d for d in agreement.report_duties.all() if d.state in DUTY_OWED_STATES]
    payments = [p for p in agreement.payments.all() if not p.is_paid and not p.cancelled]
    coming = None
    if in_force and agreement.terminated_on is None:
        starts = notice_start(agreement)
        if agreement.state == State.EXPIRING or starts <= today + datetime.timedelta(
            days=RENEWAL_HORIZON_DAYS
        ):
            coming = starts
    return Row(
        agreement=agreement,
        next_report=min(duties, key=lambda d: (d.due_on, d.pk)) if in_force and duties else None,
        next_payment=(
            min(payments, key=lambda p: (p.due_on, p.pk)) if in_force and payments else None
        ),
        notice_starts_on=coming,
        today=today,
    )


def rows(*, committee_ids, unsigned: bool, today: datetime.date | None = None) -> list[Row]:
    """The workspace's rows, at most ``WORKSPACE_LIMIT`` + 1 (one more says there are more)."""
    today = today or timezone.localdate()
    return [
        row_for(agreement, today=today)
        for agreement in selectors.workspace_agreements(
            committee_ids=committee_ids, unsigned=unsigned, limit=WORKSPACE_LIMIT + 1
        )
    ]


def _trimmed(workspace: list[Row]) -> tuple[list[Row], bool]:
    return workspace[:WORKSPACE_LIMIT], len(workspace) > WORKSPACE_LIMIT


def committee_workspace_context(context, committee) -> dict | None:
    """The committee page's "Agreements": its board sees drafts and deadlines, the public the
    signed agreements; nothing at all when there is nothing to show."""
    user = context_user(context)
    board = user is not None and user.is_authenticated and is_board_member(user, committee)
    # The two parties see the drafts: the committee's board, and municipal staff.
    party = board or (user is not None and is_municipal_staff(user))
    workspace, more = _trimmed(rows(committee_ids=[committee.pk], unsigned=party))
    if not workspace and not board:
        return None
    from .economics import committee_rollup

    year = timezone.localdate().year
    # Only when something signed is listed: the roll-up counts signed agreements only.
    signed = any(row.agreement.is_public for row in workspace)
    rollup = committee_rollup(committee=committee, year=year) if signed else None
    return {
        "committee": committee,
        "rows": workspace,
        "more": more,
        "board": board,
        "party": party,
        "rollup": rollup if rollup is not None and rollup.agreements else None,
        "year": year,
        "request": context.get("request"),
    }


def my_workspace_context(context, user=None) -> dict | None:
    """Min side: the workspace across every committee where the person sits on the board;
    nothing for someone on no board, or whose committees have no agreements."""
    user = user or context_user(context)
    if user is None or not user.is_authenticated:
        return None
    committee_ids = selectors.board_committee_ids(user=user)
    if not committee_ids:
        return None
    workspace, more = _trimmed(rows(committee_ids=committee_ids, unsigned=True))
    if not workspace:
        return None
    return {"rows": workspace, "more": more, "request": context.get("request")}


def register() -> None:
    from committees import sections

    sections.committee_page.register(
        "main", "agreements/_committee_agreements.html", committee_workspace_context, order=120
    )
    sections.my_committees_page.register(
        "main", "agreements/_my_agreements.html", my_workspace_context
    )
