"""Applying the board an approved annual report's meeting elected: exactly the memberships the
protocol says, through the committees' services (roles and terms changed, those not re-elected
ended, everyone new invited), in one transaction, once, by the leader only."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from committees import invitation_services
from committees.models import BoardInvitation, InvitationStatus, Membership, Role
from grants.services import annual_reports as service
from tests.factories import MembershipFactory

from .test_annual_report_helpers import (  # noqa: F401 (fixtures)
    complete,
    elected,
    report_fixture,
    term_end,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def treasurer(committee):
    return MembershipFactory(
        committee=committee,
        role=Role.TREASURER,
        user__email="kasserer@example.no",
        user__full_name="Kari Kasserer",
    ).user


def approve_with(report, leader, case_handler, members):
    complete(report, leader, members=members)
    service.annual_report_submit(report=report, actor=leader)
    return service.annual_report_approve(report=report, actor=case_handler)


def board(committee) -> dict[str, tuple]:
    """The committee's current board: e-mail → (role, term end)."""
    return {
        m.user.email: (m.role, m.term_end)
        for m in Membership.objects.current()
        .board()
        .filter(committee=committee)
        .select_related("user")
    }


def invitations(committee) -> dict[str, tuple]:
    return {
        i.email: (i.role, i.term_end)
        for i in BoardInvitation.objects.pending().filter(committee=committee)
    }


def test_the_board_becomes_exactly_the_one_elected(
    report, committee, leader, board_member, treasurer, resident, case_handler
):
    """Re-elected with a new term (the leader), a new role (the board member), not re-elected
    (the treasurer: ended today), a follower with an account and someone without one
    (invited)."""
    until = term_end()
    approve_with(
        report,
        leader,
        case_handler,
        [
            elected("Sverre Leder", "leader@example.no", Role.LEADER, until),
            elected("Bjørn Styre", "BOARD@example.no", Role.DEPUTY_LEADER, until),
            elected("Ingrid Innbygger", "resident@example.no", Role.SECRETARY, until),
            elected("Nils Ny", "nils@example.no", Role.BOARD_MEMBER, None),
        ],
    )
    made = service.apply_elected_board(report=report, actor=leader)

    assert board(committee) == {
        "leader@example.no": (Role.LEADER, until),
        "board@example.no": (Role.DEPUTY_LEADER, until),
    }
    ended = Membership.objects.get(committee=committee, user=treasurer)
    assert ended.term_end == TODAY() and ended.ended_by == leader
    assert invitations(committee) == {
        "resident@example.no": (Role.SECRETARY, until),
        "nils@example.no": (Role.BOARD_MEMBER, None),
    }
    assert {c.action for c in made} == {service.Change.CHANGE, service.Change.END, "invite"}
    report.refresh_from_db()
    assert report.board_applied_at is not None
    event = report.events.last()
    assert event.actor == leader
    assert "2 invited, 2 changed, 1 ended" in event.message


def test_a_new_leader_takes_over_with_one_leader_at_every_step(
    report, committee, leader, board_member, case_handler
):
    approve_with(
        report,
        leader,
        case_handler,
        [
            elected("Bjørn Styre", "board@example.no", Role.LEADER),
            elected("Sverre Leder", "leader@example.no", Role.BOARD_MEMBER),
        ],
    )
    service.apply_elected_board(report=report, actor=leader)
    assert board(committee) == {
        "board@example.no": (Role.LEADER, None),
        "leader@example.no": (Role.BOARD_MEMBER, None),
    }


def test_a_leader_not_re_elected_leaves_and_the_new_leader_is_invited(
    report, committee, leader, board_member, case_handler
):
    approve_with(
        report,
        leader,
        case_handler,
        [
            elected("Olga Ny", "olga@example.no", Role.LEADER),
            elected("Bjørn Styre", "board@example.no", Role.BOARD_MEMBER),
        ],
    )
    service.apply_elected_board(report=report, actor=leader)
    assert board(committee) == {"board@example.no": (Role.BOARD_MEMBER, None)}
    assert Membership.objects.get(committee=committee, user=leader).term_end == TODAY()
    assert invitations(committee) == {"olga@example.no": (Role.LEADER, None)}


def test_waiting_invitations_are_kept_replaced_or_withdrawn(
    report, committee, leader, case_handler
):
    for email, role in (
        ("same@example.no", Role.SECRETARY),
        ("other@example.no", Role.SECRETARY),
        ("gone@example.no", Role.TREASURER),
    ):
        invitation_services.board_invitation_create(
            committee=committee,
            actor=leader,
            email=email,
            role=role,
            represents="individual",
            term_start=TODAY(),
        )
    approve_with(
        report,
        leader,
        case_handler,
        [
            elected("Sverre Leder", "leader@example.no", Role.LEADER),
            elected("Same", "same@example.no", Role.SECRETARY),
            elected("Other", "other@example.no", Role.TREASURER),
        ],
    )
    actions = {c.email: c.action for c in service.board_changes(report)}
    assert actions == {
        "leader@example.no": service.Change.KEEP,
        "same@example.no": service.Change.ALREADY_INVITED,
        "other@example.no": service.Change.REINVITE,
        "gone@example.no": service.Change.WITHDRAW,
    }
    service.apply_elected_board(report=report, actor=leader)
    assert invitations(committee) == {
        "same@example.no": (Role.SECRETARY, None),
        "other@example.no": (Role.TREASURER, None),
    }
    assert BoardInvitation.objects.get(email="gone@example.no").status == InvitationStatus.WITHDRAWN


def test_it_is_all_or_nothing(
    report, committee, leader, board_member, treasurer, case_handler, monkeypatch
):
    """An invitation that fails after the treasurer was ended undoes the end too."""
    approve_with(
        report,
        leader,
        case_handler,
        [
            elected("Sverre Leder", "leader@example.no", Role.LEADER),
            elected("Bjørn Styre", "board@example.no", Role.DEPUTY_LEADER),
            elected("Nils Ny", "nils@example.no"),
        ],
    )
    before = board(committee)

    def fail(**kwargs):
        raise ValidationError("The invitation could not be made.")

    monkeypatch.setattr(invitation_services, "board_invitation_create", fail)
    with pytest.raises(ValidationError):
        service.apply_elected_board(report=report, actor=leader)
    assert board(committee) == before
    report.refresh_from_db()
    assert report.board_applied_at is None


def test_a_second_apply_is_refused(report, committee, leader, case_handler):
    approve_with(
        report, leader, case_handler, [elected("Sverre Leder", "leader@example.no", Role.LEADER)]
    )
    service.apply_elected_board(report=report, actor=leader)
    with pytest.raises(ValidationError) as error:
        service.apply_elected_board(report=report, actor=leader)
    assert "already been applied" in " ".join(error.value.messages)


def test_an_older_years_board_cannot_replace_a_newer_one(
    report, committee, leader, board_member, case_handler
):
    """Applied for last year, an approved report of the year before would undo it."""
    from tests.factories import AnnualReportFactory

    older = AnnualReportFactory(committee=committee, year=report.year - 1)
    approve_with(
        older, leader, case_handler, [elected("Sverre Leder", "leader@example.no", Role.LEADER)]
    )
    approve_with(
        report,
        leader,
        case_handler,
        [
            elected("Sverre Leder", "leader@example.no", Role.LEADER),
            elected("Bjørn Styre", "board@example.no", Role.BOARD_MEMBER),
        ],
    )
    service.apply_elected_board(report=report, actor=leader)
    before = board(committee)
    with pytest.raises(ValidationError) as error:
        service.apply_elected_board(report=older, actor=leader)
    assert f"for {report.year} has already been applied" in " ".join(error.value.messages)
    assert board(committee) == before and "board@example.no" in before


def test_one_not_re_elected_is_told_it_was_the_annual_meeting(
    report, committee, leader, board_member, case_handler
):
    from notifications.models import Notification

    approve_with(
        report, leader, case_handler, [elected("Sverre Leder", "leader@example.no", Role.LEADER)]
    )
    service.apply_elected_board(report=report, actor=leader)
    note = Notification.objects.get(recipient=board_member, kind="committee.board_removed")
    # In the recipient's language (Norwegian, the default).
    assert "Årsmøtet i Svarstad valgte deg ikke på nytt" in note.body
    assert "har avsluttet vervet ditt" not in note.body


def test_only_once_approved(report, leader, case_handler):
    complete(report, leader)
    with pytest.raises(ValidationError) as error:
        service.apply_elected_board(report=report, actor=leader)
    assert "approved" in " ".join(error.value.messages)
    service.annual_report_submit(report=report, actor=leader)
    with pytest.raises(ValidationError):
        service.apply_elected_board(report=report, actor=leader)


@pytest.mark.parametrize(
    "role", ["board_member", "other_committee_leader", "case_handler", "resident"]
)
def test_only_the_leader_applies(report, leader, case_handler, user_in_role, role):
    approve_with(
        report, leader, case_handler, [elected("Sverre Leder", "leader@example.no", Role.LEADER)]
    )
    with pytest.raises(ValidationError) as error:
        service.apply_elected_board(report=report, actor=user_in_role(role))
    assert "Only the committee's leader" in " ".join(error.value.messages)


def test_a_term_that_has_already_ended_stops_it(report, committee, leader, case_handler):
    approve_with(
        report,
        leader,
        case_handler,
        [elected("Sverre Leder", "leader@example.no", Role.LEADER, term_end())],
    )
    later = term_end() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        service.apply_elected_board(report=report, actor=leader, today=later)
    assert "already ended" in " ".join(error.value.messages)


def test_the_preview_is_a_fixed_number_of_queries(
    report, committee, leader, case_handler, django_assert_max_num_queries
):
    members = [elected("Sverre Leder", "leader@example.no", Role.LEADER)]
    members += [elected(f"P {i}", f"p{i}@example.no") for i in range(19)]
    for i in range(10):
        MembershipFactory(
            committee=committee, role=Role.BOARD_MEMBER, user__email=f"p{i}@example.no"
        )
    approve_with(report, leader, case_handler, members)
    with django_assert_max_num_queries(5):
        changes = service.board_changes(report)
    assert len(changes) == 20
