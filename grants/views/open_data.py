"""Placeholder pages until this slice lands (a helper owns this module)."""

from django.http import Http404


def open_data(request, **kwargs):
    raise Http404


def dataset(request, **kwargs):
    raise Http404
