"""Role × permission matrix for the committee permission functions."""

import datetime

import pytest

from committees import permissions
from committees.models import Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ROLES = [
    ("anonymous", False, False),
    ("resident", False, True),
    ("board_member", False, True),
    ("other_committee_leader", False, True),
    ("case_handler", False, True),
    ("superuser", False, True),
    ("leader", True, True),
]


@pytest.mark.parametrize(("who", "may_edit", "may_follow"), ROLES)
def test_permission_matrix(request, committee, who, may_edit, may_follow):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    assert permissions.can_edit_committee(user, committee) is may_edit
    assert permissions.can_manage_board(user, committee) is may_edit
    assert permissions.can_follow_committee(user, committee) is may_follow


@pytest.mark.parametrize(
    ("role", "start", "end", "allowed"),
    [
        (Role.LEADER, datetime.date(2020, 1, 1), None, True),
        (Role.LEADER, datetime.date(2020, 1, 1), datetime.date(2021, 1, 1), False),  # ended
        (Role.LEADER, datetime.date(2999, 1, 1), None, False),  # not started
        (Role.DEPUTY_LEADER, datetime.date(2020, 1, 1), None, False),
        (Role.MEMBER, datetime.date(2020, 1, 1), None, False),
    ],
)
def test_only_a_current_leader_edits(committee, role, start, end, allowed):
    user = MembershipFactory(committee=committee, role=role, term_start=start, term_end=end).user
    assert permissions.can_edit_committee(user, committee) is allowed


def test_inactive_user_cannot_follow(committee, resident):
    resident.is_active = False
    assert not permissions.can_follow_committee(resident, committee)
