"""Planning a dugnad as the organisers' form does it: the dugnad, what it needs, what the
municipality is asked for and who organises it, saved together or not at all.

``dugnad_plan_create`` and ``dugnad_plan_update`` wrap ``lifecycle.dugnad_create`` and
``lifecycle.dugnad_update`` with ``dugnad_save_needs``, ``dugnad_save_resources`` and
``dugnad_set_organisers`` in ONE transaction: an invalid need row (or resource, or organiser)
rolls back the dugnad's own change too, so nothing is ever half-saved.

Needs and resources are given as the whole list the dugnad should have (``NeedLine`` and
``ResourceLine``, with the ``pk`` of a line that exists already): lines not in the list are
removed, new ones added, the rest changed in place (so a sign-up that picked a need keeps it).
A resource the municipality has answered (confirmed or declined) is its commitment: it is kept
as it is and cannot be changed or removed here (passing it is refused, leaving it out keeps it).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees import selectors as committee_selectors
from committees.models import Department
from notifications.services import notify
from proposals.models import Kind as ProposalKind
from proposals.models import Proposal
from proposals.models import State as ProposalState

from .. import notifications as kinds
from ..models import (
    EDITABLE_STATES,
    MAX_NEEDS,
    MAX_RESOURCES,
    Dugnad,
    Need,
    Party,
    Resource,
    ResourceState,
    State,
)
from ..permissions import can_create_dugnad, parties_of
from .lifecycle import dugnad_create, dugnad_update

# A proposal that can become a dugnad: a wish for one, submitted (not a draft) and not withdrawn.
PROPOSAL_STATES_NOT_MADE = frozenset({ProposalState.DRAFT, ProposalState.WITHDRAWN})
# A proposal's reference as it may come in a query string (``?forslag=NMU-2026-0001``): letters,
# digits and dashes, at most the field's length; anything else (a NUL byte) is no reference.
REFERENCE = re.compile(r"[A-Za-z0-9-]{1,20}")


@dataclass(frozen=True)
class NeedLine:
    """One need as the organisers want it: ``pk`` of the need it changes, or None for a new one."""

    title: str
    people: int
    pk: int | None = None


@dataclass(frozen=True)
class ResourceLine:
    """One resource request as the organisers want it (``pk`` of an unanswered line, or None)."""

    kind: str
    department: Department
    details: str = ""
    pk: int | None = None


def _require_manager(dugnad: Dugnad, actor) -> None:
    if Party.COMMITTEE not in parties_of(actor, dugnad):
        raise ValidationError(_("You are not allowed to change this dugnad."))
    if dugnad.state not in EDITABLE_STATES:
        raise ValidationError(
            _("A dugnad that has taken place or was cancelled cannot be changed.")
        )


def _row_problem(number: int, error: ValidationError, *, what: str) -> ValidationError:
    """A row's model errors as one message naming the row ("Need 2: …")."""
    texts = [text for messages in error.message_dict.values() for text in messages]
    return ValidationError(
        _("%(what)s %(number)d: %(error)s") % {"what": what, "number": number, "error": texts[0]}
    )


# --- needs ---------------------------------------------------------------------------------------


def dugnad_save_needs(*, dugnad: Dugnad, actor, needs: list[NeedLine]) -> list[Need]:
    """Make the dugnad's needs exactly ``needs`` (in that order), at most ``MAX_NEEDS``."""
    _require_manager(dugnad, actor)
    if len(needs) > MAX_NEEDS:
        raise ValidationError(
            {"needs": _("A dugnad can have at most %(max)d needs.") % {"max": MAX_NEEDS}}
        )
    existing = {need.pk: need for need in dugnad.needs.all()}
    wanted = {line.pk for line in needs if line.pk is not None}
    if wanted - existing.keys():
        raise ValidationError({"needs": _("One of the needs is not this dugnad's.")})
    dugnad.needs.exclude(pk__in=wanted).delete()
    saved = []
    for order, line in enumerate(needs):
        need = existing.get(line.pk) or Need(dugnad=dugnad)
        need.title = (line.title or "").strip()
        need.people = line.people
        need.order = order
        try:
            need.full_clean()
        except ValidationError as error:
            raise ValidationError(
                {"needs": _row_problem(order + 1, error, what=_("Need"))}
            ) from None
        need.save()
        saved.append(need)
    return saved


# --- resources -----------------------------------------------------------------------------------


def _ask_department(*, dugnad: Dugnad, resource: Resource, now) -> None:
    """A line added to (or changed on) a published dugnad: its department is asked now, as the
    departments were when the dugnad was published."""
    resource.requested_at = now
    notify(
        recipients=committee_selectors.department_staff_users(department=resource.department),
        kind=kinds.RESOURCE_REQUESTED,
        context={"dugnad": dugnad},
        target=dugnad,
        dedupe_key=f"dugnad:{dugnad.pk}:resource:{resource.pk}:requested:{now.timestamp():.0f}",
    )


def dugnad_save_resources(*, dugnad: Dugnad, actor, resources: list[ResourceLine]) -> list:
    """Make the dugnad's unanswered resource requests exactly ``resources``; answered lines are
    kept as they are. While published, a new or changed line is asked of its department at once.
    At most ``MAX_RESOURCES`` lines in all (answered ones included)."""
    _require_manager(dugnad, actor)
    lines = list(dugnad.resources.select_related("department"))
    answered = {r.pk for r in lines if r.state != ResourceState.REQUESTED}
    open_ = {r.pk: r for r in lines if r.state == ResourceState.REQUESTED}
    wanted = {line.pk for line in resources if line.pk is not None}
    if wanted & answered:
        raise ValidationError(
            {"resources": _("The municipality has answered this request: it cannot be changed.")}
        )
    if wanted - open_.keys():
        raise ValidationError({"resources": _("One of the resources is not this dugnad's.")})
    if len(answered) + len(resources) > MAX_RESOURCES:
        raise ValidationError(
            {
                "resources": _("A dugnad can ask for at most %(max)d resources.")
                % {"max": MAX_RESOURCES}
            }
        )
    dugnad.resources.filter(state=ResourceState.REQUESTED).exclude(pk__in=wanted).delete()
    now = timezone.now()
    saved = []
    for number, line in enumerate(resources, start=1):
        resource = open_.get(line.pk) or Resource(dugnad=dugnad)
        before = (resource.kind, resource.department_id, resource.details)
        resource.kind = line.kind
        resource.department = line.department
        resource.details = (line.details or "").strip()
        try:
            resource.full_clean()
        except ValidationError as error:
            raise ValidationError(
                {"resources": _row_problem(number, error, what=_("Resource"))}
            ) from None
        changed = resource.pk is None or before != (
            resource.kind,
            resource.department_id,
            resource.details,
        )
        resource.save()
        if dugnad.state == State.PUBLISHED and changed:
            _ask_department(dugnad=dugnad, resource=resource, now=now)
            resource.save(update_fields=["requested_at"])
        saved.append(resource)
    return saved


# --- organisers ----------------------------------------------------------------------------------


def dugnad_set_organisers(*, dugnad: Dugnad, actor, organisers: list) -> None:
    """The organisers: at least one, each on the committee's board today."""
    _require_manager(dugnad, actor)
    board = {
        user.pk for user in committee_selectors.committee_board_users(committee=dugnad.committee)
    }
    if not organisers:
        raise ValidationError({"organisers": _("Choose at least one organiser.")})
    if any(user.pk not in board for user in organisers):
        raise ValidationError({"organisers": _("The organisers must be on the committee's board.")})
    dugnad.organisers.set(organisers)
    dugnad._organiser_ids = {user.pk for user in organisers}


# --- from a proposal -----------------------------------------------------------------------------


def proposal_for_dugnad(*, committee, reference: str) -> Proposal | None:
    """The proposal ``reference`` names if ``committee`` may make a dugnad of it, else None
    (no such proposal, another committee's, another kind, a draft or withdrawn, or made into a
    dugnad already)."""
    reference = (reference or "").strip()
    if not REFERENCE.fullmatch(reference):
        return None
    proposal = (
        Proposal.objects.filter(reference=reference, committee=committee)
        .select_related("committee")
        .first()
    )
    if proposal is None or proposal_dugnad_problems(committee=committee, proposal=proposal):
        return None
    return proposal


def proposal_dugnad_problems(*, committee, proposal: Proposal) -> list[str]:
    """Why ``committee`` cannot make a dugnad of ``proposal`` (empty when it can)."""
    if proposal.committee_id != committee.pk:
        return [_("The proposal belongs to another committee.")]
    if proposal.kind != ProposalKind.DUGNAD:
        return [_("Only a wish for a joint dugnad can become a dugnad.")]
    if proposal.state in PROPOSAL_STATES_NOT_MADE:
        return [_("The proposal is not submitted, or it was withdrawn.")]
    if Dugnad.objects.filter(origin_proposal=proposal).exists():
        return [_("This proposal has been made into a dugnad already.")]
    return []


# --- the form's one call -------------------------------------------------------------------------


@transaction.atomic
def dugnad_plan_create(
    *,
    committee,
    actor,
    needs: list[NeedLine] = (),
    resources: list[ResourceLine] = (),
    organisers: list | None = None,
    proposal: Proposal | None = None,
    **fields,
) -> Dugnad:
    """A new draft with its needs, resources and organisers (default: its creator), perhaps
    from a proposal (locked, so two leaders making a dugnad of it at once make one)."""
    if not can_create_dugnad(actor, committee):
        raise ValidationError(_("Only the committee's board can create a dugnad."))
    if proposal is not None:
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if problems := proposal_dugnad_problems(committee=committee, proposal=proposal):
            raise ValidationError({"proposal": problems})
    dugnad = dugnad_create(committee=committee, actor=actor, proposal=proposal, **fields)
    dugnad_save_needs(dugnad=dugnad, actor=actor, needs=list(needs))
    dugnad_save_resources(dugnad=dugnad, actor=actor, resources=list(resources))
    if organisers is not None:
        dugnad_set_organisers(dugnad=dugnad, actor=actor, organisers=list(organisers))
    return dugnad


@transaction.atomic
def dugnad_plan_update(
    *,
    dugnad: Dugnad,
    actor,
    needs: list[NeedLine] | None = None,
    resources: list[ResourceLine] | None = None,
    organisers: list | None = None,
    **fields,
) -> Dugnad:
    """Change a draft or a published dugnad with its needs, resources and organisers (None:
    left as they are). A new time or place is told to the participants and asks the
    municipality again for what it had answered (``dugnad_update``): so the dugnad itself is
    changed last, after its lines are saved as the form showed them (answered lines read-only)."""
    dugnad = (
        Dugnad.objects.select_for_update(of=("self",)).select_related("committee").get(pk=dugnad.pk)
    )
    if needs is not None:
        dugnad_save_needs(dugnad=dugnad, actor=actor, needs=list(needs))
    if resources is not None:
        dugnad_save_resources(dugnad=dugnad, actor=actor, resources=list(resources))
    if organisers is not None:
        dugnad_set_organisers(dugnad=dugnad, actor=actor, organisers=list(organisers))
    return dugnad_update(dugnad=dugnad, actor=actor, **fields)
