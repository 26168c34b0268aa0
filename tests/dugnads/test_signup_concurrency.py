"""20 people signing up at once for 5 places leave exactly 5 with a place (PostgreSQL, each
person on a connection of their own, all released by one barrier), and one person signing up
twice at once leaves one sign-up. Places are given under the dugnad's row lock
(``services.signups._lock``); without it this test sees more than 5 confirmed."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from dugnads import services
from dugnads.models import Signup, SignupState
from dugnads.selectors import waitlist_position
from tests.factories import DugnadFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _all_at_once(calls) -> list:
    """Run each call in its own thread (its own database connection), started together."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test looks at what each call got.
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_twenty_sign_ups_at_once_for_five_places_leave_exactly_five_confirmed():
    dugnad = DugnadFactory(capacity=5)
    people = [UserFactory() for _ in range(20)]
    results = _all_at_once(
        [
            lambda person=person: services.signup_create(dugnad=dugnad, user=person)
            for person in people
        ]
    )
    assert all(isinstance(result, Signup) for result in results), results
    states = list(Signup.objects.filter(dugnad=dugnad).values_list("state", flat=True))
    assert states.count(SignupState.CONFIRMED) == 5
    assert states.count(SignupState.WAITLISTED) == 15
    # The waiting list is in the order the sign-ups got the lock: positions 1..15, no gaps.
    waiting = Signup.objects.filter(dugnad=dugnad, state=SignupState.WAITLISTED)
    assert sorted(waitlist_position(signup=signup) for signup in waiting) == list(range(1, 16))


def test_parties_at_once_never_overfill_the_places():
    dugnad = DugnadFactory(capacity=5)
    people = [UserFactory() for _ in range(10)]
    _all_at_once(
        [
            lambda person=person: services.signup_create(dugnad=dugnad, user=person, party_size=2)
            for person in people
        ]
    )
    confirmed = Signup.objects.filter(dugnad=dugnad, state=SignupState.CONFIRMED)
    assert sum(confirmed.values_list("party_size", flat=True)) == 4  # two parties of 2; 1 free
    assert confirmed.count() == 2


def test_one_person_signing_up_twice_at_once_leaves_one_sign_up():
    dugnad = DugnadFactory(capacity=5)
    person = UserFactory()
    results = _all_at_once([lambda: services.signup_create(dugnad=dugnad, user=person)] * 2)
    assert sorted(type(result).__name__ for result in results) == ["Signup", "ValidationError"]
    assert isinstance(next(r for r in results if not isinstance(r, Signup)), ValidationError)
    assert Signup.objects.filter(dugnad=dugnad, user=person).count() == 1


def test_one_guest_address_twice_at_once_leaves_one_sign_up():
    dugnad = DugnadFactory(capacity=5)
    results = _all_at_once(
        [
            lambda email=email: services.signup_create(
                dugnad=dugnad, guest_name="Gjest", guest_email=email
            )
            for email in ["gjest@example.no", "GJEST@example.no"]
        ]
    )
    assert all(isinstance(result, Signup) for result in results), results
    assert Signup.objects.filter(dugnad=dugnad, user__isnull=True).count() == 1
