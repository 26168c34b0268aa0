"""The municipal contact's membership is ended by the municipality only (issue 10).

The leader's board table hides the "end" link for the contact, but the link's address is easy to
guess: a leader posting to ``membership-end`` for the contact gets the page back with the
municipality's words and the contact stays. The municipality (staff acting for it, or the
system) ends it through the same service.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from committees import services
from committees.models import Membership, Role

pytestmark = pytest.mark.django_db


def _contact_membership(committee, municipal_contact) -> Membership:
    return Membership.objects.get(
        committee=committee, user=municipal_contact, role=Role.MUNICIPAL_CONTACT
    )


def _end_url(membership: Membership) -> str:
    return reverse(
        "committees:membership-end",
        kwargs={"slug": membership.committee.slug, "pk": membership.pk},
    )


def test_leader_posting_to_end_the_contact_gets_the_page_back_and_the_contact_stays(
    client, committee, leader, municipal_contact
):
    membership = _contact_membership(committee, municipal_contact)
    client.force_login(leader)
    with translation.override("nb"):
        response = client.post(_end_url(membership), HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 400
    with translation.override("nb"):
        expected = str(services.MUNICIPAL_CONTACT_REFUSED_MESSAGE)
    assert response.context["error"] == expected
    assert "Det er kommunen som velger utvalgets kommunale kontaktperson" in expected
    assert expected in response.content.decode()
    membership.refresh_from_db()
    assert membership.term_end is None
    assert membership.is_current()


def test_the_service_refuses_a_leader_with_the_municipality_code(
    committee, leader, municipal_contact
):
    membership = _contact_membership(committee, municipal_contact)
    with pytest.raises(ValidationError) as refused:
        services.membership_end(membership=membership, actor=leader)
    assert refused.value.code == services.MUNICIPAL_CONTACT_REFUSED
    membership.refresh_from_db()
    assert membership.is_current()


def test_a_case_handler_for_the_municipality_can_end_it(committee, case_handler, municipal_contact):
    membership = _contact_membership(committee, municipal_contact)
    services.membership_end(membership=membership, actor=case_handler)
    assert not Membership.objects.current().filter(pk=membership.pk).exists()


def test_the_system_can_end_it(committee, municipal_contact):
    membership = _contact_membership(committee, municipal_contact)
    services.membership_end(membership=membership, actor=None)
    assert not Membership.objects.current().filter(pk=membership.pk).exists()


def test_anonymous_and_outsiders_cannot_reach_it(client, committee, resident, municipal_contact):
    membership = _contact_membership(committee, municipal_contact)
    response = client.post(_end_url(membership))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(resident)
    assert client.post(_end_url(membership)).status_code == 403
    membership.refresh_from_db()
    assert membership.is_current()


def test_the_leader_still_ends_an_ordinary_board_member(client, committee, leader, board_member):
    membership = Membership.objects.get(committee=committee, user=board_member)
    client.force_login(leader)
    response = client.post(_end_url(membership))
    assert response.status_code == 302
    assert not Membership.objects.current().filter(pk=membership.pk).exists()
