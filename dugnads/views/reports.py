"""Placeholder: these pages come with their slice."""

from django.http import Http404


def dugnad_report(request, **kwargs):
    raise Http404


def photo(request, **kwargs):
    raise Http404
