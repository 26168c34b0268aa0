"""Dugnads on the proposals' pages (``proposals.sections``): a resident's wish for a joint
dugnad becomes one from the committee's inbox ("Lag dugnad"), and the proposal's page says
which dugnad it became. Registered in ``DugnadsConfig.ready``; proposals names nothing of ours.

The inbox shows the link on every row of that kind: ``prepare`` loads the rows' dugnads in one
query (``prefetch_related_objects`` over the reverse one-to-one ``Proposal.dugnad``), so the
inbox makes the same queries with 1 such proposal as with 100.
"""

from django.db.models import prefetch_related_objects
from django.urls import reverse

from proposals.models import Kind as ProposalKind
from proposals.sections import inbox_row, proposal_page

from .models import Dugnad
from .permissions import can_create_dugnad, can_view_dugnad
from .services.planning import PROPOSAL_STATES_NOT_MADE


def _dugnad_of(proposal) -> Dugnad | None:
    try:
        return proposal.dugnad
    except Dugnad.DoesNotExist:
        return None


def _create_url(proposal) -> str:
    url = reverse("dugnads:dugnad-create", kwargs={"slug": proposal.committee.slug})
    return f"{url}?forslag={proposal.reference}"


def _section(context, proposal) -> dict | None:
    """What a wish for a joint dugnad shows: the dugnad it became (if the user may see it), or,
    to the committee's board, the link that makes one."""
    if proposal.kind != ProposalKind.DUGNAD:
        return None
    user = context["request"].user
    dugnad = _dugnad_of(proposal)
    if dugnad is not None:
        if not can_view_dugnad(user, dugnad):
            return None
        return {"proposal": proposal, "dugnad": dugnad}
    if proposal.state in PROPOSAL_STATES_NOT_MADE or not can_create_dugnad(
        user, proposal.committee
    ):
        return None
    return {"proposal": proposal, "create_url": _create_url(proposal)}


def _prepare(proposals) -> None:
    prefetch_related_objects([p for p in proposals if p.kind == ProposalKind.DUGNAD], "dugnad")


def register() -> None:
    inbox_row.register("actions", "dugnads/_proposal_inbox_action.html", _section, prepare=_prepare)
    proposal_page.register("top", "dugnads/_proposal_page_dugnad.html", _section)
