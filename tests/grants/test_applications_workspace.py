"""The committee's grants in its workspace: the committee page's section, Min side's, and the
committee's grants page — open schemes with "Apply" for the board, the applications with their
state and next deadline, the same queries at 10 and 1 000 applications."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants import workspace
from tests.factories import ApplicationFactory, ApplicationSchemeFactory, MembershipFactory

from .test_applications_helpers import many

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["nmu_language"] = "en"


def section(body: str, marker: str) -> str:
    start = body.find(marker)
    return "" if start < 0 else body[start : body.find("</section>", start)]


@pytest.mark.parametrize(
    "role", ["anonymous", "resident", "other_committee_leader", "board_member", "case_handler"]
)
def test_the_committee_page_section(
    client, user_in_role, role, committee, application, application_scheme
):
    granted = ApplicationFactory(
        committee=committee, scheme=application_scheme, state="granted", amount_granted=5000
    )
    user = user_in_role(role)
    if user.is_authenticated:
        client.force_login(user)
    body = section(
        client.get(committee.get_absolute_url()).content.decode(), 'id="committee-grants"'
    )
    assert f'data-number="{granted.number}"' in body
    assert (f'data-number="{application.number}"' in body) == (
        role in ("board_member", "case_handler")
    )
    apply = reverse("grants:application-create", args=[committee.slug, application_scheme.pk])
    assert (apply in body) == (role == "board_member")


def test_nothing_for_the_public_when_nothing_is_granted(client, committee, application):
    body = client.get(committee.get_absolute_url()).content.decode()
    assert 'id="committee-grants"' not in body


def test_the_next_deadline_on_each_side(committee, application_scheme):
    today = timezone.localdate()
    past = today - datetime.timedelta(days=1)
    answer = ApplicationFactory(
        committee=committee, scheme=application_scheme, state="submitted", answer_due=past
    )
    report = ApplicationFactory(
        committee=committee, scheme=application_scheme, state="granted", committee_due=today
    )
    rows, more = workspace.rows(committee_ids=[committee.pk], party=True, today=today)
    by_number = {row.application.number: row for row in rows}
    assert by_number[answer.number].municipality_overdue
    assert not by_number[answer.number].committee_overdue
    assert by_number[report.number].committee.due == today
    assert not by_number[report.number].committee_overdue  # the last day is not overdue
    assert not more


def test_a_granted_application_paid_in_advance_has_no_report_deadline(committee, department):
    scheme = ApplicationSchemeFactory(department=department, payment_rule="advance")
    application = ApplicationFactory(
        committee=committee, scheme=scheme, state="granted", committee_due=timezone.localdate()
    )
    assert workspace.row_for(application).committee is None


def test_closed_schemes_are_not_offered(client, board_member, committee, application_scheme):
    application_scheme.application_deadline = timezone.localdate() - datetime.timedelta(days=1)
    application_scheme.save()
    client.force_login(board_member)
    body = client.get(reverse("grants:committee-grants", args=[committee.slug])).content.decode()
    assert 'id="no-open-schemes"' in body


@pytest.mark.parametrize(
    ("role", "shown"),
    [("resident", False), ("other_committee_leader", False), ("board_member", True)],
)
def test_min_side(client, user_in_role, role, shown, application):
    client.force_login(user_in_role(role))
    body = client.get(reverse("committees:membership-list")).content.decode()
    # On a board: the open schemes to apply to; the committee's own applications only.
    assert ('id="my-grants"' in body) == (role != "resident")
    assert (f'data-number="{application.number}"' in body) == shown


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["anonymous", "board_member"])
def test_the_pages_keep_their_queries(
    client, user_in_role, role, committee, other_committee, application_scheme
):
    user = user_in_role(role)
    if user.is_authenticated:
        client.force_login(user)
    if role == "board_member":
        MembershipFactory(committee=other_committee, user=user)
    many(10, committee=committee, scheme=application_scheme, prefix="7")
    many(1000, committee=other_committee, scheme=application_scheme, prefix="8")
    for page in ("grants:committee-grants",):
        small = reverse(page, args=[committee.slug])
        large = reverse(page, args=[other_committee.slug])
        client.get(small)
        assert _count(client, small) == _count(client, large)
    client.get(committee.get_absolute_url())
    assert _count(client, committee.get_absolute_url()) == _count(
        client, other_committee.get_absolute_url()
    )
