"""Reading agreements: who hears of them (the step table's audiences) and the lists.

Lists are a fixed number of queries whatever their length (``with_lines``); the economic picture
lives in ``economics``."""

import datetime

from django.db.models import Prefetch, Q, QuerySet

from committees import selectors as committee_selectors
from committees.staff import case_handlers

from .models import CLOSED_STATES, Agreement, Payment, ReportDuty, Signature, public_q


def leader_recipients(agreement: Agreement) -> list:
    leader = committee_selectors.committee_leader(committee=agreement.committee)
    return [leader.user] if leader is not None else []


def board_recipients(agreement: Agreement) -> list:
    return committee_selectors.committee_board_users(committee=agreement.committee)


def department_recipients(department) -> list:
    """A municipal department's active staff (an agreement's, a payment's payer); a department
    with nobody on the portal would hear nothing, so then every case handler hears instead (as
    for a dugnad's resources); so does no department at all. The grants' audiences use it too."""
    if department is None:
        return list(case_handlers())
    staff = [
        person
        for person in committee_selectors.department_staff_users(department=department)
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


# --- Lists (views/public.py, workspace.py) -------------------------------------------------------


def agreement_list_public(
    *,
    committee_slug: str = "",
    department_slug: str = "",
    kind: str = "",
    state: str = "",
    year: int | None = None,
) -> QuerySet[Agreement]:
    """/avtaler/: the signed agreements (``Agreement.objects.public``), newest period first,
    filtered; each row with its committee and department (one query for a page of rows)."""
    qs = Agreement.objects.public().select_related("committee", "department")
    if committee_slug:
        qs = qs.filter(committee__slug=committee_slug)
    if department_slug:
        qs = qs.filter(department__slug=department_slug)
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    if year is not None:
        qs = qs.filter(year_q(year))
    return qs.order_by("-starts_on", "-number")


def year_q(year: int) -> Q:
    """An agreement in force for some part of ``year``: it starts on or before 31 December and
    its last day (its end, or the day a termination takes effect) is on or after 1 January."""
    return Q(starts_on__lte=datetime.date(year, 12, 31)) & (
        Q(terminated_on__isnull=True, ends_on__gte=datetime.date(year, 1, 1))
        | Q(terminated_on__gte=datetime.date(year, 1, 1))
    )


def department_filter_choices() -> list[tuple[str, str]]:
    """(slug, name) of every department, for the list's filter (one query)."""
    from committees.models import Department

    return list(Department.objects.order_by("name").values_list("slug", "name"))


def workspace_agreements(
    *, committee_ids, unsigned: bool, limit: int | None = None
) -> list[Agreement]:
    """The agreements of these committees still running or to come (not ended, renewed or
    terminated), with everything the workspace shows (``with_lines``: a fixed number of
    queries); ``unsigned`` includes the drafts, for the committees' boards."""
    qs = Agreement.objects.filter(committee_id__in=list(committee_ids)).exclude(
        state__in=CLOSED_STATES
    )
    if not unsigned:
        qs = qs.filter(public_q())
    qs = with_lines(qs).order_by("committee__name", "starts_on", "number")
    return list(qs if limit is None else qs[:limit])


def board_committee_ids(*, user) -> list[int]:
    """The committees where ``user`` sits on the board today (one query)."""
    if not user.is_authenticated:
        return []
    from committees.models import Membership

    return list(
        Membership.objects.current()
        .board()
        .filter(user=user)
        .values_list("committee_id", flat=True)
        .distinct()
    )


def agreement_events(*, agreement: Agreement) -> list:
    """The agreement's timeline, oldest first, with each actor (one query)."""
    return list(agreement.events.select_related("actor").order_by("created_at", "pk"))
