""" "Lag avtaleutkast" in the proposals' review queue (agreements/admin_actions.py, through the
``proposals.admin_actions`` seam): on the list and on a case's page, for staff who may draft;
it calls the drafting service for each proposal, asks for a department when a case has none,
reports refusals, and opens the one draft made."""

# ruff: noqa: F811 - the fixtures imported from drafting_helpers are the tests' arguments

import pytest
from django.urls import reverse

from agreements import admin_actions
from agreements.models import Agreement
from agreements.services import drafting
from agreements.views.manage import admin_url
from tests.factories import DepartmentFactory, ProposalFactory

from .drafting_helpers import takeover  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

ACTION = "make_draft_agreement"
QUEUE = reverse("admin:proposals_proposal_changelist") + "?status_group=all"
CHANGE_FORM_ACTION = "CHANGE_FORM-action"


def change_url(proposal) -> str:
    return reverse("admin:proposals_proposal_change", args=[proposal.pk])


@pytest.fixture
def staff_client(client, case_handler):
    client.cookies["nmu_language"] = "en"
    client.force_login(case_handler)
    return client


def run(client, proposals, url=QUEUE, field="action", **data):
    return client.post(
        url, {field: ACTION, "_selected_action": [p.pk for p in proposals], "apply": "yes", **data}
    )


def action_names(response, field="action") -> list[str]:
    form = response.context["action_form"]
    return [name for name, _ in form.fields["action"].choices]


def test_the_action_is_on_the_list_and_on_the_cases_page(staff_client, takeover):
    assert ACTION in action_names(staff_client.get(QUEUE))
    page = staff_client.get(change_url(takeover))
    assert f'value="{ACTION}"' in page.content.decode()


def test_staff_who_may_not_draft_do_not_get_it(staff_client, takeover, monkeypatch):
    monkeypatch.setattr(admin_actions, "can_draft_agreements", lambda user: False)
    assert ACTION not in action_names(staff_client.get(QUEUE))
    assert f'value="{ACTION}"' not in staff_client.get(change_url(takeover)).content.decode()
    # Posting it anyway does nothing: the admin does not know the action for this user.
    run(staff_client, [takeover])
    assert not Agreement.objects.exists()


def test_the_action_drafts_and_opens_the_draft(staff_client, takeover):
    response = run(staff_client, [takeover])
    agreement = Agreement.objects.get()
    assert agreement.origin_proposal == takeover
    assert agreement.tasks.get().amount == 6000
    assert response.status_code == 302 and response.url == admin_url(agreement)


def test_from_the_cases_own_page(staff_client, takeover):
    response = run(staff_client, [takeover], url=change_url(takeover), field=CHANGE_FORM_ACTION)
    assert response.status_code == 302
    assert Agreement.objects.get().origin_proposal == takeover


def test_the_action_calls_the_service_for_each_proposal(
    staff_client, takeover, case_handler, committee, department, monkeypatch
):
    second = ProposalFactory(
        committee=committee, kind="takeover", state="accepted", department=department
    )
    calls = []
    real = drafting.draft_from_proposal

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(drafting, "draft_from_proposal", spy)
    response = run(staff_client, [takeover, second])
    assert sorted(c["proposal"].pk for c in calls) == sorted([takeover.pk, second.pk])
    assert all(c["actor"] == case_handler and c["department"] is None for c in calls)
    assert Agreement.objects.count() == 2
    assert response.status_code == 302 and response.url == QUEUE  # two: back to the list


def test_a_refused_proposal_is_reported_and_the_others_are_drafted(
    staff_client, takeover, committee, department
):
    idea = ProposalFactory(
        committee=committee, kind="idea", state="accepted", department=department
    )
    run(staff_client, [takeover, idea])
    assert list(Agreement.objects.values_list("origin_proposal", flat=True)) == [takeover.pk]
    shown = [(m.level_tag, str(m)) for m in staff_client.get(QUEUE).context["messages"]]
    assert any(level == "error" and idea.reference in text for level, text in shown)
    assert any(level == "success" for level, _ in shown)


def test_a_case_without_a_department_asks_for_one_first(staff_client, takeover):
    takeover.department = None
    takeover.save()
    chosen = DepartmentFactory()
    form_page = staff_client.post(QUEUE, {"action": ACTION, "_selected_action": [takeover.pk]})
    assert form_page.status_code == 200 and "department" in form_page.context["form"].fields
    assert not Agreement.objects.exists()
    bad = run(staff_client, [takeover], department="x\x00")
    assert bad.status_code == 200 and bad.context["form"].errors["department"]
    assert not Agreement.objects.exists()
    response = run(staff_client, [takeover], department=chosen.pk)
    agreement = Agreement.objects.get()
    assert agreement.department == chosen and response.url == admin_url(agreement)
