"""Placeholder until the pages are built."""

from django.http import Http404


def proposal_transition(request, **kwargs):
    raise Http404


def message_create(request, **kwargs):
    raise Http404


def committee_inbox(request, **kwargs):
    raise Http404
