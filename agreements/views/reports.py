"""(Placeholder: built by the reports work.)"""

from django.http import Http404


def report_form(request, **kwargs):
    raise Http404


def photo(request, **kwargs):
    raise Http404
