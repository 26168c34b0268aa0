"""The committee page: higher apps' sections through the page's seam, and board members shown by
their public name, never their e-mail address."""

from pathlib import Path

import pytest
from django.conf import settings

from committees.models import Role
from committees.sections import committee_page
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TEMPLATE = Path(settings.BASE_DIR) / "templates" / "committees" / "committee_detail.html"


@pytest.fixture
def nameless(committee):
    user = UserFactory(email="uten.navn@example.no", full_name="")
    MembershipFactory(committee=committee, user=user, role=Role.BOARD_MEMBER)
    return user


def test_a_board_member_without_a_name_never_shows_their_email(client, committee, nameless):
    body = client.get(committee.get_absolute_url()).content.decode()
    assert "uten.navn@example.no" not in body
    assert "En innbygger" in body


def test_nor_to_the_leader_managing_the_board(client, committee, leader, nameless):
    client.force_login(leader)
    body = client.get(committee.get_absolute_url()).content.decode()
    assert "Avslutt medlemskap" in body  # the leader's tools are on the page
    assert "uten.navn@example.no" not in body


def test_the_page_names_no_higher_app():
    source = TEMPLATE.read_text()
    assert "proposal" not in source
    assert "committee_page_sections" in source


def test_proposals_fill_both_slots_and_dugnads_follow_in_main():
    names = {
        slot: [s.template_name for s in committee_page.sections(slot)] for slot in ("top", "main")
    }
    assert names == {
        "top": ["proposals/_committee_board_inbox.html", "grants/_annual_report_section.html"],
        "main": [
            "proposals/_committee_proposals.html",
            "dugnads/_committee_dugnads.html",
            "dugnads/_figures.html",
            "agreements/_committee_agreements.html",
            "grants/_committee_grants.html",
        ],
    }


def test_a_registered_section_appears_on_the_page(client, committee, monkeypatch):
    monkeypatch.setattr(committee_page, "_sections", list(committee_page._sections))
    committee_page.register(
        "main",
        "committees/_status.html",
        lambda context, obj: {"status": "x", "label": f"Seksjon for {obj.name}"},
    )
    body = client.get(committee.get_absolute_url()).content.decode()
    assert f"Seksjon for {committee.name}" in body
