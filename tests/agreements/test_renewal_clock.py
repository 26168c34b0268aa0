"""The agreement's own clock (``services.renewal.agreements_follow_up``, daily): in force on its
first day, the notice period (both parties told), and at the end — ended, renewed automatically
(the period extended, the plan and duties copied to the new period, both told) or renewed by a
signed successor. Each once; a run missed is caught up; a terminated agreement is left alone."""

import datetime
import importlib
from decimal import Decimal

import pytest

from agreements import notifications as kinds
from agreements.models import Agreement, DutyState, Payment, ReportDuty, State
from agreements.services.renewal import agreement_renew, agreements_follow_up, notice_starts
from agreements.tasks import follow_up
from tests.factories import PaymentFactory, ReportDutyFactory

from .payment_helpers import YEAR_END, agreement_for, at, count, told

pytestmark = pytest.mark.django_db

NOTICE = datetime.date(2027, 9, 30)  # 31 December − 3 months
AFTER = datetime.date(2028, 1, 1)
NOTHING = {"activated": 0, "notice": 0, "succeeded": 0, "renewed": 0, "ended": 0}


def run(today: datetime.date) -> dict[str, int]:
    with at(today):
        return agreements_follow_up(today=today)


def moved(**counts) -> dict[str, int]:
    return {**NOTHING, **counts}


def state_of(agreement) -> str:
    return Agreement.objects.get(pk=agreement.pk).state


@pytest.fixture
def active(committee, department, leader, case_handler):
    agreement = agreement_for(committee, department)
    PaymentFactory(agreement=agreement, due_on=datetime.date(2027, 6, 30), amount=12_500)
    PaymentFactory(agreement=agreement, due_on=YEAR_END, amount=12_500)
    ReportDutyFactory(agreement=agreement, title="Året", due_on=datetime.date(2028, 1, 15))
    return agreement


def test_the_notice_period_starts_months_before_the_end_and_both_are_told(
    active, leader, case_handler
):
    assert notice_starts(active) == NOTICE
    assert run(NOTICE - datetime.timedelta(days=1)) == NOTHING
    assert run(NOTICE) == moved(notice=1)
    assert state_of(active) == State.EXPIRING
    assert told(kinds.NOTICE_PERIOD) == {leader.email, case_handler.email}
    assert run(NOTICE) == NOTHING
    assert count(kinds.NOTICE_PERIOD) == 2


def test_a_missed_notice_run_is_caught_up(active, leader):
    assert run(datetime.date(2027, 11, 20)) == moved(notice=1)
    assert state_of(active) == State.EXPIRING


def test_expiry_ends_it_after_its_last_day_and_cancels_what_was_due_after(
    active, leader, case_handler
):
    run(NOTICE)
    late = PaymentFactory(agreement=active, due_on=datetime.date(2028, 2, 1))
    assert run(YEAR_END) == NOTHING  # the last day is still in the period
    assert run(AFTER) == moved(ended=1)
    assert state_of(active) == State.ENDED
    assert told(kinds.ENDED) == {leader.email, case_handler.email}
    assert Payment.objects.get(pk=late.pk).cancelled
    assert ReportDuty.objects.get(agreement=active).state == DutyState.CANCELLED
    assert run(AFTER) == NOTHING and run(datetime.date(2028, 1, 2)) == NOTHING
    assert count(kinds.ENDED) == 2


def test_missed_runs_end_it_in_one_go(active):
    """Beat was down from before the notice period to after the end."""
    assert run(datetime.date(2028, 1, 10)) == moved(notice=1, ended=1)
    assert state_of(active) == State.ENDED


def test_automatic_renewal_extends_the_period_and_copies_the_plan(active, leader, case_handler):
    Agreement.objects.filter(pk=active.pk).update(renewal="automatic")
    run(NOTICE)
    assert run(AFTER) == moved(renewed=1)
    active.refresh_from_db()
    assert (active.state, active.starts_on, active.ends_on) == (
        State.ACTIVE,
        datetime.date(2027, 1, 1),
        datetime.date(2028, 12, 31),
    )
    dues = list(
        Payment.objects.filter(agreement=active).order_by("due_on").values_list("due_on", "amount")
    )
    assert dues == [
        (datetime.date(2027, 6, 30), Decimal("12500.00")),
        (datetime.date(2027, 12, 31), Decimal("12500.00")),
        (datetime.date(2028, 6, 30), Decimal("12500.00")),
        (datetime.date(2028, 12, 31), Decimal("12500.00")),
    ]
    duties = list(ReportDuty.objects.filter(agreement=active).values_list("due_on", flat=True))
    assert duties == [datetime.date(2028, 1, 15), datetime.date(2029, 1, 15)]
    assert told(kinds.RENEWED) == {leader.email, case_handler.email}
    event = active.events.order_by("pk").last()
    assert (event.from_state, event.to_state) == (State.EXPIRING, State.ACTIVE)
    assert "31.12.2028" in event.message
    assert run(AFTER) == NOTHING
    assert count(kinds.RENEWED) == 2


def test_a_second_automatic_renewal_keeps_the_length_and_copies_once(active):
    Agreement.objects.filter(pk=active.pk).update(renewal="automatic")
    run(AFTER)
    assert run(datetime.date(2029, 1, 1)) == moved(notice=1, renewed=1)
    active.refresh_from_db()
    assert active.ends_on == datetime.date(2029, 12, 31)
    dues = list(Payment.objects.filter(agreement=active).values_list("due_on", flat=True))
    assert len(dues) == 6 and len(set(dues)) == 6
    assert datetime.date(2029, 12, 31) in dues
    duties = list(ReportDuty.objects.filter(agreement=active).values_list("due_on", flat=True))
    assert duties == [
        datetime.date(2028, 1, 15),
        datetime.date(2029, 1, 15),
        datetime.date(2030, 1, 15),
    ]


def test_a_signed_successor_renews_it(active, case_handler):
    with at(datetime.date(2027, 10, 1)):
        successor = agreement_renew(agreement=active, actor=case_handler)
    Agreement.objects.filter(pk=successor.pk).update(state=State.SIGNED_MUNICIPALITY)
    run(NOTICE)
    outcome = run(AFTER)
    assert outcome["succeeded"] == 1 and outcome["ended"] == 0
    assert state_of(active) == State.RENEWED
    if hasattr(importlib.import_module("agreements.services.signing"), "agreement_activate"):
        assert outcome["activated"] == 1
        assert state_of(successor) == State.ACTIVE
    assert run(AFTER)["succeeded"] == 0


def test_a_successor_still_a_draft_does_not_renew_it(active, case_handler):
    with at(datetime.date(2027, 10, 1)):
        successor = agreement_renew(agreement=active, actor=case_handler)
    assert run(AFTER) == moved(notice=1, ended=1)
    assert state_of(active) == State.ENDED
    assert state_of(successor) == State.DRAFT


def test_a_terminated_agreement_is_left_alone(active):
    Agreement.objects.filter(pk=active.pk).update(
        state=State.TERMINATED, terminated_on=datetime.date(2027, 10, 31), renewal="automatic"
    )
    for today in (NOTICE, AFTER, datetime.date(2028, 3, 1)):
        assert run(today) == NOTHING
    assert state_of(active) == State.TERMINATED


def test_signed_agreements_come_into_force_on_their_first_day(committee, department, leader):
    signing = importlib.import_module("agreements.services.signing")
    if not hasattr(signing, "agreement_activate"):
        pytest.skip("signing.agreement_activate is not written yet")
    agreement = agreement_for(
        committee,
        department,
        state=State.SIGNED_MUNICIPALITY,
        starts_on=datetime.date(2027, 3, 1),
        ends_on=datetime.date(2028, 2, 29),
    )
    assert run(datetime.date(2027, 2, 28)) == NOTHING
    assert run(datetime.date(2027, 3, 1)) == moved(activated=1)
    assert state_of(agreement) == State.ACTIVE
    assert told(kinds.ACTIVE) >= {leader.email}
    assert run(datetime.date(2027, 3, 2)) == NOTHING


def test_the_task_runs_the_clock_for_today(active):
    with at(NOTICE):
        assert follow_up.run() == moved(notice=1)
        assert follow_up.run() == NOTHING


def test_the_page_says_an_automatically_extended_agreement_is_on_its_signed_terms(client):
    """Automatic renewal moves the end and copies the plan, so the terms' hash changes; the
    signatures still cover the agreement (its terms provide the extension): the page says so
    instead of warning that the signed terms are not the current ones."""
    import datetime

    from agreements.models import Agreement, Signature
    from agreements.services.renewal import agreements_follow_up
    from agreements.terms import terms_hash
    from tests.factories import AgreementFactory, TaskFactory, UserFactory

    today = datetime.date.today()
    agreement = AgreementFactory(
        state="expiring",
        renewal="automatic",
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=1),
    )
    TaskFactory(agreement=agreement)
    for party in ("committee", "municipality"):
        Signature.objects.create(
            agreement=agreement,
            party=party,
            signer=UserFactory(),
            signer_name="Navn",
            signed_at=agreement.created_at,
            terms_sha256=terms_hash(agreement),
        )
    agreements_follow_up(today=today)
    assert Agreement.objects.get(pk=agreement.pk).state == "active"
    body = client.get(agreement.get_absolute_url()).content.decode()
    assert 'data-status="extended"' in body
    assert 'data-status="changed"' not in body
