"""Placeholder until the pages are built."""

from django.http import Http404


def proposal_list(request, **kwargs):
    raise Http404


def attachment_download(request, **kwargs):
    raise Http404


def proposal_detail(request, **kwargs):
    raise Http404


def proposal_support(request, **kwargs):
    raise Http404


def proposal_unsupport(request, **kwargs):
    raise Http404


def proposal_follow(request, **kwargs):
    raise Http404


def proposal_unfollow(request, **kwargs):
    raise Http404


def my_proposals(request, **kwargs):
    raise Http404
