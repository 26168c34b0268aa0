"""Shared by the report tests (tests/grants/test_application_report_*.py): a granted
application paid afterwards, files to upload, and reported dugnads. No tests of its own.

Import the fixtures into a test module (``from .test_application_report_helpers import
granted_fixture``; the fixture is named ``granted``)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grants.services import application_reports as reports
from tests.factories import DugnadFactory
from tests.photo_files import jpeg_with_gps, png_with_gps

GRANTED = Decimal("15000")
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(name="granted")
def granted_fixture(application):
    """Svarstad's application, granted 15 000 kr on a scheme paid afterwards; the report is
    due in 60 days."""
    application.state = "granted"
    application.amount_granted = GRANTED
    application.committee_due = timezone.localdate() + datetime.timedelta(days=60)
    application.save()
    return application


def pdf(name="kvittering.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name="kvittering.png"):
    return SimpleUploadedFile(name, png_with_gps(), content_type="image/png")


def photo(name="etter.jpg"):
    return SimpleUploadedFile(name, jpeg_with_gps(), content_type="image/jpeg")


def reported_dugnad(committee, *, hours="12.5", days_ago=10, **fields):
    starts = timezone.now() - datetime.timedelta(days=days_ago)
    return DugnadFactory(
        committee=committee,
        state=fields.pop("state", "reported"),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        resources_due=None,
        hours_total=None if hours is None else Decimal(hours),
        **fields,
    )


def save(application, actor, *, lines=None, photos=None, **fields):
    """``report_save`` with one receipted line of 4 000 kr and one photo "after" unless told."""
    if lines is None:
        lines = [{"description": "Blomster og jord", "amount": Decimal("4000"), "receipt": pdf()}]
    if photos is None:
        photos = [(photo(), "Blomsterkassene i juni")]
    fields.setdefault("report_text", "Vi plantet seks kasser.")
    return reports.report_save(
        application=application, actor=actor, lines=lines, photos=photos, **fields
    )
