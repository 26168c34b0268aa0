"""Placeholder: these pages come with their slice."""

from django.http import Http404


def dugnad_ics(request, **kwargs):
    raise Http404


def feed_all(request, **kwargs):
    raise Http404


def feed_committee(request, **kwargs):
    raise Http404
