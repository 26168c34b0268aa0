"""Two signatures at once on PostgreSQL: the agreement's row lock makes them one after the other,
so one is recorded and the other is refused clearly. Each thread has its own connection."""

import threading

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection

from agreements.models import Agreement, AgreementEvent, Party, Signature, State
from agreements.services.signing import agreement_sign
from agreements.terms import terms_hash
from tests.factories import PASSWORD, AgreementFactory, TaskFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PARALLEL = 6


def _in_parallel(call, times: int) -> list:
    barrier = threading.Barrier(times)
    results: list = [None] * times

    def run(index):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test looks at what was raised
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_parallel_signatures_for_the_committee_record_one(committee, department, leader):
    agreement = AgreementFactory(committee=committee, department=department, state="sent")
    TaskFactory(agreement=agreement)
    shown = terms_hash(Agreement.objects.get(pk=agreement.pk))

    results = _in_parallel(
        lambda: agreement_sign(
            agreement=agreement,
            actor=type(leader).objects.get(pk=leader.pk),
            party=Party.COMMITTEE,
            password=PASSWORD,
            terms_sha256=shown,
        ),
        PARALLEL,
    )
    signed = [r for r in results if isinstance(r, Signature)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(signed) == 1 and len(refused) == PARALLEL - 1, results
    assert Signature.objects.filter(agreement=agreement).count() == 1
    assert Agreement.objects.get(pk=agreement.pk).state == State.SIGNED_COMMITTEE
    assert AgreementEvent.objects.filter(kind=AgreementEvent.Kind.SIGNED).count() == 1


def test_parallel_signatures_for_the_municipality_record_one(
    committee, department, leader, case_handler
):
    case_handler.user_permissions.add(Permission.objects.get(codename="sign_agreement"))
    agreement = AgreementFactory(committee=committee, department=department, state="sent")
    TaskFactory(agreement=agreement)
    shown = terms_hash(Agreement.objects.get(pk=agreement.pk))
    agreement_sign(
        agreement=agreement,
        actor=leader,
        party=Party.COMMITTEE,
        password=PASSWORD,
        terms_sha256=shown,
    )

    results = _in_parallel(
        lambda: agreement_sign(
            agreement=agreement,
            actor=type(case_handler).objects.get(pk=case_handler.pk),
            party=Party.MUNICIPALITY,
            password=PASSWORD,
            terms_sha256=shown,
        ),
        PARALLEL,
    )
    assert sum(isinstance(r, Signature) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == PARALLEL - 1, results
    assert Signature.objects.filter(agreement=agreement, party=Party.MUNICIPALITY).count() == 1
    assert Agreement.objects.get(pk=agreement.pk).state in {State.SIGNED_MUNICIPALITY, State.ACTIVE}
