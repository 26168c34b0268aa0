"""Supports (and the § 12-1 threshold that makes a citizen proposal) and following a proposal."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify

from .. import deadlines
from .. import notifications as kinds
from ..models import (
    SUPPORTABLE_STATES,
    EventKind,
    Follow,
    Kind,
    Proposal,
    State,
    Support,
)
from ..selectors import (
    committee_recipients,
    follower_recipients,
    municipal_recipients,
)
from .common import _record, _refresh_next_due


def _support_change(*, proposal: Proposal, user, add: bool) -> Proposal:
    if not (user.is_authenticated and user.is_active):
        raise ValidationError(_("You must be logged in to support a proposal."))
    # The row lock serialises one proposal's supports, so the count and the threshold are exact.
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state not in SUPPORTABLE_STATES:
        raise ValidationError(_("This proposal is not collecting supports any more."))
    if add:
        Support.objects.bulk_create([Support(proposal=proposal, user=user)], ignore_conflicts=True)
    else:
        Support.objects.filter(proposal=proposal, user=user).delete()
    proposal.supports_count = Support.objects.filter(proposal=proposal).count()
    fields = ["supports_count"]
    if (
        add
        and proposal.citizen_proposal_at is None
        and proposal.supports_count >= deadlines.citizen_proposal_threshold()
    ):
        _become_citizen_proposal(proposal)
        fields += ["citizen_proposal_at", "decision_due", "next_due", "kind"]
    proposal.save(update_fields=[*fields, "updated_at"])
    return proposal


def _become_citizen_proposal(proposal: Proposal) -> None:
    """§ 12-1: enough signatures make it an innbyggerforslag, to be decided within six months."""
    now = timezone.now()
    proposal.citizen_proposal_at = now
    proposal.kind = proposal.kind if proposal.kind == Kind.TAKEOVER else Kind.CITIZEN
    proposal.decision_due = deadlines.citizen_proposal_due(timezone.localdate())
    _refresh_next_due(proposal)
    event = _record(
        proposal,
        actor=None,
        kind=EventKind.CITIZEN_PROPOSAL,
        message=_("%(n)d residents support the proposal.") % {"n": proposal.supports_count},
    )
    notify(
        recipients=municipal_recipients(proposal)
        + committee_recipients(proposal)
        + follower_recipients(proposal),
        kind=kinds.CITIZEN_PROPOSAL,
        context={"proposal": proposal, "event": event},
        target=proposal,
        dedupe_key=f"proposal:{proposal.pk}:citizen",
    )


@transaction.atomic
def proposal_support(*, proposal: Proposal, user) -> Proposal:
    """Support a proposal; supporting twice (even in parallel) leaves one support."""
    return _support_change(proposal=proposal, user=user, add=True)


@transaction.atomic
def proposal_unsupport(*, proposal: Proposal, user) -> Proposal:
    return _support_change(proposal=proposal, user=user, add=False)


@transaction.atomic
def proposal_follow(*, proposal: Proposal, user) -> Follow:
    if proposal.state == State.DRAFT or not user.is_authenticated:
        raise ValidationError(_("You cannot follow this proposal."))
    Follow.objects.bulk_create([Follow(proposal=proposal, user=user)], ignore_conflicts=True)
    return Follow.objects.get(proposal=proposal, user=user)


@transaction.atomic
def proposal_unfollow(*, proposal: Proposal, user) -> None:
    Follow.objects.filter(proposal=proposal, user=user).delete()
