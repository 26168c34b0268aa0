"""The hourly deadline follow-up: reminders before each running deadline, and a notice (with
escalation) when one has passed. ``core.deadlines`` does the follow-up; this module says what
is the proposals' own: which cases, their deadlines, and who hears what."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from committees import selectors as committee_selectors
from core.deadlines import DeadlineFollowUp
from notifications.services import notify

from .. import deadlines
from .. import notifications as kinds
from ..models import Party, Proposal
from ..selectors import escalation_recipients, party_recipients

# Cases whose deadlines are followed up: those that may have one running.
FOLLOWED_STATES = sorted(deadlines.RUNNING_STATES)
DATE_FIELDS = ["committee_due", "preliminary_due", "decision_due", "info_due"]


def _candidates(low: datetime.date, high: datetime.date):
    window = Q()
    for name in DATE_FIELDS:
        window |= Q(**{f"{name}__range": (low, high)})
    window |= Q(messages__answer_by__range=(low, high), messages__answered_at__isnull=True)
    return Proposal.objects.filter(window, state__in=FOLLOWED_STATES)


def _escalation(proposal: Proposal, deadline: deadlines.Deadline) -> list:
    """A passed municipal deadline goes to the whole department and the handler; a passed
    committee deadline also to the committee's municipal contact and the case's handler."""
    if deadline.party == Party.MUNICIPALITY:
        return escalation_recipients(proposal)
    return [
        *committee_selectors.committee_municipal_contacts(committee=proposal.committee),
        *([proposal.handler] if proposal.handler_id else []),
    ]


def deadlines_follow_up(*, today: datetime.date | None = None) -> dict[str, int]:
    """Remind before each running deadline and tell (and escalate) when one has passed.

    Runs hourly from beat and may run any number of times: every notification has a dedupe key
    naming the deadline and its date (``proposal:7:deadline:decision:2027-03-12:passed``), and
    the window looks back ``LOOKBACK_DAYS``, so a missed run is caught up and nothing is sent
    twice. Each case is read again under its row lock: one that moved on since the list was made
    (forwarded, answered, decided) is not reminded of a deadline it no longer has.
    """
    return DeadlineFollowUp(
        candidates=_candidates,
        current=Proposal.objects.filter(state__in=FOLLOWED_STATES).select_related(
            "committee", "handler", "department"
        ),
        deadlines_of=lambda proposal: deadlines.proposal_deadlines(
            proposal, open_requests=deadlines.open_requests_for(proposal)
        ),
        key_prefix=lambda proposal: f"proposal:{proposal.pk}:deadline",
        reminder_kind=kinds.DEADLINE_SOON,
        passed_kind=kinds.DEADLINE_PASSED,
        reminder_recipients=lambda proposal, deadline: party_recipients(proposal, deadline.party),
        passed_recipients=lambda proposal, deadline: party_recipients(proposal, deadline.party),
        escalation_recipients=_escalation,
        context=lambda proposal, deadline, phase: {"proposal": proposal, "deadline": deadline},
        notify=notify,
        days_before=settings.PROPOSALS["REMINDER_DAYS_BEFORE"],
        lookback_days=settings.PROPOSALS["LOOKBACK_DAYS"],
    ).run(today=today or timezone.localdate())
