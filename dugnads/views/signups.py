"""Placeholder: these pages come with their slice."""

from django.http import Http404


def signup_create(request, **kwargs):
    raise Http404


def signup_cancel(request, **kwargs):
    raise Http404


def guest_signup(request, **kwargs):
    raise Http404
