"""Calendar files: "Add to calendar" for one dugnad, and the feeds a calendar app subscribes to
(the whole portal's, a committee's with its sub-committees'). Built by ``dugnads.calendar``.

A feed is public and the same for everyone, so it may be cached for a short while (calendar apps
fetch it on their own schedule anyway). The single event of a draft, which only the board sees,
is never stored by a cache.
"""

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from committees import selectors as committee_selectors
from committees.models import Committee

from .. import calendar, permissions, selectors
from ..models import Dugnad

CONTENT_TYPE = "text/calendar; charset=utf-8"
# Seconds a shared cache or the client may keep a feed, or a public dugnad's file.
FEED_MAX_AGE = 15 * 60
EVENT_MAX_AGE = 5 * 60


def _calendar_response(body: bytes, *, filename: str, attachment: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def dugnad_ics(request, pk: int):
    """The one dugnad as a file to open in a calendar: whoever may see its page may have it."""
    try:
        dugnad = selectors.dugnad_get(pk=pk)
    except Dugnad.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_dugnad(request.user, dugnad):
        raise Http404
    response = _calendar_response(
        calendar.dugnad_ics(dugnad), filename=f"dugnad-{dugnad.pk}.ics", attachment=True
    )
    if dugnad.is_public:
        patch_cache_control(response, public=True, max_age=EVENT_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def feed_all(request):
    """Every public dugnad, upcoming and recent, for a calendar app to subscribe to."""
    response = _calendar_response(
        calendar.feed_ics(calendar.feed_dugnads()), filename="dugnader.ics", attachment=False
    )
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


@require_safe
def feed_committee(request, slug: str):
    """A committee's public dugnads and its sub-committees'."""
    try:
        committee = committee_selectors.committee_get(slug=slug)
    except Committee.DoesNotExist:
        raise Http404 from None
    response = _calendar_response(
        calendar.feed_ics(calendar.feed_dugnads(committee=committee), committee=committee),
        filename=f"dugnader-{committee.slug}.ics",
        attachment=False,
    )
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response
