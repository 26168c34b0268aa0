"""The daily deadline follow-up: reminders before each running deadline, and a notice (with
escalation) when one has passed."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from committees import selectors as committee_selectors
from notifications.services import notify

from .. import deadlines
from .. import notifications as kinds
from ..models import (
    COMMITTEE_STATES,
    DIALOGUE_STATES,
    Party,
    Proposal,
)
from ..selectors import (
    committee_recipients,
    escalation_recipients,
    party_recipients,
)


def deadlines_follow_up(*, today: datetime.date | None = None) -> dict[str, int]:
    """Remind before each running deadline and tell (and escalate) when one has passed.

    Runs daily from beat and may run any number of times: every notification has a dedupe key
    naming the deadline and its date, and the window looks back ``LOOKBACK_DAYS``, so a missed
    run is caught up and nothing is sent twice.
    """
    today = today or timezone.localdate()
    before = settings.PROPOSALS["REMINDER_DAYS_BEFORE"]
    lookback = settings.PROPOSALS["LOOKBACK_DAYS"]
    low, high = (
        today - datetime.timedelta(days=lookback + 1),
        today + datetime.timedelta(days=before),
    )
    date_fields = ["committee_due", "preliminary_due", "decision_due", "info_due"]
    window = Q()
    for name in date_fields:
        window |= Q(**{f"{name}__range": (low, high)})
    window |= Q(messages__answer_by__range=(low, high), messages__answered_at__isnull=True)
    states = [*COMMITTEE_STATES, *DIALOGUE_STATES]
    candidates = list(
        Proposal.objects.filter(window, state__in=states)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    counts = {"soon": 0, "passed": 0}
    for pk in candidates:
        with transaction.atomic():
            # Read again under the row lock: a case that moved on since the list was made
            # (forwarded, answered, decided) is not reminded of a deadline it no longer has.
            proposal = (
                Proposal.objects.select_for_update(of=("self",))
                .select_related("committee", "handler", "department")
                .filter(pk=pk, state__in=states)
                .first()
            )
            if proposal is None:
                continue
            for deadline in deadlines.proposal_deadlines(
                proposal, open_requests=deadlines.open_requests_for(proposal)
            ):
                base = f"proposal:{proposal.pk}:deadline:{deadline.key}"
                context = {"proposal": proposal, "deadline": deadline}
                if deadline.due - datetime.timedelta(days=before) <= today <= deadline.due:
                    counts["soon"] += notify(
                        recipients=party_recipients(proposal, deadline.party),
                        kind=kinds.DEADLINE_SOON,
                        context=context,
                        target=proposal,
                        dedupe_key=base + ":soon",
                    )
                elif deadline.due < today <= deadline.due + datetime.timedelta(days=lookback):
                    if deadline.party == Party.MUNICIPALITY:
                        people = escalation_recipients(proposal)
                    else:
                        people = (
                            committee_recipients(proposal)
                            + committee_selectors.committee_municipal_contacts(
                                committee=proposal.committee
                            )
                            + ([proposal.handler] if proposal.handler_id else [])
                        )
                    counts["passed"] += notify(
                        recipients=people,
                        kind=kinds.DEADLINE_PASSED,
                        context=context,
                        target=proposal,
                        dedupe_key=base + ":passed",
                    )
    return counts
