"""Placeholder: the public pages come with their slice."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import permissions, selectors
from ..models import Dugnad


@require_safe
def dugnad_list(request):
    return render(
        request, "dugnads/dugnad_list.html", {"dugnads": selectors.dugnad_list_upcoming()}
    )


@require_safe
def dugnad_list_past(request):
    return render(request, "dugnads/dugnad_list.html", {"dugnads": selectors.dugnad_list_past()})


@require_safe
def my_dugnads(request):
    raise Http404


@require_safe
def dugnad_detail(request, pk: int):
    try:
        dugnad = selectors.dugnad_get(pk=pk)
    except Dugnad.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_dugnad(request.user, dugnad):
        raise Http404
    return render(request, "dugnads/dugnad_detail.html", {"dugnad": dugnad})
