"""The staff groups, assembled at the top from every app's declaration (core/staff.py,
larvik_nmu/staff.py): complete on a fresh test database and again after a flush."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from core import staff
from larvik_nmu.staff import assemble_after_migrate, ensure_staff_groups, staff_declarations


def _expected(role):
    expected = set()
    for app_label, declaration in staff_declarations().items():
        codenames = declaration.get(role)
        app_permissions = Permission.objects.filter(content_type__app_label=app_label)
        if codenames == staff.ALL:
            codenames = app_permissions.values_list("codename", flat=True)
        expected |= {(app_label, codename) for codename in codenames or []}
    return expected


def _held(role):
    group = Group.objects.get(name=staff.group_name(role))
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def _assert_complete():
    for role in staff.GROUP_NAMES:
        assert _expected(role) <= _held(role), role
    case_handler = _held(staff.CASE_HANDLER)
    assert ("committees", "handle_cases") in case_handler
    assert ("proposals", "change_proposal") in case_handler
    assert ("notifications", "view_notification") not in case_handler  # issue 10
    assert ("committees", "delete_committee") not in case_handler  # only what is declared
    assert ("account", "change_emailaddress") in _held(staff.ADMINISTRATOR)


@pytest.mark.django_db
def test_a_fresh_test_database_has_complete_groups():
    _assert_complete()


@pytest.mark.django_db
def test_every_declared_permission_exists():
    assert ensure_staff_groups() == []


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_complete_groups_back():
    Group.objects.all().delete()
    call_command("flush", interactive=False, verbosity=0)
    _assert_complete()


@pytest.mark.django_db
def test_each_app_declares_its_own_permissions_and_they_reach_the_group(monkeypatch):
    committees = apps.get_app_config("committees")
    declaration = dict(committees.staff_permissions)
    declaration[staff.CASE_HANDLER] = [*declaration[staff.CASE_HANDLER], "delete_committee"]
    monkeypatch.setattr(committees, "staff_permissions", declaration)
    assert ensure_staff_groups() == []
    assert ("committees", "delete_committee") in _held(staff.CASE_HANDLER)


@pytest.mark.django_db
def test_a_misspelt_permission_is_reported(monkeypatch):
    users = apps.get_app_config("users")
    monkeypatch.setattr(users, "staff_permissions", {staff.CASE_HANDLER: ["view_usr"]})
    assert ensure_staff_groups() == [("users", "view_usr")]


def test_an_unknown_role_is_refused():
    with pytest.raises(ValueError, match="Unknown staff roles"):
        staff.ensure_staff_groups(
            {"users": {"janitor": ["view_user"]}}, group_model=Group, permission_model=Permission
        )


@pytest.mark.django_db
def test_groups_are_assembled_once_every_app_has_its_permissions(monkeypatch):
    calls = []
    monkeypatch.setattr("larvik_nmu.staff.ensure_staff_groups", lambda **kw: calls.append(kw))
    with_models = [c for c in apps.get_app_configs() if c.models_module]
    for config in with_models:
        assemble_after_migrate(config, using="default", apps=apps)
    assert len(calls) == 1  # at the last app's turn, after auth made its permissions


def test_our_apps_declare_and_name_only_their_own_app():
    ours = ["users", "notifications", "committees", "proposals"]
    declared = staff.declarations_of(apps.get_app_configs())
    assert set(ours) <= set(declared)
    for label in ours:
        for codenames in declared[label].values():
            assert codenames == staff.ALL or all("." not in c for c in codenames)
