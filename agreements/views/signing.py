"""(Placeholder: built by the signing work.)"""

from django.http import Http404


def agreement_sign(request, **kwargs):
    raise Http404
