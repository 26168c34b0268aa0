"""The municipal staff's admin: changelists load, status changes go through the service."""

import pytest
from django.urls import reverse

from committees.models import Committee, CommitteeStatus, Role
from tests.factories import (
    CommitteeFactory,
    DepartmentStaffFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:committees_committee_changelist",
    "admin:committees_membership_changelist",
    "admin:committees_department_changelist",
    "admin:committees_departmentstaff_changelist",
    "admin:users_user_changelist",
]


@pytest.mark.parametrize("name", CHANGELISTS)
def test_superuser_sees_every_changelist(client, superuser, name):
    CommitteeFactory()
    MembershipFactory()
    DepartmentStaffFactory()
    client.force_login(superuser)
    assert client.get(reverse(name)).status_code == 200


def test_case_handler_sees_committees_but_not_user_changes(client, case_handler, committee):
    client.force_login(case_handler)
    assert client.get(reverse("admin:committees_committee_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:committees_committee_change", args=[committee.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:users_user_add")).status_code == 403


def test_resident_is_kept_out_of_the_admin(client, resident):
    client.force_login(resident)
    response = client.get(reverse("admin:committees_committee_changelist"))
    assert response.status_code == 302


def test_admin_changelist_search_and_filters(client, superuser):
    CommitteeFactory(name="Svarstad")
    CommitteeFactory(name="Kvelde", status=CommitteeStatus.FORMING, organisation_number="")
    client.force_login(superuser)
    url = reverse("admin:committees_committee_changelist")
    assert "Kvelde" not in client.get(url, {"q": "Svarstad"}).content.decode()
    assert "Svarstad" not in client.get(url, {"status__exact": "forming"}).content.decode()


def _change_data(committee, **overrides):
    data = {
        "name": committee.name,
        "slug": committee.slug,
        "parent": "",
        "status": committee.status,
        "contact_email": committee.contact_email,
        "organisation_number": committee.organisation_number,
        "registered_on": "",
        "description": committee.description,
        "area_description": "",
        "latitude": "",
        "longitude": "",
        "population": "",
        "population_0_19": "",
        "population_reference_date": "",
        "population_source": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_admin_refuses_registration_without_leader(client, superuser):
    committee = CommitteeFactory(status=CommitteeStatus.CONSTITUTED)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:committees_committee_change", args=[committee.pk]),
        _change_data(committee, status=CommitteeStatus.REGISTERED),
    )
    assert response.status_code == 200
    assert "For å registrere utvalget må det ha en leder." in response.content.decode()
    committee.refresh_from_db()
    assert committee.status == CommitteeStatus.CONSTITUTED


def test_admin_registers_committee_with_leader(client, superuser):
    committee = CommitteeFactory(status=CommitteeStatus.CONSTITUTED, registered_on=None)
    MembershipFactory(committee=committee, role=Role.LEADER)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:committees_committee_change", args=[committee.pk]),
        _change_data(committee, status=CommitteeStatus.REGISTERED),
    )
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.status == CommitteeStatus.REGISTERED
    assert committee.registered_on is not None


def test_mark_active_action_uses_the_rules(client, superuser):
    ok = CommitteeFactory(status=CommitteeStatus.REGISTERED)
    MembershipFactory(committee=ok, role=Role.LEADER)
    forming = CommitteeFactory(status=CommitteeStatus.FORMING, organisation_number="")
    client.force_login(superuser)
    client.post(
        reverse("admin:committees_committee_changelist"),
        {"action": "mark_active", "_selected_action": [ok.pk, forming.pk]},
    )
    assert Committee.objects.get(pk=ok.pk).status == CommitteeStatus.ACTIVE
    assert Committee.objects.get(pk=forming.pk).status == CommitteeStatus.FORMING


def test_changelist_query_count_does_not_grow(client, superuser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(superuser)
    url = reverse("admin:committees_membership_changelist")
    MembershipFactory.create_batch(10)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    MembershipFactory.create_batch(90)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_admin_gaps_in_djangos_catalogue_are_norwegian(client, superuser):
    client.force_login(superuser)
    body = client.get(reverse("admin:committees_committee_changelist")).content.decode()
    assert "Søk i" in body
    assert "Start typing to filter" not in body


def test_committee_changelist_shows_leader_and_board_size_in_constant_queries(client, superuser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(superuser)
    url = reverse("admin:committees_committee_changelist")
    committee = CommitteeFactory(name="Svarstad")
    MembershipFactory(committee=committee, role=Role.LEADER, user__full_name="Sverre Leder")
    MembershipFactory.create_batch(2, committee=committee, role=Role.BOARD_MEMBER)
    MembershipFactory(committee=committee, role=Role.MEMBER)
    with CaptureQueriesContext(connection) as small:
        body = client.get(url).content.decode()
    assert "Sverre Leder" in body
    assert '<td class="field-board_size">3</td>' in body
    for parent in CommitteeFactory.create_batch(50):
        MembershipFactory(committee=parent, role=Role.LEADER)
        CommitteeFactory(parent=parent)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_admin_clearing_organisation_number_of_registered_committee_is_a_form_error(
    client, superuser
):
    committee = CommitteeFactory(status=CommitteeStatus.ACTIVE)
    number = committee.organisation_number
    client.force_login(superuser)
    response = client.post(
        reverse("admin:committees_committee_change", args=[committee.pk]),
        _change_data(committee, organisation_number=""),
    )
    assert response.status_code == 200
    assert "Et registrert utvalg må ha et organisasjonsnummer." in response.content.decode()
    committee.refresh_from_db()
    assert committee.organisation_number == number


def test_add_page_shows_the_slug_help_as_text(client, superuser):
    """The admin renders help text as HTML: "/nmu/<slug>/" must not become a <slug> element."""
    client.force_login(superuser)
    body = client.get(reverse("admin:committees_committee_add")).content.decode()
    assert "/nmu/&lt;slug&gt;/" in body
    assert "<slug>" not in body
