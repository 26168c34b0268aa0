"""The waiting list (services.signups): first come, first served by whole parties; promotion when
a place is freed (a cancellation) or added (a raised capacity); the promoted person is told —
a resident by a notification, a guest by an e-mail row."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dugnads import services
from dugnads.models import GuestMail, Signup, SignupState, State
from dugnads.selectors import waitlist_position
from notifications.models import Notification
from tests.factories import DugnadFactory, SignupFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dugnad(committee, leader):
    dugnad = DugnadFactory(committee=committee, capacity=2)
    dugnad.organisers.add(leader)
    return dugnad


def _sign_up(dugnad, party_size=1):
    return services.signup_create(dugnad=dugnad, user=UserFactory(), party_size=party_size)


def _state(signup) -> str:
    signup.refresh_from_db()
    return signup.state


def test_a_cancellation_promotes_the_first_waiting_and_tells_them(dugnad):
    first, _second = _sign_up(dugnad), _sign_up(dugnad)
    third, fourth = _sign_up(dugnad), _sign_up(dugnad)
    assert (third.state, fourth.state) == (SignupState.WAITLISTED, SignupState.WAITLISTED)
    assert (waitlist_position(signup=third), waitlist_position(signup=fourth)) == (1, 2)

    services.signup_cancel(signup=first)

    assert _state(first) == SignupState.CANCELLED
    assert _state(third) == SignupState.CONFIRMED
    assert _state(fourth) == SignupState.WAITLISTED
    assert waitlist_position(signup=fourth) == 1
    assert Notification.objects.filter(recipient=third.user, kind="dugnad.promoted").count() == 1
    assert not Notification.objects.filter(recipient=fourth.user, kind="dugnad.promoted").exists()


def test_leaving_the_waiting_list_frees_no_place(dugnad):
    _sign_up(dugnad), _sign_up(dugnad)
    waiting, behind = _sign_up(dugnad), _sign_up(dugnad)
    services.signup_cancel(signup=waiting)
    assert _state(behind) == SignupState.WAITLISTED
    assert waitlist_position(signup=behind) == 1


def test_a_raised_capacity_promotes_as_many_as_fit(dugnad, leader):
    _sign_up(dugnad), _sign_up(dugnad)
    waiting = [_sign_up(dugnad) for _ in range(3)]
    services.dugnad_update(dugnad=dugnad, actor=leader, capacity=4)
    assert [_state(s) for s in waiting] == [
        SignupState.CONFIRMED,
        SignupState.CONFIRMED,
        SignupState.WAITLISTED,
    ]
    assert Notification.objects.filter(kind="dugnad.promoted").count() == 2


def test_no_limit_any_more_promotes_everyone_waiting(dugnad, leader):
    _sign_up(dugnad), _sign_up(dugnad)
    waiting = [_sign_up(dugnad) for _ in range(3)]
    services.dugnad_update(dugnad=dugnad, actor=leader, capacity=None)
    assert {_state(s) for s in waiting} == {SignupState.CONFIRMED}


def test_a_party_waiting_first_is_not_overtaken_by_a_smaller_one(dugnad):
    """The documented rule: a party of 3 waiting first blocks a party of 1 behind it, even with
    a place free that the 1 would fit."""
    first = _sign_up(dugnad)
    _sign_up(dugnad)
    family = _sign_up(dugnad, party_size=3)
    single = _sign_up(dugnad)
    services.signup_cancel(signup=first)  # one place free: the family of 3 does not fit
    assert _state(family) == SignupState.WAITLISTED
    assert _state(single) == SignupState.WAITLISTED
    assert (waitlist_position(signup=family), waitlist_position(signup=single)) == (1, 2)


def test_a_new_sign_up_waits_behind_the_waiting_list_even_if_it_fits(dugnad):
    first = _sign_up(dugnad)
    _sign_up(dugnad)
    family = _sign_up(dugnad, party_size=2)
    services.signup_cancel(signup=first)  # one place free, the family of 2 still waits
    newcomer = _sign_up(dugnad)
    assert newcomer.state == SignupState.WAITLISTED
    assert waitlist_position(signup=newcomer) == 2
    assert _state(family) == SignupState.WAITLISTED


def test_the_whole_party_gets_a_place_or_none(dugnad, leader):
    family = _sign_up(dugnad, party_size=3)
    assert family.state == SignupState.WAITLISTED  # 3 do not fit in 2
    services.dugnad_update(dugnad=dugnad, actor=leader, capacity=3)
    assert _state(family) == SignupState.CONFIRMED


def test_a_promoted_guest_gets_an_e_mail_row(dugnad):
    first = _sign_up(dugnad)
    _sign_up(dugnad)
    guest = services.signup_create(
        dugnad=dugnad, guest_name="Gro Gjest", guest_email="g@example.no"
    )
    services.signup_guest_confirm(signup=guest)
    assert _state(guest) == SignupState.WAITLISTED
    services.signup_cancel(signup=first)
    assert _state(guest) == SignupState.CONFIRMED
    mail = GuestMail.objects.get(signup=guest, kind="dugnad.promoted")
    assert mail.sent_at is None
    assert not Notification.objects.filter(kind="dugnad.promoted").exists()


def test_a_guest_queues_from_the_confirmation_not_the_form(dugnad):
    """The guest's place in the queue is when they confirmed: a resident who signed up in
    between is ahead of them."""
    _sign_up(dugnad), _sign_up(dugnad)
    guest = services.signup_create(
        dugnad=dugnad, guest_name="Gro Gjest", guest_email="g@example.no"
    )
    assert guest.state == SignupState.UNCONFIRMED
    resident = _sign_up(dugnad)
    guest = services.signup_guest_confirm(signup=guest)
    assert (waitlist_position(signup=resident), waitlist_position(signup=guest)) == (1, 2)


def test_an_unconfirmed_guest_holds_no_place(dugnad):
    services.signup_create(dugnad=dugnad, guest_name="Gro Gjest", guest_email="g@example.no")
    assert _sign_up(dugnad).state == SignupState.CONFIRMED
    assert _sign_up(dugnad).state == SignupState.CONFIRMED


def test_cancelling_on_a_cancelled_dugnad_promotes_nobody(dugnad, leader):
    first = _sign_up(dugnad)
    _sign_up(dugnad)
    waiting = _sign_up(dugnad)
    services.dugnad_cancel(dugnad=dugnad, actor=leader, reason="Storm")
    services.signup_cancel(signup=first)
    assert _state(waiting) == SignupState.WAITLISTED
    assert not Notification.objects.filter(kind="dugnad.promoted").exists()


def test_cancelling_twice_changes_nothing_and_after_the_start_is_refused(dugnad):
    signup = _sign_up(dugnad)
    services.signup_cancel(signup=signup)
    cancelled_at = Signup.objects.get(pk=signup.pk).cancelled_at
    services.signup_cancel(signup=signup)
    assert Signup.objects.get(pk=signup.pk).cancelled_at == cancelled_at

    started = DugnadFactory(
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        ends_at=timezone.now() + datetime.timedelta(hours=2),
    )
    there = SignupFactory(dugnad=started)
    with pytest.raises(ValidationError):
        services.signup_cancel(signup=there)
    assert _state(there) == SignupState.CONFIRMED


def test_a_resident_may_sign_up_again_after_cancelling(dugnad, resident):
    first = services.signup_create(dugnad=dugnad, user=resident)
    services.signup_cancel(signup=first)
    again = services.signup_create(dugnad=dugnad, user=resident)
    assert again.pk != first.pk and again.state == SignupState.CONFIRMED


def test_sign_up_is_closed_on_a_draft_after_the_deadline_and_after_the_start(committee):
    draft = DugnadFactory(committee=committee, state=State.DRAFT, published_at=None)
    late = DugnadFactory(
        committee=committee, signup_deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    for closed in (draft, late):
        with pytest.raises(ValidationError):
            _sign_up(closed)
    assert not Signup.objects.exists()
