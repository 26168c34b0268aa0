"""The site frame: front page, statement pages and error pages."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.http import require_safe

from committees import selectors as committee_selectors
from dugnads import figures as dugnad_figures
from dugnads import selectors as dugnad_selectors
from dugnads.models import State as DugnadState
from grants import key_figures
from proposals import selectors as proposal_selectors

from . import accessibility as accessibility_statement

LATEST_PROPOSALS = 5
NEXT_DUGNADS = 3


@require_safe
def home(request):
    """The committees, the latest proposals, this year's dugnads with their hours and value
    for all committees, and the next few dugnads (cancelled ones are on the list, not here)."""
    committees = committee_selectors.committee_list_top_level()
    today = timezone.localdate()
    return render(
        request,
        "pages/home.html",
        {
            "committees": committees,
            "latest_proposals": proposal_selectors.proposal_list()[:LATEST_PROPOSALS],
            "today": today,
            "dugnad_figures": dugnad_figures.dugnad_year_figures(year=today.year),
            "key_figures": key_figures.figures_for_year(year=today.year),
            "upcoming_dugnads": dugnad_selectors.dugnad_list_upcoming().filter(
                state=DugnadState.PUBLISHED
            )[:NEXT_DUGNADS],
        },
    )


@require_safe
def accessibility(request):
    return render(request, "pages/accessibility.html", accessibility_statement.statement_context())


@require_safe
def privacy(request):
    return render(request, "pages/privacy.html")


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """Rendered without context processors: the database may be what failed."""
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
