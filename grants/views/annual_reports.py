"""Placeholder pages until this slice lands (a helper owns this module)."""

from django.http import Http404


def annual_report(request, **kwargs):
    raise Http404


def document(request, **kwargs):
    raise Http404


def apply_board(request, **kwargs):
    raise Http404
