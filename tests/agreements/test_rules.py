"""The rules an agreement's row and lines keep (agreements.rules), and the permissions the
mutation tests found untested: each test here was written for a mutation no test caught."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements import services
from agreements.models import Agreement
from agreements.rules import agreement_problems, due_problems
from agreements.terms import terms_hash
from tests.factories import AgreementFactory, PaymentFactory, ProposalFactory, ReportDutyFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def period(starts, ends):
    return agreement_problems(Agreement(starts_on=starts, ends_on=ends))


def test_the_period_ends_after_it_starts_and_runs_at_most_ten_years():
    assert "ends_on" in period(D(2027, 1, 1), D(2027, 1, 1))
    assert period(D(2027, 1, 1), D(2027, 1, 2)) == {}
    assert period(D(2027, 1, 1), D(2036, 12, 31)) == {}  # ten years to the day
    assert "ends_on" in period(D(2027, 1, 1), D(2037, 1, 1))
    assert period(D(2027, 7, 1), D(2037, 6, 30)) == {}
    assert "ends_on" in period(D(2027, 1, 1), D(2038, 1, 1))


@pytest.mark.parametrize("year", [1, 1999, 2101, 9999])
def test_dates_the_portal_cannot_hold_are_refused(year):
    assert "starts_on" in period(D(year, 1, 1), D(2030, 1, 1))


def test_the_committee_must_be_the_proposals(committee, other_committee, department):
    proposal = ProposalFactory(committee=other_committee)
    agreement = Agreement(
        committee=committee,
        department=department,
        origin_proposal=proposal,
        starts_on=D(2027, 1, 1),
        ends_on=D(2027, 12, 31),
    )
    assert "committee" in agreement_problems(agreement)
    agreement.committee = other_committee
    assert "committee" not in agreement_problems(agreement)


def test_payments_and_reports_fall_due_in_the_period_or_up_to_a_year_after(draft):
    assert due_problems(draft, draft.starts_on) == {}
    assert due_problems(draft, draft.ends_on + datetime.timedelta(days=300)) == {}
    for bad in [draft.starts_on - datetime.timedelta(days=1), D(9999, 12, 31), D(1, 1, 1)]:
        assert "due_on" in due_problems(draft, bad), bad
    with pytest.raises(ValidationError):
        PaymentFactory.build(agreement=draft, due_on=D(9999, 12, 31)).full_clean()
    with pytest.raises(ValidationError):
        ReportDutyFactory.build(agreement=draft, due_on=D(9999, 12, 31)).full_clean()


def test_a_ten_year_agreement_starting_mid_year_can_be_renewed(committee, department, case_handler):
    agreement = AgreementFactory(
        committee=committee,
        department=department,
        state="active",
        starts_on=D(2027, 7, 1),
        ends_on=D(2037, 6, 30),
    )
    draft = services.agreement_renew(agreement=agreement, actor=case_handler)
    assert (draft.starts_on, draft.ends_on) == (D(2037, 7, 1), D(2047, 6, 30))


def test_a_payment_long_before_the_period_is_refused(active, case_handler):
    payment = PaymentFactory(agreement=active, due_on=active.starts_on)
    with pytest.raises(ValidationError):
        services.payment_mark_paid(
            payment=payment, actor=case_handler, paid_on=D(1, 1, 1), voucher="B-1"
        )
    assert services.payment_mark_paid(
        payment=payment,
        actor=case_handler,
        paid_on=active.starts_on - datetime.timedelta(days=10),
        voucher="B-1",
    ).is_paid


def _staff_without(case_handler, codename):
    from django.contrib.auth.models import Group

    from core.staff import CASE_HANDLER, group_name

    group = Group.objects.get(name=group_name(CASE_HANDLER))
    case_handler.groups.remove(group)
    kept = group.permissions.exclude(codename=codename)
    case_handler.user_permissions.add(*kept)
    return type(case_handler).objects.get(pk=case_handler.pk)


def test_staff_without_the_payments_right_cannot_mark_paid(active, case_handler):
    staff = _staff_without(case_handler, "change_payment")
    payment = PaymentFactory(agreement=active)
    with pytest.raises(ValidationError):
        services.payment_mark_paid(
            payment=payment, actor=staff, paid_on=timezone.localdate(), voucher="B-1"
        )


def test_staff_without_the_right_to_add_agreements_cannot_draft_or_renew(active, case_handler):
    staff = _staff_without(case_handler, "add_agreement")
    with pytest.raises(ValidationError):
        services.agreement_renew(agreement=active, actor=staff)
    with pytest.raises(ValidationError):
        services.agreement_create(
            committee=active.committee, department=active.department, actor=staff, title="A"
        )


def test_staff_without_the_right_to_change_agreements_take_no_step(draft, case_handler):
    staff = _staff_without(case_handler, "change_agreement")
    with pytest.raises(ValidationError):
        services.agreement_update(agreement=draft, actor=staff, title="Nytt navn")
    with pytest.raises(ValidationError):
        services.agreement_send(agreement=draft, actor=staff)


@pytest.mark.parametrize(
    "change",
    [
        lambda a: type(a.committee).objects.filter(pk=a.committee_id).update(name="Nytt navn"),
        lambda a: a.tasks.update(description="Noe annet"),
        lambda a: a.tasks.update(hours_per_year=Decimal(41)),
        lambda a: a.provisions.update(value_per_year=Decimal(1)),
        lambda a: a.payments.update(amount=Decimal(1)),
        lambda a: a.report_duties.update(due_on=a.ends_on),
    ],
)
def test_each_field_of_each_line_is_in_the_hash(draft, change):
    from tests.factories import ProvisionFactory

    ProvisionFactory(agreement=draft)
    PaymentFactory(agreement=draft)
    ReportDutyFactory(agreement=draft)
    before = terms_hash(Agreement.objects.get(pk=draft.pk))
    change(draft)
    assert terms_hash(Agreement.objects.get(pk=draft.pk)) != before


def test_reports_wait_until_the_agreement_is_in_force(committee, department, board_member):
    from agreements.services.reports import report_submit

    signed = AgreementFactory(
        committee=committee, department=department, state="signed_municipality"
    )
    duty = ReportDutyFactory(agreement=signed)
    with pytest.raises(ValidationError):
        report_submit(duty=duty, actor=board_member, summary="Ferdig", lines=[])


def test_an_agreement_ends_the_day_after_its_last_day(active):
    from agreements.services.renewal import agreements_follow_up

    Agreement.objects.filter(pk=active.pk).update(state="expiring", renewal="none")
    agreements_follow_up(today=active.ends_on)
    assert Agreement.objects.get(pk=active.pk).state == "expiring"
    agreements_follow_up(today=active.ends_on + datetime.timedelta(days=1))
    assert Agreement.objects.get(pk=active.pk).state == "ended"


def test_a_nul_byte_in_the_signers_role_is_refused(committee, department, leader):
    from agreements.services.signing import agreement_sign
    from tests.factories import PASSWORD, TaskFactory

    agreement = AgreementFactory(committee=committee, department=department, state="sent")
    TaskFactory(agreement=agreement)
    with pytest.raises(ValidationError):
        agreement_sign(
            agreement=agreement,
            actor=leader,
            party="committee",
            password=PASSWORD,
            terms_sha256=terms_hash(agreement),
            role="Leder\x00",
        )
    assert not agreement.signatures.exists()
