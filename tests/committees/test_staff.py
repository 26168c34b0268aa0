"""Who is municipal staff, and who the case handlers are: one rule (committees/staff.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from committees import staff
from core.staff import ADMINISTRATOR, CASE_HANDLER, group_name
from proposals import permissions as proposal_permissions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _in_group(role, **user_fields):
    user = UserFactory(**user_fields)
    user.groups.add(Group.objects.get(name=group_name(role)))
    return user


def test_case_handlers_administrators_and_superusers_are_municipal_staff(case_handler, superuser):
    administrator = _in_group(ADMINISTRATOR, is_staff=True)
    for user in (case_handler, superuser, administrator):
        assert staff.is_municipal_staff(user)


@pytest.mark.parametrize(
    "who",
    ["anonymous", "resident", "staff without the group", "group but no staff access", "inactive"],
)
def test_nobody_else_is_municipal_staff(who):
    user = {
        "anonymous": lambda: AnonymousUser(),
        "resident": lambda: UserFactory(),
        "staff without the group": lambda: UserFactory(is_staff=True),
        "group but no staff access": lambda: _in_group(CASE_HANDLER, is_staff=False),
        "inactive": lambda: _in_group(CASE_HANDLER, is_staff=True, is_active=False),
    }[who]()
    assert not staff.is_municipal_staff(user)


def test_the_permission_alone_makes_staff_municipal(db):
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="committees", codename="handle_cases")
    )
    assert staff.is_municipal_staff(user)


def test_proposals_use_the_same_rule():
    assert proposal_permissions.is_municipal_staff is staff.is_municipal_staff


def test_case_handlers_are_the_groups_active_staff_by_name(case_handler, superuser):
    colleague = _in_group(CASE_HANDLER, is_staff=True, full_name="Anne Annen")
    _in_group(CASE_HANDLER, is_staff=True, is_active=False)
    _in_group(CASE_HANDLER, is_staff=False)
    _in_group(ADMINISTRATOR, is_staff=True)
    assert list(staff.case_handlers()) == [colleague, case_handler]
    assert all(staff.is_municipal_staff(user) for user in staff.case_handlers())


def test_a_cases_current_handler_stays_among_the_choices(case_handler):
    former = UserFactory(is_staff=True, full_name="Åse Tidligere")
    assert former not in staff.case_handlers()
    assert list(staff.case_handlers(including_pk=former.pk)) == [case_handler, former]


def test_case_handlers_is_one_query(case_handler, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(staff.case_handlers())
