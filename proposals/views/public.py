"""Public proposal pages: the list, one proposal's page, supporting and following, attachments,
and Min side → My proposals. Each view checks permission, calls one selector or service, renders.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from core.attachments import file_response

from .. import deadlines, permissions, selectors, services
from ..models import (
    MESSAGE_MAX_LENGTH,
    OUTCOMES,
    Attachment,
    Category,
    EventKind,
    Kind,
    OfficialAnswer,
    Proposal,
    ProposalEvent,
    State,
    key_dates,
)
from ..steps import TRANSITIONS, allowed_targets

PAGE_SIZE = 20


# --- The list -------------------------------------------------------------------------------------


class ProposalFilterForm(forms.Form):
    """The list's GET filters. A value that is not one of the choices is ignored, never an error.

    The sort's empty value is the natural order: the best match while searching, otherwise the
    newest first. "Best match" is only offered while searching; asked for without a search, the
    list falls back to the newest first and says so (``relevance_fallback``)."""

    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    utvalg = forms.ChoiceField(label=gettext_lazy("Committee"), required=False)
    kategori = forms.ChoiceField(
        label=gettext_lazy("Topic"),
        required=False,
        choices=[("", gettext_lazy("All topics")), *Category.choices],
    )
    type = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("All kinds")), *Kind.choices],
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[
            ("", gettext_lazy("All statuses")),
            ("open", gettext_lazy("Open cases")),
            *[(value, label) for value, label in State.choices if value != State.DRAFT],
        ],
    )
    sortering = forms.ChoiceField(label=gettext_lazy("Sort by"), required=False)

    # The filters inside the collapsible part of the form (the search stays outside it).
    MORE = ("utvalg", "kategori", "type", "status", "sortering")

    def __init__(self, data=None, *, committees=(), **kwargs):
        raw = (data.get("q") or "").strip() if data is not None else ""
        self.searching = 0 < len(raw) <= self.base_fields["q"].max_length
        self.relevance_fallback = False
        if data is not None:
            # Show the order actually used: the natural order's own name is the empty value.
            data = data.copy()
            sort = data.get("sortering", "")
            if sort == ("relevance" if self.searching else "newest"):
                data["sortering"] = ""
            elif sort == "relevance":
                data["sortering"] = ""
                self.relevance_fallback = True
        super().__init__(data, **kwargs)
        self.fields["utvalg"].choices = [("", _("All committees")), *committees]
        others = [
            ("supported", _("Most supported")),
            ("deadline", _("Nearest deadline")),
        ]
        if self.searching:
            self.fields["sortering"].choices = [
                ("", _("Best match")),
                ("newest", _("Newest first")),
                *others,
            ]
        else:
            self.fields["sortering"].choices = [("", _("Newest first")), *others]

    def filters(self) -> dict:
        """The valid filters only: bad input falls back to "no filter"."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) or "" for name in self.fields}
        text = data["q"].strip()
        return {
            "committee_slug": data["utvalg"],
            "category": data["kategori"],
            "kind": data["type"],
            "state": data["status"],
            "text": text,
            "sort": data["sortering"] or ("relevance" if text else "newest"),
        }

    def more_fields(self):
        return [self[name] for name in self.MORE]

    def active_count(self) -> int:
        """How many of the collapsible filters are in use (their part opens when any is)."""
        if not self.is_bound:
            return 0
        self.is_valid()
        return sum(1 for name in self.MORE if self.cleaned_data.get(name))


@require_safe
def proposal_list(request):
    form = ProposalFilterForm(request.GET, committees=selectors.committee_filter_choices())
    filters = form.filters()
    page = Paginator(selectors.proposal_list(**filters), PAGE_SIZE).get_page(
        request.GET.get("side")
    )
    query = request.GET.copy()
    query.pop("side", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": any(filters[name] for name in filters if name != "sort"),
        "active_filters": form.active_count(),
        "relevance_fallback": form.relevance_fallback,
        "today": timezone.localdate(),
    }
    # htmx asks for the result region only; a history restore needs the whole page.
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "proposals/_proposal_results.html", {**context, "oob": True})
    else:
        response = render(request, "proposals/proposal_list.html", context)
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


# --- One proposal ---------------------------------------------------------------------------------


def _published_answer(proposal: Proposal):
    """The official answer once published; None while there is none or it is a draft."""
    try:
        answer = proposal.answer
    except OfficialAnswer.DoesNotExist:  # select_related found none
        return None
    return answer if answer is not None and answer.published_at else None


def _decline(proposal: Proposal, events) -> ProposalEvent | None:
    """The committee's reason for declining (the latest move to declined) while declined."""
    if proposal.state != State.DECLINED:
        return None
    return next(
        (
            event
            for event in reversed(events)
            if event.kind == EventKind.TRANSITION and event.to_state == State.DECLINED
        ),
        None,
    )


def _admin_url(proposal: Proposal) -> str | None:
    try:
        return reverse("admin:proposals_proposal_change", args=[proposal.pk])
    except NoReverseMatch:
        return None


def _support_context(proposal: Proposal, user, *, supported: bool, error: str = "") -> dict:
    return {
        "proposal": proposal,
        "supported": supported,
        "can_support": permissions.can_support(user, proposal),
        "support_goal": proposal.committee.support_goal,
        "threshold": deadlines.citizen_proposal_threshold(),
        "support_error": error,
    }


def _follow_context(proposal: Proposal, user, *, followed: bool, error: str = "") -> dict:
    return {
        "proposal": proposal,
        "followed": followed,
        "can_follow": permissions.can_follow(user, proposal),
        "follow_error": error,
    }


@require_safe
def proposal_detail(request, reference):
    try:
        proposal = selectors.proposal_get_for_page(
            reference=reference, user=request.user, internal=False
        )
    except Proposal.DoesNotExist:
        raise Http404 from None
    user = request.user
    if not permissions.can_view_proposal(user, proposal) or proposal.is_draft:
        raise Http404
    today = timezone.localdate()
    dialogue = list(proposal.messages.all())
    # A message's deadline belongs to the dialogue: only those who may read it see it.
    in_dialogue = permissions.can_view_dialogue(user, proposal)
    running = deadlines.proposal_deadlines(
        proposal,
        open_requests=[m for m in dialogue if m.answer_by and not m.answered_at]
        if in_dialogue
        else [],
    )
    parties = permissions.parties_of(user, proposal)
    # The step that moves the case on comes first (the primary button); refusals come last.
    # A destructive step (withdrawing) is never the primary button, even when it is the only
    # one: it is a secondary button to its step page, which asks before anything happens.
    actions = [
        {
            "state": target,
            "label": TRANSITIONS[(proposal.state, target)].button_label,
            "danger": TRANSITIONS[(proposal.state, target)].danger,
        }
        for target in sorted(
            allowed_targets(proposal.state, parties),
            key=lambda target: target in (State.DECLINED, State.WITHDRAWN, State.COMMITTEE_REVIEW),
        )
        if target not in OUTCOMES
    ]
    show_dialogue = permissions.can_view_dialogue(user, proposal)
    party = permissions.message_party(user, proposal)
    events = list(proposal.events.all())
    for event in events:
        # The question and the committee's answer to it are lines of the dialogue: not public.
        event.shown_message = (
            event.message if show_dialogue or not permissions.is_dialogue_event(event) else ""
        )
    context = {
        "proposal": proposal,
        "answer": _published_answer(proposal),
        "decline": _decline(proposal, events),
        "events": events,
        "attachments": proposal.attachments.all(),
        "deadlines": [
            {"deadline": d, "overdue": d.is_overdue(today), "days_left": d.days_left(today)}
            for d in running
        ],
        "key_dates": [(label, value) for label, value in key_dates(proposal) if value],
        "today": today,
        "show_dialogue": show_dialogue,
        "dialogue": dialogue if show_dialogue else [],
        "message_party": party,
        # message_party is None unless the dialogue is open (permissions, DIALOGUE_STATES).
        "can_message": party is not None,
        "message_max_length": MESSAGE_MAX_LENGTH,
        "actions": actions,
        "admin_url": _admin_url(proposal) if permissions.is_municipal_staff(user) else None,
        "is_takeover": proposal.kind == Kind.TAKEOVER,
        **_support_context(proposal, user, supported=getattr(proposal, "supported_by_me", False)),
        **_follow_context(proposal, user, followed=getattr(proposal, "followed_by_me", False)),
    }
    return render(request, "proposals/proposal_detail.html", context)


def _proposal_or_404(request, reference: str) -> Proposal:
    try:
        proposal = selectors.proposal_get_by_reference(reference=reference)
    except Proposal.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_proposal(request.user, proposal) or proposal.is_draft:
        raise Http404
    return proposal


@dataclass(frozen=True)
class Switch:
    """One on/off choice a person makes on a proposal (support it, follow it). The services are
    looked up when called, so the module's functions are the ones used (and can be replaced)."""

    allowed: Callable
    turn_on: Callable
    turn_off: Callable
    is_on: Callable
    template: str
    context: Callable
    on_message: str
    off_message: str


SUPPORT = Switch(
    allowed=permissions.can_support,
    turn_on=lambda **kw: services.proposal_support(**kw),
    turn_off=lambda **kw: services.proposal_unsupport(**kw),
    is_on=selectors.proposal_is_supported_by,
    template="proposals/_support.html",
    context=lambda proposal, user, on, error="": _support_context(
        proposal, user, supported=on, error=error
    ),
    on_message=gettext_lazy("You support %(title)s."),
    off_message=gettext_lazy("You no longer support %(title)s."),
)
FOLLOW = Switch(
    allowed=permissions.can_follow,
    turn_on=lambda **kw: services.proposal_follow(**kw),
    turn_off=lambda **kw: services.proposal_unfollow(**kw),
    is_on=selectors.proposal_is_followed_by,
    template="proposals/_proposal_follow.html",
    context=lambda proposal, user, on, error="": _follow_context(
        proposal, user, followed=on, error=error
    ),
    on_message=gettext_lazy("You now follow %(title)s."),
    off_message=gettext_lazy("You no longer follow %(title)s."),
)


def _toggle(request, reference, *, switch: Switch, on: bool):
    """Turn a choice on or off. htmx swaps its block in place (the text says what happened);
    without JavaScript the page reloads with a message."""
    proposal = _proposal_or_404(request, reference)
    user = request.user
    if not switch.allowed(user, proposal):
        raise PermissionDenied
    try:
        (switch.turn_on if on else switch.turn_off)(proposal=proposal, user=user)
    except ValidationError as error:
        text = " ".join(error.messages)
        if request.htmx:
            now_on = switch.is_on(proposal=proposal, user=user)
            return render(request, switch.template, switch.context(proposal, user, now_on, text))
        messages.error(request, text)
        return redirect(proposal)
    if request.htmx:
        proposal = selectors.proposal_get(pk=proposal.pk)  # the new count
        return render(
            request, switch.template, {**switch.context(proposal, user, on), "changed": True}
        )
    message = switch.on_message if on else switch.off_message
    messages.success(request, message % {"title": proposal.title})
    return redirect(proposal)


@login_required
@require_POST
def proposal_support(request, reference):
    return _toggle(request, reference, switch=SUPPORT, on=True)


@login_required
@require_POST
def proposal_unsupport(request, reference):
    return _toggle(request, reference, switch=SUPPORT, on=False)


@login_required
@require_POST
def proposal_follow(request, reference):
    return _toggle(request, reference, switch=FOLLOW, on=True)


@login_required
@require_POST
def proposal_unfollow(request, reference):
    return _toggle(request, reference, switch=FOLLOW, on=False)


# --- Attachments ----------------------------------------------------------------------------------


@require_safe
def attachment_download(request, pk):
    """Always a download, never shown inline: a file is the resident's, not ours to render."""
    try:
        attachment = selectors.attachment_get_for_download(pk=pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
    return file_response(
        attachment.file,
        allowed=permissions.can_view_proposal(request.user, attachment.proposal),
        filename=attachment.original_name,
        content_type=attachment.content_type,
        types=services.ATTACHMENT_TYPES,
    )


# --- Min side -------------------------------------------------------------------------------------


@login_required
@require_safe
def my_proposals(request):
    return render(
        request,
        "proposals/my_proposals.html",
        {
            "own": selectors.proposal_list_for_author(user=request.user),
            "followed": selectors.proposal_list_followed(user=request.user),
            "today": timezone.localdate(),
        },
    )
