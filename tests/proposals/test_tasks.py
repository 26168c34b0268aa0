"""Deadlines on both sides: a reminder before, a notice (and escalation) when passed, each once,
caught up after missed runs, through the beat task with the clock frozen."""

import datetime

import pytest
import time_machine

from committees.models import Role
from notifications.models import Notification
from proposals import services
from proposals.models import Message, Party, Proposal, State
from proposals.tasks import follow_up_deadlines
from tests.factories import DepartmentStaffFactory, MembershipFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 3, 12)


def day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


def _kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.fixture
def submitted(committee, author, leader, board_member):
    return ProposalFactory(
        committee=committee, author=author, state=State.SUBMITTED, committee_due=DUE, next_due=DUE
    )


@pytest.fixture
def contact(committee):
    staff = UserFactory(email="kontakt@larvik.kommune.no", is_staff=True)
    MembershipFactory(committee=committee, user=staff, role=Role.MUNICIPAL_CONTACT)
    return staff


def test_nothing_before_the_reminder_window(submitted, leader):
    assert services.deadlines_follow_up(today=day(-4)) == {"soon": 0, "passed": 0}
    assert not Notification.objects.exists()


def test_committee_reminder_three_days_before_once(submitted, leader, board_member):
    assert services.deadlines_follow_up(today=day(-3)) == {"soon": 2, "passed": 0}
    for later in (-3, -2, 0):
        assert services.deadlines_follow_up(today=day(later)) == {"soon": 0, "passed": 0}
    assert _kinds(leader) == ["proposal.deadline_soon"]
    reminder = Notification.objects.get(recipient=leader)
    assert "12.03.2027" in reminder.subject


def test_missed_runs_are_caught_up(submitted, leader):
    # Beat was down until the day before the deadline: the reminder still goes out, once.
    assert services.deadlines_follow_up(today=day(-1))["soon"] == 2
    # …and down again over the deadline: the notice comes five days late, once.
    assert services.deadlines_follow_up(today=day(5))["passed"] >= 2
    assert services.deadlines_follow_up(today=day(6)) == {"soon": 0, "passed": 0}
    assert _kinds(leader) == ["proposal.deadline_passed", "proposal.deadline_soon"]


def test_passed_committee_deadline_goes_to_board_and_municipal_contact(submitted, leader, contact):
    services.deadlines_follow_up(today=day(1))
    assert _kinds(leader) == ["proposal.deadline_passed"]
    assert _kinds(contact) == ["proposal.deadline_passed"]
    body = Notification.objects.get(recipient=leader).body
    assert "12.03.2027" in body


def test_old_deadlines_beyond_the_window_are_left_alone(submitted, leader):
    assert services.deadlines_follow_up(today=day(15)) == {"soon": 0, "passed": 0}


def test_a_handled_proposal_gets_no_reminder(submitted, leader):
    services.proposal_transition(proposal=submitted, actor=leader, to_state=State.FORWARDED)
    Notification.objects.all().delete()
    services.deadlines_follow_up(today=day(1))
    assert not Notification.objects.filter(kind__startswith="proposal.deadline").exists()


def test_overdue_decision_is_escalated_to_the_whole_department(committee, author, case_handler):
    department = case_handler.department_staff.department
    colleague = DepartmentStaffFactory(department=department).user
    proposal = ProposalFactory(
        committee=committee,
        author=author,
        state=State.IN_REVIEW,
        department=department,
        handler=case_handler,
        first_response_at=datetime.datetime(2027, 1, 2, tzinfo=datetime.UTC),
        decision_due=DUE,
        next_due=DUE,
    )
    services.deadlines_follow_up(today=day(-3))
    assert _kinds(case_handler) == ["proposal.deadline_soon"]
    assert _kinds(colleague) == []  # the reminder goes to the handler
    services.deadlines_follow_up(today=day(1))
    assert _kinds(colleague) == ["proposal.deadline_passed"]
    assert _kinds(case_handler) == ["proposal.deadline_passed", "proposal.deadline_soon"]
    assert proposal.pk


def test_preliminary_answer_deadline_stops_once_the_municipality_responds(
    committee, author, case_handler
):
    proposal = ProposalFactory(
        committee=committee,
        author=author,
        state=State.FORWARDED,
        preliminary_due=DUE,
        decision_due=day(30),
        next_due=DUE,
    )
    services.proposal_transition(
        proposal=proposal, actor=case_handler, to_state=State.RECEIVED, message="Vi ser på saken."
    )
    services.deadlines_follow_up(today=day(1))
    assert not Notification.objects.filter(kind="proposal.deadline_passed").exists()


def test_a_message_asking_for_an_answer_is_tracked(committee, author, leader, case_handler):
    proposal = ProposalFactory(committee=committee, author=author, state=State.IN_REVIEW)
    Message.objects.create(
        proposal=proposal, sender=leader, party=Party.COMMITTEE, body="Når?", answer_by=DUE
    )
    services.deadlines_follow_up(today=day(-2))
    assert _kinds(case_handler) == ["proposal.deadline_soon"]
    assert _kinds(leader) == []


def test_moved_deadline_gets_fresh_reminders(submitted, leader):
    services.deadlines_follow_up(today=day(-3))
    submitted.committee_due = day(10)
    submitted.save()
    services.deadlines_follow_up(today=day(7))
    assert _kinds(leader) == ["proposal.deadline_soon", "proposal.deadline_soon"]


def test_the_beat_task_uses_todays_date(submitted, leader):
    with time_machine.travel(datetime.datetime(2027, 3, 13, 8, tzinfo=datetime.UTC)):
        result = follow_up_deadlines.apply().get()
    assert result["passed"] == 2
    assert _kinds(leader) == ["proposal.deadline_passed"]


def test_a_case_that_moves_on_while_the_follow_up_runs_gets_no_reminder(
    monkeypatch, committee, author, leader
):
    first, second = (
        ProposalFactory(
            committee=committee, author=author, state=State.SUBMITTED, committee_due=DUE
        )
        for _ in range(2)
    )
    real_notify = services.notify

    def notify(**kwargs):
        if kwargs["dedupe_key"].startswith(f"proposal:{first.pk}:"):
            # While the first case is reminded, the board forwards the second.
            Proposal.objects.filter(pk=second.pk).update(state=State.FORWARDED)
        return real_notify(**kwargs)

    monkeypatch.setattr(services.follow_up, "notify", notify)
    assert services.deadlines_follow_up(today=day(-3)) == {"soon": 1, "passed": 0}
    assert Notification.objects.filter(dedupe_key__startswith=f"proposal:{first.pk}:").exists()
    assert not Notification.objects.filter(dedupe_key__startswith=f"proposal:{second.pk}:").exists()


@pytest.mark.parametrize("state", [State.ACCEPTED, State.IN_PROGRESS])
def test_a_message_asking_for_an_answer_after_the_decision_is_tracked(
    state, committee, author, leader, case_handler
):
    # The dialogue stays open after the decision, and a message there may ask for an answer.
    proposal = ProposalFactory(committee=committee, author=author, state=state)
    services.message_send(proposal=proposal, actor=case_handler, body="Når?", answer_by=DUE)
    proposal.refresh_from_db()
    assert proposal.next_due == DUE
    Notification.objects.all().delete()
    services.deadlines_follow_up(today=day(-2))
    assert _kinds(leader) == ["proposal.deadline_soon"]
    services.deadlines_follow_up(today=day(1))
    assert _kinds(case_handler) == []  # the committee must answer
    assert "proposal.deadline_passed" in _kinds(leader)
