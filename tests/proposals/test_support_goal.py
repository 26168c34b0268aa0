"""A committee's support goal: set by its leader on the committee's edit page, shown on its
proposals next to the count."""

import pytest
from django.urls import reverse

from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_leader_sets_a_support_goal_and_proposals_show_it(client, committee, leader):
    client.force_login(leader)
    response = client.post(
        reverse("committees:committee-edit", kwargs={"slug": committee.slug}),
        {
            "description": "Ny tekst",
            "area_description": "",
            "contact_email": "ny@example.no",
            "support_goal": "50",
        },
    )
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.support_goal == 50
    proposal = ProposalFactory(committee=committee, supports_count=12)
    client.cookies["nmu_language"] = "en"
    body = client.get(proposal.get_absolute_url()).content.decode()
    assert "12 of 50 supports" in body


def test_support_goal_must_be_a_sensible_number(client, committee, leader):
    client.force_login(leader)
    response = client.post(
        reverse("committees:committee-edit", kwargs={"slug": committee.slug}),
        {"description": "", "area_description": "", "contact_email": "", "support_goal": "-3"},
    )
    assert response.status_code == 200
    committee.refresh_from_db()
    assert committee.support_goal is None
