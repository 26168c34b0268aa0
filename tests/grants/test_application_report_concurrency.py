"""Two case handlers approving the same report at once (each on a connection of their own,
released together) create one payment and one "payment created" line: the application is read
under its row lock (``report_approve``); without it both would pass the "not twice" check."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from agreements.models import Payment
from grants.models import Application, ApplicationEvent
from grants.services import application_reports as reports

from .test_application_report_helpers import granted_fixture, save  # noqa: F401

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


def test_two_approvals_at_once_make_one_payment(granted, leader, case_handler):
    save(granted, leader)
    reports.report_submit(application=granted, actor=leader)
    stale = Application.objects.get(pk=granted.pk)  # both read it before either approves
    results = _all_at_once(
        [lambda: reports.report_approve(application=stale, actor=case_handler)] * 2
    )
    assert sorted(type(result).__name__ for result in results) == ["Application", "ValidationError"]
    assert any(isinstance(result, ValidationError) for result in results)
    assert Payment.objects.count() == 1
    assert ApplicationEvent.objects.filter(kind=ApplicationEvent.Kind.PAYMENT_CREATED).count() == 1
