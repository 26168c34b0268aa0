"""``proposals.admin_actions``: a higher app adds an action to the proposals' review queue
without proposals naming it (agreements' "Lag avtaleutkast" is one). The queue asks the registry
on each request; an action's ``allowed(request)``, its ``@admin.action`` permissions and its
location (the list, the case's page) decide where and to whom it shows; it runs like the queue's
own actions."""

import pytest
from django.contrib import admin
from django.urls import reverse

from core.admin import BOTH_PLACES
from proposals import admin_actions
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:proposals_proposal_changelist") + "?status_group=all"
RAN: list[int] = []


@admin.action(description="Seam test: mark", location=BOTH_PLACES)
def seam_test_mark(modeladmin, request, queryset):
    RAN.extend(p.pk for p in queryset)


@admin.action(description="Seam test: list only")
def seam_test_list_only(modeladmin, request, queryset):
    RAN.extend(p.pk for p in queryset)


@admin.action(description="Seam test: needs delete", permissions=["delete"])
def seam_test_needs_delete(modeladmin, request, queryset):
    RAN.extend(p.pk for p in queryset)


@pytest.fixture
def registered():
    """Register the test's actions; take them away afterwards (the registry is the process's)."""
    allowed = {"value": True}
    admin_actions.register(seam_test_mark, allowed=lambda request: allowed["value"])
    admin_actions.register(seam_test_list_only)
    admin_actions.register(seam_test_needs_delete)
    RAN.clear()
    yield allowed
    for function in (seam_test_mark, seam_test_list_only, seam_test_needs_delete):
        admin_actions.unregister(function.__name__)


@pytest.fixture
def staff_client(client, case_handler):
    client.force_login(case_handler)
    return client


def choices(response) -> list[str]:
    return [name for name, _ in response.context["action_form"].fields["action"].choices]


def test_a_registered_action_shows_and_runs_on_the_list(staff_client, registered, committee):
    proposal = ProposalFactory(committee=committee)
    names = choices(staff_client.get(QUEUE))
    assert "seam_test_mark" in names and "seam_test_list_only" in names
    assert "acknowledge" in names  # the queue's own are still there
    assert "seam_test_needs_delete" not in names  # the queue refuses deleting to everyone
    response = staff_client.post(
        QUEUE, {"action": "seam_test_mark", "_selected_action": [proposal.pk]}
    )
    assert response.status_code == 302 and RAN[:] == [proposal.pk]


def test_allowed_decides_who_sees_it_and_who_can_run_it(staff_client, registered, committee):
    proposal = ProposalFactory(committee=committee)
    registered["value"] = False
    assert "seam_test_mark" not in choices(staff_client.get(QUEUE))
    staff_client.post(QUEUE, {"action": "seam_test_mark", "_selected_action": [proposal.pk]})
    assert not RAN


def test_the_location_decides_the_place(staff_client, registered, committee):
    proposal = ProposalFactory(committee=committee)
    page = staff_client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk]))
    html = page.content.decode()
    assert 'value="seam_test_mark"' in html
    assert 'value="seam_test_list_only"' not in html


def test_registering_again_replaces(registered):
    before = admin_actions.names()
    admin_actions.register(seam_test_list_only)
    assert admin_actions.names() == before
    assert before.count("seam_test_list_only") == 1
