import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from committees.models import CommitteeStatus, Membership, Role
from tests.factories import CommitteeFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_registered_committee_without_organisation_number_is_refused_by_the_database():
    committee = CommitteeFactory(status=CommitteeStatus.FORMING, organisation_number="")
    committee.status = CommitteeStatus.REGISTERED
    with pytest.raises(IntegrityError), transaction.atomic():
        committee.save()


def test_invalid_organisation_number_fails_full_clean():
    committee = CommitteeFactory.build(organisation_number="974760674")
    with pytest.raises(ValidationError) as error:
        committee.full_clean()
    assert "organisation_number" in error.value.message_dict


def test_sub_committee_cannot_have_sub_committees():
    top = CommitteeFactory()
    middle = CommitteeFactory(parent=top)
    bottom = CommitteeFactory.build(parent=middle)
    with pytest.raises(ValidationError) as error:
        bottom.full_clean()
    assert "parent" in error.value.message_dict


def test_young_population_cannot_exceed_population():
    committee = CommitteeFactory.build(population=10, population_0_19=11)
    with pytest.raises(ValidationError):
        committee.full_clean()


def test_current_memberships_exclude_ended_and_future_terms():
    today = datetime.date(2026, 6, 1)
    current = MembershipFactory(term_start=datetime.date(2026, 1, 1), term_end=None)
    ends_today = MembershipFactory(term_start=datetime.date(2026, 1, 1), term_end=today)
    future = MembershipFactory(term_start=datetime.date(2026, 7, 1))
    assert list(Membership.objects.current(on=today)) == [current]
    assert not ends_today.is_current(on=today)
    assert not future.is_current(on=today)
    assert current.is_current(on=today)


def test_term_end_before_start_is_refused():
    membership = MembershipFactory.build(
        committee=CommitteeFactory(),
        term_start=datetime.date(2026, 2, 1),
        term_end=datetime.date(2026, 1, 1),
        role=Role.LEADER,
    )
    membership.user.save()
    with pytest.raises(ValidationError):
        membership.full_clean()


def test_only_staff_can_belong_to_a_department():
    from committees.models import DepartmentStaff
    from tests.factories import DepartmentFactory, UserFactory

    placement = DepartmentStaff(department=DepartmentFactory(), user=UserFactory(is_staff=False))
    with pytest.raises(ValidationError) as error:
        placement.full_clean()
    assert "user" in error.value.message_dict


def test_a_staff_user_belongs_to_one_department_only():
    from tests.factories import DepartmentFactory, DepartmentStaffFactory

    placement = DepartmentStaffFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        DepartmentStaffFactory(user=placement.user, department=DepartmentFactory())


def test_registered_committee_without_organisation_number_fails_full_clean():
    committee = CommitteeFactory.build(status=CommitteeStatus.ACTIVE, organisation_number="")
    with pytest.raises(ValidationError) as error:
        committee.full_clean()
    assert "organisation_number" in error.value.message_dict


def test_municipal_contact_must_be_staff():
    from tests.factories import UserFactory

    committee = CommitteeFactory()
    resident = MembershipFactory.build(
        committee=committee, user=UserFactory(is_staff=False), role=Role.MUNICIPAL_CONTACT
    )
    with pytest.raises(ValidationError) as error:
        resident.full_clean()
    assert "role" in error.value.message_dict
    staff = MembershipFactory.build(
        committee=committee, user=UserFactory(is_staff=True), role=Role.MUNICIPAL_CONTACT
    )
    staff.full_clean()
