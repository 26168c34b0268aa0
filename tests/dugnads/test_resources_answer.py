"""The municipality answers a dugnad's resource requests (``services.resources.resource_answer``):
who may, a decline's reason, the window (published, before the end; a change before the start),
the timeline entry and the organisers told once per answer."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from dugnads.models import DugnadEvent, Party, ResourceState, State
from dugnads.services.resources import resource_answer
from notifications.models import Notification
from tests.factories import DugnadFactory, ResourceFactory

pytestmark = pytest.mark.django_db

ANSWERED = "dugnad.resource_answered"


@pytest.fixture
def dugnad(committee, leader):
    dugnad = DugnadFactory(committee=committee)
    dugnad.organisers.add(leader)
    return dugnad


@pytest.fixture
def resource(dugnad, case_handler):
    return ResourceFactory(dugnad=dugnad, department=case_handler.department_staff.department)


def told(user) -> int:
    return Notification.objects.filter(recipient=user, kind=ANSWERED).count()


def test_a_case_handler_confirms_the_organisers_hear_and_the_timeline_says_so(
    resource, case_handler, leader, board_member
):
    answered = resource_answer(resource=resource, actor=case_handler, confirmed=True)
    resource.refresh_from_db()
    assert resource.state == ResourceState.CONFIRMED == answered.state
    assert resource.answered_by == case_handler and resource.answered_at
    event = DugnadEvent.objects.get(dugnad=resource.dugnad, kind=DugnadEvent.Kind.RESOURCE)
    assert event.actor == case_handler and event.actor_party == Party.MUNICIPALITY
    # The organiser (the leader) hears; the rest of the board does not (they are not organisers).
    assert told(leader) == 1 and told(board_member) == 0
    note = Notification.objects.get(recipient=leader, kind=ANSWERED)
    assert note.target_url == resource.dugnad.get_absolute_url()
    assert note.dedupe_key == f"dugnad:{resource.dugnad_id}:resource:{resource.pk}:event:{event.pk}"


def test_a_decline_needs_a_reason(resource, case_handler):
    for blank in ("", "   "):
        with pytest.raises(ValidationError) as error:
            resource_answer(resource=resource, actor=case_handler, confirmed=False, answer=blank)
        assert "answer" in error.value.message_dict
    resource.refresh_from_db()
    assert resource.state == ResourceState.REQUESTED
    assert not DugnadEvent.objects.filter(kind=DugnadEvent.Kind.RESOURCE).exists()
    resource_answer(resource=resource, actor=case_handler, confirmed=False, answer=" Ingen ledig. ")
    resource.refresh_from_db()
    assert resource.state == ResourceState.DECLINED and resource.answer == "Ingen ledig."


def test_too_long_an_answer_is_refused(resource, case_handler):
    with pytest.raises(ValidationError):
        resource_answer(resource=resource, actor=case_handler, confirmed=False, answer="x" * 2001)
    resource.refresh_from_db()
    assert resource.state == ResourceState.REQUESTED


@pytest.mark.parametrize(
    "role", ["resident", "leader", "board_member", "staff_without_group", "municipal_contact"]
)
def test_only_municipal_staff_answer(resource, role, request):
    with pytest.raises(ValidationError):
        resource_answer(resource=resource, actor=request.getfixturevalue(role), confirmed=True)
    resource.refresh_from_db()
    assert resource.state == ResourceState.REQUESTED


def test_a_case_handler_of_another_department_and_the_superuser_may_answer(
    dugnad, case_handler, superuser
):
    other = ResourceFactory(dugnad=dugnad)  # another department's line
    assert other.department != case_handler.department_staff.department
    resource_answer(resource=other, actor=case_handler, confirmed=True)
    resource_answer(resource=ResourceFactory(dugnad=dugnad), actor=superuser, confirmed=True)


@pytest.mark.parametrize("state", [State.DRAFT, State.CANCELLED, State.COMPLETED, State.REPORTED])
def test_only_while_the_dugnad_is_published(resource, case_handler, state):
    type(resource.dugnad).objects.filter(pk=resource.dugnad_id).update(state=state)
    with pytest.raises(ValidationError):
        resource_answer(resource=resource, actor=case_handler, confirmed=True)


def test_a_first_answer_until_the_end_a_change_until_the_start(resource, case_handler, leader):
    dugnad = resource.dugnad
    during = dugnad.starts_at + datetime.timedelta(hours=1)
    with time_machine.travel(during, tick=False):
        resource_answer(resource=resource, actor=case_handler, confirmed=True)  # late, still ok
        with pytest.raises(ValidationError):
            resource_answer(resource=resource, actor=case_handler, confirmed=False, answer="Nei")
    late = ResourceFactory(dugnad=dugnad)
    with time_machine.travel(dugnad.ends_at, tick=False), pytest.raises(ValidationError):
        resource_answer(resource=late, actor=case_handler, confirmed=True)
    resource.refresh_from_db()
    assert resource.state == ResourceState.CONFIRMED
    assert told(leader) == 1


def test_changing_the_answer_tells_the_organisers_again_the_same_answer_does_not(
    resource, case_handler, leader
):
    resource_answer(resource=resource, actor=case_handler, confirmed=True)
    resource_answer(resource=resource, actor=case_handler, confirmed=True)  # a double click
    assert told(leader) == 1
    resource_answer(
        resource=resource, actor=case_handler, confirmed=False, answer="Containeren er opptatt."
    )
    resource.refresh_from_db()
    assert resource.state == ResourceState.DECLINED
    assert told(leader) == 2
    assert DugnadEvent.objects.filter(kind=DugnadEvent.Kind.RESOURCE).count() == 2


@pytest.mark.postgres
def test_the_answer_is_given_under_the_dugnads_row_lock(resource, case_handler):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        resource_answer(resource=resource, actor=case_handler, confirmed=True)
    locked = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert any('FROM "dugnads_dugnad"' in sql for sql in locked)
