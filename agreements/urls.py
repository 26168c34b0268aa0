from django.urls import path, register_converter

from core.converters import YearReferenceConverter
from proposals.converters import ReferenceConverter

from .views import documents, manage, public, reports, signing


class NumberConverter(YearReferenceConverter):
    """AVT-2026-001 (``Agreement.number``, at most 20 characters)."""

    min_digits = 3
    max_length = 20


register_converter(NumberConverter, "agreement_number")
# A proposal's reference (Lag avtaleutkast), under a name of our own: converters are global.
register_converter(ReferenceConverter, "proposal_reference")

app_name = "agreements"

urlpatterns = [
    # Public, and the parties' own view of drafts (views/public.py)
    path("", public.agreement_list, name="agreement-list"),
    path("<agreement_number:number>/", public.agreement_detail, name="agreement-detail"),
    # Documents (views/documents.py)
    path("<agreement_number:number>/utskrift/", documents.agreement_print, name="agreement-print"),
    path("<agreement_number:number>/avtale.pdf", documents.agreement_pdf, name="agreement-pdf"),
    # Signing, for the committee's leader (views/signing.py; the municipality signs in the admin)
    path("<agreement_number:number>/signer/", signing.agreement_sign, name="agreement-sign"),
    # The parties' steps and renewal (views/manage.py)
    path(
        "<agreement_number:number>/steg/<str:to_state>/",
        manage.agreement_transition,
        name="agreement-transition",
    ),
    path("<agreement_number:number>/forny/", manage.agreement_renew, name="agreement-renew"),
    path(
        "fra-forslag/<proposal_reference:reference>/",
        manage.agreement_draft,
        name="agreement-draft",
    ),
    # The committee's reports (views/reports.py)
    path("<agreement_number:number>/rapport/<int:pk>/", reports.report_form, name="report-form"),
    path("rapportbilde/<int:pk>/", reports.photo, name="report-photo"),
]
