"""The department's work list (the resource admin): ordered by the answer deadline, opening on
the user's own department, the overdue ones marked in words; and the municipality's answers —
"Confirm" and "Decline (with reason)" — from the list and from a request's own page, through the
admin's own two steps (the form, then ``apply``), each request answered by the service."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dugnads.models import ResourceState, State
from notifications.models import Notification
from tests.factories import DepartmentStaffFactory, DugnadFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db

WORK_LIST = reverse("admin:dugnads_resource_changelist")
CHANGE_FORM_ACTION = "CHANGE_FORM-action"
ANSWERED = "dugnad.resource_answered"


def change(resource) -> str:
    return reverse("admin:dugnads_resource_change", args=[resource.pk])


def result_pks(response) -> list[int]:
    return [obj.pk for obj in response.context["cl"].result_list]


@pytest.fixture
def staff_client(client, case_handler):
    client.cookies["nmu_language"] = "en"
    client.force_login(case_handler)
    return client


@pytest.fixture
def mine(case_handler):
    return case_handler.department_staff.department


@pytest.fixture
def dugnad(committee, leader):
    dugnad = DugnadFactory(committee=committee, title="Strandrydding")
    dugnad.organisers.add(leader)
    return dugnad


def run_action(client, action, resources, url=WORK_LIST, **data):
    return client.post(
        url,
        {"action": action, "_selected_action": [r.pk for r in resources], "apply": "yes", **data},
    )


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


# --- The work list --------------------------------------------------------------------------------


def test_the_work_list_opens_on_my_department_by_the_answer_deadline(staff_client, mine, committee):
    today = timezone.localdate()

    def request(days_due, department=mine, **kwargs):
        dugnad = DugnadFactory(committee=committee)
        type(dugnad).objects.filter(pk=dugnad.pk).update(
            resources_due=today + datetime.timedelta(days=days_due)
        )
        return ResourceFactory(dugnad=dugnad, department=department, **kwargs)

    later, sooner = request(9), request(2)
    overdue = request(-1)
    answered = request(-3, state=ResourceState.CONFIRMED)
    elsewhere = request(1, department=DepartmentStaffFactory().user.department_staff.department)

    response = staff_client.get(WORK_LIST)
    assert result_pks(response) == [answered.pk, overdue.pk, sooner.pk, later.pk]
    assert set(result_pks(staff_client.get(WORK_LIST, {"department": "all"}))) == {
        answered.pk,
        overdue.pk,
        sooner.pk,
        later.pk,
        elsewhere.pk,
    }
    assert result_pks(staff_client.get(WORK_LIST, {"department": elsewhere.department_id})) == [
        elsewhere.pk
    ]
    assert result_pks(staff_client.get(WORK_LIST, {"overdue": "yes"})) == [overdue.pk]
    assert result_pks(staff_client.get(WORK_LIST, {"state__exact": "requested"})) == [
        overdue.pk,
        sooner.pk,
        later.pk,
    ]
    body = response.content.decode()
    assert body.count("<strong>Overdue</strong>") == 1  # in words, not colour; not the answered
    for params in [{"department": "x"}, {"overdue": "maybe"}, {"kind__exact": "container"}]:
        assert staff_client.get(WORK_LIST, params).status_code == 200


def test_a_drafts_lines_are_not_on_the_work_list_until_it_is_published(
    staff_client, mine, committee
):
    draft = DugnadFactory(committee=committee, state=State.DRAFT, published_at=None)
    line = ResourceFactory(dugnad=draft, department=mine, requested_at=None)
    assert result_pks(staff_client.get(WORK_LIST, {"department": "all"})) == []
    assert staff_client.get(change(line)).status_code == 302  # not found here: to the list


def test_a_superuser_outside_any_department_sees_every_department(client, superuser, dugnad):
    first, second = ResourceFactory(dugnad=dugnad), ResourceFactory(dugnad=dugnad)
    client.force_login(superuser)
    assert set(result_pks(client.get(WORK_LIST))) == {first.pk, second.pk}


# --- Confirm and decline --------------------------------------------------------------------------


def test_confirm_from_the_list_through_the_service(staff_client, dugnad, mine, leader):
    resources = [ResourceFactory(dugnad=dugnad, department=mine) for _ in range(2)]
    page = staff_client.post(
        WORK_LIST, {"action": "confirm", "_selected_action": [r.pk for r in resources]}
    )
    assert page.status_code == 200 and "answer" in page.context["form"].fields
    response = run_action(staff_client, "confirm", resources, answer="Settes ut fredag.")
    assert response.status_code == 302
    for resource in resources:
        resource.refresh_from_db()
        assert resource.state == ResourceState.CONFIRMED
        assert resource.answer == "Settes ut fredag."
    assert Notification.objects.filter(recipient=leader, kind=ANSWERED).count() == 2
    followed = staff_client.get(response.url)
    assert ("success", "2 resource requests confirmed.") in messages_of(followed)


def test_decline_needs_a_reason_the_form_comes_back(staff_client, dugnad, mine, leader):
    resource = ResourceFactory(dugnad=dugnad, department=mine)
    for reason in ["", "   ", "Nei\x00takk", "x" * 2001]:
        page = run_action(staff_client, "decline", [resource], answer=reason)
        assert page.status_code == 200, reason
        assert page.context["form"].errors["answer"], reason
    resource.refresh_from_db()
    assert resource.state == ResourceState.REQUESTED
    assert not Notification.objects.filter(kind=ANSWERED).exists()
    response = run_action(staff_client, "decline", [resource], answer="Ingen ledig container.")
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.state == ResourceState.DECLINED
    assert resource.answer == "Ingen ledig container."
    assert Notification.objects.filter(recipient=leader, kind=ANSWERED).count() == 1


def test_answered_from_the_requests_own_page(staff_client, dugnad, mine):
    resource = ResourceFactory(dugnad=dugnad, department=mine)
    url = change(resource)
    page = staff_client.get(url)
    assert f'name="{CHANGE_FORM_ACTION}"' in page.content.decode()
    form = staff_client.post(
        url, {CHANGE_FORM_ACTION: "decline", "_selected_action": [resource.pk], "index": "0"}
    )
    assert form.status_code == 200
    assert f'name="{CHANGE_FORM_ACTION}" value="decline"' in form.content.decode()
    response = staff_client.post(
        url,
        {
            CHANGE_FORM_ACTION: "decline",
            "_selected_action": [resource.pk],
            "apply": "yes",
            "answer": "Veien kan ikke stenges den dagen.",
        },
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.state == ResourceState.DECLINED


def test_one_that_cannot_be_answered_is_reported_the_others_are_answered(
    staff_client, dugnad, mine, committee
):
    cancelled = DugnadFactory(committee=committee, state=State.CANCELLED, title="Avlyst dugnad")
    refused = ResourceFactory(dugnad=cancelled, department=mine)
    fine = ResourceFactory(dugnad=dugnad, department=mine)
    response = run_action(staff_client, "confirm", [refused, fine], answer="")
    shown = messages_of(staff_client.get(response.url))
    assert any(level == "error" and "Avlyst dugnad" in text for level, text in shown)
    assert ("success", "1 resource request confirmed.") in shown
    refused.refresh_from_db()
    fine.refresh_from_db()
    assert refused.state == ResourceState.REQUESTED and fine.state == ResourceState.CONFIRMED


def test_nobody_edits_a_request_in_the_admin(staff_client, dugnad, mine):
    resource = ResourceFactory(dugnad=dugnad, department=mine)
    response = staff_client.post(change(resource), {"details": "Endret", "_save": "Save"})
    assert response.status_code == 403
    resource.refresh_from_db()
    assert resource.details == "En container, 10 m³"


def test_staff_without_the_group_cannot_answer(client, dugnad, staff_without_group):
    resource = ResourceFactory(
        dugnad=dugnad, department=staff_without_group.department_staff.department
    )
    client.force_login(staff_without_group)
    assert run_action(client, "confirm", [resource]).status_code == 403
    resource.refresh_from_db()
    assert resource.state == ResourceState.REQUESTED


def test_an_answer_permission_alone_does_not_make_someone_the_municipality(client, dugnad):
    """A staff user given the model permissions by hand but not municipal staff (no
    ``committees.handle_cases``): the actions are not offered, and a posted one does nothing."""
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="dugnads",
            codename__in=["view_resource", "change_resource", "answer_resource"],
        )
    )
    resource = ResourceFactory(dugnad=dugnad)
    client.force_login(user)
    page = client.get(WORK_LIST)
    assert page.status_code == 200 and 'value="confirm"' not in page.content.decode()
    run_action(client, "confirm", [resource])
    resource.refresh_from_db()
    assert resource.state == ResourceState.REQUESTED
