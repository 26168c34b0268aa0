"""(Placeholder: built by the public work.)"""

from django.http import Http404


def agreement_list(request, **kwargs):
    raise Http404


def agreement_detail(request, **kwargs):
    raise Http404
