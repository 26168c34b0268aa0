"""The agreements' public pages: /avtaler/ (the signed agreements, filtered) and one
agreement's page. Each view checks permission on the server, calls selectors, renders.

Public by default (offentleglova § 3): an agreement both parties have signed is public with its
economic picture, without the fields marked as personal data; a draft is seen only by the two
parties — the board of its own committee and municipal staff — and is a 404 for everyone else,
another committee's leader included. The drafts are in the workspace (the committee page, Min
side and the top of this list for a board member), never among the public rows.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from proposals import selectors as proposal_selectors

from .. import economics, permissions, selectors, workspace
from ..forms.filters import AgreementFilterForm
from ..models import Agreement, Renewal, State
from ..services.renewal import automatic_renewals
from ..steps import allowed_targets
from ..terms import terms_hash

PAGE_SIZE = 20
# Longer than any number the counter gives (AVT-YYYY-NNN; the tests' AVT-YYYY-9NNNNN).
NUMBER_MAX_LENGTH = 20


def agreement_for(request, number: str) -> Agreement:
    """The agreement ``number`` with everything its pages show, or 404 — also when the user may
    not see it (a draft to anyone but the two parties), so an outsider cannot tell a draft
    exists. A number that cannot be one (a NUL byte, which PostgreSQL refuses) is a 404 before
    any query."""
    if len(number) > NUMBER_MAX_LENGTH or not number.isprintable():
        raise Http404
    try:
        agreement = selectors.agreement_get(number=number)
    except Agreement.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_agreement(request.user, agreement):
        raise Http404
    return agreement


def agreement_context(request, agreement: Agreement) -> dict:
    """What the agreement's page and its documents show, the same for both: the terms, the
    economic picture, the signatures with the current terms' hash (personal fields only for the
    parties), payments, report duties and the timeline."""
    from .reports import report_duties_context

    user = request.user
    return {
        "agreement": agreement,
        "tasks": list(agreement.tasks.all()),
        "provisions": list(agreement.provisions.all()),
        "picture": economics.agreement_picture(agreement=agreement),
        "current_hash": terms_hash(agreement),
        "extensions": automatic_renewals(agreement)
        if agreement.renewal == Renewal.AUTOMATIC
        else 0,
        "signatures": list(agreement.valid_signatures),
        "show_personal": permissions.sees_personal_data(user, agreement),
        "events": selectors.agreement_events(agreement=agreement),
        # can_report, can_see_reports and each duty's approved hours and costs.
        **report_duties_context(request, agreement),
    }


@require_safe
def agreement_list(request):
    form = AgreementFilterForm(
        request.GET,
        committees=proposal_selectors.committee_filter_choices(),
        departments=selectors.department_filter_choices(),
    )
    filters = form.filters()
    agreements = selectors.agreement_list_public(**filters)
    page = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("side"))
    # Filtered to one committee or one department: its economic picture, rolled up per year
    # (the years of the filter, or all); a fixed number of queries however many match.
    rollup = None
    if filters["committee_slug"] or filters["department_slug"]:
        rollup = economics.rollup_by_year(
            agreements_qs=agreements, years={filters["year"]} if filters["year"] else None
        )
    mine = workspace.my_workspace_context({"request": request}, request.user)
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "form": form,
            "page": page,
            "query": form.query(),
            "filtered": any(filters.values()),
            "rollup": rollup if rollup is not None and rollup.agreements else None,
            "rows": (mine or {}).get("rows", []),
            "more": (mine or {}).get("more", False),
        },
    )


@require_safe
def agreement_detail(request, number: str):
    agreement = agreement_for(request, number)
    user = request.user
    parties = permissions.parties_of(user, agreement)
    context = agreement_context(request, agreement)
    context.update(
        {
            "is_party": permissions.is_party(user, agreement),
            "can_sign": agreement.state == State.SENT
            and permissions.can_sign_for_committee(user, agreement),
            "can_terminate": State.TERMINATED in allowed_targets(agreement.state, parties),
        }
    )
    return render(request, "agreements/agreement_detail.html", context)
