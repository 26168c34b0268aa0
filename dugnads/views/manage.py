"""Placeholder: these pages come with their slice."""

from django.http import Http404


def dugnad_create(request, **kwargs):
    raise Http404


def dugnad_edit(request, **kwargs):
    raise Http404


def dugnad_transition(request, **kwargs):
    raise Http404


def participant_list(request, **kwargs):
    raise Http404


def participant_csv(request, **kwargs):
    raise Http404


def participant_message(request, **kwargs):
    raise Http404
