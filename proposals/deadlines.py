"""Which deadlines run on a proposal, who must meet them, and the dates they fall on.

One place for the rules, used by the services (to keep ``Proposal.next_due``), the pages (to
show each deadline) and the daily follow-up (to remind and escalate).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core import deadlines as core_deadlines
from core.deadlines import add_months

from .models import (
    COMMITTEE_STATES,
    DIALOGUE_STATES,
    MUNICIPAL_STATES,
    Message,
    Party,
    Proposal,
    State,
)


def setting(name: str):
    return settings.PROPOSALS[name]


class DeadlineKind:
    COMMITTEE = "committee"
    PRELIMINARY = "preliminary"
    DECISION = "decision"
    INFO = "info"
    MESSAGE = "message"


LABELS = {
    DeadlineKind.COMMITTEE: _("The committee handles the proposal"),
    DeadlineKind.PRELIMINARY: _("Preliminary answer from the municipality"),
    DeadlineKind.DECISION: _("Decision from the municipality"),
    DeadlineKind.INFO: _("The committee answers the municipality's question"),
    DeadlineKind.MESSAGE: _("Answer to a message"),
}
# Shown publicly once a deadline has passed, e.g. "The deadline for … passed on 12.03.2027".
PASSED_LABELS = {
    DeadlineKind.COMMITTEE: _(
        "The committee's deadline for handling the proposal passed on %(date)s."
    ),
    DeadlineKind.PRELIMINARY: _(
        "The deadline for a preliminary answer from the municipality passed on %(date)s."
    ),
    DeadlineKind.DECISION: _(
        "The deadline for an answer from the municipality passed on %(date)s."
    ),
    DeadlineKind.INFO: _(
        "The deadline for the committee's answer to the municipality passed on %(date)s."
    ),
    DeadlineKind.MESSAGE: _("The deadline for answering a message passed on %(date)s."),
}


@dataclass(frozen=True)
class Deadline(core_deadlines.Deadline):
    """A proposal's deadline: ``core``'s (kind and last day) with the party that must act and,
    for a message asking for an answer, the message."""

    party: str  # Party.COMMITTEE or Party.MUNICIPALITY: who must act
    message_id: int | None = None

    @property
    def label(self):
        return LABELS[self.kind]

    def passed_text(self) -> str:
        from django.utils.formats import date_format

        return PASSED_LABELS[self.kind] % {"date": date_format(self.due, "SHORT_DATE_FORMAT")}

    @property
    def key(self) -> str:
        """Stable within one due date: a moved deadline gets fresh reminders."""
        suffix = f":{self.message_id}" if self.message_id else ""
        return f"{self.kind}{suffix}:{self.due.isoformat()}"


def committee_due(submitted_on: datetime.date) -> datetime.date:
    return submitted_on + datetime.timedelta(days=setting("COMMITTEE_DAYS"))


def preliminary_due(forwarded_on: datetime.date) -> datetime.date:
    return add_months(forwarded_on, setting("PRELIMINARY_ANSWER_MONTHS"))


def decision_due(forwarded_on: datetime.date) -> datetime.date:
    return forwarded_on + datetime.timedelta(days=setting("DECISION_DAYS"))


def citizen_proposal_due(reached_on: datetime.date) -> datetime.date:
    return add_months(reached_on, setting("CITIZEN_PROPOSAL_MONTHS"))


def info_due(asked_on: datetime.date) -> datetime.date:
    return asked_on + datetime.timedelta(days=setting("INFO_REQUEST_DAYS"))


def citizen_proposal_threshold() -> int:
    """Kommuneloven § 12-1: 2 % of the residents, but never more than 300 signatures."""
    population = settings.MUNICIPALITY["population"]
    share = setting("CITIZEN_PROPOSAL_SHARE_PERCENT")
    needed = -(-population * share // 100)  # ceil without floats
    return max(1, min(setting("CITIZEN_PROPOSAL_MAX_SIGNATURES"), needed))


# The states in which a case may have a running deadline: the committee's, the municipality's,
# and a message's (a message may ask for an answer after the decision, until the case is done).
# The pages read the deadlines with proposal_deadlines; the follow-up looks only at these cases.
RUNNING_STATES = COMMITTEE_STATES | DIALOGUE_STATES


def proposal_deadlines(proposal: Proposal, *, open_requests=()) -> list[Deadline]:
    """The deadlines running now, earliest first. ``open_requests``: the proposal's messages
    that ask for an answer and have none yet."""
    found = []
    state = proposal.state
    if state in COMMITTEE_STATES and proposal.committee_due:
        found.append(Deadline(DeadlineKind.COMMITTEE, proposal.committee_due, Party.COMMITTEE))
    if state in MUNICIPAL_STATES:
        if proposal.first_response_at is None and proposal.preliminary_due:
            found.append(
                Deadline(DeadlineKind.PRELIMINARY, proposal.preliminary_due, Party.MUNICIPALITY)
            )
        if proposal.decision_due:
            found.append(Deadline(DeadlineKind.DECISION, proposal.decision_due, Party.MUNICIPALITY))
    if state == State.INFO_REQUESTED and proposal.info_due:
        found.append(Deadline(DeadlineKind.INFO, proposal.info_due, Party.COMMITTEE))
    if state in RUNNING_STATES:  # also after the decision, until done
        for message in open_requests:
            if message.answer_by and message.answered_at is None:
                other = Party.MUNICIPALITY if message.party == Party.COMMITTEE else Party.COMMITTEE
                found.append(
                    Deadline(DeadlineKind.MESSAGE, message.answer_by, other, message_id=message.pk)
                )
    return sorted(found, key=lambda d: (d.due, d.kind))


def open_requests_for(proposal: Proposal) -> list[Message]:
    return list(proposal.messages.filter(answer_by__isnull=False, answered_at__isnull=True))
