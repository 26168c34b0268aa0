"""Both parties see each other's part (the verifier's walk, issue 11): a moved dugnad asks the
municipality again, a department without staff on the portal still reaches someone, the page
shows the municipality's note and when its answer is late, and a list never offers a place a
new sign-up cannot get."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from dugnads import selectors, services
from dugnads.models import ResourceState
from dugnads.services.resources import resource_answer
from notifications.models import Notification
from tests.factories import (
    DepartmentFactory,
    DugnadFactory,
    ResourceFactory,
    SignupFactory,
    UserFactory,
)


@pytest.fixture
def dugnad(committee, leader):
    dugnad = DugnadFactory(committee=committee, capacity=3)
    dugnad.organisers.add(leader)
    return dugnad


@pytest.fixture
def confirmed(dugnad, case_handler):
    resource = ResourceFactory(dugnad=dugnad, department=case_handler.department_staff.department)
    resource_answer(resource=resource, actor=case_handler, confirmed=True, answer="Fredag kl. 15.")
    return resource


def _asked(user) -> int:
    return Notification.objects.filter(recipient=user, kind="dugnad.resource_requested").count()


def test_a_new_time_asks_the_municipality_again_for_what_it_had_confirmed(
    dugnad, confirmed, leader, case_handler
):
    before = _asked(case_handler)
    services.dugnad_update(
        dugnad=dugnad,
        actor=leader,
        starts_at=dugnad.starts_at + datetime.timedelta(days=1),
        ends_at=dugnad.ends_at + datetime.timedelta(days=1),
    )
    confirmed.refresh_from_db()
    assert confirmed.state == ResourceState.REQUESTED and confirmed.answered_at is None
    assert confirmed.answer == "Fredag kl. 15."  # kept until the new answer replaces it
    assert _asked(case_handler) == before + 1
    notice = Notification.objects.filter(
        recipient=case_handler, kind="dugnad.resource_requested"
    ).latest("pk")
    assert notice.target_url == dugnad.get_absolute_url()


def test_a_new_capacity_alone_leaves_the_municipalitys_answers(
    dugnad, confirmed, leader, case_handler
):
    before = _asked(case_handler)
    services.dugnad_update(dugnad=dugnad, actor=leader, capacity=10)
    confirmed.refresh_from_db()
    assert confirmed.state == ResourceState.CONFIRMED
    assert _asked(case_handler) == before


def test_a_department_without_staff_on_the_portal_reaches_every_case_handler(dugnad, case_handler):
    ResourceFactory(dugnad=dugnad, department=DepartmentFactory())  # nobody works there here
    assert selectors.department_recipients(dugnad) == [case_handler]


def test_a_staffed_department_is_told_alone(dugnad, case_handler):
    other = UserFactory(is_staff=True)
    ResourceFactory(dugnad=dugnad, department=case_handler.department_staff.department)
    assert selectors.department_recipients(dugnad) == [case_handler]
    assert other not in selectors.department_recipients(dugnad)


def test_the_page_shows_the_municipalitys_note_and_a_late_answer(
    client, dugnad, confirmed, committee
):
    late = ResourceFactory(dugnad=dugnad, kind="tools", details="Raker")
    type(dugnad).objects.filter(pk=dugnad.pk).update(
        resources_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.cookies["nmu_language"] = "en"
    page = client.get(dugnad.get_absolute_url()).content.decode()
    assert "Fredag kl. 15." in page  # where and when the container comes
    row = page.split(f'data-resource="{late.pk}"')[1].split("</tr>")[0]
    assert "The municipality&#x27;s answer is overdue." in row or "answer is overdue" in row


def test_a_draft_says_sign_up_opens_when_published_and_nothing_is_asked_yet(
    client, committee, leader
):
    draft = DugnadFactory(committee=committee, state="draft", published_at=None)
    draft.organisers.add(leader)
    ResourceFactory(dugnad=draft, requested_at=None)
    client.force_login(leader)
    client.cookies["nmu_language"] = "en"
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "sign-up opens when the dugnad is published" in page
    assert "Not asked yet" in page and "has taken place" not in page


def test_while_people_wait_a_list_offers_no_free_place(dugnad):
    SignupFactory(dugnad=dugnad, party_size=2)
    SignupFactory(dugnad=dugnad, party_size=2, state="waitlisted", confirmed_at=None)
    annotated = selectors.with_people(type(dugnad).objects.filter(pk=dugnad.pk)).get()
    shown = Template("{% load dugnad_tags %}{{ d|places_left }}").render(Context({"d": annotated}))
    assert shown == "0"  # one place is free, but the waiting party of two comes first


def test_an_in_place_sign_up_updates_the_pages_places_and_needs_too(client, dugnad, resident):
    """htmx swaps the panel; the places and what is still needed come along out of band, so the
    page never says "1 place left" beside "the dugnad is full"."""
    from django.urls import reverse

    from tests.factories import NeedFactory

    need = NeedFactory(dugnad=dugnad, title="Raking", people=2)
    SignupFactory(dugnad=dugnad, party_size=2)
    client.force_login(resident)
    client.cookies["nmu_language"] = "en"
    response = client.post(
        reverse("dugnads:signup-create", kwargs={"pk": dugnad.pk}),
        {"party_size": "1", "need": str(need.pk)},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert 'id="signup"' in body
    places = body.split('hx-swap-oob="innerHTML:#places"')[1].split("</div>")[0]
    assert "Full" in places  # 3 of 3 places taken now
    needs = body.split('id="needs" hx-swap-oob="true"')[1].split("</section>")[0]
    assert 'data-missing="1"' in needs  # the resident's 1 of the 2 rakers
