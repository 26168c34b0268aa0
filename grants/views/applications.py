"""Placeholder pages until this slice lands (a helper owns this module)."""

from django.http import Http404


def application_detail(request, **kwargs):
    raise Http404


def application_create(request, **kwargs):
    raise Http404


def application_edit(request, **kwargs):
    raise Http404


def application_transition(request, **kwargs):
    raise Http404


def application_report(request, **kwargs):
    raise Http404


def photo(request, **kwargs):
    raise Http404


def receipt(request, **kwargs):
    raise Http404


def committee_grants(request, **kwargs):
    raise Http404
