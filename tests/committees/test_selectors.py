import pytest

from committees import selectors
from committees.models import RepresentedGroup, Role
from tests.factories import CommitteeFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_board_coverage_lists_the_five_groups_and_ignores_followers():
    committee = CommitteeFactory()
    MembershipFactory(committee=committee, role=Role.LEADER, represents=RepresentedGroup.YOUTH)
    MembershipFactory(committee=committee, role=Role.MEMBER, represents=RepresentedGroup.BUSINESS)
    board = selectors.committee_get_for_page(slug=committee.slug).current_board
    coverage = {c.group: c.covered for c in selectors.board_group_coverage(board)}
    assert len(coverage) == 5
    assert coverage[RepresentedGroup.YOUTH] is True
    assert coverage[RepresentedGroup.BUSINESS] is False


def test_board_is_sorted_leader_first():
    committee = CommitteeFactory()
    MembershipFactory(committee=committee, role=Role.BOARD_MEMBER, user__full_name="Aase")
    MembershipFactory(committee=committee, role=Role.LEADER, user__full_name="Zeta")
    board = selectors.board_sorted(
        selectors.committee_get_for_page(slug=committee.slug).current_board
    )
    assert [m.role for m in board] == [Role.LEADER, Role.BOARD_MEMBER]


def test_top_level_list_nests_children():
    parent = CommitteeFactory(name="Larvik sentrum")
    CommitteeFactory(name="Nanset", parent=parent)
    top = list(selectors.committee_list_top_level())
    assert [c.name for c in top] == ["Larvik sentrum"]
    assert [c.name for c in top[0].children.all()] == ["Nanset"]
