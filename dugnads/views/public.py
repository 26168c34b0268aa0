"""The dugnads' public pages: the upcoming and the past ones, one dugnad's page, and Min side →
My dugnads. Each view checks permission on the server, calls selectors, renders.

The dugnad's page includes the panels other slices own (sign-up, calendar, report). Their
context functions are looked up when the page is rendered, so the page works before and after
each of them lands (``_panel``).
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from committees import selectors as committee_selectors
from committees.models import Committee
from core.forms import NorwegianNameSelect
from proposals import permissions as proposal_permissions
from proposals import selectors as proposal_selectors

from .. import permissions, selectors
from ..models import EDITABLE_STATES, Dugnad, State
from ..steps import TRANSITIONS, allowed_targets
from . import reports, signups

PAGE_SIZE = 20
# Min side shows this many of the dugnads held and of those organised (the latest first).
MY_PAST_LIMIT = 20
MY_ORGANISED_LIMIT = 20


# --- The lists ------------------------------------------------------------------------------------


class DugnadFilterForm(forms.Form):
    """The lists' GET filter. A value that is not one of the committees is ignored, never an
    error (and never reaches a query: a NUL byte would be an error on PostgreSQL)."""

    utvalg = forms.ChoiceField(
        label=gettext_lazy("Committee"), required=False, widget=NorwegianNameSelect
    )

    def __init__(self, data=None, *, committees=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["utvalg"].choices = [("", _("All committees")), *committees]

    def committee_slug(self) -> str:
        return self.cleaned_data.get("utvalg", "") if self.is_valid() else ""


def _list_page(request, *, past: bool):
    form = DugnadFilterForm(request.GET, committees=proposal_selectors.committee_filter_choices())
    committee = None
    if slug := form.committee_slug():
        try:
            committee = committee_selectors.committee_get(slug=slug)
        except Committee.DoesNotExist:  # deleted since the choices were read
            committee = None
    select = selectors.dugnad_list_past if past else selectors.dugnad_list_upcoming
    page = Paginator(select(committee=committee), PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "dugnads/dugnad_list.html",
        {
            "form": form,
            "page": page,
            "committee": committee,
            "query": f"utvalg={committee.slug}" if committee else "",
            "past": past,
        },
    )


@require_safe
def dugnad_list(request):
    return _list_page(request, past=False)


@require_safe
def dugnad_list_past(request):
    return _list_page(request, past=True)


# --- One dugnad -----------------------------------------------------------------------------------


def _panel(module, name: str, request, dugnad: Dugnad) -> dict:
    """The context of a panel another slice owns, or nothing while its function does not exist."""
    function = getattr(module, name, None)
    return (function(request, dugnad) or {}) if function is not None else {}


def _actions(user, dugnad: Dugnad) -> list[dict]:
    """The managers' step buttons, from the step table. Reporting has its own page (the report
    link), and "mark as held" is offered only once the dugnad has ended (the service refuses it
    before)."""
    now = timezone.now()
    actions = []
    for target in allowed_targets(dugnad.state, permissions.parties_of(user, dugnad)):
        if target == State.REPORTED or (target == State.COMPLETED and dugnad.ends_at > now):
            continue
        step = TRANSITIONS[(dugnad.state, target)]
        actions.append({"state": target, "label": step.button_label, "danger": step.danger})
    # The step that moves the dugnad on first (the primary button), cancelling last.
    return sorted(actions, key=lambda action: action["danger"])


def _origin_proposal(user, dugnad: Dugnad):
    """The proposal the dugnad was made from, when its page is public."""
    proposal = dugnad.origin_proposal
    if proposal is None or proposal.is_draft:
        return None
    return proposal if proposal_permissions.can_view_proposal(user, proposal) else None


@require_safe
def dugnad_detail(request, pk: int):
    try:
        dugnad = selectors.dugnad_get_for_page(pk=pk)
    except Dugnad.DoesNotExist:
        raise Http404 from None
    user = request.user
    if not permissions.can_view_dugnad(user, dugnad):
        raise Http404
    can_manage = permissions.can_manage_dugnad(user, dugnad)
    context = {
        "dugnad": dugnad,
        "needs": selectors.needs_with_missing(dugnad=dugnad),
        "resources": list(dugnad.resources.all()),
        "organisers": list(dugnad.organisers.all()),
        "origin_proposal": _origin_proposal(user, dugnad),
        "cancellation": selectors.dugnad_cancellation(dugnad=dugnad)
        if dugnad.state == State.CANCELLED
        else None,
        "can_manage": can_manage,
        "can_edit": can_manage and dugnad.state in EDITABLE_STATES,
        "can_report": can_manage and dugnad.state in (State.COMPLETED, State.REPORTED),
        "actions": _actions(user, dugnad) if can_manage else [],
    }
    context.update(_panel(signups, "signup_panel_context", request, dugnad))
    context.update(_panel(reports, "report_context", request, dugnad))
    return render(request, "dugnads/dugnad_detail.html", context)


# --- Min side -------------------------------------------------------------------------------------


def _more(rows: list, limit: int) -> tuple[list, bool]:
    """The first ``limit`` of ``rows`` (read as ``limit + 1``) and whether there were more."""
    return rows[:limit], len(rows) > limit


@login_required
@require_safe
def my_dugnads(request):
    user = request.user
    now = timezone.now()
    past, more_past = _more(
        selectors.signups_for_user_page(
            user=user, upcoming=False, limit=MY_PAST_LIMIT + 1, now=now
        ),
        MY_PAST_LIMIT,
    )
    organised, more_organised = _more(
        selectors.dugnads_organised_by(user=user, limit=MY_ORGANISED_LIMIT + 1),
        MY_ORGANISED_LIMIT,
    )
    return render(
        request,
        "dugnads/my_dugnads.html",
        {
            "upcoming": selectors.signups_for_user_page(user=user, upcoming=True, now=now),
            "past": past,
            "more_past": more_past,
            "organised": organised,
            "more_organised": more_organised,
            "past_limit": MY_PAST_LIMIT,
            "organised_limit": MY_ORGANISED_LIMIT,
        },
    )
