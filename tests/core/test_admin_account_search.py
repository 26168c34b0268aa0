"""Case handlers cannot look accounts up by e-mail address in any admin (issue 10).

The user admin is for administrators; the other lists that show people (memberships, supports,
follows, department staff) answered a case handler's ``?q=<address>`` with the person's name
and committees for an address that has an account and with nothing for one that has none.
``core.admin.AccountFieldsMixin`` drops the e-mail lookups unless the user may change accounts,
and shows people by name, never by address."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core.staff import ADMINISTRATOR, CASE_HANDLER, group_name
from proposals.models import Follow, State, Support
from tests.factories import (
    DepartmentStaffFactory,
    MembershipFactory,
    ProposalFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ADDRESS = "skjult.person@example.no"
UNKNOWN = "finnes.ikke@example.no"


@pytest.fixture
def person(committee):
    """Someone with a membership, a support, a follow and a department, found by address."""
    user = UserFactory(email=ADDRESS, full_name="Sigrid Søkbar")
    MembershipFactory(committee=committee, user=user)
    proposal = ProposalFactory(committee=committee, state=State.SUBMITTED)
    Support.objects.create(proposal=proposal, user=user)
    Follow.objects.create(proposal=proposal, user=user)
    DepartmentStaffFactory(user=user)
    return user


@pytest.fixture
def administrator(db):
    user = UserFactory(email="adm@larvik.kommune.no", full_name="Ada Administrator", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name(ADMINISTRATOR)))
    return user


LISTS = [
    "admin:committees_membership_changelist",
    "admin:proposals_support_changelist",
    "admin:proposals_follow_changelist",
]


def _result_rows(client, name, q) -> str:
    response = client.get(reverse(name), {"q": q})
    assert response.status_code == 200, name
    return response.content.decode().split('id="result_list"', 1)[-1]


@pytest.mark.parametrize("name", LISTS)
def test_a_case_handler_learns_nothing_from_an_address(client, case_handler, person, name):
    client.force_login(case_handler)
    known = client.get(reverse(name), {"q": ADDRESS})
    unknown = client.get(reverse(name), {"q": UNKNOWN})
    assert known.status_code == unknown.status_code == 200
    assert known.context["cl"].result_count == unknown.context["cl"].result_count == 0
    assert "Sigrid Søkbar" not in _result_rows(client, name, ADDRESS)
    # Part of an address finds no one either, and the name still does.
    assert client.get(reverse(name), {"q": "skjult.person"}).context["cl"].result_count == 0
    assert client.get(reverse(name), {"q": "Sigrid"}).context["cl"].result_count == 1


@pytest.mark.parametrize("name", LISTS)
def test_a_case_handler_sees_people_by_name_not_by_address(client, case_handler, committee, name):
    nameless = UserFactory(email="uten.navn@example.no", full_name="")
    MembershipFactory(committee=committee, user=nameless)
    proposal = ProposalFactory(committee=committee, state=State.SUBMITTED)
    Support.objects.create(proposal=proposal, user=nameless)
    Follow.objects.create(proposal=proposal, user=nameless)
    client.force_login(case_handler)
    page = client.get(reverse(name)).content.decode()
    assert "uten.navn@example.no" not in page
    assert "En innbygger" in page  # core.formatting.public_name


@pytest.mark.parametrize("name", LISTS)
def test_an_administrator_finds_a_person_by_address(client, administrator, person, name):
    client.force_login(administrator)
    assert client.get(reverse(name), {"q": ADDRESS}).context["cl"].result_count == 1
    assert client.get(reverse(name), {"q": UNKNOWN}).context["cl"].result_count == 0


def test_the_rule_is_the_account_admins_permission(rf, case_handler, administrator):
    from django.contrib.admin.sites import site

    from committees.admin import MembershipAdmin
    from committees.models import Membership

    model_admin = MembershipAdmin(Membership, site)
    for user, expected in [
        (case_handler, ["user__full_name", "committee__name"]),
        (administrator, ["user__email", "user__full_name", "committee__name"]),
    ]:
        request = rf.get("/")
        request.user = user
        assert list(model_admin.get_search_fields(request)) == expected
    assert case_handler.has_perm("users.change_user") is False
    assert administrator.has_perm("users.change_user") is True


# --- Notifications: every resident's messages are for administrators ------------------------

NOTIFICATION_LISTS = [
    "admin:notifications_notification_changelist",
    "admin:notifications_notificationpreference_changelist",
]


@pytest.mark.parametrize("name", NOTIFICATION_LISTS)
def test_a_case_handler_does_not_read_other_peoples_notifications(client, case_handler, name):
    client.force_login(case_handler)
    assert client.get(reverse(name)).status_code == 403
    assert not case_handler.has_perm("notifications.view_notification")


def test_an_administrator_finds_notifications_by_address(client, administrator, person):
    from tests.factories import NotificationFactory

    NotificationFactory(recipient=person, subject="Til Sigrid")
    client.force_login(administrator)
    name = "admin:notifications_notification_changelist"
    assert client.get(reverse(name), {"q": ADDRESS}).context["cl"].result_count == 1
    assert client.get(reverse(name), {"q": UNKNOWN}).context["cl"].result_count == 0


def test_a_case_handler_group_made_before_loses_the_log(db):
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.db import connection

    migration = importlib.import_module(
        "notifications.migrations.0002_case_handlers_no_longer_read_the_log"
    )
    group = Group.objects.get(name=group_name(CASE_HANDLER))
    group.permissions.add(*Permission.objects.filter(codename__in=migration.TAKEN_BACK))
    with connection.schema_editor() as editor:
        migration.take_back(apps, editor)
    held = set(group.permissions.values_list("codename", flat=True))
    assert held.isdisjoint(migration.TAKEN_BACK) and "handle_cases" in held


def test_a_case_handler_cannot_find_a_followers_committees_by_address(
    client, case_handler, administrator, person, committee
):
    name = "admin:committees_committee_changelist"
    client.force_login(case_handler)
    assert client.get(reverse(name), {"q": ADDRESS}).context["cl"].result_count == 0
    assert client.get(reverse(name), {"q": committee.name}).context["cl"].result_count == 1
    client.force_login(administrator)
    assert client.get(reverse(name), {"q": ADDRESS}).context["cl"].result_count == 1


# --- The case logs: who wrote or acted, by name --------------------------------------------------


@pytest.mark.parametrize(
    "name", ["admin:proposals_message_changelist", "admin:proposals_proposalevent_changelist"]
)
def test_the_case_logs_show_who_by_name_to_a_case_handler(client, case_handler, committee, name):
    from proposals.models import Message, ProposalEvent

    nameless = UserFactory(email="uten.navn@example.no", full_name="")
    proposal = ProposalFactory(committee=committee, state=State.FORWARDED)
    Message.objects.create(proposal=proposal, sender=nameless, party="committee", body="Hei")
    ProposalEvent.objects.create(proposal=proposal, actor=nameless, to_state=State.FORWARDED)
    client.force_login(case_handler)
    rows = _result_rows(client, name, "")
    assert "uten.navn@example.no" not in rows
    assert "En innbygger" in rows
