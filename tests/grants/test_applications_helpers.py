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


def many(n: int, *, committee, scheme, prefix="8") -> list:
    """``n`` applications of ``committee`` in bulk, in every state, some overdue on each side."""
    from django.db.models import Max

    from grants.models import Application

    states = ["draft", "submitted", "more_info", "granted", "refused", "payable"]
    year = timezone.localdate().year
    base = Application.objects.count()
    past = timezone.localdate() - datetime.timedelta(days=3)
    rows = Application.objects.bulk_create(
        Application(
            number=f"TSK-{year}-{prefix}{base + i:05d}",
            scheme=scheme,
            committee=committee,
            state=states[i % len(states)],
            title=f"Søknad {i}",
            description="Beskrivelse",
            place="Et sted",
            participants="Styret",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
            amount_requested=Decimal(1000),
            amount_granted=Decimal(500)
            if states[i % len(states)] in ("granted", "payable")
            else None,
            answer_due=past if states[i % len(states)] == "submitted" else None,
            committee_due=past if states[i % len(states)] in ("more_info", "granted") else None,
        )
        for i in range(n)
    )
    assert Application.objects.aggregate(Max("pk"))["pk__max"] is not None
    return rows


def post_data(*, budget=BUDGET, total_forms=None, **changes) -> dict:
    """The form's fields as posted (the budget's rows as the formset names them)."""
    values = fields(**changes)
    data = {name: "" if value is None else str(value) for name, value in values.items()}
    rows = list(budget)
    data["form-TOTAL_FORMS"] = str(total_forms if total_forms is not None else max(3, len(rows)))
    data["form-INITIAL_FORMS"] = "0"
    data["form-MIN_NUM_FORMS"] = "0"
    data["form-MAX_NUM_FORMS"] = "30"
    for index, line in enumerate(rows):
        data[f"form-{index}-description"] = line["description"]
        data[f"form-{index}-amount"] = str(line["amount"])
    return data
