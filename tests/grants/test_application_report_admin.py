"""The review of a grant's report in the admin (grants/admin/application_reports.py): "Approve
the report" and "Return the report" after their intermediate pages, through the services; the
report's cost lines and photos "after" read-only. The mixin is wired into the applications'
admin by its owner; here it is mounted on a ModelAdmin of its own."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.utils.translation import override

from grants.admin.application_reports import (
    REPORT_ACTIONS,
    REPORT_FIELDS,
    REPORT_INLINES,
    ApplicationReportAdminMixin,
)
from grants.models import Application
from grants.services import application_reports as reports

from .test_application_report_helpers import GRANTED, granted_fixture, save  # noqa: F401

pytestmark = pytest.mark.django_db


class ReportAdmin(ApplicationReportAdminMixin, admin.ModelAdmin):
    actions = REPORT_ACTIONS
    inlines = REPORT_INLINES
    readonly_fields = REPORT_FIELDS


@pytest.fixture
def model_admin():
    return ReportAdmin(Application, AdminSite())


@pytest.fixture
def reported(granted, leader):
    save(granted, leader)
    return reports.report_submit(application=granted, actor=leader)


def post(user, data):
    request = RequestFactory().post("/admin/grants/application/", data)
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def said(request) -> str:
    return " ".join(str(m) for m in request._messages)


def test_the_actions_are_for_staff_who_answer_applications(model_admin, case_handler, leader):
    for user, shown in ((case_handler, True), (leader, False)):
        request = RequestFactory().get("/")
        request.user = user
        assert model_admin.has_review_report_permission(request) is shown


def test_approve_shows_the_page_then_creates_the_payment(model_admin, reported, case_handler):
    queryset = Application.objects.filter(pk=reported.pk)
    with override("en"):
        page = model_admin.approve_report(
            post(case_handler, {"action": "approve_report"}), queryset
        )
        page.render()
    assert page.status_code == 200 and "Approve the reports" in page.content.decode()
    assert Application.objects.get(pk=reported.pk).state == "reported"
    request = post(case_handler, {"action": "approve_report", "apply": "1"})
    with override("en"):
        assert model_admin.approve_report(request, queryset) is None
    application = Application.objects.get(pk=reported.pk)
    assert application.state == "payable"
    assert application.payment.amount == Decimal("4000")
    assert "1 report approved." in said(request)


def test_approving_twice_says_why_not(model_admin, reported, case_handler):
    queryset = Application.objects.filter(pk=reported.pk)
    model_admin.approve_report(post(case_handler, {"apply": "1"}), queryset)
    request = post(case_handler, {"apply": "1"})
    with override("en"):
        model_admin.approve_report(request, queryset)
    assert "Only a report that has been sent" in said(request)


def test_return_needs_a_comment(model_admin, reported, case_handler):
    queryset = Application.objects.filter(pk=reported.pk)
    with override("en"):
        page = model_admin.return_report(
            post(case_handler, {"apply": "1", "comment": " "}), queryset
        )
        assert page.context_data["form"].errors["comment"] == [
            "Write what the committee must correct."
        ]
    assert Application.objects.get(pk=reported.pk).state == "reported"
    request = post(case_handler, {"apply": "1", "comment": "Kvitteringen mangler dato."})
    assert model_admin.return_report(request, queryset) is None
    application = Application.objects.get(pk=reported.pk)
    assert application.state == "report_returned"
    assert (
        application.events.get(to_state="report_returned").message == "Kvitteringen mangler dato."
    )


def test_the_report_figures(model_admin, reported):
    assert model_admin.report_costs_total(reported) == model_admin.report_payable(reported)
    assert "4" in model_admin.report_costs_total(reported)
    assert model_admin.report_hours_total(reported) == 0
    assert Decimal("4000") < GRANTED


def test_the_inlines_show_the_report_only(model_admin, reported, case_handler):
    from grants.models import BudgetLine

    BudgetLine.objects.create(application=reported, description="Plan", amount=1)
    request = RequestFactory().get("/")
    request.user = case_handler
    costs, photos = (inline(Application, AdminSite()) for inline in REPORT_INLINES)
    assert list(costs.get_queryset(request).values_list("description", flat=True)) == [
        "Blomster og jord"
    ]
    assert list(photos.get_queryset(request).values_list("kind", flat=True)) == ["after"]
    line = costs.get_queryset(request).get()
    assert f"/tilskudd/kvittering/{line.pk}/" in costs.receipt_link(line)


# --- through the applications' admin (grants/admin/applications.py wires the mixin in) --------


def test_the_applications_admin_approves_a_report(client, reported, case_handler):
    from django.urls import reverse

    client.force_login(case_handler)
    client.cookies["nmu_language"] = "en"
    change = client.get(reverse("admin:grants_application_change", args=[reported.pk]))
    assert change.status_code == 200
    content = change.content.decode()
    assert "Blomster og jord" in content and "Approve the report" in content
    url = reverse("admin:grants_application_changelist")
    data = {"action": "approve_report", "_selected_action": [reported.pk]}
    page = client.post(url, data)
    assert page.status_code == 200 and "Approve the reports" in page.content.decode()
    done = client.post(url, {**data, "apply": "1"}, follow=True)
    assert "1 report approved." in done.content.decode()
    assert Application.objects.get(pk=reported.pk).payment.amount == Decimal("4000")


def test_the_applications_admin_returns_a_report_with_a_comment(client, reported, case_handler):
    from django.urls import reverse

    client.force_login(case_handler)
    client.cookies["nmu_language"] = "en"
    url = reverse("admin:grants_application_changelist")
    data = {"action": "return_report", "_selected_action": [reported.pk], "apply": "1"}
    page = client.post(url, {**data, "comment": ""})
    assert "Write what the committee must correct." in page.content.decode()
    client.post(url, {**data, "comment": "Kvitteringen mangler dato."})
    assert Application.objects.get(pk=reported.pk).state == "report_returned"


def test_staff_who_do_not_answer_applications_have_no_report_actions(
    client, reported, staff_without_group
):
    from django.urls import reverse

    client.force_login(staff_without_group)
    url = reverse("admin:grants_application_changelist")
    response = client.post(
        url, {"action": "approve_report", "_selected_action": [reported.pk], "apply": "1"}
    )
    assert response.status_code in (302, 403)
    assert Application.objects.get(pk=reported.pk).state == "reported"
