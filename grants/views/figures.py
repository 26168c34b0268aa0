"""Placeholder pages until this slice lands (a helper owns this module)."""

from django.http import Http404


def key_figures(request, **kwargs):
    raise Http404
