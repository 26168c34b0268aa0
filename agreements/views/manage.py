"""(Placeholder: built by the manage work.)"""

from django.http import Http404


def agreement_transition(request, **kwargs):
    raise Http404


def agreement_renew(request, **kwargs):
    raise Http404
