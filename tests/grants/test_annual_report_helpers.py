"""Shared pieces of the annual report tests (no tests here): files of each kind, the report of
Svarstad for last year, and a report with its checklist complete."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from committees.models import Role
from grants.models import AnnualReportState, DocumentKind
from grants.services import annual_reports as service
from tests.factories import AnnualReportFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 40

ROLES = [
    "anonymous",
    "resident",
    "other_committee_leader",
    "board_member",
    "leader",
    "case_handler",
    "staff_without_group",
]


def upload(name: str = "protokoll.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def last_year() -> int:
    return timezone.localdate().year - 1


def meeting_day() -> datetime.date:
    """A day the annual meeting could have been held: in the past, in or after the year."""
    return timezone.localdate() - datetime.timedelta(days=30)


def term_end() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=730)


def elected(name, email, role=Role.BOARD_MEMBER, term_ends_on=None) -> service.Elected:
    return service.Elected(name=name, email=email, role=role, term_ends_on=term_ends_on)


def upload_all(report, actor) -> None:
    for kind in DocumentKind:
        service.document_upload(
            report=report, actor=actor, kind=kind.value, uploaded_file=upload(f"{kind.value}.pdf")
        )


def complete(report, actor, members=None) -> None:
    """Every document, the meeting's day and the board (the leader re-elected) saved."""
    upload_all(report, actor)
    service.elected_board_save(
        report=report,
        actor=actor,
        meeting_on=meeting_day(),
        members=members or [elected("Sverre Leder", "leader@example.no", Role.LEADER, term_end())],
    )


@pytest.fixture(name="report")
def report_fixture(committee):
    """Svarstad's annual report for last year, open."""
    return AnnualReportFactory(committee=committee, year=last_year())


@pytest.fixture(name="submitted")
def submitted_fixture(report, leader):
    complete(report, leader)
    return service.annual_report_submit(report=report, actor=leader)


@pytest.fixture(name="approved")
def approved_fixture(submitted, case_handler):
    return service.annual_report_approve(report=submitted, actor=case_handler)


def state_of(report) -> str:
    report.refresh_from_db()
    return report.state


OWED = {AnnualReportState.OPEN, AnnualReportState.RETURNED}
