""" "Lag avtaleutkast" on a take-over proposal's page: the button only for staff who may draft,
on an accepted proposal without an agreement; its POST view makes the draft and sends the case
handler to it; the link to the agreement for those who may see it (the parties while it is a
draft, everyone once both have signed)."""

# ruff: noqa: F811 - the fixtures imported from drafting_helpers are the tests' arguments

import pytest
from django.urls import reverse

from agreements.models import Agreement, State
from tests.factories import AgreementFactory, DepartmentFactory

from .drafting_helpers import takeover  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

SECTION = 'id="proposal-agreement"'


def draft_url(proposal) -> str:
    return reverse("agreements:agreement-draft", kwargs={"reference": proposal.reference})


def page(client, proposal, user=None) -> str:
    if user is not None:
        client.force_login(user)
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_staff_who_may_draft_see_the_button(client, takeover, case_handler):
    html = page(client, takeover, case_handler)
    assert f'action="{draft_url(takeover)}"' in html
    assert 'name="department"' not in html  # the case names its department


def test_the_button_asks_for_a_department_when_the_case_has_none(client, takeover, case_handler):
    takeover.department = None
    takeover.save()
    html = page(client, takeover, case_handler)
    assert f'action="{draft_url(takeover)}"' in html and 'name="department"' in html


@pytest.mark.parametrize(
    "role",
    ["anonymous", "resident", "leader", "board_member", "staff_without_group", "municipal_contact"],
)
def test_nobody_else_sees_the_button(client, takeover, user_in_role, role):
    user = user_in_role(role)
    html = page(client, takeover, None if role == "anonymous" else user)
    assert draft_url(takeover) not in html and SECTION not in html


@pytest.mark.parametrize("change", [{"state": "in_review"}, {"kind": "idea"}])
def test_no_button_before_acceptance_or_on_another_kind(client, takeover, case_handler, change):
    for name, value in change.items():
        setattr(takeover, name, value)
    takeover.save()
    assert draft_url(takeover) not in page(client, takeover, case_handler)


@pytest.mark.parametrize(
    "role, sees",
    [
        ("anonymous", False),
        ("resident", False),
        ("other_committee_leader", False),
        ("board_member", True),
        ("leader", True),
        ("case_handler", True),
    ],
)
def test_a_draft_is_linked_for_the_parties_only(
    client, takeover, department, user_in_role, role, sees
):
    agreement = AgreementFactory(
        committee=takeover.committee, department=department, origin_proposal=takeover, state="draft"
    )
    user = user_in_role(role)
    html = page(client, takeover, None if role == "anonymous" else user)
    assert (f'href="{agreement.get_absolute_url()}"' in html) is sees
    assert draft_url(takeover) not in html  # drafted once


@pytest.mark.parametrize("role", ["anonymous", "resident", "other_committee_leader", "leader"])
def test_a_signed_agreement_is_linked_for_everyone(
    client, takeover, department, user_in_role, role
):
    agreement = AgreementFactory(
        committee=takeover.committee,
        department=department,
        origin_proposal=takeover,
        state="active",
    )
    user = user_in_role(role)
    html = page(client, takeover, None if role == "anonymous" else user)
    assert f'href="{agreement.get_absolute_url()}"' in html


def test_the_button_makes_the_draft_and_opens_it_in_the_admin(client, takeover, case_handler):
    client.force_login(case_handler)
    response = client.post(draft_url(takeover))
    agreement = Agreement.objects.get()
    assert agreement.origin_proposal == takeover and agreement.state == State.DRAFT
    assert agreement.tasks.get().kind == "flag_raising"
    assert response.status_code == 302
    assert response.url in (
        agreement.get_absolute_url(),
        f"/admin/agreements/agreement/{agreement.pk}/change/",
    )
    # Again: refused with the reason, back on the proposal; still one agreement.
    response = client.post(draft_url(takeover), follow=True)
    assert response.redirect_chain[-1][0] == takeover.get_absolute_url()
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    assert Agreement.objects.count() == 1


def test_the_department_chosen_on_the_page_is_used(client, takeover, case_handler):
    takeover.department = None
    takeover.save()
    other = DepartmentFactory()
    client.force_login(case_handler)
    client.post(draft_url(takeover), {"department": other.pk})
    assert Agreement.objects.get().department == other


def test_a_bad_department_gives_the_proposal_page_back(client, takeover, case_handler):
    client.force_login(case_handler)
    for value in ["999999", "x\x00y"]:
        response = client.post(draft_url(takeover), {"department": value})
        assert response.status_code == 302 and response.url == takeover.get_absolute_url()
    assert not Agreement.objects.exists()


def test_the_draft_view_refuses_others(client, takeover, leader, resident):
    url = draft_url(takeover)
    assert client.post(url).status_code == 302  # to the login page
    assert "login" in client.post(url).url or "logg-inn" in client.post(url).url
    for user in (leader, resident):
        client.force_login(user)
        assert client.post(url).status_code == 403
    assert client.get(url).status_code == 405
    assert not Agreement.objects.exists()


@pytest.mark.parametrize("reference", ["NMU-2000-9999", "x" * 30, "NMU\x00-2000-0001", "../etc"])
def test_an_unknown_or_crafted_reference_is_a_404(client, case_handler, reference):
    client.force_login(case_handler)
    url = reverse("agreements:agreement-draft", kwargs={"reference": "NMU-2000-0001"}).replace(
        "NMU-2000-0001", reference
    )
    assert client.post(url).status_code == 404
