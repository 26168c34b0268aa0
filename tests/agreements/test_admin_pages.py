"""The agreements' admin pages: who gets in, the list's columns and filters (each narrows to
exactly the agreements it names), the work lists' defaults and order, the totals per year, and
the same queries for 10 and 1,000 agreements with payments and reports."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Agreement, Payment, ReportDuty, Signature, Task
from tests.agreements.test_admin_helpers import (
    ADD,
    CHANGELIST,
    PAYMENTS,
    REPORTS,
    change_url,
    history_url,
    login,
)
from tests.factories import (
    AgreementFactory,
    CommitteeFactory,
    DepartmentFactory,
    PaymentFactory,
    ReportDutyFactory,
)

pytestmark = pytest.mark.django_db

LISTS = [CHANGELIST, PAYMENTS, REPORTS]


def result_pks(response) -> set[int]:
    return {obj.pk for obj in response.context["cl"].result_list}


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


# --- Who gets in ----------------------------------------------------------------------------------


def test_anonymous_and_a_resident_get_the_login_page(client, active, resident):
    urls = [*LISTS, ADD, change_url(active)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url, url
    client.force_login(resident)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url, url


def test_staff_without_the_case_handler_group_are_refused(client, active, staff_without_group):
    login(client, staff_without_group)
    for url in [*LISTS, ADD, change_url(active), history_url(active)]:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["case_handler", "superuser"])
def test_the_case_handler_and_the_superuser_see_every_page(client, active, role, request):
    login(client, request.getfixturevalue(role))
    duty = ReportDutyFactory(agreement=active)
    payment = PaymentFactory(agreement=active)
    from django.urls import reverse

    for url in [
        *LISTS,
        ADD,
        change_url(active),
        history_url(active),
        reverse("admin:agreements_payment_change", args=[payment.pk]),
        reverse("admin:agreements_reportduty_change", args=[duty.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_the_signers_phone_is_on_the_staff_page(client, case_handler, active, leader):
    Signature.objects.create(
        agreement=active,
        party="committee",
        signer=leader,
        signer_name="Lise Leder",
        signer_phone="+47 912 34 567",
        signed_at=timezone.now(),
        terms_sha256="a" * 64,
    )
    page = login(client, case_handler).get(change_url(active)).content.decode()
    assert "Lise Leder" in page and "+47 912 34 567" in page


def test_the_timeline_is_on_the_page(client, case_handler, draft):
    from agreements.services import agreement_send

    agreement_send(agreement=draft, actor=case_handler)
    response = login(client, case_handler).get(change_url(draft))
    inlines = {i.formset.prefix: i for i in response.context["inline_admin_formsets"]}
    assert [form.instance.to_state for form in inlines["events"].formset.forms] == ["sent"]


# --- The list and its filters ---------------------------------------------------------------------


def test_the_list_shows_the_next_payment_and_report_and_who_is_late(client, case_handler, active):
    PaymentFactory(agreement=active, due_on=days(-3))  # the municipality is late
    PaymentFactory(agreement=active, due_on=days(-30), paid_on=days(-29))  # paid: not late
    ReportDutyFactory(agreement=active, due_on=days(10))
    response = login(client, case_handler).get(CHANGELIST)
    row = response.context["cl"].result_list[0]
    assert row.next_payment_due == days(-3) and row.next_report_due == days(10)
    page = response.content.decode()
    assert "<strong>Payment overdue</strong>" in page
    assert "<strong>Report overdue</strong>" not in page


def _get(client, **params):
    return client.get(CHANGELIST, params)


def test_the_overdue_filters_find_each_sides_late_ones(client, case_handler, committee, department):
    def agreement(**kwargs):
        return AgreementFactory(committee=committee, department=department, **kwargs)

    late_payment = agreement()
    PaymentFactory(agreement=late_payment, due_on=days(-1))
    paid_late = agreement()
    PaymentFactory(agreement=paid_late, due_on=days(-5), paid_on=days(-5))
    cancelled = agreement()
    PaymentFactory(agreement=cancelled, due_on=days(-5), cancelled=True)
    due_today = agreement()
    PaymentFactory(agreement=due_today, due_on=days(0))  # the last day: not yet overdue
    late_report = agreement()
    ReportDutyFactory(agreement=late_report, due_on=days(-1))
    returned_late = agreement()
    ReportDutyFactory(agreement=returned_late, due_on=days(-1), state="returned")
    approved = agreement()
    ReportDutyFactory(agreement=approved, due_on=days(-10), state="approved")
    submitted = agreement()
    ReportDutyFactory(agreement=submitted, due_on=days(-10), state="submitted")

    login(client, case_handler)
    assert result_pks(_get(client, overdue="municipality")) == {late_payment.pk}
    assert result_pks(_get(client, overdue="committee")) == {late_report.pk, returned_late.pk}
    assert result_pks(_get(client, overdue="either")) == {
        late_payment.pk,
        late_report.pk,
        returned_late.pk,
    }


def test_the_expiring_filter_finds_the_notice_period(client, case_handler, committee, department):
    def agreement(**kwargs):
        return AgreementFactory(committee=committee, department=department, **kwargs)

    today = timezone.localdate()
    expiring_state = agreement(state="expiring")
    # In force, ending in two months with three months' notice: in the notice period already.
    in_notice = agreement(starts_on=today - datetime.timedelta(days=300), ends_on=days(60))
    # Ending in five months with three months' notice: not yet.
    later = agreement(starts_on=today - datetime.timedelta(days=100), ends_on=days(150))
    # A draft in its notice window is not expiring: it is not in force.
    agreement(state="draft", starts_on=today - datetime.timedelta(days=300), ends_on=days(60))
    login(client, case_handler)
    found = result_pks(_get(client, expiring="yes"))
    assert found == {expiring_state.pk, in_notice.pk}
    assert later.pk not in found


def test_the_plain_filters_narrow(client, case_handler, committee, department):
    other_department = DepartmentFactory()
    mine = AgreementFactory(committee=committee, department=department, kind="maintenance")
    other = AgreementFactory(
        committee=CommitteeFactory(), department=other_department, state="draft"
    )
    login(client, case_handler)
    assert result_pks(_get(client, state="draft")) == {other.pk}
    assert result_pks(_get(client, committee__id__exact=committee.pk)) == {mine.pk}
    assert result_pks(_get(client, department__id__exact=other_department.pk)) == {other.pk}
    assert result_pks(_get(client, kind__exact="maintenance")) == {mine.pk}
    assert result_pks(_get(client, q=mine.number)) == {mine.pk}
    assert result_pks(_get(client, q=committee.name)) == {mine.pk}


def test_the_totals_per_year_count_the_signed_agreements_listed(
    client, case_handler, active, draft
):
    PaymentFactory(agreement=active, due_on=active.starts_on, amount=3000, paid_on=active.starts_on)
    PaymentFactory(agreement=active, due_on=active.ends_on, amount=3000)
    PaymentFactory(agreement=draft, due_on=draft.ends_on, amount=99_000)  # a draft: not counted
    response = login(client, case_handler).get(CHANGELIST)
    (year,) = response.context["year_totals"]
    assert year.year == active.starts_on.year
    assert year.compensation_planned == Decimal("6000.00")
    assert year.compensation_paid == Decimal("3000.00")
    assert year.hours_planned == Decimal("40.0")
    assert "Totals per year" in response.content.decode()


# --- The work lists ------------------------------------------------------------------------------


def test_payments_due_opens_on_my_departments_unpaid_ones_in_due_order(
    client, case_handler, active
):
    later = PaymentFactory(agreement=active, due_on=days(40))
    late = PaymentFactory(agreement=active, due_on=days(-2))
    PaymentFactory(agreement=active, due_on=days(-20), paid_on=days(-20))
    PaymentFactory(agreement=active, due_on=days(-20), cancelled=True)
    elsewhere = PaymentFactory(agreement=AgreementFactory(), due_on=days(-9))
    login(client, case_handler)
    response = client.get(PAYMENTS)
    assert [p.pk for p in response.context["cl"].result_list] == [late.pk, later.pk]
    page = response.content.decode()
    assert page.count("<strong>Overdue</strong>") == 1
    everything = client.get(PAYMENTS, {"department": "all", "paid": "all"})
    assert elsewhere.pk in result_pks(everything) and len(result_pks(everything)) == 5
    assert result_pks(client.get(PAYMENTS, {"department": "all", "paid": "overdue"})) == {
        late.pk,
        elsewhere.pk,
    }


def test_reports_to_review_come_first_then_the_owed_by_due_date(client, case_handler, active):
    owed_later = ReportDutyFactory(agreement=active, due_on=days(30))
    owed_late = ReportDutyFactory(agreement=active, due_on=days(-3))
    submitted = ReportDutyFactory(agreement=active, due_on=days(60), state="submitted")
    ReportDutyFactory(agreement=active, due_on=days(-90), state="approved")
    login(client, case_handler)
    response = client.get(REPORTS)
    assert [d.pk for d in response.context["cl"].result_list] == [
        submitted.pk,
        owed_late.pk,
        owed_later.pk,
    ]
    assert response.content.decode().count("<strong>Overdue</strong>") == 1
    assert result_pks(client.get(REPORTS, {"todo": "review"})) == {submitted.pk}
    assert len(result_pks(client.get(REPORTS, {"todo": "all"}))) == 4


# --- Queries: the same for 10 and 1,000 agreements ------------------------------------------------


def _many(count: int, committee, department) -> None:
    start = timezone.localdate().replace(month=1, day=1)
    first = Agreement.objects.count()
    agreements = Agreement.objects.bulk_create(
        [
            Agreement(
                number=f"AVT-1999-{first + i:06d}",
                committee=committee,
                department=department,
                title=f"Avtale {first + i}",
                starts_on=start,
                ends_on=start.replace(month=12, day=31),
                state="active",
            )
            for i in range(count)
        ]
    )
    Task.objects.bulk_create(
        [Task(agreement=a, kind="flag_raising", amount=6000, hours_per_year=40) for a in agreements]
    )
    Payment.objects.bulk_create(
        [
            Payment(agreement=a, due_on=start + datetime.timedelta(days=k * 90), amount=1500)
            for a in agreements
            for k in range(2)
        ]
    )
    ReportDuty.objects.bulk_create(
        [ReportDuty(agreement=a, title="Året", due_on=start.replace(month=11)) for a in agreements]
    )


@pytest.mark.parametrize("url", LISTS)
def test_the_lists_keep_their_queries_from_10_to_1000_agreements(
    client, case_handler, committee, department, url
):
    login(client, case_handler)
    _many(10, committee, department)
    client.get(url)  # warm what a first request fills
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _many(990, CommitteeFactory(), department)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), (len(small), len(large))


@pytest.mark.parametrize(
    ("ends_on", "months"),
    [
        (datetime.date(2027, 5, 31), 3),  # → 28 February
        (datetime.date(2028, 5, 31), 3),  # → 29 February, a leap year
        (datetime.date(2027, 12, 31), 12),
        (datetime.date(2027, 3, 30), 1),  # → 28 February
        (datetime.date(2027, 6, 15), 0),
    ],
)
def test_the_lists_notice_start_is_the_renewal_rule_in_sql(committee, department, ends_on, months):
    """The filter's SQL and ``services.renewal.notice_starts`` give the same day."""
    from agreements.admin.queries import with_admin_figures
    from agreements.services.renewal import notice_starts

    agreement = AgreementFactory(
        committee=committee,
        department=department,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=ends_on,
        notice_months=months,
    )
    row = with_admin_figures(Agreement.objects.filter(pk=agreement.pk)).get()
    assert row.notice_from == notice_starts(agreement)
