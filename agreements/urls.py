from django.urls import path

from .views import documents, manage, public, reports, signing

app_name = "agreements"

urlpatterns = [
    # Public, and the parties' own view of drafts (views/public.py)
    path("", public.agreement_list, name="agreement-list"),
    path("<str:number>/", public.agreement_detail, name="agreement-detail"),
    # Documents (views/documents.py)
    path("<str:number>/utskrift/", documents.agreement_print, name="agreement-print"),
    path("<str:number>/avtale.pdf", documents.agreement_pdf, name="agreement-pdf"),
    # Signing, for the committee's leader (views/signing.py; the municipality signs in the admin)
    path("<str:number>/signer/", signing.agreement_sign, name="agreement-sign"),
    # The parties' steps and renewal (views/manage.py)
    path(
        "<str:number>/steg/<str:to_state>/",
        manage.agreement_transition,
        name="agreement-transition",
    ),
    path("<str:number>/forny/", manage.agreement_renew, name="agreement-renew"),
    path("fra-forslag/<str:reference>/", manage.agreement_draft, name="agreement-draft"),
    # The committee's reports (views/reports.py)
    path("<str:number>/rapport/<int:pk>/", reports.report_form, name="report-form"),
    path("rapportbilde/<int:pk>/", reports.photo, name="report-photo"),
]
