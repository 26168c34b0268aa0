"""Shared pieces of the organisers' page tests (tests/dugnads/test_manage_*.py): the roles the
issue names, a draft and a published dugnad, and the organisers' form as a browser posts it.

Import the fixtures into a test module (``from .manage_helpers import organiser, ...``)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.models import Role
from dugnads.models import MAX_NEEDS, MAX_RESOURCES
from tests.factories import DepartmentFactory, DugnadFactory, MembershipFactory

# Every role of the permission tests; "organiser" is a board member who organises the dugnad,
# "board_member" one who does not, "leader" the committee's leader (who manages every dugnad).
ROLES = [
    "anonymous",
    "resident",
    "organiser",
    "board_member",
    "leader",
    "other_committee_leader",
    "case_handler",
]
MANAGERS = {"organiser", "leader"}


@pytest.fixture
def organiser(committee):
    return MembershipFactory(
        committee=committee,
        role=Role.SECRETARY,
        user__email="organiser@example.no",
        user__full_name="Olga Organisator",
    ).user


@pytest.fixture
def department(db):
    return DepartmentFactory(name="Park og idrett", slug="park-og-idrett")


@pytest.fixture
def published(committee, organiser):
    dugnad = DugnadFactory(committee=committee, title="Vårdugnad i parken", capacity=20)
    dugnad.organisers.add(organiser)
    return dugnad


@pytest.fixture
def draft(committee, organiser):
    dugnad = DugnadFactory(committee=committee, state="draft", published_at=None, capacity=5)
    dugnad.organisers.add(organiser)
    return dugnad


def login(client, user):
    if user is not None and user.is_authenticated:
        client.force_login(user)


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def management(prefix: str, total: int, initial: int = 0, max_num: int = MAX_NEEDS) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": str(max_num),
    }


def form_data(*, organisers, needs=(), resources=(), needs_initial=0, resources_initial=0, **over):
    """The organisers' form as posted: ``needs`` as (title, people) pairs, ``resources`` as
    (kind, department pk, details) triples (a dict for a row with other keys, e.g. DELETE)."""
    day = in_days(30)
    data = {
        "title": "Vårdugnad i parken",
        "description": "Vi raker løv og planter blomster.",
        "starts_date": day.isoformat(),
        "starts_time": "10:00",
        "ends_time": "14:00",
        "ends_date": "",
        "meeting_point": "Parkeringsplassen ved skolen",
        "latitude": "",
        "longitude": "",
        "capacity": "20",
        "signup_deadline_date": "",
        "signup_deadline_time": "",
        "reminder_hours": "48",
        "resources_due": "",
        "organisers": [user.pk for user in organisers],
    }
    data.update(management("needs", len(needs), needs_initial))
    for i, need in enumerate(needs):
        if isinstance(need, dict):
            data.update({f"needs-{i}-{k}": v for k, v in need.items()})
        else:
            data[f"needs-{i}-title"], data[f"needs-{i}-people"] = need[0], str(need[1])
    data.update(management("resources", len(resources), resources_initial, MAX_RESOURCES))
    for i, line in enumerate(resources):
        if isinstance(line, dict):
            data.update({f"resources-{i}-{k}": v for k, v in line.items()})
        else:
            kind, department, details = line
            data[f"resources-{i}-kind"] = kind
            data[f"resources-{i}-department"] = str(department)
            data[f"resources-{i}-details"] = details
    data.update(over)
    return data


def create_url(committee, proposal=None) -> str:
    url = reverse("dugnads:dugnad-create", kwargs={"slug": committee.slug})
    return f"{url}?forslag={proposal.reference}" if proposal is not None else url


def edit_url(dugnad) -> str:
    return reverse("dugnads:dugnad-edit", kwargs={"pk": dugnad.pk})
