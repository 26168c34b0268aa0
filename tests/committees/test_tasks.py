"""Board terms: a reminder 30 days before, a coverage report at the end, each once."""

import datetime

import pytest
import time_machine

from committees import services
from committees.models import RepresentedGroup, Role
from committees.tasks import follow_up_board_terms
from notifications.models import Notification

from ..factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

END = datetime.date(2027, 1, 1)


@pytest.fixture
def contact(committee):
    staff = UserFactory(email="kontakt@larvik.kommune.no", full_name="Kari Kontakt", is_staff=True)
    MembershipFactory(committee=committee, user=staff, role=Role.MUNICIPAL_CONTACT)
    return staff


@pytest.fixture
def youth_member(committee):
    return MembershipFactory(
        committee=committee,
        role=Role.BOARD_MEMBER,
        represents=RepresentedGroup.YOUTH,
        term_end=END,
        user__full_name="Ylva Ung",
        user__email="ylva@example.no",
    )


def _subjects(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("subject", flat=True))


def test_no_reminder_earlier_than_30_days(committee, leader, contact, youth_member):
    services.board_terms_follow_up(today=END - datetime.timedelta(days=31))
    assert not Notification.objects.exists()


def test_reminder_30_days_before_to_member_leader_and_contact(
    committee, leader, contact, youth_member
):
    sent = services.board_terms_follow_up(today=END - datetime.timedelta(days=30))
    assert sent == {"reminders": 3, "ended": 0}
    assert _subjects(youth_member.user) == ["Styreperioden din i Svarstad går ut 01.01.2027"]
    assert _subjects(leader) == ["Styreperioden til Ylva Ung i Svarstad går ut 01.01.2027"]
    assert _subjects(contact) == ["Styreperioden til Ylva Ung i Svarstad går ut 01.01.2027"]
    body = Notification.objects.get(recipient=leader).body
    assert "Ylva Ung er styremedlem og representerer ungdom." in body


def test_reminder_is_sent_once_and_caught_up_after_missed_days(
    committee, leader, contact, youth_member
):
    # The beat task did not run for a week; the day it comes back, the reminder still goes out.
    services.board_terms_follow_up(today=END - datetime.timedelta(days=23))
    for days_left in (22, 10, 1):
        services.board_terms_follow_up(today=END - datetime.timedelta(days=days_left))
    assert Notification.objects.filter(kind="committee.term_ending").count() == 3


def test_at_the_end_date_the_leader_hears_which_groups_are_no_longer_covered(
    committee, leader, contact, youth_member
):
    # Someone else still covers the elderly; nobody else represents youth.
    MembershipFactory(committee=committee, represents=RepresentedGroup.ELDERLY)
    assert youth_member.is_current(on=END - datetime.timedelta(days=1))
    sent = services.board_terms_follow_up(today=END)
    assert not youth_member.is_current(on=END)  # the membership has ended: no role, no rights
    assert sent["ended"] == 3
    report = Notification.objects.get(recipient=leader, kind="committee.term_ended")
    assert report.subject == "Styreperioden til Ylva Ung i Svarstad er over"
    assert "Styret har nå ingen som representerer:" in report.body
    assert "- Ungdom" in report.body and "- Eldre" not in report.body
    own = Notification.objects.get(recipient=youth_member.user, kind="committee.term_ended")
    assert own.subject == "Styreperioden din i Svarstad er over"
    # Tomorrow (or a re-run today) sends nothing more.
    assert services.board_terms_follow_up(today=END + datetime.timedelta(days=1))["ended"] == 0


def test_a_missed_end_date_is_caught_up_within_two_weeks(committee, leader, youth_member):
    assert services.board_terms_follow_up(today=END + datetime.timedelta(days=13))["ended"] == 2
    later = MembershipFactory(committee=committee, term_end=END - datetime.timedelta(days=15))
    services.board_terms_follow_up(today=END + datetime.timedelta(days=1))
    assert not Notification.objects.filter(recipient=later.user).exists()  # too old: not news


def test_followers_get_no_term_notifications(committee, leader):
    follower = MembershipFactory(committee=committee, role=Role.MEMBER, term_end=END)
    services.board_terms_follow_up(today=END - datetime.timedelta(days=5))
    services.board_terms_follow_up(today=END)
    assert not Notification.objects.filter(recipient=follower.user).exists()


def test_a_leader_whose_term_ends_is_pointed_to_the_municipality(committee, contact):
    own = MembershipFactory(committee=committee, role=Role.LEADER, term_end=END)
    services.board_terms_follow_up(today=END - datetime.timedelta(days=3))
    body = Notification.objects.get(recipient=own.user).body
    assert "kommunens kontaktperson for utvalget (Kari Kontakt)" in body


@time_machine.travel(datetime.datetime(2026, 12, 5, 6, 15, tzinfo=datetime.UTC), tick=False)
def test_the_beat_task_uses_todays_date(committee, leader, youth_member):
    assert follow_up_board_terms() == {"reminders": 2, "ended": 0}


def test_added_board_member_is_told(committee, leader, resident):
    membership = services.membership_add(
        committee=committee,
        actor=leader,
        email=resident.email,
        role=Role.SECRETARY,
        represents=RepresentedGroup.VOLUNTARY,
        term_start=datetime.date(2026, 11, 1),
        term_end=END,
    )
    row = Notification.objects.get(recipient=resident)
    assert row.subject == "Du er lagt til i styret i Svarstad"
    assert (
        "Sverre Leder har lagt deg til i styret i Svarstad som sekretær fra 01.11.2026." in row.body
    )
    assert "Perioden går ut 01.01.2027." in row.body
    assert row.target_url == committee.get_absolute_url()
    assert row.dedupe_key == f"membership:{membership.pk}:added"


def test_ended_board_member_is_told_once(committee, leader, board_member):
    membership = board_member.committee_memberships.get()
    services.membership_end(membership=membership, actor=leader, on=datetime.date(2026, 11, 28))
    row = Notification.objects.get(recipient=board_member)
    assert row.subject == "Vervet ditt i styret i Svarstad er avsluttet"
    assert membership.ended_by == leader
    # The daily follow-up reports terms that ran out, not what the leader just did himself.
    services.board_terms_follow_up(today=datetime.date(2026, 11, 28))
    assert Notification.objects.filter(recipient=board_member).count() == 1
    assert not Notification.objects.filter(recipient=leader).exists()


def test_undoing_an_addition_the_same_day_tells_the_person(committee, leader, resident):
    """A membership that never started is deleted, but the person was told it began."""
    today = datetime.date(2026, 11, 28)
    membership = services.membership_add(
        committee=committee,
        actor=leader,
        email=resident.email,
        role=Role.BOARD_MEMBER,
        represents=RepresentedGroup.ELDERLY,
        term_start=today,
    )
    services.membership_end(membership=membership, actor=leader, on=today)
    assert not committee.memberships.filter(user=resident).exists()
    assert list(
        Notification.objects.filter(recipient=resident)
        .order_by("pk")
        .values_list("kind", flat=True)
    ) == ["committee.board_added", "committee.board_removed"]


def test_municipal_contacts_get_their_own_wording(committee, leader, contact):
    own = contact.committee_memberships.get()
    own.term_end = END
    own.save()
    services.board_terms_follow_up(today=END - datetime.timedelta(days=10))
    mine = Notification.objects.get(recipient=contact).body
    assert "kommunens kontaktperson for Svarstad går ut 01.01.2027" in mine
    assert "lederen" not in mine  # a leader cannot extend the municipality's contact
    leaders = Notification.objects.get(recipient=leader).body
    assert "Kari Kontakt er kommunens kontaktperson for utvalget til 01.01.2027." in leaders
    assert "representerer" not in leaders
