"""The proposals of a year, per committee: received, answered, accepted, and how long each party
took to answer (the municipality's key figures, ``grants.key_figures``).

Every figure counts in the year its event happened (Europe/Oslo):

* received: submitted to the committee (``submitted_at``) in the year;
* answered: got its answer in the year — the municipality's decision (``decided_at``: accepted,
  partly accepted or rejected) or the committee declining it (the timeline's step to
  "declined");
* accepted: decided in the year with an official answer of "accepted" or "partly accepted"
  (the answer's outcome, so a case that has since moved on to "in progress" or "completed"
  still counts);
* the committee's answer time: from the submission to the committee's first step on the
  timeline (taken up for consideration, forwarded or declined), for the first steps taken in
  the year;
* the municipality's answer time: from the forwarding (``forwarded_at``) to the municipality's
  first response (``first_response_at``: its first step or message after receiving the case,
  the clock of forvaltningsloven § 11a), for the first responses given in the year.

The times are medians (the middle case: one slow case does not move it), in days with one
decimal. Three queries whatever the number of proposals and committees: the counts (grouped in
SQL), and the two sides' start and end times, whose medians are taken in Python (PostgreSQL and
SQLite alike).
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery

from .models import Party, Proposal, ProposalEvent, State

ACCEPTED_OUTCOMES = (State.ACCEPTED, State.PARTLY_ACCEPTED)
SECONDS_A_DAY = Decimal(86_400)
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class CommitteeProposals:
    """One committee's proposals of a year (its own, not its sub-committees')."""

    received: int = 0
    answered: int = 0
    accepted: int = 0
    committee_days: Decimal | None = None  # median, None when no case had its first step
    municipality_days: Decimal | None = None  # median, None when no case had its first response


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def median_days(durations) -> Decimal | None:
    """The median of ``timedelta``s in days, to a tenth (half up); None for none."""
    durations = list(durations)
    if not durations:
        return None
    seconds = statistics.median(Decimal(d.total_seconds()) for d in durations)
    return (Decimal(seconds) / SECONDS_A_DAY).quantize(TENTH, rounding=ROUND_HALF_UP)


def _first_event(**where) -> Subquery:
    return Subquery(
        ProposalEvent.objects.filter(proposal=OuterRef("pk"), kind="transition", **where)
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )


def _committee_first_step() -> Subquery:
    return _first_event(actor_party=Party.COMMITTEE)


def _declined_at() -> Subquery:
    return _first_event(to_state=State.DECLINED)


def answer_times(*, year: int) -> tuple[dict, dict]:
    """(committee id → [the committee's answer times], committee id → [the municipality's])
    for the first steps and first responses of ``year``: two queries."""
    start, end = _year_bounds(year)
    committee_side = defaultdict(list)
    rows = (
        Proposal.objects.published()
        .filter(submitted_at__isnull=False)
        .annotate(first_step=_committee_first_step())
        .filter(first_step__gte=start, first_step__lt=end)
        .order_by()
        .values_list("committee_id", "submitted_at", "first_step")
    )
    for committee_id, submitted, first_step in rows:
        committee_side[committee_id].append(max(first_step - submitted, datetime.timedelta(0)))
    municipality_side = defaultdict(list)
    rows = (
        Proposal.objects.filter(
            forwarded_at__isnull=False, first_response_at__gte=start, first_response_at__lt=end
        )
        .order_by()
        .values_list("committee_id", "forwarded_at", "first_response_at")
    )
    for committee_id, forwarded, responded in rows:
        municipality_side[committee_id].append(max(responded - forwarded, datetime.timedelta(0)))
    return committee_side, municipality_side


@dataclass(frozen=True)
class ProposalYear:
    """The year's proposals per committee, and the medians over every committee's cases (the
    middle of all of them, not a median of the committees' medians)."""

    by_committee: dict  # committee id → CommitteeProposals
    committee_days: Decimal | None = None
    municipality_days: Decimal | None = None


def proposal_year_figures(*, year: int) -> ProposalYear:
    """Every committee's proposals of ``year`` (see the module's rules): three queries."""
    start, end = _year_bounds(year)
    received = Q(submitted_at__gte=start, submitted_at__lt=end)
    decided = Q(decided_at__gte=start, decided_at__lt=end)
    declined = Q(declined_at__gte=start, declined_at__lt=end)
    counts = (
        Proposal.objects.published()
        .annotate(declined_at=_declined_at())
        .filter(received | decided | declined)
        .order_by()
        .values("committee_id")
        .annotate(
            received=Count("pk", filter=received),
            answered=Count("pk", filter=decided | declined),
            accepted=Count("pk", filter=decided & Q(answer__outcome__in=ACCEPTED_OUTCOMES)),
        )
    )
    figures = {
        row["committee_id"]: CommitteeProposals(
            received=row["received"], answered=row["answered"], accepted=row["accepted"]
        )
        for row in counts
    }
    committee_side, municipality_side = answer_times(year=year)
    for committee_id in set(committee_side) | set(municipality_side):
        figures[committee_id] = replace(
            figures.get(committee_id, CommitteeProposals()),
            committee_days=median_days(committee_side.get(committee_id, ())),
            municipality_days=median_days(municipality_side.get(committee_id, ())),
        )
    return ProposalYear(
        by_committee=figures,
        committee_days=median_days(d for ds in committee_side.values() for d in ds),
        municipality_days=median_days(d for ds in municipality_side.values() for d in ds),
    )
