"""Who a committee's followers are: the seam any app (proposals now, dugnads and agreements
later) uses to tell them of something new (``committees.selectors.committee_follower_users``)."""

import datetime

import pytest

from committees import selectors
from committees.models import Role
from tests.factories import CommitteeFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _follow(committee, user=None, **fields):
    fields.setdefault("term_start", datetime.date(2024, 1, 1))
    return MembershipFactory(
        committee=committee, role=Role.MEMBER, **({"user": user} if user else {}), **fields
    ).user


def test_the_current_active_followers_each_once(committee, leader):
    follower = _follow(committee)
    _follow(committee, term_end=datetime.date(2024, 6, 1))  # stopped following
    _follow(committee, term_start=datetime.date(2999, 1, 1))  # not yet
    _follow(committee, user=UserFactory(is_active=False))  # account closed
    _follow(CommitteeFactory())  # another committee
    assert selectors.committee_follower_users(committee=committee) == [follower]


def test_board_members_are_not_followers(committee, leader, board_member):
    """The board hears of new things through its own notices (a proposal's inbox)."""
    assert selectors.committee_follower_users(committee=committee) == []


def test_followers_of_the_committee_above_hear_of_a_sub_committee(committee):
    """The parent's page shows its sub-committees' news, so its followers hear of it too; a
    sub-committee's followers do not hear of the parent's."""
    child = CommitteeFactory(name="Nanset", parent=committee)
    of_parent, of_child = _follow(committee), _follow(child)
    assert selectors.committee_follower_users(committee=child) == [of_parent, of_child]
    assert selectors.committee_follower_users(committee=committee) == [of_parent]


def test_someone_following_both_is_listed_once(committee):
    child = CommitteeFactory(name="Nanset", parent=committee)
    person = _follow(committee)
    _follow(child, user=person)
    assert selectors.committee_follower_users(committee=child) == [person]


def test_one_query_however_many_follow(committee, django_assert_num_queries):
    for _ in range(5):
        _follow(committee)
    with django_assert_num_queries(1):
        assert len(selectors.committee_follower_users(committee=committee)) == 5
