"""Placeholder pages until this slice lands (a helper owns this module)."""

from django.http import Http404


def scheme_list(request, **kwargs):
    raise Http404


def scheme_detail(request, **kwargs):
    raise Http404
