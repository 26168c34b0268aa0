"""The parties' own pages on an agreement: a step of its life, "Forny avtale", and
"Lag avtaleutkast" from a take-over proposal's page.

Who may:
- a step (``agreement_transition``): the steps the step table gives the user's parties
  (``permissions.parties_of``: the committee's leader for the committee, staff who may change
  agreements for the municipality) — terminating an agreement in force (with a reason), and
  sending a draft for signing or taking it back. The signatures have pages of their own.
- renewing (``agreement_renew``): municipal staff who may draft agreements (as
  ``services.renewal`` says; the committee's leader asks the department).
- drafting (``agreement_draft``): municipal staff who may draft (``can_draft_agreements``).

Anyone else gets 404 for an agreement they may not see (an unsigned one's existence is the two
parties'), 403 for one they may see, and the login page when not logged in.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.formatting import local_date
from core.step_pages import step_page
from core.steps import step_page_texts
from proposals import selectors as proposal_selectors
from proposals.converters import REFERENCE_MAX_LENGTH, ReferenceConverter
from proposals.models import Proposal

from .. import permissions, selectors, services
from ..forms.manage import AgreementStepForm, DraftFromProposalForm
from ..models import Agreement, State
from ..services.drafting import draft_from_proposal
from ..steps import TRANSITIONS, allowed_targets

# AVT-2026-001 (services.lifecycle.next_number): anything else is a 404 before the database
# sees it (a NUL byte, which PostgreSQL refuses in a query; 10,000 characters).
NUMBER = re.compile(r"[A-Za-z0-9]+-[0-9]{4}-[0-9]{3,}")
NUMBER_MAX_LENGTH = Agreement._meta.get_field("number").max_length


def agreement_or_404(request, number: str) -> Agreement:
    """The agreement if the user may see it, else 404."""
    if len(number) > NUMBER_MAX_LENGTH or not NUMBER.fullmatch(number):
        raise Http404
    try:
        agreement = selectors.agreement_get(number=number)
    except Agreement.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_agreement(request.user, agreement):
        raise Http404
    return agreement


def admin_url(agreement: Agreement) -> str:
    """The agreement's change page in the admin (where staff write its terms), or its own page
    if the admin has no page for agreements."""
    try:
        return reverse("admin:agreements_agreement_change", args=[agreement.pk])
    except NoReverseMatch:
        return agreement.get_absolute_url()


# --- a step of its life --------------------------------------------------------------------------


def _texts(step, agreement: Agreement) -> dict:
    last_day = services.lifecycle.termination_day(agreement, today=timezone.localdate())
    return step_page_texts(TRANSITIONS, step, last_day=local_date(last_day))


def _take(agreement: Agreement, *, actor, to_state: str, message: str) -> Agreement:
    """The step through its own service: a termination records its last day and cancels what
    falls after it; sending checks there is a task to sign for."""
    if to_state == State.TERMINATED:
        return services.agreement_terminate(agreement=agreement, actor=actor, reason=message)
    if to_state == State.SENT:
        return services.agreement_send(agreement=agreement, actor=actor)
    return services.agreement_transition(
        agreement=agreement, actor=actor, to_state=to_state, message=message
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def agreement_transition(request, number, to_state):
    if to_state not in State.values:
        raise Http404
    agreement = agreement_or_404(request, number)
    parties = permissions.parties_of(request.user, agreement)
    if not parties:
        raise PermissionDenied  # a board member, or anyone looking at a signed agreement
    if to_state not in allowed_targets(agreement.state, parties):
        # An old link, or the other party took a step first: say where the agreement stands.
        if agreement.state == to_state:
            text = _("The agreement is already “%(state)s”.")
        else:
            text = _("The agreement is “%(state)s”, so this step is not possible now.")
        messages.info(request, text % {"state": agreement.get_state_display()})
        return redirect(agreement)
    step = TRANSITIONS[(agreement.state, to_state)]
    texts = _texts(step, agreement)
    return step_page(
        request,
        obj=agreement,
        step=step,
        texts=texts,
        form_class=AgreementStepForm,
        take=lambda message: _take(
            agreement, actor=request.user, to_state=to_state, message=message
        ),
        template="agreements/agreement_transition.html",
        context_name="agreement",
    )


# --- "Forny avtale" ------------------------------------------------------------------------------


def may_renew(user, agreement: Agreement) -> bool:
    """Who may ask for the next period's draft: municipal staff who may draft agreements, as
    ``services.renewal.agreement_renew`` says (every draft is the municipality's own contract;
    the committee's leader asks the department)."""
    return permissions.can_draft_agreements(user)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def agreement_renew(request, number):
    agreement = agreement_or_404(request, number)
    if not may_renew(request.user, agreement):
        raise PermissionDenied
    errors = []
    if request.method == "POST":
        from ..services import renewal  # written alongside; imported when used

        try:
            draft = renewal.agreement_renew(agreement=agreement, actor=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("A draft for the next period has been made: %(number)s.")
                % {"number": draft.number},
            )
            return redirect(admin_url(draft))
    return render(
        request,
        "agreements/agreement_renew.html",
        {"agreement": agreement, "errors": errors},
        status=400 if errors else 200,
    )


# --- "Lag avtaleutkast" from a take-over proposal's page -----------------------------------------


def _proposal_or_404(reference: str) -> Proposal:
    if len(reference) > REFERENCE_MAX_LENGTH or not re.fullmatch(
        ReferenceConverter.regex, reference
    ):
        raise Http404
    try:
        return proposal_selectors.proposal_get_by_reference(reference=reference)
    except Proposal.DoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def agreement_draft(request, reference):
    """The proposal page's "Lag avtaleutkast": the draft, then its admin page to go on with."""
    proposal = _proposal_or_404(reference)
    if not permissions.can_draft_agreements(request.user):
        raise PermissionDenied  # the proposal is public; drafting is staff's
    form = DraftFromProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a department from the list."))
        return redirect(proposal)
    try:
        agreement = draft_from_proposal(
            proposal=proposal, actor=request.user, department=form.cleaned_data["department"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(proposal)
    messages.success(
        request,
        _("The draft agreement %(number)s has been made from the proposal.")
        % {"number": agreement.number},
    )
    return redirect(admin_url(agreement))
