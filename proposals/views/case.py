"""Moving a case: the committee's and the author's status changes, the dialogue between the
committee and the municipality, and the committee's inbox.

Decisions (accepted, partly accepted, rejected) are not made here: they need a published
official answer and are made by municipal staff in the admin.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from committees import selectors as committee_selectors
from committees.models import Committee

from .. import permissions, selectors, services
from ..forms import MessageForm, TransitionForm, apply_service_errors
from ..models import OUTCOMES, TRANSITIONS, Party, Proposal, State

TITLES = {
    State.COMMITTEE_REVIEW: gettext_lazy("Take up for consideration"),
    State.FORWARDED: gettext_lazy("Forward to the municipality"),
    State.DECLINED: gettext_lazy("Decline the proposal"),
    State.RECEIVED: gettext_lazy("Mark as received by the municipality"),
    State.IN_REVIEW: gettext_lazy("Mark as being considered by the municipality"),
    State.INFO_REQUESTED: gettext_lazy("Ask the committee for more information"),
    State.IN_PROGRESS: gettext_lazy("Mark as in progress"),
    State.COMPLETED: gettext_lazy("Mark as completed"),
    State.WITHDRAWN: gettext_lazy("Withdraw the proposal"),
}
ANSWER_TITLE = gettext_lazy("Answer the municipality's question")

EXPLANATIONS = {
    State.COMMITTEE_REVIEW: gettext_lazy(
        "The proposal is shown as being considered by the committee. The committee's deadline "
        "still applies: forward or decline the proposal before it passes."
    ),
    State.FORWARDED: gettext_lazy(
        "The municipality gets the case and is told at once. It must give a preliminary answer "
        "within %(months)d month(s) and normally a decision within %(days)d days."
    ),
    State.DECLINED: gettext_lazy(
        "The committee does not take the proposal further. The author and everyone following "
        "the proposal are told, and the reason is shown on the proposal's page."
    ),
    State.RECEIVED: gettext_lazy(
        "The committee and everyone following the proposal see that the municipality has "
        "received the case."
    ),
    State.IN_REVIEW: gettext_lazy(
        "The committee and everyone following the proposal see that the municipality is "
        "considering the case."
    ),
    State.INFO_REQUESTED: gettext_lazy(
        "The committee is asked to answer within %(info_days)d days. The question is shown in "
        "the dialogue on the proposal's page."
    ),
    State.IN_PROGRESS: gettext_lazy("Everyone following the proposal is told."),
    State.COMPLETED: gettext_lazy("Everyone following the proposal is told."),
    State.WITHDRAWN: gettext_lazy(
        "The proposal stays on the portal, marked as withdrawn, and is no longer handled. "
        "This cannot be undone."
    ),
}
ANSWER_EXPLANATION = gettext_lazy(
    "Your answer is sent to the municipality, shown in the dialogue on the proposal's page, and "
    "the municipality continues considering the proposal."
)

MESSAGE_LABELS = {
    State.DECLINED: gettext_lazy("Reason for declining"),
    State.INFO_REQUESTED: gettext_lazy("Question to the committee"),
}
ANSWER_LABEL = gettext_lazy("Answer to the question")
PUBLIC_HELP = gettext_lazy("Shown on the proposal's public timeline.")

DONE_MESSAGES = {
    State.COMMITTEE_REVIEW: gettext_lazy("The proposal is now being considered by the committee."),
    State.FORWARDED: gettext_lazy("The proposal has been forwarded to the municipality."),
    State.DECLINED: gettext_lazy("The proposal has been declined."),
    State.WITHDRAWN: gettext_lazy("The proposal has been withdrawn."),
}
ANSWER_DONE = gettext_lazy("Your answer has been sent to the municipality.")


def _proposal_or_404(reference: str) -> Proposal:
    try:
        return selectors.proposal_get_by_reference(reference=reference)
    except Proposal.DoesNotExist:
        raise Http404 from None


def _is_answer(from_state: str, to_state: str) -> bool:
    return from_state == State.INFO_REQUESTED and to_state == State.IN_REVIEW


def _transition_texts(from_state: str, to_state: str) -> dict:
    limits = settings.PROPOSALS
    if _is_answer(from_state, to_state):
        return {"title": ANSWER_TITLE, "explanation": ANSWER_EXPLANATION, "label": ANSWER_LABEL}
    explanation = str(EXPLANATIONS.get(to_state, "")) % {
        "months": limits["PRELIMINARY_ANSWER_MONTHS"],
        "days": limits["DECISION_DAYS"],
        "info_days": limits["INFO_REQUEST_DAYS"],
    }
    return {
        "title": TITLES.get(to_state, State(to_state).label),
        "explanation": explanation,
        "label": MESSAGE_LABELS.get(to_state),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_transition(request, reference):
    proposal = _proposal_or_404(reference)
    to_state = request.GET.get("til", "")
    # Decisions come with an official answer, written and published in the admin.
    if to_state not in State.values or to_state in OUTCOMES:
        raise Http404
    if not permissions.can_transition(request.user, proposal, to_state):
        raise PermissionDenied
    transition = TRANSITIONS[(proposal.state, to_state)]
    texts = _transition_texts(proposal.state, to_state)
    form = TransitionForm(
        request.POST if request.method == "POST" else None,
        label=texts["label"],
        required=transition.message_required,
        help_text=PUBLIC_HELP,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_transition(
                proposal=proposal,
                actor=request.user,
                to_state=to_state,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if _is_answer(proposal.state, to_state):
                done = ANSWER_DONE
            else:
                done = DONE_MESSAGES.get(to_state) or _("The status is now “%(state)s”.") % {
                    "state": State(to_state).label
                }
            messages.success(request, done)
            return redirect(proposal)
    question = None
    if proposal.state == State.INFO_REQUESTED:
        question = (
            proposal.messages.filter(party=Party.MUNICIPALITY).order_by("created_at", "pk").last()
        )
    return render(
        request,
        "proposals/proposal_transition.html",
        {
            "proposal": proposal,
            "to_state": to_state,
            "form": form,
            "question": question,
            **texts,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def message_create(request, reference):
    proposal = _proposal_or_404(reference)
    if permissions.message_party(request.user, proposal) is None:
        raise PermissionDenied
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_send(
                proposal=proposal,
                actor=request.user,
                body=form.cleaned_data["body"],
                answer_by=form.cleaned_data["answer_by"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect(proposal.get_absolute_url() + "#dialog")
    return render(
        request, "proposals/message_form.html", {"proposal": proposal, "form": form}, status=400
    )


def _with_days_left(items, field: str, today) -> list:
    """Each row's deadline in days (negative when passed), for "3 days left" and "overdue"."""
    rows = list(items)
    for row in rows:
        due = getattr(row, field)
        row.days_left = (due - today).days if due else None
        row.days_overdue = -row.days_left if row.days_left is not None else None
    return rows


@login_required
@require_safe
def committee_inbox(request, slug):
    try:
        committee = committee_selectors.committee_get(slug=slug)
    except Committee.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_inbox(request.user, committee):
        raise PermissionDenied
    inbox = selectors.committee_inbox(committee=committee)
    today = timezone.localdate()
    return render(
        request,
        "proposals/committee_inbox.html",
        {
            "committee": committee,
            "awaiting": _with_days_left(inbox.awaiting, "committee_due", today),
            "questions": _with_days_left(inbox.questions, "info_due", today),
            "open_requests": _with_days_left(inbox.open_requests, "answer_by", today),
            "committee_review": State.COMMITTEE_REVIEW,
            "submitted": State.SUBMITTED,
        },
    )
