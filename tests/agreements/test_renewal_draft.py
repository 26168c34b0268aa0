""" "Forny avtale" (``services.renewal.agreement_renew``): a numbered draft for the next period
(the day after the last day, the same length) copying the title, type, terms, tasks, what the
municipality provides, the estimates and the period's plan and duties shifted; municipal staff
who may draft only (the leader asks the department: documented in the module); one only."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Agreement, AgreementEvent, State
from agreements.services.renewal import agreement_renew
from tests.factories import PaymentFactory, ProvisionFactory, ReportDutyFactory, TaskFactory

from .payment_helpers import YEAR_END, agreement_for, at

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 10, 1)


@pytest.fixture
def active(committee, department):
    agreement = agreement_for(
        committee,
        department,
        state=State.EXPIRING,
        terms="Utvalget heiser flagget.",
        municipal_cost_per_year=30_000,
        municipal_cost_basis="60 timer × 500 kr",
        own_contribution_per_year=2_000,
        renewal="by_agreement",
        notice_months=2,
    )
    TaskFactory(agreement=agreement, pricing="per_occasion", amount=400, occasions_per_year=20)
    ProvisionFactory(agreement=agreement)
    PaymentFactory(agreement=agreement, due_on=YEAR_END, amount=25_000, description="2027")
    PaymentFactory(agreement=agreement, due_on=YEAR_END, amount=1_000, cancelled=True)
    ReportDutyFactory(agreement=agreement, title="Året", due_on=datetime.date(2028, 1, 15))
    return agreement


def renew(agreement, actor):
    with at(TODAY):
        return agreement_renew(agreement=agreement, actor=actor)


def test_a_draft_for_the_next_period_copying_the_terms(active, case_handler):
    draft = renew(active, case_handler)
    assert draft.state == State.DRAFT and draft.renews == active
    assert draft.number.startswith("AVT-2027-") and draft.number != active.number
    assert (draft.starts_on, draft.ends_on) == (
        datetime.date(2028, 1, 1),
        datetime.date(2028, 12, 31),
    )
    for name in (
        "title",
        "kind",
        "terms",
        "notice_months",
        "renewal",
        "committee_id",
        "department_id",
    ):
        assert getattr(draft, name) == getattr(active, name), name
    assert draft.municipal_cost_per_year == Decimal(30_000)
    assert draft.municipal_cost_basis == "60 timer × 500 kr"
    assert draft.own_contribution_per_year == Decimal(2_000)
    assert sorted(draft.tasks.values_list("pricing", "amount")) == sorted(
        active.tasks.values_list("pricing", "amount")
    )
    assert list(draft.provisions.values_list("description", flat=True)) == ["Flagg og vimpel"]
    assert list(draft.payments.values_list("due_on", "amount", "paid_on")) == [
        (datetime.date(2028, 12, 31), Decimal("25000.00"), None)  # not the cancelled one
    ]
    assert list(draft.report_duties.values_list("due_on", flat=True)) == [
        datetime.date(2029, 1, 15)
    ]
    assert draft.events.get().to_state == State.DRAFT
    line = active.events.get(kind=AgreementEvent.Kind.RENEWED)
    assert draft.number in line.message
    # The agreement itself is unchanged.
    active.refresh_from_db()
    assert (active.state, active.ends_on) == (State.EXPIRING, YEAR_END)


def test_a_second_renewal_draft_is_refused(active, case_handler):
    first = renew(active, case_handler)
    with pytest.raises(ValidationError) as error:
        renew(active, case_handler)
    assert first.number in str(error.value)
    assert Agreement.objects.filter(renews=active).count() == 1


@pytest.mark.parametrize(
    "role", ["anonymous", "resident", "leader", "board_member", "staff_without_group"]
)
def test_only_staff_who_draft_agreements(active, user_in_role, role):
    with pytest.raises(ValidationError):
        renew(active, user_in_role(role))
    assert not Agreement.objects.filter(renews=active).exists()


@pytest.mark.parametrize("state", [State.DRAFT, State.SENT, State.ENDED, State.TERMINATED])
def test_only_a_signed_agreement_still_running(active, case_handler, state):
    Agreement.objects.filter(pk=active.pk).update(state=state)
    with pytest.raises(ValidationError):
        renew(active, case_handler)


def test_a_period_of_odd_length_keeps_its_length_in_days(committee, department, case_handler):
    agreement = agreement_for(
        committee,
        department,
        starts_on=datetime.date(2027, 4, 15),
        ends_on=datetime.date(2027, 9, 20),
    )
    draft = renew(agreement, case_handler)
    assert draft.starts_on == datetime.date(2027, 9, 21)
    length = (agreement.ends_on - agreement.starts_on).days
    assert (draft.ends_on - draft.starts_on).days == length
