"""Moving a case: the committee's and the author's status changes, the dialogue between the
committee and the municipality, and the committee's inbox.

Decisions (accepted, partly accepted, rejected) are not made here: they need a published
official answer and are made by municipal staff in the admin.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from committees import selectors as committee_selectors
from committees.models import Committee
from core.deadlines import is_overdue
from core.forms import apply_service_errors

from .. import deadlines, permissions, selectors, services
from ..forms import MessageForm, TransitionForm
from ..models import DIALOGUE_CLOSED, OUTCOMES, Party, Proposal, State
from ..sections import inbox_row
from ..steps import TRANSITIONS, step_texts

# The committee's reply to the municipality's question is the answer step (message_create).
ANSWER_DONE = TRANSITIONS[(State.INFO_REQUESTED, State.IN_REVIEW)].done


def _proposal_or_404(reference: str) -> Proposal:
    try:
        return selectors.proposal_get_by_reference(reference=reference)
    except Proposal.DoesNotExist:
        raise Http404 from None


def _long_date(day) -> str:
    return date_format(day, "DATE_FORMAT")


def _deadline_dates(proposal: Proposal) -> dict:
    """The dates the explanations name, as they would be set if the step were taken today."""
    today = timezone.localdate()
    decision = deadlines.decision_due(today)
    if proposal.is_citizen_proposal and proposal.decision_due:
        decision = proposal.decision_due  # § 12-1: the clock started with the signatures
    return {
        "preliminary": _long_date(deadlines.preliminary_due(today)),
        "decision": _long_date(decision),
        "info": _long_date(deadlines.info_due(today)),
    }


def _transition_texts(proposal: Proposal, to_state: str) -> dict:
    """The step page's texts, from the step table (``proposals.steps``)."""
    return step_texts(TRANSITIONS[(proposal.state, to_state)], **_deadline_dates(proposal))


# ``?fra=innboks``: the step was started from the committee's inbox, and goes back there.
FROM_INBOX = "innboks"


def _return_url(request, proposal: Proposal) -> str:
    """Where Cancel and a done step lead: the committee's inbox when the step came from there
    (only that one known value is accepted, never a URL), else the proposal's page."""
    if request.GET.get("fra") == FROM_INBOX and permissions.can_view_inbox(
        request.user, proposal.committee
    ):
        return reverse("proposals:committee-inbox", kwargs={"slug": proposal.committee.slug})
    return proposal.get_absolute_url()


def _could_make(user, proposal: Proposal, to_state: str) -> bool:
    """Whether the user is a party that may make this step from some state (not necessarily
    from the proposal's state now)."""
    return TRANSITIONS.could_take(to_state, permissions.parties_of(user, proposal))


def _not_possible_now(request, proposal: Proposal, to_state: str):
    """The step is the user's to take, but not from the state the proposal is in now (someone
    else took it first, or an old link): say where the case stands instead of refusing."""
    label = proposal.get_state_display()
    if proposal.state == to_state:
        text = _("The proposal is already “%(state)s”.") % {"state": label}
    else:
        text = _("The proposal is “%(state)s”, so this step is not possible now.") % {
            "state": label
        }
    messages.info(request, text)
    return redirect(proposal)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_transition(request, reference):
    proposal = _proposal_or_404(reference)
    to_state = request.GET.get("til", "")
    # Decisions come with an official answer, written and published in the admin.
    if to_state not in State.values or to_state in OUTCOMES:
        raise Http404
    if not permissions.can_transition(request.user, proposal, to_state):
        if _could_make(request.user, proposal, to_state):
            return _not_possible_now(request, proposal, to_state)
        raise PermissionDenied
    step = TRANSITIONS[(proposal.state, to_state)]
    texts = _transition_texts(proposal, to_state)
    form = TransitionForm(
        request.POST if request.method == "POST" else None,
        label=texts["label"],
        required=step.message_required,
        required_message=texts["required_message"],
        help_text=texts["help_text"],
    )
    return_url = _return_url(request, proposal)
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
            messages.success(request, texts["done"])
            return redirect(return_url)
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
            "return_url": return_url,
            **texts,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def message_create(request, reference):
    proposal = _proposal_or_404(reference)
    party = permissions.message_party(request.user, proposal)
    if party is None:
        if not permissions.parties_of(request.user, proposal) - {Party.AUTHOR}:
            raise PermissionDenied  # not in the dialogue at all
        # The committee or the municipality, but the dialogue is not open (yet, or any more):
        # e.g. a page left open while the case moved on.
        messages.error(request, str(DIALOGUE_CLOSED))
        return redirect(proposal)
    answers_question = permissions.reply_answers_question(proposal, party)
    data = request.POST.copy()
    if answers_question:
        data.pop("answer_by", None)  # an answer asks nothing back
    form = MessageForm(data)
    if form.is_valid():
        try:
            services.message_send(
                proposal=proposal,
                actor=request.user,
                body=form.cleaned_data["body"],
                answer_by=form.cleaned_data["answer_by"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "message" in error.error_dict:
                # The answer to a question goes through the transition, which calls it "message".
                error = ValidationError(
                    {("body" if k == "message" else k): v for k, v in error.error_dict.items()}
                )
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                ANSWER_DONE if answers_question else _("Your message has been sent."),
            )
            return redirect(proposal.get_absolute_url() + "#dialog")
    return render(
        request,
        "proposals/message_form.html",
        {"proposal": proposal, "form": form, "answers_question": answers_question},
        status=400,
    )


def _with_days_left(items, field: str, today) -> list:
    """Each row's deadline in days (negative when passed), for "3 days left" and "overdue"."""
    rows = list(items)
    for row in rows:
        due = getattr(row, field)
        row.overdue = is_overdue(due, today=today)
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
    awaiting = _with_days_left(inbox.awaiting, "committee_due", today)
    questions = _with_days_left(inbox.questions, "info_due", today)
    # What higher apps show in the rows is loaded once for all of them (proposals/sections.py).
    inbox_row.prepare("actions", awaiting + questions)
    return render(
        request,
        "proposals/committee_inbox.html",
        {
            "committee": committee,
            "awaiting": awaiting,
            "questions": questions,
            "open_requests": _with_days_left(inbox.open_requests, "answer_by", today),
            "committee_review": State.COMMITTEE_REVIEW,
            "submitted": State.SUBMITTED,
            # The inbox's links name their steps as the step table does.
            "steps": {
                "take_up": TRANSITIONS[(State.SUBMITTED, State.COMMITTEE_REVIEW)],
                "forward": TRANSITIONS[(State.SUBMITTED, State.FORWARDED)],
                "decline": TRANSITIONS[(State.SUBMITTED, State.DECLINED)],
                "answer": TRANSITIONS[(State.INFO_REQUESTED, State.IN_REVIEW)],
            },
        },
    )
