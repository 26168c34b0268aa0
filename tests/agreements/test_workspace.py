"""The leader's workspace: the committee page's "Agreements" and Min side's block, with the next
report due, the next payment expected and the renewal coming, each with its deadline."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from agreements import workspace
from agreements.models import Payment, ReportDuty
from tests.factories import (
    AgreementFactory,
    CommitteeFactory,
    MembershipFactory,
    PaymentFactory,
    ReportDutyFactory,
)

from .public_helpers import PARTIES, ROLES, login, many_agreements, queries

pytestmark = pytest.mark.django_db


def section(body: str) -> str:
    """The committee page's agreements section (empty when the page has none)."""
    start = body.find('id="committee-agreements"')
    if start < 0:
        return ""
    # Up to the committee's economic picture (a section of its own inside it), if shown.
    rollup = body.find('id="committee-rollup"', start)
    return body[start : rollup if rollup >= 0 else body.find("</section>", start)]


@pytest.mark.parametrize("role", ROLES)
def test_the_committee_page_shows_drafts_to_the_parties_and_signed_ones_to_all(
    client, user_in_role, role, committee, draft, active
):
    login(client, user_in_role(role))
    body = section(client.get(committee.get_absolute_url()).content.decode())
    assert f'data-number="{active.number}"' in body
    assert (f'data-number="{draft.number}"' in body) == (role in PARTIES)


def test_the_board_sees_the_deadlines_on_both_sides_and_overdue_marks(
    client, committee, active, board_member
):
    today = timezone.localdate()
    ReportDutyFactory(agreement=active, title="Våren", due_on=today - datetime.timedelta(days=2))
    ReportDutyFactory(agreement=active, title="Høsten", due_on=today + datetime.timedelta(days=90))
    PaymentFactory(agreement=active, amount=4_000, due_on=today - datetime.timedelta(days=1))
    PaymentFactory(
        agreement=active, amount=9_000, due_on=today - datetime.timedelta(days=9), paid_on=today
    )
    login(client, board_member)
    body = section(client.get(committee.get_absolute_url()).content.decode())
    assert 'data-deadline="report" data-overdue="true"' in body and "Våren" in body
    assert "Høsten" not in body  # only the next one
    assert 'data-deadline="payment" data-overdue="true"' in body
    assert "kr\xa04\xa0000" in body and "kr\xa09\xa0000" not in body  # the paid one is done


def test_nothing_is_overdue_before_the_day_after_the_due_date(active):
    today = timezone.localdate()
    ReportDutyFactory(agreement=active, due_on=today)
    PaymentFactory(agreement=active, due_on=today)
    (row,) = workspace.rows(committee_ids=[active.committee_id], unsigned=True, today=today)
    assert row.next_report is not None and not row.report_overdue
    assert row.next_payment is not None and not row.payment_overdue
    (row,) = workspace.rows(
        committee_ids=[active.committee_id], unsigned=True, today=today + datetime.timedelta(1)
    )
    assert row.report_overdue and row.payment_overdue


def test_a_submitted_report_and_a_cancelled_payment_are_not_next(active):
    today = timezone.localdate()
    ReportDutyFactory(agreement=active, due_on=today, state="submitted")
    PaymentFactory(agreement=active, due_on=today, cancelled=True)
    (row,) = workspace.rows(committee_ids=[active.committee_id], unsigned=True)
    assert row.next_report is None and row.next_payment is None


def test_the_renewal_is_coming_inside_the_horizon_and_when_expiring(committee, department):
    today = timezone.localdate()
    soon = AgreementFactory(
        committee=committee,
        department=department,
        starts_on=today - datetime.timedelta(days=300),
        ends_on=today + datetime.timedelta(days=120),
        notice_months=3,
    )
    later = AgreementFactory(
        committee=committee,
        department=department,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=700),
    )
    expiring = AgreementFactory(
        committee=committee,
        department=department,
        state="expiring",
        starts_on=today - datetime.timedelta(days=300),
        ends_on=today + datetime.timedelta(days=30),
    )
    rows = {r.agreement.pk: r for r in workspace.rows(committee_ids=[committee.pk], unsigned=True)}
    assert rows[soon.pk].renewal_coming and rows[
        soon.pk
    ].notice_starts_on == workspace.notice_start(soon)
    assert not rows[later.pk].renewal_coming
    assert rows[expiring.pk].renewal_coming and rows[expiring.pk].expiring


def test_a_draft_has_no_deadlines_yet_and_closed_agreements_are_left_out(committee, department):
    today = timezone.localdate()
    draft = AgreementFactory(committee=committee, department=department, state="draft")
    ReportDutyFactory(agreement=draft, due_on=today - datetime.timedelta(days=5))
    ended = AgreementFactory(committee=committee, department=department, state="ended")
    rows = workspace.rows(committee_ids=[committee.pk], unsigned=True)
    assert [r.agreement for r in rows] == [draft]
    assert rows[0].next_report is None
    assert ended not in [r.agreement for r in rows]


def test_another_committees_drafts_never_reach_a_leaders_workspace(
    client, committee, draft, other_committee_leader
):
    context = workspace.my_workspace_context({}, other_committee_leader)
    assert context is None
    login(client, other_committee_leader)
    assert draft.number not in client.get("/avtaler/").content.decode()


def test_min_side_has_the_workspace_across_the_persons_committees(
    committee, department, draft, leader
):
    second = CommitteeFactory(name="Nevlunghavn", slug="nevlunghavn")
    MembershipFactory(committee=second, user=leader, role="secretary")
    theirs = AgreementFactory(committee=second, department=department, state="sent")
    request = RequestFactory().get("/")
    request.user = leader
    context = workspace.my_workspace_context({"request": request})
    assert {r.agreement.number for r in context["rows"]} == {draft.number, theirs.number}


def test_min_side_shows_nothing_to_someone_on_no_board(resident, draft):
    assert workspace.my_workspace_context({}, resident) is None


@pytest.mark.parametrize("role", ["resident", "other_committee_leader", "board_member", "leader"])
def test_min_side_my_committees_has_the_block_for_the_board(client, user_in_role, role, draft):
    login(client, user_in_role(role))
    body = client.get(reverse("committees:membership-list")).content.decode()
    assert ('id="my-agreements"' in body) == (role in PARTIES)
    assert (f'data-number="{draft.number}"' in body) == (role in PARTIES)


def test_min_side_is_a_fixed_number_of_queries_for_10_and_1000(
    client, committee, department, leader
):
    login(client, leader)
    url = reverse("committees:membership-list")
    many_agreements(10, committee=committee, department=department, state="sent")
    small, _ = queries(client, url)
    many_agreements(990, committee=committee, department=department, state="sent")
    large, response = queries(client, url)
    assert small == large
    assert response.content.decode().count('data-deadline="payment"') == 0  # not in force yet


def test_the_committee_page_is_a_fixed_number_of_queries_for_10_and_1000(
    client, committee, department, board_member
):
    login(client, board_member)
    many_agreements(10, committee=committee, department=department)
    small, _ = queries(client, committee.get_absolute_url())
    many_agreements(990, committee=committee, department=department)
    large, response = queries(client, committee.get_absolute_url())
    assert small == large
    # The page does not grow with them either: the first ones, and a link to the list.
    shown = section(response.content.decode())
    assert shown.count('data-deadline="payment"') == workspace.WORKSPACE_LIMIT
    assert 'id="workspace-more"' in shown
    assert Payment.objects.count() == ReportDuty.objects.count() == 1000
