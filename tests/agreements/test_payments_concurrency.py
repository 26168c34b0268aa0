"""Two case handlers marking the same instalment paid at once (each on a connection of their own,
released together) record one payment, one timeline line and one notice each: the instalment is
read under its row lock (``payment_mark_paid``); without it both would pass the "not twice"
check."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from agreements import notifications as kinds
from agreements.models import AgreementEvent, Payment
from agreements.services.payments import payment_mark_paid
from tests.factories import PaymentFactory

from .payment_helpers import agreement_for, count

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _all_at_once(calls) -> list:
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


def test_two_at_once_record_one_payment(committee, department, case_handler, leader):
    agreement = agreement_for(
        committee,
        department,
        starts_on=timezone.localdate().replace(month=1, day=1),
        ends_on=timezone.localdate().replace(month=12, day=31),
    )
    payment = PaymentFactory(agreement=agreement)
    today = timezone.localdate()
    results = _all_at_once(
        [
            lambda voucher=voucher: payment_mark_paid(
                payment=payment, actor=case_handler, paid_on=today, voucher=voucher
            )
            for voucher in ("BILAG-A", "BILAG-B")
        ]
    )
    assert sorted(type(result).__name__ for result in results) == ["Payment", "ValidationError"]
    assert isinstance([r for r in results if not isinstance(r, Payment)][0], ValidationError)
    winner = next(result for result in results if isinstance(result, Payment))
    assert Payment.objects.get(pk=payment.pk).voucher == winner.voucher
    assert AgreementEvent.objects.filter(kind="payment_paid").count() == 1
    assert count(kinds.PAYMENT_PAID) == 1
