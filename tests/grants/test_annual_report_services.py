"""The annual report's services: documents checked by their bytes and the limits, the annual
meeting's board (one leader, the limits), sending only a complete checklist, and the
municipality's approval or return (a comment required, kept on the report and its timeline)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from committees.models import Role
from grants import notifications as kinds
from grants.models import AnnualReportDocument, AnnualReportState, DocumentKind
from grants.services import annual_reports as service
from notifications.models import Notification

from .test_annual_report_helpers import (  # noqa: F401 (fixtures)
    EXE_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    approved_fixture,
    complete,
    elected,
    meeting_day,
    report_fixture,
    state_of,
    submitted_fixture,
    term_end,
    upload,
    upload_all,
)

pytestmark = pytest.mark.django_db

R = AnnualReportState


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def add(report, actor, name="protokoll.pdf", content=PDF_BYTES, kind=DocumentKind.PROTOCOL):
    return service.document_upload(
        report=report, actor=actor, kind=kind, uploaded_file=upload(name, content)
    )


# --- Documents ------------------------------------------------------------------------------------


def test_a_pdf_is_stored_under_a_random_token(report, board_member):
    document = add(report, board_member)
    assert document.content_type == "application/pdf"
    assert document.original_name == "protokoll.pdf"
    assert document.size == len(PDF_BYTES)
    assert document.uploaded_by == board_member
    assert "protokoll" not in document.file.name
    assert document.file.name == f"grants/annual-reports/{document.token}.pdf"
    assert len(document.token) == 32
    assert document.file.read() == PDF_BYTES


def test_a_jpeg_and_a_png_are_allowed(report, board_member):
    assert add(report, board_member, "regnskap.jpg", JPEG_BYTES).content_type == "image/jpeg"
    assert add(report, board_member, "budsjett.png", PNG_BYTES).content_type == "image/png"


def test_a_pdf_that_is_really_a_png_is_kept_as_the_png_it_is(report, board_member):
    """The bytes decide: a scan saved as .pdf is a PNG, stored and served as one."""
    document = add(report, board_member, "skannet.pdf", PNG_BYTES)
    assert document.content_type == "image/png"
    assert document.extension == ".png"
    assert document.original_name == "skannet.png"


def test_an_exe_renamed_pdf_is_refused(report, board_member):
    with pytest.raises(ValidationError) as error:
        add(report, board_member, "protokoll.pdf", EXE_BYTES)
    assert "does not look like a PDF file" in messages_of(error.value)
    assert not AnnualReportDocument.objects.exists()


def test_a_name_that_is_no_document_is_refused_even_with_pdf_bytes(report, board_member):
    with pytest.raises(ValidationError) as error:
        add(report, board_member, "protokoll.exe", PDF_BYTES)
    assert "is not a PDF, PNG or JPEG file" in messages_of(error.value)


def test_an_empty_file_is_refused(report, board_member):
    with pytest.raises(ValidationError) as error:
        add(report, board_member, "tom.pdf", b"")
    assert "is empty" in messages_of(error.value)


def test_a_nul_in_the_file_name_is_refused(report, board_member):
    with pytest.raises(ValidationError) as error:
        add(report, board_member, "proto\x00koll.pdf")
    assert "not allowed" in messages_of(error.value)


def test_a_file_too_big_is_refused(report, board_member, settings):
    settings.GRANTS = {**settings.GRANTS, "MAX_DOCUMENT_BYTES": 1024 * 1024}
    with pytest.raises(ValidationError) as error:
        add(report, board_member, "stor.pdf", PDF_BYTES + b"0" * (1024 * 1024))
    assert "too large" in messages_of(error.value)
    # Exactly the limit is fine.
    add(report, board_member, "akkurat.pdf", PDF_BYTES.ljust(1024 * 1024, b"0"))


def test_one_document_too_many_is_refused(report, board_member, settings):
    settings.GRANTS = {**settings.GRANTS, "MAX_DOCUMENTS_PER_REPORT": 2}
    add(report, board_member, "a.pdf")
    add(report, board_member, "b.pdf")
    with pytest.raises(ValidationError) as error:
        add(report, board_member, "c.pdf")
    assert "at most 2 documents" in messages_of(error.value)
    assert report.documents.count() == 2


def test_an_unknown_kind_is_refused(report, board_member):
    with pytest.raises(ValidationError):
        add(report, board_member, kind="passport")


@pytest.mark.parametrize(
    "role", ["resident", "other_committee_leader", "case_handler", "staff_without_group"]
)
def test_only_the_board_uploads(report, user_in_role, role):
    with pytest.raises(ValidationError) as error:
        add(report, user_in_role(role))
    assert "Only the committee's board" in messages_of(error.value)


def test_nothing_is_uploaded_or_removed_once_sent(submitted, leader):
    with pytest.raises(ValidationError):
        add(submitted, leader)
    with pytest.raises(ValidationError):
        service.document_delete(document=submitted.documents.first(), actor=leader)
    assert submitted.documents.count() == len(DocumentKind)


def test_a_document_is_removed_by_the_board(report, board_member, other_committee_leader):
    document = add(report, board_member)
    with pytest.raises(ValidationError):
        service.document_delete(document=document, actor=other_committee_leader)
    service.document_delete(document=document, actor=board_member)
    assert not report.documents.exists()


# --- The annual meeting and its board -------------------------------------------------------------


def save(report, actor, members, meeting_on=None):
    return service.elected_board_save(
        report=report, actor=actor, meeting_on=meeting_on or meeting_day(), members=members
    )


def test_the_board_saves_the_meeting_and_the_elected(report, board_member):
    save(
        report,
        board_member,
        [
            elected("Sverre Leder", "leader@example.no", Role.LEADER, term_end()),
            elected("Kari Kasserer", "kari@example.no", Role.TREASURER),
        ],
    )
    report.refresh_from_db()
    assert report.meeting_on == meeting_day()
    assert [(m.name, m.role) for m in report.elected.all()] == [
        ("Sverre Leder", Role.LEADER),
        ("Kari Kasserer", Role.TREASURER),
    ]
    # Saving again replaces the list.
    save(report, board_member, [elected("Ny Leder", "ny@example.no", Role.LEADER)])
    assert [m.name for m in report.elected.all()] == ["Ny Leder"]


@pytest.mark.parametrize("leaders", [0, 2])
def test_exactly_one_leader(report, board_member, leaders):
    members = [elected(f"L {i}", f"l{i}@example.no", Role.LEADER) for i in range(leaders)]
    members.append(elected("Styre", "styre@example.no"))
    with pytest.raises(ValidationError) as error:
        save(report, board_member, members)
    assert "exactly one leader" in messages_of(error.value)
    assert not report.elected.exists()


def test_at_most_twenty_people(report, board_member):
    members = [elected("Leder", "leder@example.no", Role.LEADER)]
    members += [elected(f"P {i}", f"p{i}@example.no") for i in range(service.MAX_ELECTED)]
    with pytest.raises(ValidationError) as error:
        save(report, board_member, members)
    assert "at most 20 people" in messages_of(error.value)
    save(report, board_member, members[: service.MAX_ELECTED])
    assert report.elected.count() == service.MAX_ELECTED


@pytest.mark.parametrize(
    ("member", "message"),
    [
        (elected("", "x@example.no"), "The name is missing"),
        (elected("Navn\x00", "x@example.no"), "not allowed"),
        (elected("N" * 201, "x@example.no"), "at most 200 characters"),
        (elected("Navn", "ikke-en-adresse"), "valid e-mail"),
        (elected("Navn", "leader@example.no"), "on the list twice"),
        (elected("Navn", "x@example.no", Role.MUNICIPAL_CONTACT), "role on the board"),
        (elected("Navn", "x@example.no", Role.MEMBER), "role on the board"),
        (
            elected("Navn", "x@example.no", term_ends_on=datetime.date(2000, 1, 1)),
            "after the annual meeting",
        ),
    ],
)
def test_a_bad_line_is_refused(report, board_member, member, message):
    members = [elected("Leder", "LEADER@example.no", Role.LEADER), member]
    with pytest.raises(ValidationError) as error:
        save(report, board_member, members)
    assert message in messages_of(error.value)
    assert "2" in error.value.message_dict  # said on the second line
    assert not report.elected.exists()


def test_the_meeting_cannot_be_in_the_future_or_before_the_year(report, board_member):
    members = [elected("Leder", "leder@example.no", Role.LEADER)]
    for day in (
        timezone.localdate() + datetime.timedelta(days=1),
        datetime.date(report.year - 1, 12, 31),
    ):
        with pytest.raises(ValidationError) as error:
            save(report, board_member, members, meeting_on=day)
        assert "meeting_on" in error.value.message_dict


def test_only_the_board_saves_the_meeting(report, other_committee_leader, case_handler):
    for actor in (other_committee_leader, case_handler):
        with pytest.raises(ValidationError):
            save(report, actor, [elected("Leder", "leder@example.no", Role.LEADER)])


# --- Sending ---------------------------------------------------------------------------------------


def test_an_incomplete_checklist_cannot_be_sent(report, leader):
    with pytest.raises(ValidationError) as error:
        service.annual_report_submit(report=report, actor=leader)
    text = messages_of(error.value)
    for kind in DocumentKind:
        assert str(kind.label) in text
    assert "annual meeting was held" in text
    assert "with its leader" in text
    assert state_of(report) == R.OPEN


@pytest.mark.parametrize("missing", ["document", "meeting", "leader"])
def test_each_missing_piece_stops_sending(report, leader, missing):
    complete(report, leader)
    if missing == "document":
        report.documents.filter(kind=DocumentKind.BUDGET).delete()
    elif missing == "meeting":
        type(report).objects.filter(pk=report.pk).update(meeting_on=None)
    else:
        report.elected.all().delete()
    with pytest.raises(ValidationError):
        service.annual_report_submit(report=report, actor=leader)
    assert state_of(report) == R.OPEN


def test_a_complete_report_is_sent_and_the_municipality_told(report, board_member, case_handler):
    complete(report, board_member)
    service.annual_report_submit(report=report, actor=board_member)
    report.refresh_from_db()
    assert report.state == R.SUBMITTED
    assert report.submitted_by == board_member and report.submitted_at is not None
    event = report.events.get()
    assert (event.from_state, event.to_state, event.actor_party) == (
        R.OPEN,
        R.SUBMITTED,
        "committee",
    )
    assert Notification.objects.filter(
        recipient=case_handler, kind=kinds.ANNUAL_REPORT_SUBMITTED
    ).exists()


def test_only_the_board_sends(report, leader, other_committee_leader, case_handler):
    complete(report, leader)
    for actor in (other_committee_leader, case_handler):
        with pytest.raises(ValidationError):
            service.annual_report_submit(report=report, actor=actor)
    assert state_of(report) == R.OPEN


def test_a_sent_report_is_not_sent_again(submitted, leader):
    with pytest.raises(ValidationError):
        service.annual_report_submit(report=submitted, actor=leader)


# --- The review ---------------------------------------------------------------------------------


def test_staff_approve(submitted, case_handler, leader):
    service.annual_report_approve(report=submitted, actor=case_handler)
    submitted.refresh_from_db()
    assert submitted.state == R.APPROVED
    assert submitted.reviewed_by == case_handler
    assert Notification.objects.filter(recipient=leader, kind=kinds.ANNUAL_REPORT_APPROVED).exists()


def test_a_return_needs_a_comment_kept_on_the_report_and_timeline(submitted, case_handler):
    with pytest.raises(ValidationError):
        service.annual_report_return(report=submitted, actor=case_handler, comment="  ")
    assert state_of(submitted) == R.SUBMITTED
    service.annual_report_return(
        report=submitted, actor=case_handler, comment="Regnskapet mangler signatur."
    )
    submitted.refresh_from_db()
    assert submitted.state == R.RETURNED
    assert submitted.comment == "Regnskapet mangler signatur."
    assert submitted.events.last().message == "Regnskapet mangler signatur."


def test_a_returned_report_is_corrected_and_sent_again(submitted, case_handler, leader):
    service.annual_report_return(report=submitted, actor=case_handler, comment="Mangler budsjett.")
    add(submitted, leader, "budsjett2.pdf", kind=DocumentKind.BUDGET)
    service.annual_report_submit(report=submitted, actor=leader)
    assert state_of(submitted) == R.SUBMITTED


@pytest.mark.parametrize("role", ["leader", "board_member", "staff_without_group", "resident"])
def test_only_reviewing_staff_approve_or_return(submitted, user_in_role, role):
    with pytest.raises(ValidationError):
        service.annual_report_approve(report=submitted, actor=user_in_role(role))
    with pytest.raises(ValidationError):
        service.annual_report_return(report=submitted, actor=user_in_role(role), comment="Nei.")
    assert state_of(submitted) == R.SUBMITTED


def test_an_open_report_cannot_be_approved(report, case_handler):
    with pytest.raises(ValidationError):
        service.annual_report_approve(report=report, actor=case_handler)
