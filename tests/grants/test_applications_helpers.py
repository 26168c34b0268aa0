"""Shared by the application tests (tests/grants/test_applications_*.py): what the board
writes, files to upload, an application sent to the municipality. No tests of its own."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grants.models import BudgetLine
from grants.services import applications as services
from tests.photo_files import jpeg_with_gps, png_with_gps


def fields(**changes) -> dict:
    today = timezone.localdate()
    values = {
        "title": "Benker i parken",
        "description": "To nye benker ved dammen.",
        "place": "Parken ved kirken",
        "latitude": None,
        "longitude": None,
        "participants": "Styret og naboer",
        "starts_on": today + datetime.timedelta(days=10),
        "ends_on": today + datetime.timedelta(days=40),
        "planned_hours": Decimal(20),
        "amount_requested": Decimal(8000),
    }
    values.update(changes)
    return values


BUDGET = [
    {"description": "Materialer", "amount": Decimal(6000)},
    {"description": "Maling", "amount": Decimal(2000)},
]


def photo(name="foer.jpg"):
    return SimpleUploadedFile(name, jpeg_with_gps(), content_type="image/jpeg")


def png(name="foer.png"):
    return SimpleUploadedFile(name, png_with_gps(), content_type="image/png")


def not_a_photo(name="foer.jpg"):
    return SimpleUploadedFile(name, b"this is not a picture at all", content_type="image/jpeg")


def with_budget(application, amount=Decimal(15_000)):
    BudgetLine.objects.create(application=application, description="Blomster", amount=amount)
    return application


def submitted(application, board_member):
    """The fixture's draft, with a budget, sent by the board."""
    with_budget(application)
    return services.application_submit(application=application, actor=board_member)


def advance(application):
    """The application's scheme paid in advance."""
    scheme = application.scheme
    scheme.payment_rule = "advance"
    scheme.save()
    return application
