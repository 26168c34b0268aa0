"""Placeholder until the pages are built."""

from django.http import Http404


def proposal_create(request, **kwargs):
    raise Http404


def draft_preview(request, **kwargs):
    raise Http404


def draft_edit(request, **kwargs):
    raise Http404


def draft_submit(request, **kwargs):
    raise Http404


def draft_delete(request, **kwargs):
    raise Http404
