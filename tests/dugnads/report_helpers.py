"""Shared pieces of the report, photo and figures tests (tests/dugnads/test_report_*.py,
test_photos_*.py, test_figures_*.py): a dugnad that has been held, its organiser, the report
form as a browser posts it.

Import the fixtures into a test module (``from .report_helpers import held_fixture, reporter_fixture``; the fixtures are named
``held`` and ``reporter``)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from committees.models import Role
from tests.factories import DugnadFactory, MembershipFactory

# Every role of the permission tests; "reporter" is a board member who organises the dugnad,
# "board_member" one who does not, "leader" the committee's leader (who manages every dugnad).
ROLES = [
    "anonymous",
    "resident",
    "reporter",
    "board_member",
    "leader",
    "other_committee_leader",
    "case_handler",
]
MANAGERS = {"reporter", "leader"}


@pytest.fixture(autouse=True, name="site_language_after")
def site_language_after_fixture():
    """A request in English leaves English active in this thread (the language middleware
    activates it): put the site's language back for the tests after this one. Autouse in each
    module that imports it."""
    yield
    translation.deactivate()


def days_ago(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def held_dugnad(committee, *, state="completed", days=3, **fields):
    """A dugnad that took place ``days`` ago, 10:00–14:00, in ``state`` (held by default)."""
    starts = fields.pop("starts_at", None) or days_ago(days)
    return DugnadFactory(
        committee=committee,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=4),
        resources_due=timezone.localdate(starts) - datetime.timedelta(days=7),
        state=state,
        **fields,
    )


@pytest.fixture(name="reporter")
def reporter_fixture(committee):
    return MembershipFactory(
        committee=committee,
        role=Role.SECRETARY,
        user__email="reporter@example.no",
        user__full_name="Rita Rapport",
    ).user


@pytest.fixture(name="held")
def held_fixture(committee, reporter):
    dugnad = held_dugnad(committee, title="Vårdugnad i parken")
    dugnad.organisers.add(reporter)
    return dugnad


def report_url(dugnad) -> str:
    return reverse("dugnads:dugnad-report", args=[dugnad.pk])


def form_data(**overrides) -> dict:
    """The report form with a total, as a browser posts it."""
    data = {
        "participant_count": "12",
        "hours_mode": "total",
        "hours_total": "36",
        "report": "Vi raket løv og plantet tulipaner.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def login(client, user):
    if user is not None and user.is_authenticated:
        client.force_login(user)
