"""Giving someone a (new) role on the board tells that person, and nobody else (issue 10).

Both ways in go through a service: the "add board member" form with a follower's address
(``membership_add``: "added to the board") and the membership edit form on a follower's or board
member's membership (``membership_update``: ``committee.board_role_given``).
"""

import pytest
from django.urls import reverse
from django.utils import translation

from committees import notifications as kinds
from committees import services
from committees.models import Membership, Role
from notifications.models import Notification
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _edit(client, membership, role):
    return client.post(
        reverse(
            "committees:membership-edit",
            kwargs={"slug": membership.committee.slug, "pk": membership.pk},
        ),
        {
            "role": role,
            "represents": "youth",
            "term_start": membership.term_start.isoformat(),
            "term_end": "2028-01-01",
        },
    )


@pytest.fixture
def follower(committee, resident):
    return MembershipFactory(committee=committee, user=resident, role=Role.MEMBER)


def test_promoting_a_follower_tells_them_with_committee_and_role(
    client, committee, leader, board_member, resident, follower
):
    client.force_login(leader)
    assert _edit(client, follower, Role.TREASURER).status_code == 302
    assert Membership.objects.get(pk=follower.pk).role == Role.TREASURER
    note = Notification.objects.get()
    assert (note.recipient, note.kind, note.category) == (
        resident,
        kinds.BOARD_ROLE_GIVEN,
        kinds.CATEGORY,
    )
    assert note.target_url == committee.get_absolute_url()
    assert note.subject == "Du er nå kasserer i Svarstad"
    assert "Sverre Leder har gitt deg en plass i styret i Svarstad som kasserer" in note.body
    assert "01.01.2028" in note.body


def test_changing_a_board_members_role_tells_them(client, committee, leader, board_member):
    membership = Membership.objects.get(user=board_member)
    client.force_login(leader)
    assert _edit(client, membership, Role.DEPUTY_LEADER).status_code == 302
    note = Notification.objects.get()
    assert (note.recipient, note.kind) == (board_member, kinds.BOARD_ROLE_GIVEN)
    assert "fra styremedlem til nestleder" in note.body


def test_changing_only_the_term_tells_nobody(client, committee, leader, board_member):
    membership = Membership.objects.get(user=board_member)
    client.force_login(leader)
    assert _edit(client, membership, Role.BOARD_MEMBER).status_code == 302
    assert not Notification.objects.exists()


def test_a_refused_promotion_tells_nobody(client, committee, leader, follower):
    """The committee already has a leader: the form comes back, nothing is written."""
    client.force_login(leader)
    assert _edit(client, follower, Role.LEADER).status_code == 200
    assert Membership.objects.get(pk=follower.pk).role == Role.MEMBER
    assert not Notification.objects.exists()


def test_adding_a_follower_by_address_tells_them(committee, leader, resident, follower):
    services.membership_add(
        committee=committee,
        actor=leader,
        email=resident.email,
        role=Role.SECRETARY,
        represents="voluntary",
        term_start=follower.term_start,
    )
    note = Notification.objects.get()
    assert (note.recipient, note.kind) == (resident, kinds.BOARD_ADDED)
    with translation.override("nb"):
        assert "sekretær" in note.body and "Svarstad" in note.body
