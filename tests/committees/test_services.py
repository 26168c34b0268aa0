import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from committees import services
from committees.models import CommitteeStatus, Membership, RepresentedGroup, Role
from tests.factories import CommitteeFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


# --- Status lifecycle ---------------------------------------------------------------------------


def test_forming_to_constituted_is_allowed():
    committee = CommitteeFactory(status=CommitteeStatus.FORMING, organisation_number="")
    services.committee_set_status(committee=committee, status=CommitteeStatus.CONSTITUTED)
    committee.refresh_from_db()
    assert committee.status == CommitteeStatus.CONSTITUTED


def test_forming_cannot_jump_to_active():
    committee = CommitteeFactory(status=CommitteeStatus.FORMING, organisation_number="")
    with pytest.raises(ValidationError):
        services.committee_set_status(committee=committee, status=CommitteeStatus.ACTIVE)
    committee.refresh_from_db()
    assert committee.status == CommitteeStatus.FORMING


def test_registration_needs_organisation_number_and_leader():
    committee = CommitteeFactory(status=CommitteeStatus.CONSTITUTED, organisation_number="")
    problems = services.committee_status_problems(
        committee=committee, status=CommitteeStatus.REGISTERED
    )
    assert len(problems) == 2
    with pytest.raises(ValidationError):
        services.committee_set_status(committee=committee, status=CommitteeStatus.REGISTERED)


def test_registration_needs_a_leader_even_with_organisation_number():
    committee = CommitteeFactory(status=CommitteeStatus.CONSTITUTED)
    MembershipFactory(committee=committee, role=Role.BOARD_MEMBER)
    problems = services.committee_status_problems(
        committee=committee, status=CommitteeStatus.REGISTERED
    )
    assert problems == ["For å registrere utvalget må det ha en leder."]
    with pytest.raises(ValidationError):
        services.committee_set_status(committee=committee, status=CommitteeStatus.REGISTERED)


def test_registration_with_number_and_leader_sets_the_date():
    committee = CommitteeFactory(status=CommitteeStatus.CONSTITUTED, registered_on=None)
    MembershipFactory(committee=committee, role=Role.LEADER)
    services.committee_set_status(committee=committee, status=CommitteeStatus.REGISTERED)
    committee.refresh_from_db()
    assert committee.status == CommitteeStatus.REGISTERED
    assert committee.registered_on == TODAY()


def test_ended_leader_does_not_count_for_registration():
    committee = CommitteeFactory(status=CommitteeStatus.CONSTITUTED)
    MembershipFactory(
        committee=committee,
        role=Role.LEADER,
        term_start=datetime.date(2020, 1, 1),
        term_end=datetime.date(2021, 1, 1),
    )
    with pytest.raises(ValidationError):
        services.committee_set_status(committee=committee, status=CommitteeStatus.REGISTERED)


# --- Details --------------------------------------------------------------------------------------


def test_update_details_rejects_bad_email_and_saves_nothing():
    committee = CommitteeFactory(description="Før")
    with pytest.raises(ValidationError):
        services.committee_update_details(
            committee=committee,
            actor=None,
            description="Etter",
            area_description="",
            contact_email="not-an-email",
        )
    committee.refresh_from_db()
    assert committee.description == "Før"


# --- Following ------------------------------------------------------------------------------------


def test_follow_is_idempotent_and_unfollow_ends_it():
    committee, user = CommitteeFactory(), UserFactory()
    first = services.committee_follow(committee=committee, user=user)
    second = services.committee_follow(committee=committee, user=user)
    assert first.pk == second.pk
    assert first.role == Role.MEMBER
    services.committee_unfollow(committee=committee, user=user)
    assert not Membership.objects.current().filter(committee=committee, user=user).exists()


def test_unfollow_leaves_board_roles_alone():
    membership = MembershipFactory(role=Role.TREASURER)
    services.committee_unfollow(committee=membership.committee, user=membership.user)
    assert Membership.objects.current().filter(pk=membership.pk).exists()


def test_following_an_older_membership_ends_it_today():
    membership = MembershipFactory(role=Role.MEMBER, term_start=datetime.date(2024, 1, 1))
    services.committee_unfollow(committee=membership.committee, user=membership.user)
    membership.refresh_from_db()
    assert membership.term_end == TODAY()


# --- Board ----------------------------------------------------------------------------------------


def _add(committee, email, role=Role.BOARD_MEMBER, **kwargs):
    return services.membership_add(
        committee=committee,
        actor=None,
        email=email,
        role=role,
        represents=kwargs.get("represents", RepresentedGroup.YOUTH),
        term_start=kwargs.get("term_start", TODAY()),
        term_end=kwargs.get("term_end"),
    )


def test_add_board_member_by_email_case_insensitive():
    committee, user = CommitteeFactory(), UserFactory(email="kari@example.no")
    membership = _add(committee, "  KARI@example.no ")
    assert membership.user == user
    assert membership.represents == RepresentedGroup.YOUTH


def test_add_unknown_email_is_a_field_error():
    with pytest.raises(ValidationError) as error:
        _add(CommitteeFactory(), "nobody@example.no")
    assert "email" in error.value.message_dict


def test_second_leader_is_refused():
    committee = CommitteeFactory()
    MembershipFactory(committee=committee, role=Role.LEADER)
    with pytest.raises(ValidationError) as error:
        _add(committee, UserFactory().email, role=Role.LEADER)
    assert "role" in error.value.message_dict


def test_person_already_on_board_is_refused():
    membership = MembershipFactory(role=Role.SECRETARY)
    with pytest.raises(ValidationError):
        _add(membership.committee, membership.user.email)


def test_follower_joining_the_board_stops_being_a_follower():
    committee, user = CommitteeFactory(), UserFactory()
    services.committee_follow(committee=committee, user=user)
    _add(committee, user.email, role=Role.TREASURER)
    roles = set(
        Membership.objects.current()
        .filter(committee=committee, user=user)
        .values_list("role", flat=True)
    )
    assert roles == {Role.TREASURER}


def test_update_membership_role_and_term():
    membership = MembershipFactory(role=Role.BOARD_MEMBER)
    services.membership_update(
        membership=membership,
        actor=None,
        role=Role.DEPUTY_LEADER,
        represents=RepresentedGroup.ELDERLY,
        term_start=datetime.date(2024, 1, 1),
        term_end=datetime.date(2028, 1, 1),
    )
    membership.refresh_from_db()
    assert (membership.role, membership.represents) == (
        Role.DEPUTY_LEADER,
        RepresentedGroup.ELDERLY,
    )


def test_leader_cannot_change_own_role():
    membership = MembershipFactory(role=Role.LEADER)
    with pytest.raises(ValidationError):
        services.membership_update(
            membership=membership,
            actor=membership.user,
            role=Role.MEMBER,
            represents=membership.represents,
            term_start=membership.term_start,
            term_end=None,
        )


def test_end_membership_sets_term_end_today():
    membership = MembershipFactory(role=Role.BOARD_MEMBER)
    services.membership_end(membership=membership, actor=None)
    membership.refresh_from_db()
    assert membership.term_end == TODAY()
    assert not membership.is_current()


def test_end_membership_that_never_started_deletes_it():
    membership = MembershipFactory(role=Role.BOARD_MEMBER, term_start=TODAY())
    services.membership_end(membership=membership, actor=None)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_leader_cannot_end_own_membership():
    membership = MembershipFactory(role=Role.LEADER)
    with pytest.raises(ValidationError):
        services.membership_end(membership=membership, actor=membership.user)
    membership.refresh_from_db()
    assert membership.term_end is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_follows_create_one_membership():
    import threading

    from django.db import connection

    committee, user = CommitteeFactory(), UserFactory()
    barrier = threading.Barrier(8)
    errors = []

    def follow():
        try:
            barrier.wait()
            services.committee_follow(committee=committee, user=user)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=follow) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Membership.objects.filter(committee=committee, user=user).count() == 1
