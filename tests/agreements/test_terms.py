"""The terms and their hash: what is in them, what is not, and who may change them when."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements import services
from agreements.models import Agreement, AgreementEvent, Task
from agreements.terms import canonical_terms, terms_hash
from tests.factories import PaymentFactory, ProvisionFactory, ReportDutyFactory

pytestmark = pytest.mark.django_db


def test_the_same_terms_give_the_same_hash_whatever_the_language(draft):
    from django.utils import translation

    with translation.override("en"):
        english = terms_hash(draft)
    with translation.override("nb"):
        norwegian = terms_hash(Agreement.objects.get(pk=draft.pk))
    assert english == norwegian
    assert len(english) == 64
    # Amounts are decimal strings with two places, never floats.
    assert '"amount":"6000.00"' in canonical_terms(draft)


@pytest.mark.parametrize(
    "change",
    [
        lambda a: Task.objects.filter(agreement=a).update(amount=Decimal("6000.01")),
        lambda a: Task.objects.filter(agreement=a).update(locations="Torget\nKirka"),
        lambda a: ProvisionFactory(agreement=a),
        lambda a: PaymentFactory(agreement=a),
        lambda a: ReportDutyFactory(agreement=a),
        lambda a: Agreement.objects.filter(pk=a.pk).update(notice_months=6),
        lambda a: Agreement.objects.filter(pk=a.pk).update(
            ends_on=a.ends_on - datetime.timedelta(days=1)
        ),
        lambda a: Agreement.objects.filter(pk=a.pk).update(terms="Andre vilkår."),
    ],
)
def test_every_term_is_in_the_hash(draft, change):
    before = terms_hash(draft)
    change(draft)
    assert terms_hash(Agreement.objects.get(pk=draft.pk)) != before


def test_what_is_not_a_term_leaves_the_hash(draft):
    payment = PaymentFactory(agreement=draft)
    before = terms_hash(draft)
    payment.paid_on, payment.voucher = timezone.localdate(), "B-1"
    payment.save()
    PaymentFactory(agreement=draft, source="report")  # from a report: not the plan
    Agreement.objects.filter(pk=draft.pk).update(
        municipal_cost_per_year=99_000, own_contribution_per_year=1_000, state="sent"
    )
    assert terms_hash(Agreement.objects.get(pk=draft.pk)) == before


def test_a_change_of_terms_is_on_the_timeline_and_in_the_history(draft, case_handler):
    task = draft.tasks.get()
    services.task_save(agreement=draft, actor=case_handler, pk=task.pk, amount=Decimal(7_000))
    assert draft.events.filter(kind=AgreementEvent.Kind.TERMS_CHANGED).count() == 1
    amounts = [h.amount for h in task.history.order_by("history_date")]
    assert amounts == [Decimal(6_000), Decimal(7_000)]  # the old sum is kept
    # Saving the same values again is no change of terms.
    services.task_save(agreement=draft, actor=case_handler, pk=task.pk, amount=Decimal(7_000))
    assert draft.events.filter(kind=AgreementEvent.Kind.TERMS_CHANGED).count() == 1


@pytest.mark.parametrize("role", ["leader", "board_member", "resident", "staff_without_group"])
def test_only_municipal_staff_change_terms(draft, role, user_in_role):
    task = draft.tasks.get()
    with pytest.raises(ValidationError):
        services.task_save(agreement=draft, actor=user_in_role(role), pk=task.pk, amount=1)
    assert Task.objects.get(pk=task.pk).amount == Decimal(6_000)


@pytest.mark.parametrize("state", ["signed_municipality", "active", "expiring", "ended"])
def test_terms_are_locked_once_both_have_signed(draft, case_handler, state):
    Agreement.objects.filter(pk=draft.pk).update(state=state)
    with pytest.raises(ValidationError):
        services.agreement_update(agreement=draft, actor=case_handler, title="Nytt navn")
    with pytest.raises(ValidationError):
        services.task_save(agreement=draft, actor=case_handler, kind="other", amount=1)
    assert draft.tasks.count() == 1


def test_a_bad_line_saves_nothing(draft, case_handler):
    with pytest.raises(ValidationError):
        services.task_save(
            agreement=draft, actor=case_handler, kind="other", pricing="per_occasion"
        )
    assert draft.tasks.count() == 1
    assert not draft.events.filter(kind=AgreementEvent.Kind.TERMS_CHANGED).exists()


def test_the_number_is_taken_per_year_in_order(committee, department, case_handler):
    first = services.agreement_create(
        committee=committee, department=department, actor=case_handler, title="A"
    )
    second = services.agreement_create(
        committee=committee, department=department, actor=case_handler, title="B"
    )
    year = timezone.localdate().year
    assert first.number == f"AVT-{year}-001"
    assert second.number == f"AVT-{year}-002"


def test_only_staff_draft_agreements(committee, department, leader):
    with pytest.raises(ValidationError):
        services.agreement_create(
            committee=committee, department=department, actor=leader, title="A"
        )
    assert not Agreement.objects.exists()
