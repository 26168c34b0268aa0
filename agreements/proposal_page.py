"""Agreements on a take-over proposal's page (``proposals.sections.proposal_page``, slot
"top"): the case handler's "Lag avtaleutkast" button on an accepted proposal that has no
agreement yet, and the agreement it became — to everyone once both parties have signed it, to
the two parties (the committee's board, municipal staff) while it is a draft. Registered in
``AgreementsConfig.ready``; proposals names nothing of ours.

Not in the committee inbox's rows: the inbox is the committee's, and the draft is staff's work.
"""

from django.urls import reverse

from core.sections import context_user
from proposals.models import Kind as ProposalKind
from proposals.sections import proposal_page

from .forms.manage import DraftFromProposalForm
from .models import Agreement
from .permissions import can_draft_agreements, can_view_agreement


def _agreement_of(proposal) -> Agreement | None:
    try:
        return proposal.agreement
    except Agreement.DoesNotExist:
        return None


def _section(context, proposal) -> dict | None:
    if proposal.kind != ProposalKind.TAKEOVER:
        return None
    user = context_user(context)
    if user is None:
        return None
    agreement = _agreement_of(proposal)
    if agreement is not None:
        if not can_view_agreement(user, agreement):
            return None  # a draft is the two parties'
        return {"proposal": proposal, "agreement": agreement}
    if not can_draft_agreements(user):
        return None
    # Imported here: the services import notifications', which must not load while the apps
    # are getting ready (its templates load every template tag library, ours among them).
    from .services.drafting import may_draft

    if not may_draft(proposal, actor=user):
        return None
    return {
        "proposal": proposal,
        "draft_url": reverse(
            "agreements:agreement-draft", kwargs={"reference": proposal.reference}
        ),
        # The department is asked for only when the case has none to give.
        "form": DraftFromProposalForm() if proposal.department_id is None else None,
    }


def register() -> None:
    proposal_page.register("top", "agreements/_proposal_page_agreement.html", _section)
