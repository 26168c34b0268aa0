"""Reading agreements: who hears of them (the step table's audiences) and the lists.

Lists are a fixed number of queries whatever their length (``with_lines``); the economic picture
lives in ``economics``."""

from django.db.models import Prefetch, QuerySet

from committees import selectors as committee_selectors
from committees.staff import case_handlers

from .models import Agreement, Payment, ReportDuty, Signature


def leader_recipients(agreement: Agreement) -> list:
    leader = committee_selectors.committee_leader(committee=agreement.committee)
    return [leader.user] if leader is not None else []


def board_recipients(agreement: Agreement) -> list:
    return committee_selectors.committee_board_users(committee=agreement.committee)


def department_recipients(agreement: Agreement) -> list:
    """The department's active staff; a department with nobody on the portal would hear
    nothing, so then every case handler hears instead (as for a dugnad's resources)."""
    staff = [
        person
        for person in committee_selectors.department_staff_users(department=agreement.department)
        if person.is_active and person.is_staff
    ]
    return staff or list(case_handlers())


def proposal_follower_recipients(agreement: Agreement) -> list:
    if agreement.origin_proposal_id is None:
        return []
    from proposals import selectors as proposal_selectors

    return proposal_selectors.follower_recipients(agreement.origin_proposal)


def with_lines(qs: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """Everything a page about agreements shows, in a fixed number of queries."""
    return qs.select_related("committee", "department", "origin_proposal").prefetch_related(
        "tasks",
        "provisions",
        Prefetch("payments", queryset=Payment.objects.order_by("due_on", "pk")),
        Prefetch("report_duties", queryset=ReportDuty.objects.order_by("due_on", "pk")),
        Prefetch(
            "signatures",
            queryset=Signature.objects.filter(voided_at__isnull=True).order_by("signed_at"),
            to_attr="valid_signatures",
        ),
    )


def agreement_get(*, number: str) -> Agreement:
    return with_lines(Agreement.objects.all()).get(number=number)
