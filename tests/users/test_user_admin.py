"""The user admin is for administrators: case handlers do not see every account's e-mail
(issue 10). What their cases need they get through the cases' own admin."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from core.staff import ADMINISTRATOR, group_name
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

USER_PAGES = ["admin:users_user_changelist", "admin:users_user_add"]


@pytest.fixture
def administrator(db):
    person = UserFactory(email="it@larvik.kommune.no", full_name="Ivar IT", is_staff=True)
    person.groups.add(Group.objects.get(name=group_name(ADMINISTRATOR)))
    return person


@pytest.fixture
def accounts(db):
    return [UserFactory(email=f"innbygger{n}@example.no") for n in range(3)]


def _pages(person):
    return [reverse(name) for name in USER_PAGES] + [
        reverse("admin:users_user_change", args=[person.pk]),
        reverse("admin:users_user_history", args=[person.pk]),
    ]


def test_case_handler_is_refused_the_user_admin(client, case_handler, accounts):
    client.force_login(case_handler)
    for page in _pages(accounts[0]):
        assert client.get(page).status_code == 403, page
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:users_user_changelist") not in index
    assert accounts[0].email not in index


def test_a_case_handler_given_user_view_by_hand_is_still_refused(client, case_handler, accounts):
    case_handler.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(case_handler)
    assert client.get(reverse("admin:users_user_changelist")).status_code == 403


@pytest.mark.parametrize("who", ["superuser", "administrator"])
def test_administrators_manage_accounts(client, request, who, accounts):
    client.force_login(request.getfixturevalue(who))
    for page in _pages(accounts[0]):
        assert client.get(page).status_code == 200, page
    assert accounts[1].email in client.get(reverse("admin:users_user_changelist")).content.decode()


def test_case_handlers_group_holds_no_user_permission():
    held = Group.objects.get(name="Saksbehandler").permissions.filter(
        content_type__app_label="users", content_type__model="user"
    )
    assert not held.exists()


def test_the_migration_takes_user_view_from_an_existing_case_handlers_group():
    """Groups are only ever added to after migrate (core.staff): the old grant needs removing."""
    group = Group.objects.get(name="Saksbehandler")
    group.permissions.add(Permission.objects.get(codename="view_user"))
    migration = importlib.import_module("users.migrations.0003_case_handlers_see_no_accounts")
    migration.case_handlers_see_no_accounts(apps, None)
    assert not group.permissions.filter(codename="view_user").exists()


# --- What a case handler's work needs still works ----------------------------------------------


def _autocomplete(client, term):
    return client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "committees",
            "model_name": "membership",
            "field_name": "user",
            "term": term,
        },
    )


def test_case_handler_finds_a_person_for_a_board_by_full_address_only(
    client, case_handler, accounts
):
    client.force_login(case_handler)
    listed = _autocomplete(client, "example.no")
    assert listed.status_code == 200 and listed.json()["results"] == []
    found = _autocomplete(client, "  INNBYGGER1@example.no ").json()["results"]
    assert [int(r["id"]) for r in found] == [accounts[1].pk]


def test_administrator_autocomplete_searches_as_before(client, superuser, accounts):
    client.force_login(superuser)
    found = _autocomplete(client, "innbygger").json()["results"]
    assert {int(r["id"]) for r in found} == {a.pk for a in accounts}


def test_a_resident_gets_no_autocomplete(client, resident, accounts):
    client.force_login(resident)
    assert _autocomplete(client, accounts[0].email).status_code in (302, 403)


def test_case_handler_still_opens_the_queue_and_the_committee_page(client, case_handler, committee):
    """Assigning a case is the proposals admin's own form (tests/proposals/test_admin.py)."""
    client.force_login(case_handler)
    assert client.get(reverse("admin:proposals_proposal_changelist")).status_code == 200
    committee_page = reverse("admin:committees_committee_change", args=[committee.pk])
    assert client.get(committee_page).status_code == 200
