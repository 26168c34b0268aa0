"""The committee's grants in its workspace: the committee page's "Grants" section and Min side's.

For the committee's board: the application-based schemes open today with "Apply", and the
committee's applications with their state and the next deadline on either side (the
municipality's answer or review, the committee's extra information or report), each with an
"overdue" mark: the municipality's deadlines count as much as the committee's. Municipal staff
see the applications too; everyone else the granted ones only, and nothing at all when there are
none. A fixed number of queries whatever the number of applications; at most
``WORKSPACE_LIMIT`` are listed, the rest are on the committee's grants page
(``grants:committee-grants``).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from committees.staff import is_municipal_staff
from core.deadlines import Deadline
from core.sections import context_user

from .deadlines import committee_deadline, municipality_deadline
from .models import PUBLIC_APPLICATION_STATES, Application
from .permissions import is_board

WORKSPACE_LIMIT = 25


@dataclass(frozen=True)
class Row:
    """One application and what is next on it."""

    application: Application
    municipality: Deadline | None  # the municipality's answer or review, when it runs
    committee: Deadline | None  # the committee's extra information, report or corrections
    today: datetime.date

    @property
    def municipality_overdue(self) -> bool:
        return self.municipality is not None and self.municipality.is_overdue(self.today)

    @property
    def committee_overdue(self) -> bool:
        return self.committee is not None and self.committee.is_overdue(self.today)

    @property
    def overdue(self) -> bool:
        return self.municipality_overdue or self.committee_overdue


def row_for(application: Application, *, today: datetime.date | None = None) -> Row:
    """What is next on one application (its scheme loaded with it: no query)."""
    return Row(
        application=application,
        municipality=municipality_deadline(application),
        committee=committee_deadline(application),
        today=today or timezone.localdate(),
    )


def _applications(committee_ids, *, party: bool, limit: int):
    qs = Application.objects.filter(committee_id__in=list(committee_ids)).select_related(
        "scheme", "committee"
    )
    if not party:
        qs = qs.filter(state__in=sorted(PUBLIC_APPLICATION_STATES))
    return list(qs.order_by("-created_at", "-pk")[: limit + 1])


def rows(*, committee_ids, party: bool, today=None) -> tuple[list[Row], bool]:
    """The rows (at most ``WORKSPACE_LIMIT``) and whether there are more."""
    today = today or timezone.localdate()
    found = _applications(committee_ids, party=party, limit=WORKSPACE_LIMIT)
    return [row_for(a, today=today) for a in found[:WORKSPACE_LIMIT]], len(found) > WORKSPACE_LIMIT


def _open_schemes(today):
    from .services.applications import open_schemes

    return list(open_schemes(today=today)[:WORKSPACE_LIMIT])


def committee_grants_context(context, committee) -> dict | None:
    user = context_user(context)
    board = user is not None and is_board(user, committee)
    party = board or (user is not None and is_municipal_staff(user))
    today = timezone.localdate()
    workspace, more = rows(committee_ids=[committee.pk], party=party, today=today)
    if not workspace and not board:
        return None
    return {
        "committee": committee,
        "rows": workspace,
        "more": more,
        "board": board,
        "party": party,
        "schemes": _open_schemes(today) if board else [],
        "request": context.get("request"),
    }


def my_grants_context(context, user=None) -> dict | None:
    """Min side: across the committees where the person sits on the board."""
    from agreements.selectors import board_committee_ids

    user = user or context_user(context)
    if user is None or not user.is_authenticated:
        return None
    committee_ids = board_committee_ids(user=user)
    if not committee_ids:
        return None
    today = timezone.localdate()
    workspace, more = rows(committee_ids=committee_ids, party=True, today=today)
    schemes = _open_schemes(today)
    if not workspace and not schemes:
        return None
    from committees.models import Committee

    return {
        "rows": workspace,
        "more": more,
        "schemes": schemes,
        "committees": list(Committee.objects.filter(pk__in=committee_ids).order_by("name")),
        "request": context.get("request"),
    }


def register() -> None:
    from committees import sections

    sections.committee_page.register(
        "main", "grants/_committee_grants.html", committee_grants_context, order=130
    )
    sections.my_committees_page.register(
        "main", "grants/_application_workspace.html", my_grants_context
    )
