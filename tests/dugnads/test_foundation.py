"""The dugnads app's foundation: the step table through the one service, sign-up and the waiting
list under the row lock (more in the other modules of this folder)."""

import pytest
from django.core.exceptions import ValidationError

from dugnads import services
from dugnads.models import DugnadEvent, SignupState, State
from notifications.models import Notification
from tests.factories import DugnadFactory, ResourceFactory, UserFactory


@pytest.fixture
def draft(committee, leader):
    dugnad = DugnadFactory(committee=committee, state=State.DRAFT, published_at=None, capacity=2)
    dugnad.organisers.add(leader)
    return dugnad


def test_the_leader_publishes_and_the_department_is_asked(draft, leader, case_handler):
    resource = ResourceFactory(
        dugnad=draft, department=case_handler.department_staff.department, requested_at=None
    )
    services.dugnad_publish(dugnad=draft, actor=leader)
    draft.refresh_from_db()
    resource.refresh_from_db()
    assert draft.state == State.PUBLISHED and draft.published_at and draft.sequence == 1
    assert resource.requested_at is not None
    assert Notification.objects.filter(
        recipient=case_handler, kind="dugnad.resource_requested"
    ).exists()
    assert DugnadEvent.objects.filter(dugnad=draft, to_state=State.PUBLISHED, actor=leader).exists()


def test_a_resident_cannot_publish(draft, resident):
    with pytest.raises(ValidationError):
        services.dugnad_publish(dugnad=draft, actor=resident)


def test_two_places_the_third_waits_and_is_promoted_when_one_cancels(draft, leader):
    services.dugnad_publish(dugnad=draft, actor=leader)
    a, b, c = (UserFactory() for _ in range(3))
    first = services.signup_create(dugnad=draft, user=a)
    services.signup_create(dugnad=draft, user=b)
    third = services.signup_create(dugnad=draft, user=c)
    assert first.state == SignupState.CONFIRMED and third.state == SignupState.WAITLISTED
    services.signup_cancel(signup=first)
    third.refresh_from_db()
    assert third.state == SignupState.CONFIRMED
    assert Notification.objects.filter(recipient=c, kind="dugnad.promoted").exists()


def test_one_person_signs_up_once(draft, leader, resident):
    services.dugnad_publish(dugnad=draft, actor=leader)
    services.signup_create(dugnad=draft, user=resident)
    with pytest.raises(ValidationError):
        services.signup_create(dugnad=draft, user=resident)


def test_reporting_without_hours_is_refused(draft, leader):
    """The step to "reported" is the report page's (it saves the hours first): taken alone,
    with no hours, it is refused."""
    from dugnads.models import Dugnad

    services.dugnad_publish(dugnad=draft, actor=leader)
    Dugnad.objects.filter(pk=draft.pk).update(state=State.COMPLETED)
    with pytest.raises(ValidationError):
        services.dugnad_transition(dugnad=draft, actor=leader, to_state=State.REPORTED)
    draft.refresh_from_db()
    assert draft.state == State.COMPLETED
