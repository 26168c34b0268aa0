"""The annual report's pages: who sees the form, who sees it read-only, who is sent away; the
forms post through the services and bad input comes back with its message, nothing saved; the
documents served to the two parties only; the leader's "Apply the elected board" with its
preview; the committee page's line; the same queries however long the timeline."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.models import BoardInvitation, Role
from grants.models import AnnualReport, AnnualReportEvent, AnnualReportState, DocumentKind
from grants.services import annual_reports as service

from .test_annual_report_helpers import (  # noqa: F401 (fixtures)
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    ROLES,
    approved_fixture,
    complete,
    elected,
    last_year,
    meeting_day,
    report_fixture,
    submitted_fixture,
    upload,
)

pytestmark = pytest.mark.django_db

BOARD = {"board_member", "leader"}
READ_ONLY = {"case_handler"}


def login(client, user):
    if user is not None and user.is_authenticated:
        client.force_login(user)
    client.cookies["nmu_language"] = "en"
    return client


def page_url(committee, year=None) -> str:
    return reverse("grants:annual-report", args=[committee.slug, year or last_year()])


def document_url(document) -> str:
    report = document.annual_report
    return reverse(
        "grants:annual-report-document", args=[report.committee.slug, report.year, document.pk]
    )


def apply_url(committee, year=None) -> str:
    return reverse("grants:annual-report-apply-board", args=[committee.slug, year or last_year()])


def board_data(members, meeting_on=None, extra_rows=0) -> dict:
    data = {
        "action": "board",
        "meeting_on": (meeting_on or meeting_day()).isoformat(),
        "elected-TOTAL_FORMS": str(len(members) + extra_rows),
        "elected-INITIAL_FORMS": "0",
    }
    for index, (name, email, role) in enumerate(members):
        data.update(
            {
                f"elected-{index}-name": name,
                f"elected-{index}-email": email,
                f"elected-{index}-role": role,
                f"elected-{index}-term_ends_on": "",
            }
        )
    return data


# --- Who --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_page(client, committee, leader, user_in_role, role):
    login(client, user_in_role(role))
    response = client.get(page_url(committee))
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    elif role in BOARD:
        assert response.status_code == 200 and response.context["editable"]
        assert b'id="upload-form"' in response.content
    elif role in READ_ONLY:
        assert response.status_code == 200 and not response.context["editable"]
        assert b'id="upload-form"' not in response.content
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ["case_handler", "resident", "other_committee_leader"])
def test_only_the_board_posts(client, committee, report, user_in_role, role):
    login(client, user_in_role(role))
    response = client.post(
        page_url(committee), {"action": "upload", "kind": "protocol", "file": upload()}
    )
    assert response.status_code == 403
    assert not report.documents.exists()


def test_looking_does_not_open_the_report(client, committee, leader):
    response = login(client, leader).get(page_url(committee))
    assert response.status_code == 200
    assert response.context["report"].pk is None
    assert not AnnualReport.objects.exists()
    assert b"Not submitted" in response.content


@pytest.mark.parametrize("year", [1999, 3000])
def test_a_year_outside_the_range_is_not_found(client, committee, leader, year):
    assert login(client, leader).get(page_url(committee, year)).status_code == 404


def test_an_unknown_committee_is_not_found(client, leader):
    url = reverse("grants:annual-report", args=["finnes-ikke", last_year()])
    assert login(client, leader).get(url).status_code == 404


def test_a_post_without_a_known_action_is_refused(client, committee, leader):
    assert login(client, leader).post(page_url(committee), {"action": "x"}).status_code == 403


# --- Uploading ----------------------------------------------------------------------------------


def test_the_board_uploads_a_document_and_the_report_opens(client, committee, board_member):
    login(client, board_member)
    response = client.post(
        page_url(committee), {"action": "upload", "kind": "accounts", "file": upload("r.pdf")}
    )
    assert response.status_code == 302
    report = AnnualReport.objects.get(committee=committee, year=last_year())
    assert report.documents.get().kind == DocumentKind.ACCOUNTS
    page = client.get(page_url(committee))
    assert b"r.pdf" in page.content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", EXE_BYTES, b"does not look like a PDF file"),
        ("virus.exe", PDF_BYTES, b"is not a PDF, PNG or JPEG file"),
    ],
)
def test_a_refused_file_comes_back_with_its_message(
    client, committee, board_member, name, content, message
):
    login(client, board_member)
    response = client.post(
        page_url(committee),
        {"action": "upload", "kind": "protocol", "file": upload(name, content)},
    )
    assert response.status_code == 400
    assert message in response.content
    assert not AnnualReport.objects.filter(documents__isnull=False).exists()


def test_a_png_named_pdf_is_accepted_from_the_page(client, committee, board_member):
    login(client, board_member)
    response = client.post(
        page_url(committee),
        {"action": "upload", "kind": "protocol", "file": upload("scan.pdf", PNG_BYTES)},
    )
    assert response.status_code == 302
    assert AnnualReport.objects.get().documents.get().content_type == "image/png"


def test_without_a_kind_the_form_says_so(client, committee, board_member):
    login(client, board_member)
    response = client.post(page_url(committee), {"action": "upload", "file": upload()})
    assert response.status_code == 400
    assert b"Choose which document this is." in response.content


def test_the_board_removes_a_document(client, committee, report, board_member):
    document = service.document_upload(
        report=report, actor=board_member, kind="budget", uploaded_file=upload()
    )
    login(client, board_member)
    response = client.post(page_url(committee), {"action": "delete", "document": document.pk})
    assert response.status_code == 302
    assert not report.documents.exists()
    response = client.post(page_url(committee), {"action": "delete", "document": "x"})
    assert response.status_code == 400


# --- The annual meeting -------------------------------------------------------------------------


def test_the_board_saves_the_annual_meeting(client, committee, leader):
    login(client, leader)
    response = client.post(
        page_url(committee),
        board_data(
            [
                ("Sverre Leder", "leader@example.no", Role.LEADER),
                ("Kari Kasserer", "kari@example.no", Role.TREASURER),
            ],
            extra_rows=2,  # empty rows are nobody
        ),
    )
    assert response.status_code == 302
    report = AnnualReport.objects.get()
    assert report.meeting_on == meeting_day()
    assert report.elected.count() == 2


def test_two_leaders_come_back_with_the_message(client, committee, leader):
    login(client, leader)
    response = client.post(
        page_url(committee),
        board_data([("A", "a@example.no", Role.LEADER), ("B", "b@example.no", Role.LEADER)]),
    )
    assert response.status_code == 400
    assert b"The annual meeting elects exactly one leader." in response.content
    assert not AnnualReport.objects.filter(elected__isnull=False).exists()


def test_a_half_filled_row_comes_back_with_the_message(client, committee, leader):
    login(client, leader)
    response = client.post(page_url(committee), board_data([("Uten adresse", "", Role.LEADER)]))
    assert response.status_code == 400
    assert b"Write the person&#x27;s e-mail address." in response.content


def test_more_than_twenty_rows_are_refused(client, committee, leader):
    login(client, leader)
    rows = [("Leder", "leder@example.no", Role.LEADER)]
    rows += [(f"P{i}", f"p{i}@example.no", Role.BOARD_MEMBER) for i in range(20)]
    response = client.post(page_url(committee), board_data(rows))
    assert response.status_code == 400
    assert not AnnualReport.objects.filter(elected__isnull=False).exists()


def test_a_nul_in_a_name_comes_back_with_a_message(client, committee, leader):
    login(client, leader)
    response = client.post(page_url(committee), board_data([("A\x00", "a@example.no", "leader")]))
    assert response.status_code == 400


# --- Sending --------------------------------------------------------------------------------------


def test_an_incomplete_report_comes_back_with_what_is_missing(client, committee, leader):
    login(client, leader)
    response = client.post(page_url(committee), {"action": "submit"})
    assert response.status_code == 400
    assert b"Add the document" in response.content
    assert AnnualReport.objects.get().state == AnnualReportState.OPEN


def test_a_complete_report_is_sent_from_the_page(client, committee, report, leader):
    complete(report, leader)
    login(client, leader)
    response = client.post(page_url(committee), {"action": "submit"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == AnnualReportState.SUBMITTED
    page = client.get(page_url(committee))
    assert not page.context["editable"]
    assert client.post(page_url(committee), {"action": "submit"}).status_code == 302
    assert b"Submitted" in page.content


def test_the_returned_comment_is_shown(client, committee, submitted, leader, case_handler):
    service.annual_report_return(report=submitted, actor=case_handler, comment="Mangler budsjett.")
    page = login(client, leader).get(page_url(committee))
    assert page.context["editable"]
    assert b'id="return-comment"' in page.content and b"Mangler budsjett." in page.content


def test_staff_who_review_get_the_link_to_the_review(client, committee, submitted, case_handler):
    page = login(client, case_handler).get(page_url(committee))
    assert page.context["review_url"] == reverse(
        "admin:grants_annualreport_change", args=[submitted.pk]
    )


# --- Documents --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_a_document_is_served_to_the_parties_only(client, report, leader, user_in_role, role):
    document = service.document_upload(
        report=report, actor=leader, kind="protocol", uploaded_file=upload("p.pdf")
    )
    login(client, user_in_role(role))
    response = client.get(document_url(document))
    if role == "anonymous":
        assert response.status_code == 302
    elif role in BOARD | READ_ONLY:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in response["Content-Disposition"]
    else:
        assert response.status_code == 404


def test_a_document_of_another_year_is_not_found(client, report, leader):
    document = service.document_upload(
        report=report, actor=leader, kind="protocol", uploaded_file=upload()
    )
    url = reverse(
        "grants:annual-report-document", args=[report.committee.slug, report.year - 1, document.pk]
    )
    assert login(client, leader).get(url).status_code == 404


# --- Applying the elected board --------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_apply_the_board(client, committee, approved, leader, user_in_role, role):
    login(client, user_in_role(role))
    response = client.get(apply_url(committee))
    if role == "anonymous":
        assert response.status_code == 302
    elif role == "leader":
        assert response.status_code == 200
        assert b'id="confirm-apply-board"' in response.content
    else:
        assert response.status_code == 403
    if role not in ("anonymous", "leader"):
        assert client.post(apply_url(committee)).status_code == 403


def test_the_leader_previews_then_applies(client, committee, report, leader, case_handler):
    complete(
        report,
        leader,
        members=[
            elected("Sverre Leder", "leader@example.no", Role.LEADER),
            elected("Nils Ny", "nils@example.no"),
        ],
    )
    service.annual_report_submit(report=report, actor=leader)
    service.annual_report_approve(report=report, actor=case_handler)
    login(client, leader)
    report_page = client.get(page_url(committee))
    assert b'id="apply-board-link"' in report_page.content
    preview = client.get(apply_url(committee))
    assert b"Nils Ny" in preview.content and b"Invited by e-mail" in preview.content
    assert not BoardInvitation.objects.exists()  # a preview changes nothing
    response = client.post(apply_url(committee))
    assert response.status_code == 302
    assert BoardInvitation.objects.get().email == "nils@example.no"
    again = client.get(apply_url(committee))
    assert b"already been applied" in again.content
    assert b'id="confirm-apply-board"' not in again.content
    assert client.post(apply_url(committee)).status_code == 400
    assert BoardInvitation.objects.count() == 1


def test_before_approval_the_leader_is_told_why_not(client, committee, submitted, leader):
    response = login(client, leader).get(apply_url(committee))
    assert response.status_code == 200
    assert b"once the municipality has approved" in response.content
    assert client.post(apply_url(committee)).status_code == 400


def test_without_a_report_there_is_nothing_to_apply(client, committee, leader):
    assert login(client, leader).get(apply_url(committee)).status_code == 404


# --- The committee page ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "resident", "other_committee_leader", "leader"])
def test_the_committee_page_shows_the_board_its_annual_report(
    client, committee, leader, user_in_role, role
):
    login(client, user_in_role(role))
    response = client.get(committee.get_absolute_url())
    assert response.status_code == 200
    shown = b'id="annual-report-section"' in response.content
    assert shown == (role == "leader")
    if shown:
        assert page_url(committee).encode() in response.content
        assert f"Annual report {last_year()}".encode() in response.content


def test_the_committee_page_says_overdue(client, committee, report, leader):
    AnnualReport.objects.filter(pk=report.pk).update(due_on="2000-05-01")
    response = login(client, leader).get(committee.get_absolute_url())
    assert b"annual-report-overdue" in response.content


# --- Queries --------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_however_long_the_timeline(client, committee, report, leader):
    login(client, leader)
    complete(report, leader)
    AnnualReportEvent.objects.bulk_create(
        AnnualReportEvent(annual_report=report, actor=leader, to_state="open") for _ in range(10)
    )
    few = _queries(client, page_url(committee))
    AnnualReportEvent.objects.bulk_create(
        AnnualReportEvent(annual_report=report, actor=leader, to_state="open") for _ in range(990)
    )
    for kind in ("protocol", "budget", "accounts"):
        service.document_upload(report=report, actor=leader, kind=kind, uploaded_file=upload())
    assert _queries(client, page_url(committee)) == few
