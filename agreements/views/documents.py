"""(Placeholder: built by the documents work.)"""

from django.http import Http404


def agreement_print(request, **kwargs):
    raise Http404


def agreement_pdf(request, **kwargs):
    raise Http404
