from django.urls import path, register_converter

from core.converters import YearReferenceConverter

from .views import annual_reports, application_reports, applications, figures, open_data, public


class ApplicationNumberConverter(YearReferenceConverter):
    """TSK-2026-001 (``Application.number``, at most 20 characters)."""

    min_digits = 3
    max_length = 20


register_converter(ApplicationNumberConverter, "application_number")

app_name = "grants"

urlpatterns = [
    # Public: schemes and their allocations, granted applications (views/public.py)
    path("", public.scheme_list, name="scheme-list"),
    path("ordning/<int:pk>/", public.scheme_detail, name="scheme-detail"),
    # Applications: the committee's form and page, its report (views/applications.py)
    path(
        "soknad/<application_number:number>/",
        applications.application_detail,
        name="application-detail",
    ),
    path(
        "soknad/ny/<slug:slug>/<int:scheme>/",
        applications.application_create,
        name="application-create",
    ),
    path(
        "soknad/<application_number:number>/endre/",
        applications.application_edit,
        name="application-edit",
    ),
    path(
        "soknad/<application_number:number>/steg/<str:to_state>/",
        applications.application_transition,
        name="application-transition",
    ),
    path(
        "soknad/<application_number:number>/rapport/",
        application_reports.application_report,
        name="application-report",
    ),
    path("bilde/<int:pk>/", applications.photo, name="application-photo"),
    path("kvittering/<int:pk>/", application_reports.receipt, name="application-receipt"),
    path("utvalg/<slug:slug>/", applications.committee_grants, name="committee-grants"),
    # Annual reports (views/annual_reports.py)
    path("arsrapport/<slug:slug>/<int:year>/", annual_reports.annual_report, name="annual-report"),
    path(
        "arsrapport/<slug:slug>/<int:year>/dokument/<int:pk>/",
        annual_reports.document,
        name="annual-report-document",
    ),
    path(
        "arsrapport/<slug:slug>/<int:year>/styret/",
        annual_reports.apply_board,
        name="annual-report-apply-board",
    ),
]

# The municipality's key figures and open data, at the site's top level (larvik_nmu/urls.py).
figures_urlpatterns = [
    path("", figures.key_figures, name="key-figures"),
]
open_data_urlpatterns = [
    path("", open_data.open_data, name="open-data"),
    path("<slug:dataset>.<str:fmt>", open_data.dataset, name="open-data-dataset"),
]
