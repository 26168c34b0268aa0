"""The annual reports' admin: the list with its columns and filters, the same queries for 10
and 1,000 reports, a report's page with its documents and elected board read-only, "Approve" and
"Return with a comment" through the services, and the CSV/XLSX exports without personal data."""

import csv
import datetime
import io

import pytest
from django.contrib.admin import helpers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.models import Role
from grants.models import AnnualReport, AnnualReportDocument, AnnualReportState
from grants.services import annual_reports as service
from tests.factories import AnnualReportFactory, CommitteeFactory

from .test_annual_report_helpers import (  # noqa: F401 (fixtures)
    complete,
    elected,
    report_fixture,
    submitted_fixture,
    upload,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:grants_annualreport_changelist")
R = AnnualReportState


def login(client, user):
    client.cookies["nmu_language"] = "en"
    client.force_login(user)
    return client


def change_url(report) -> str:
    return reverse("admin:grants_annualreport_change", args=[report.pk])


def act(client, action, objects, **data):
    return client.post(
        CHANGELIST,
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [str(o.pk) for o in objects], **data},
    )


def rows(response) -> list:
    return list(response.context["cl"].result_list)


# --- The list ---------------------------------------------------------------------------------------


def test_the_list_shows_committee_year_state_due_overdue_and_documents(
    client, case_handler, report, leader
):
    service.document_upload(report=report, actor=leader, kind="budget", uploaded_file=upload())
    AnnualReportFactory(
        committee=CommitteeFactory(name="Kvelde"), year=2020, due_on=datetime.date(2021, 5, 1)
    )
    response = login(client, case_handler).get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Svarstad" in html and "Kvelde" in html
    by_committee = {r.committee.name: r for r in rows(response)}
    assert by_committee["Svarstad"].document_count == 1
    assert by_committee["Kvelde"].document_count == 0
    assert "Overdue" in html  # Kvelde's 2020 report


def test_a_report_sent_after_its_due_date_is_marked_sent_late(
    client, case_handler, submitted, leader
):
    """Once in, a report sent seven months late must not read like one sent on time."""
    on_time = AnnualReport.objects.get(pk=submitted.pk)
    late = AnnualReportFactory(committee=CommitteeFactory(name="Kvelde"), year=on_time.year)
    complete(late, leader_of(late.committee))
    service.annual_report_submit(report=late, actor=leader_of(late.committee))
    AnnualReport.objects.filter(pk=late.pk).update(
        due_on=datetime.date(on_time.year + 1, 1, 1),
        submitted_at=datetime.datetime(on_time.year + 1, 8, 1, 12, tzinfo=datetime.UTC),
    )
    AnnualReport.objects.filter(pk=on_time.pk).update(
        due_on=datetime.date(on_time.year + 1, 5, 1),
        submitted_at=datetime.datetime(on_time.year + 1, 4, 30, 12, tzinfo=datetime.UTC),
    )
    html = login(client, case_handler).get(CHANGELIST).content.decode()
    assert html.count("Sent late") == 1
    response = act(client, "export_annual_reports_csv", [late, on_time])
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    column = table[0].index("Sent late")
    assert {row[0]: row[column] for row in table[1:]} == {"Kvelde": "Yes", "Svarstad": "No"}


def leader_of(committee):
    from tests.factories import MembershipFactory

    return MembershipFactory(committee=committee, role=Role.LEADER).user


def test_the_filters(client, case_handler, report, committee):
    AnnualReport.objects.filter(pk=report.pk).update(
        due_on=datetime.date.today() + datetime.timedelta(days=30)
    )
    old = AnnualReportFactory(
        committee=CommitteeFactory(name="Kvelde"), year=2020, due_on=datetime.date(2021, 5, 1)
    )
    approved = AnnualReportFactory(
        committee=CommitteeFactory(name="Helgeroa"),
        year=2020,
        due_on=datetime.date(2021, 5, 1),
        state=R.APPROVED,
    )
    login(client, case_handler)

    def names(query: str) -> set[str]:
        response = client.get(f"{CHANGELIST}?{query}")
        assert response.status_code == 200
        return {r.committee.name for r in rows(response)}

    assert names("year=2020") == {"Kvelde", "Helgeroa"}
    assert names("state=approved") == {"Helgeroa"}
    assert names("overdue=yes") == {"Kvelde"}
    assert names("overdue=no") == {"Svarstad", "Helgeroa"}
    assert names(f"committee__id__exact={committee.pk}") == {"Svarstad"}
    assert names("q=kvel") == {"Kvelde"}
    assert names("year=abc") == {"Svarstad", "Kvelde", "Helgeroa"}
    assert old.pk and approved.pk


def _many(n: int, year_from: int) -> None:
    committees = CommitteeFactory.create_batch(n // 10 or 1)
    reports = AnnualReport.objects.bulk_create(
        AnnualReport(
            committee=committees[i % len(committees)],
            year=year_from + i // len(committees),
            due_on=datetime.date(year_from + i // len(committees) + 1, 5, 1),
        )
        for i in range(n)
    )
    AnnualReportDocument.objects.bulk_create(
        AnnualReportDocument(
            annual_report=r,
            kind="budget",
            file="grants/annual-reports/x.pdf",
            token="x",
            extension=".pdf",
            content_type="application/pdf",
            original_name="b.pdf",
        )
        for r in reports
    )


def test_the_list_keeps_its_queries_from_10_to_1000_reports(client, case_handler):
    login(client, case_handler)
    _many(10, 2000)
    client.get(CHANGELIST)  # warm what a first request fills
    with CaptureQueriesContext(connection) as small:
        assert client.get(CHANGELIST).status_code == 200
    _many(990, 2001)
    with CaptureQueriesContext(connection) as large:
        assert client.get(CHANGELIST).status_code == 200
    assert len(large) == len(small), (len(small), len(large))


# --- A report's page --------------------------------------------------------------------------------


def test_the_page_shows_documents_and_the_elected_board_read_only(client, case_handler, submitted):
    response = login(client, case_handler).get(change_url(submitted))
    assert response.status_code == 200
    html = response.content.decode()
    assert "protocol.pdf" in html and "Sverre Leder" in html
    assert (
        reverse(
            "grants:annual-report-document",
            args=[submitted.committee.slug, submitted.year, submitted.documents.first().pk],
        )
        in html
    )
    # Nothing is edited here.
    assert 'name="elected-0-name"' not in html
    assert "approve_report" in html  # the action on the page


def test_the_elected_addresses_are_for_those_who_may_see_addresses(
    client, case_handler, superuser, submitted
):
    assert (
        "leader@example.no"
        not in login(client, case_handler)
        .get(change_url(submitted))
        .content.decode()
        .split("elected")[-1]
    )
    assert (
        "leader@example.no" in login(client, superuser).get(change_url(submitted)).content.decode()
    )


# --- Actions --------------------------------------------------------------------------------------


def test_approve_calls_the_service(client, case_handler, submitted):
    login(client, case_handler)
    page = act(client, "approve_report", [submitted])
    assert page.status_code == 200  # the confirmation
    assert act(client, "approve_report", [submitted], apply="1").status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == R.APPROVED and submitted.reviewed_by == case_handler


def test_an_open_report_is_not_approved_and_says_why(client, case_handler, report):
    login(client, case_handler)
    act(client, "approve_report", [report], apply="1")
    report.refresh_from_db()
    assert report.state == R.OPEN


def test_return_needs_a_comment(client, case_handler, submitted):
    login(client, case_handler)
    response = act(client, "return_report", [submitted], apply="1", comment="")
    assert response.status_code == 200
    assert "Write what the committee must correct." in response.content.decode()
    assert AnnualReport.objects.get(pk=submitted.pk).state == R.SUBMITTED
    response = act(client, "return_report", [submitted], apply="1", comment="Mangler signatur.")
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == R.RETURNED and submitted.comment == "Mangler signatur."
    assert submitted.events.last().message == "Mangler signatur."


def test_staff_who_may_not_review_are_not_offered_the_actions(client, superuser, submitted):
    from django.contrib.auth.models import Permission

    from tests.factories import DepartmentStaffFactory

    viewer = DepartmentStaffFactory().user
    viewer.user_permissions.add(Permission.objects.get(codename="view_annualreport"))
    response = login(client, viewer).get(CHANGELIST)
    assert response.status_code == 200
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "approve_report" not in actions and "return_report" not in actions
    assert "export_annual_reports_csv" in actions
    act(client, "approve_report", [submitted], apply="1")
    assert AnnualReport.objects.get(pk=submitted.pk).state == R.SUBMITTED


def test_outsiders_have_no_admin(client, leader):
    response = login(client, leader).get(CHANGELIST)
    assert response.status_code == 302


# --- Exports ------------------------------------------------------------------------------------------


def test_the_csv_export_has_no_personal_data(client, case_handler, report, leader):
    complete(
        report,
        leader,
        members=[elected("Sverre Leder", "leader@example.no", Role.LEADER)],
    )
    response = act(login(client, case_handler), "export_annual_reports_csv", [report])
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0][:3] == ["Committee", "Year", "Status"]
    assert table[1][0] == "Svarstad" and table[1][1] == str(report.year)
    assert table[1][6] == "4"  # documents
    assert "leader@example.no" not in text and "Sverre" not in text


def test_the_xlsx_export(client, case_handler, report):
    from openpyxl import load_workbook

    response = act(login(client, case_handler), "export_annual_reports_xlsx", [report])
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet.cell(row=2, column=1).value == "Svarstad"
    assert sheet.cell(row=2, column=2).value == report.year
