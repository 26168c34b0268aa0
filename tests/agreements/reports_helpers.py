"""Shared pieces of the report tests (tests/agreements/test_reports_*.py): a reviewer, a duty
on the active agreement, a task reimbursed against documentation, lines and photos.

Import the fixtures into a test module (``from .reports_helpers import duty_fixture, …``; the
fixtures are named ``duty``, ``reviewer``, ``staff_no_review`` and ``reimbursed``)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import ReportDutyFactory, TaskFactory, UserFactory
from tests.photo_files import png_with_gps

ROLES = [
    "anonymous",
    "resident",
    "other_committee_leader",
    "board_member",
    "leader",
    "staff_no_review",
    "reviewer",
]


@pytest.fixture(name="reviewer")
def reviewer_fixture(case_handler):
    """A case handler: municipal staff with ``agreements.review_reportduty`` (their group's)."""
    assert case_handler.has_perm("agreements.review_reportduty")
    return case_handler


@pytest.fixture(name="staff_no_review")
def staff_no_review_fixture(db):
    """Municipal staff (handles cases) without the right to review reports."""
    from django.contrib.auth.models import Permission

    user = UserFactory(email="noreview@larvik.kommune.no", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="handle_cases"))
    user = type(user).objects.get(pk=user.pk)
    assert not user.has_perm("agreements.review_reportduty")
    return user


@pytest.fixture(name="duty")
def duty_fixture(active):
    return ReportDutyFactory(agreement=active, title="Året")


@pytest.fixture(name="reimbursed")
def reimbursed_fixture(active):
    """Planting and watering, reimbursed against documentation up to 10 000 kr a year."""
    return TaskFactory(agreement=active, kind="planting", pricing="reimbursed", amount=10_000)


def fixed_task(agreement):
    return agreement.tasks.get(pricing="fixed")


def day(days_ago: int = 1) -> datetime.date:
    """A day this year before today (the factories' agreements run for this calendar year)."""
    today = timezone.localdate()
    candidate = today - datetime.timedelta(days=days_ago)
    return candidate if candidate.year == today.year else today


def line(task, **overrides) -> dict:
    data = {
        "task": task,
        "done_on": day(),
        "hours": Decimal("12.5"),
        "documented_cost": Decimal(0),
        "note": "",
    }
    data.update(overrides)
    return data


def png(name="bilde.png", content=None):
    return SimpleUploadedFile(name, content or png_with_gps(), content_type="image/png")


def report_url(duty) -> str:
    return reverse("agreements:report-form", args=[duty.agreement.number, duty.pk])


def photo_url(photo) -> str:
    return reverse("agreements:report-photo", args=[photo.pk])


def form_data(rows=(), *, summary="Vi heiste flagget på alle flaggdagene.", extra_rows=5, **more):
    """The report form as a browser posts it: ``rows`` of ``{task, done_on, hours, …}`` (a task
    as its id) then ``extra_rows`` untouched empty rows."""
    data = {"summary": summary}
    rows = list(rows)
    total = len(rows) + extra_rows
    data.update(
        {
            "form-TOTAL_FORMS": str(total),
            "form-INITIAL_FORMS": "0",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "100",
        }
    )
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{index}-{key}"] = "" if value is None else str(value)
    data.update(more)
    return data


def row(task, **overrides) -> dict:
    data = {"task": task.pk, "done_on": day().isoformat(), "hours": "12,5", "documented_cost": ""}
    data.update(overrides)
    return data


def login(client, user):
    if user is not None and user.is_authenticated:
        client.force_login(user)
