""" "Lag avtaleutkast": a draft agreement from an accepted take-over proposal.

The committee wrote in its proposal what it offers to do (the task, the place, the season, the
hours) and what it asks in return (the yearly compensation, what the municipality must provide).
The case handler should not type that again: the draft starts as the proposal said, and the two
parties work out the rest (the period, the payment plan, the report duties) before sending it.

A draft is the parties' own (``permissions.can_view_agreement``), so nothing is said on the
proposal's public timeline here: its followers hear when both have signed (the step table's
``FROM_PROPOSAL`` notice), and the proposal completes when the agreement comes into force.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from proposals.models import Proposal
from proposals.states import Category as ProposalCategory
from proposals.states import Kind as ProposalKind
from proposals.states import State as ProposalState

from ..models import LINE_MAX_LENGTH, TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Agreement
from ..permissions import can_draft_agreements
from ..states import Kind, Pricing, ProvisionKind, TaskKind
from .lifecycle import agreement_create
from .terms import provision_save, task_save

# "An accepted take-over proposal": accepted in whole or in part — or already in progress (the
# municipality marked the work started before the agreement was written, as in the demo).
DRAFTABLE_STATES = frozenset(
    {ProposalState.ACCEPTED, ProposalState.PARTLY_ACCEPTED, ProposalState.IN_PROGRESS}
)

# The task catalogue guessed from the committee's own words, first match wins. Stems match
# inside compounds ("blomsterplanting", "gressklipping"); the ice rink's "is" only as a word of
# its own (or "isbane", "isflate"), since "is" is inside "flaggheising".
TASK_WORDS: list[tuple[re.Pattern, str]] = [
    (re.compile(pattern, re.IGNORECASE), kind)
    for pattern, kind in [
        (r"flagg", TaskKind.FLAG_RAISING),
        (r"løv", TaskKind.LEAF_BLOWING),
        (r"plant|vann", TaskKind.PLANTING),
        (r"gress|klipp|slått", TaskKind.GRASS_CUTTING),
        (r"strand", TaskKind.BEACH_CLEANING),
        (r"lekeplass", TaskKind.PLAYGROUND),
        (r"skøyte|\bis(bane\w*|flate\w*|en)?\b", TaskKind.ICE_RINK),
        (r"møteplass", TaskKind.MEETING_PLACE),
    ]
]
# When the words say nothing: the one topic that names a single task.
TASK_BY_CATEGORY = {ProposalCategory.MEETING_PLACES: TaskKind.MEETING_PLACE}


def guess_task_kind(*, task: str, title: str = "", category: str = "") -> str:
    """The catalogue's task for what the proposal describes: its task text, then its title,
    then its topic; "other" when none says (the case handler can change it in the draft)."""
    for text in (task, title):
        for pattern, kind in TASK_WORDS:
            if text and pattern.search(text):
                return kind
    return TASK_BY_CATEGORY.get(category, TaskKind.OTHER)


def _cut(text: str, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def check_draftable(proposal: Proposal, *, actor) -> None:
    """Why ``proposal`` cannot be made a draft by ``actor`` now (a ``ValidationError``), or
    nothing. The proposal page's button and the admin's action ask here too."""
    if actor is not None and not can_draft_agreements(actor):
        raise ValidationError(_("Only municipal staff can draft an agreement."))
    if proposal.kind != ProposalKind.TAKEOVER:
        raise ValidationError(
            _("Only a proposal to take over a municipal task becomes an agreement.")
        )
    if proposal.state not in DRAFTABLE_STATES:
        raise ValidationError(
            _("The proposal is “%(state)s”: only an accepted proposal becomes an agreement.")
            % {"state": proposal.get_state_display()}
        )
    if Agreement.objects.filter(origin_proposal=proposal).exists():
        raise ValidationError(_("An agreement has already been drafted from this proposal."))


def may_draft(proposal: Proposal, *, actor) -> bool:
    try:
        check_draftable(proposal, actor=actor)
    except ValidationError:
        return False
    return True


@transaction.atomic
def draft_from_proposal(*, proposal: Proposal, actor, department=None) -> Agreement:
    """A draft operating agreement with the proposal's committee, pre-filled from the proposal:
    its title; its summary and body as the terms' text; one task (the kind guessed from the
    words, the proposal's task, place, season, hours and compensation as a fixed yearly sum);
    and what the municipality must provide as an in-kind line without a value yet.

    ``department`` is the municipality's party: the given one, else the proposal's (one is
    required). ``actor`` is municipal staff who may draft (``None``: the portal itself, as the
    demo). One transaction: a refusal anywhere leaves nothing behind. The proposal's row is
    locked, so two case handlers clicking at once make one draft."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("committee", "department")
        .get(pk=proposal.pk)
    )
    check_draftable(proposal, actor=actor)
    department = department or proposal.department
    if department is None:
        raise ValidationError(
            {"department": _("Choose the municipal department that is party to the agreement.")}
        )
    terms = "\n\n".join(part.strip() for part in (proposal.summary, proposal.body) if part.strip())
    agreement = agreement_create(
        committee=proposal.committee,
        department=department,
        actor=actor,
        proposal=proposal,
        title=_cut(proposal.title, TITLE_MAX_LENGTH),
        terms=_cut(terms, TEXT_MAX_LENGTH),
        kind=Kind.OPERATION,
    )
    task_save(
        agreement=agreement,
        actor=actor,
        kind=guess_task_kind(task=proposal.task, title=proposal.title, category=proposal.category),
        description=proposal.task,
        locations=proposal.location_text,
        season=_cut(proposal.season, LINE_MAX_LENGTH),
        hours_per_year=proposal.volunteer_hours_per_year or 0,
        pricing=Pricing.FIXED,
        amount=proposal.compensation_per_year or 0,
    )
    if proposal.municipality_provides.strip():
        provision_save(
            agreement=agreement,
            actor=actor,
            kind=ProvisionKind.EQUIPMENT,
            description=_cut(proposal.municipality_provides, LINE_MAX_LENGTH),
            value_per_year=0,
        )
    return agreement
