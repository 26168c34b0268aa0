"""Shared fixtures for the agreements tests: the parties to one agreement between the Svarstad
committee (tests/conftest.py's ``committee``, ``leader``, ``board_member``) and the case
handler's own department."""

import pytest

from tests.factories import AgreementFactory, TaskFactory


@pytest.fixture
def department(case_handler):
    """The case handler's department: the municipality's party to ``agreement``."""
    return case_handler.department_staff.department


@pytest.fixture
def signer(case_handler):
    """The case handler, with the right to sign for their department."""
    from django.contrib.auth.models import Permission

    case_handler.user_permissions.add(Permission.objects.get(codename="sign_agreement"))
    # has_perm caches: a fresh object sees the new permission.
    return type(case_handler).objects.get(pk=case_handler.pk)


@pytest.fixture
def draft(committee, department):
    """A draft agreement with one task (flag raising, 6 000 kr a year)."""
    agreement = AgreementFactory(committee=committee, department=department, state="draft")
    TaskFactory(agreement=agreement)
    return agreement


@pytest.fixture
def active(committee, department):
    """An active agreement for this year with one task."""
    agreement = AgreementFactory(committee=committee, department=department, state="active")
    TaskFactory(agreement=agreement)
    return agreement
