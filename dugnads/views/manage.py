"""The organisers' pages: create and change a dugnad (with its needs and resources), take a
step of its life, see who is coming (and download it), write to everyone signed up.

Who may: a board member of the committee creates (``permissions.can_create_dugnad``); the
organisers and the leader, while on the board, do the rest (``permissions.can_manage_dugnad``).
Anyone else gets 403 for a dugnad they may see, 404 for a draft (its existence is the board's),
and the login page when not logged in.

The participant list and its CSV show the participants' e-mail addresses — residents' and
guests' — because the organisers must be able to reach the people they run a dugnad with; this
is the only place any address of theirs is shown, and only to the organisers.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from committees import selectors as committee_selectors
from committees.models import Committee
from core.export import Column, csv_filename, csv_response
from core.forms import apply_service_errors
from core.step_pages import step_page
from core.steps import step_page_texts

from .. import permissions, selectors, services
from ..forms.manage import (
    DugnadForm,
    DugnadStepForm,
    NeedFormSet,
    ParticipantMessageForm,
    resource_formset,
    resource_initial,
)
from ..models import DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH, Dugnad, ResourceState, SignupState
from ..services import messages as message_services
from ..services import planning
from ..states import EDITABLE_STATES, State
from ..steps import TRANSITIONS

# ``?forslag=<reference>``: the create page makes a dugnad of that proposal (the inbox's button).
FROM_PROPOSAL = "forslag"


def _dugnad_or_404(pk: int) -> Dugnad:
    try:
        return selectors.dugnad_get(pk=pk)
    except Dugnad.DoesNotExist:
        raise Http404 from None


def _managed_dugnad(request, pk: int) -> Dugnad:
    """The dugnad if the user manages it; 404 if they may not even see it, else 403."""
    dugnad = _dugnad_or_404(pk)
    if not permissions.can_manage_dugnad(request.user, dugnad):
        if not permissions.can_view_dugnad(request.user, dugnad):
            raise Http404
        raise PermissionDenied
    return dugnad


# --- create and change ---------------------------------------------------------------------------


def _proposal_initial(proposal) -> dict:
    text = "\n\n".join(part for part in (proposal.summary, proposal.body) if part)
    return {
        "title": proposal.title[:TITLE_MAX_LENGTH],
        "description": text[:DESCRIPTION_MAX_LENGTH],
    }


def _plan_page(request, *, committee, dugnad, initial, proposal=None):
    """The form with its two lists of lines, for a new dugnad (``dugnad`` None) or a change."""
    board = committee_selectors.committee_board_users(committee=committee)
    departments = list(committee_selectors.department_list())
    resources = list(dugnad.resources.all()) if dugnad else []
    answered = [r for r in resources if r.state != ResourceState.REQUESTED]
    unanswered = [r for r in resources if r.state == ResourceState.REQUESTED]
    need_initial, need_pks = NeedFormSet.initial_for(dugnad)
    resource_rows, resource_pks = resource_initial(unanswered)
    ResourceFormSet = resource_formset(answered=len(answered))
    data = request.POST if request.method == "POST" else None
    form = DugnadForm(data, board=board, dugnad=dugnad, initial=initial)
    needs = NeedFormSet(data, initial=need_initial, pks=need_pks, prefix="needs")
    lines = ResourceFormSet(
        data,
        initial=resource_rows,
        pks=resource_pks,
        prefix="resources",
        departments=departments,
    )
    if data is not None and all([form.is_valid(), needs.is_valid(), lines.is_valid()]):
        plan = {
            "actor": request.user,
            "needs": needs.lines(),
            "resources": lines.lines(),
            "organisers": list(form.cleaned_data["organisers"]),
            **form.dugnad_fields(),
        }
        try:
            if dugnad is None:
                saved = planning.dugnad_plan_create(committee=committee, proposal=proposal, **plan)
            else:
                saved = planning.dugnad_plan_update(dugnad=dugnad, **plan)
        except ValidationError as error:
            _show_service_errors(form, needs, lines, error)
        else:
            if dugnad is None:
                messages.success(
                    request, _("The dugnad is saved as a draft. Publish it when it is ready.")
                )
            else:
                messages.success(request, _("The dugnad has been changed."))
            return redirect(saved)
    has_errors = bool(form.errors or needs.total_error_count() or lines.total_error_count())
    return render(
        request,
        "dugnads/dugnad_form.html",
        {
            "committee": committee,
            "dugnad": dugnad,
            "proposal": proposal,
            "form": form,
            "needs": needs,
            "resources": lines,
            "answered": answered,
            "has_errors": has_errors,
            "formsets": [needs, lines],
            "cancel_url": dugnad.get_absolute_url() if dugnad else committee.get_absolute_url(),
        },
        status=400 if has_errors else 200,
    )


def _show_service_errors(form, needs, lines, error: ValidationError) -> None:
    """The lines' errors above their lists; the rest next to the dugnad's fields."""
    if hasattr(error, "error_dict"):
        rest = {}
        for name, errors in error.error_dict.items():
            if name == "needs":
                needs._non_form_errors = needs.error_class(
                    [e for err in errors for e in err.messages]
                )
            elif name == "resources":
                lines._non_form_errors = lines.error_class(
                    [e for err in errors for e in err.messages]
                )
            elif name == "proposal":
                form.add_error(None, errors)
            else:
                rest[name] = errors
        if rest:
            form.add_service_errors(ValidationError(rest))
    else:
        form.add_service_errors(error)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dugnad_create(request, slug):
    try:
        committee = committee_selectors.committee_get(slug=slug)
    except Committee.DoesNotExist:
        raise Http404 from None
    if not permissions.can_create_dugnad(request.user, committee):
        raise PermissionDenied
    initial = {"organisers": [request.user.pk], "reminder_hours": 48}
    proposal = None
    if FROM_PROPOSAL in request.GET:
        proposal = planning.proposal_for_dugnad(
            committee=committee, reference=request.GET[FROM_PROPOSAL]
        )
        if proposal is None:
            raise Http404  # not a wish of this committee's that is still to be made a dugnad
        initial.update(_proposal_initial(proposal))
    return _plan_page(request, committee=committee, dugnad=None, initial=initial, proposal=proposal)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dugnad_edit(request, pk):
    dugnad = _managed_dugnad(request, pk)
    if dugnad.state not in EDITABLE_STATES:
        messages.info(
            request, _("A dugnad that has taken place or was cancelled cannot be changed.")
        )
        return redirect(dugnad)
    return _plan_page(
        request,
        committee=dugnad.committee,
        dugnad=dugnad,
        initial=DugnadForm.initial_for(dugnad),
    )


# --- a step of its life --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dugnad_transition(request, pk, to_state):
    if to_state not in State.values:
        raise Http404
    dugnad = _managed_dugnad(request, pk)
    if to_state == State.REPORTED:
        # The report has a page of its own (hours, what was done, photos).
        return redirect("dugnads:dugnad-report", pk=dugnad.pk)
    parties = permissions.parties_of(request.user, dugnad)
    step = TRANSITIONS.get((dugnad.state, to_state))
    if step is None or not TRANSITIONS.acting_party(step, parties):
        # An old link, or someone else took a step first: say where the dugnad stands.
        if dugnad.state == to_state:
            text = _("The dugnad is already “%(state)s”.")
        else:
            text = _("The dugnad is “%(state)s”, so this step is not possible now.")
        messages.info(request, text % {"state": dugnad.get_state_display()})
        return redirect(dugnad)
    texts = step_page_texts(TRANSITIONS, step)
    return step_page(
        request,
        obj=dugnad,
        step=step,
        texts=texts,
        form_class=DugnadStepForm,
        take=lambda message: services.dugnad_transition(
            dugnad=dugnad, actor=request.user, to_state=to_state, message=message
        ),
        template="dugnads/dugnad_transition.html",
        context_name="dugnad",
    )


# --- who is coming -------------------------------------------------------------------------------


def _with_places(signups) -> list:
    """Each sign-up with ``waitlist_position`` (1 for the first waiting), in the list's order
    (``selectors.dugnad_participants``: those with a place first, then the queue)."""
    position = 0
    for signup in signups:
        if signup.state == SignupState.WAITLISTED:
            position += 1
            signup.waitlist_position = position
        else:
            signup.waitlist_position = None
        yield signup


@login_required
@require_safe
def participant_list(request, pk):
    dugnad = _managed_dugnad(request, pk)
    signups = list(_with_places(selectors.dugnad_participants(dugnad=dugnad)))
    confirmed = [s for s in signups if s.state == SignupState.CONFIRMED]
    waiting = [s for s in signups if s.state == SignupState.WAITLISTED]
    return render(
        request,
        "dugnads/participant_list.html",
        {
            "dugnad": dugnad,
            "confirmed": confirmed,
            "waiting": waiting,
            "people_confirmed": sum(s.party_size for s in confirmed),
            "people_waiting": sum(s.party_size for s in waiting),
            "places_left": selectors.places_left(
                dugnad=dugnad, confirmed=sum(s.party_size for s in confirmed)
            ),
            "can_message": dugnad.state in message_services.MESSAGE_STATES and bool(signups),
        },
    )


PARTICIPANT_COLUMNS = [
    Column(gettext_lazy("Name"), lambda s: s.name),
    Column(gettext_lazy("Guest"), lambda s: s.is_guest),
    Column(gettext_lazy("E-mail"), lambda s: s.email),
    Column(gettext_lazy("Number of people"), lambda s: s.party_size),
    Column(gettext_lazy("Will help with"), lambda s: s.need.title if s.need else ""),
    Column(gettext_lazy("Comment"), lambda s: s.comment),
    Column(gettext_lazy("Status"), lambda s: s.get_state_display()),
    Column(gettext_lazy("Place on the waiting list"), lambda s: s.waitlist_position),
    Column(gettext_lazy("Signed up"), lambda s: s.queued_at),
]


@login_required
@require_safe
def participant_csv(request, pk):
    dugnad = _managed_dugnad(request, pk)
    rows = _with_places(selectors.dugnad_participants(dugnad=dugnad).iterator(chunk_size=500))
    return csv_response(
        rows, PARTICIPANT_COLUMNS, filename=csv_filename(f"dugnad-{dugnad.pk}-deltakere")
    )


def _active_signups(dugnad: Dugnad) -> int:
    counts = selectors.count_by_state(dugnad=dugnad)
    return counts.get(SignupState.CONFIRMED, 0) + counts.get(SignupState.WAITLISTED, 0)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def participant_message(request, pk):
    dugnad = _managed_dugnad(request, pk)
    form = ParticipantMessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            told = message_services.participants_message(
                dugnad=dugnad, actor=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your message has been sent to everyone signed up (%(count)d).")
                % {"count": told},
            )
            return redirect(reverse("dugnads:participant-list", kwargs={"pk": dugnad.pk}))
    return render(
        request,
        "dugnads/participant_message.html",
        {"dugnad": dugnad, "form": form, "count": _active_signups(dugnad)},
        status=400 if form.errors else 200,
    )
