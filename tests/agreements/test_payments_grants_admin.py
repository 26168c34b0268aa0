"""Grants' payments on the admin's "Payments due" work list beside the agreements' instalments:
the "Agreement or grant" column links to either, the committee is the payee, the department
filter, the committee filter and the search find both, "Mark paid" works for both, the exports
carry both — and a page is the same queries for 10 and 1,000 rows, grants' included."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from agreements.models import AgreementEvent, Payment
from grants.models import ApplicationEvent
from tests.agreements.test_admin_helpers import PAYMENTS, login
from tests.agreements.test_exports import csv_rows, xlsx_rows
from tests.factories import AgreementFactory, CommitteeFactory, DepartmentFactory, PaymentFactory

from .test_payments_grants_helpers import (
    allocation_payment,
    application_payment,
    grant_payment,
    many_grant_payments,
)

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def result_pks(response) -> set[int]:
    return {obj.pk for obj in response.context["cl"].result_list}


def act(client, action, objects, *, url=PAYMENTS, **data):
    return client.post(
        url,
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [str(o.pk) for o in objects], **data},
    )


def page_url(obj) -> str:
    """An object's admin page where the admin has one, else its public page."""
    try:
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return obj.get_absolute_url()


@pytest.fixture
def both(committee, department):
    """An agreement's instalment and an application's payment, both the department's."""
    agreement = AgreementFactory(committee=committee, department=department)
    instalment = PaymentFactory(agreement=agreement, due_on=days(10), description="Første halvår")
    grant = application_payment(committee, department, due_on=days(5))
    return instalment, grant


def test_the_list_shows_both_linked_with_the_payee(client, case_handler, both, other_committee):
    instalment, grant = both
    login(client, case_handler)
    response = client.get(PAYMENTS)
    assert response.status_code == 200
    assert [p.pk for p in response.context["cl"].result_list] == [grant.pk, instalment.pk]
    page = response.content.decode()
    assert "Agreement or grant" in page
    agreement_url = reverse("admin:agreements_agreement_change", args=[instalment.agreement_id])
    assert f'<a href="{agreement_url}">{instalment.agreement.number}</a>' in page
    application = grant.application
    assert f'<a href="{page_url(application)}">{grant.reference}</a>' in page
    assert page.count(">Svarstad</td>") == 2  # the committee paid, either way
    # The source filter names grants.
    assert "?source__exact=grant" in page and ">Grant</a>" in page
    only_grants = client.get(PAYMENTS, {"source__exact": "grant"})
    assert result_pks(only_grants) == {grant.pk}


def test_the_list_shows_a_payment_to_the_ore(client, case_handler, committee, department):
    """A pro-rata allocation's payment is 46 971,46: the case handler pays that, not kr 46 971."""
    grant_payment(committee, department, due_on=days(3), amount=Decimal("46971.46"))
    page = login(client, case_handler).get(PAYMENTS).content.decode()
    assert "NOK\xa046,971.46" in page


def test_an_allocations_payment_links_to_its_scheme_and_a_bare_one_to_nothing(
    client, case_handler, committee, department
):
    allocated = allocation_payment(committee, department, due_on=days(3))
    bare = grant_payment(committee, department, due_on=days(4), description="TSK-2026-777 Benk")
    login(client, case_handler)
    page = client.get(PAYMENTS).content.decode()
    scheme = allocated.allocation.scheme
    assert f'<a href="{page_url(scheme)}">{allocated.reference}</a>' in page
    assert "TSK-2026-777 Benk" in page and bare.pk


def test_the_department_filter_finds_both(client, case_handler, both, committee):
    instalment, grant = both
    elsewhere = DepartmentFactory()
    other_grant = grant_payment(committee, elsewhere, due_on=days(2))
    other_instalment = PaymentFactory(
        agreement=AgreementFactory(committee=committee, department=elsewhere), due_on=days(2)
    )
    login(client, case_handler)
    assert result_pks(client.get(PAYMENTS)) == {instalment.pk, grant.pk}  # my department
    assert result_pks(client.get(PAYMENTS, {"department": str(elsewhere.pk)})) == {
        other_grant.pk,
        other_instalment.pk,
    }
    assert len(result_pks(client.get(PAYMENTS, {"department": "all"}))) == 4


def test_the_committee_filter_finds_both(client, case_handler, both, committee, department):
    instalment, grant = both
    stavern = CommitteeFactory(name="Stavern")
    theirs = grant_payment(stavern, department, due_on=days(1))
    login(client, case_handler)
    page = client.get(PAYMENTS).content.decode()
    assert f"?committee={stavern.pk}" in page and f"?committee={committee.pk}" in page
    assert result_pks(client.get(PAYMENTS, {"committee": str(committee.pk)})) == {
        instalment.pk,
        grant.pk,
    }
    assert result_pks(client.get(PAYMENTS, {"committee": str(stavern.pk)})) == {theirs.pk}
    assert len(result_pks(client.get(PAYMENTS, {"committee": "x"}))) == 3  # not one: ignored


@pytest.mark.parametrize(
    ("query", "which"),
    [
        ("grant-number", {"grant"}),
        ("Blomsterkasser", {"grant"}),  # the grant's description
        ("Første halvår", {"instalment"}),
        ("agreement-number", {"instalment"}),
        ("Stavern", {"stavern"}),  # the committee paid, a grant's
        ("Svarstad", {"instalment", "grant"}),
    ],
)
def test_the_search_finds_either_by_reference_description_or_committee(
    client, case_handler, both, department, query, which
):
    instalment, grant = both
    stavern = grant_payment(CommitteeFactory(name="Stavern"), department, due_on=days(1))
    named = {"instalment": instalment, "grant": grant, "stavern": stavern}
    query = {
        "grant-number": grant.application.number,
        "agreement-number": instalment.agreement.number,
    }.get(query, query)
    login(client, case_handler)
    found = result_pks(client.get(PAYMENTS, {"q": query}))
    assert found == {named[name].pk for name in which}


def test_a_grant_payments_own_page(client, case_handler, both):
    _, grant = both
    login(client, case_handler)
    response = client.get(reverse("admin:agreements_payment_change", args=[grant.pk]))
    assert response.status_code == 200
    assert f'<a href="{page_url(grant.application)}">{grant.reference}</a>' in (
        response.content.decode()
    )
    history = reverse("admin:agreements_payment_history", args=[grant.pk])
    assert client.get(history).status_code == 200


def test_mark_paid_works_for_both_at_once(client, case_handler, both, leader):
    instalment, grant = both
    login(client, case_handler)
    page = act(client, "mark_paid", [instalment, grant])
    assert page.status_code == 200
    assert grant.reference in page.content.decode()  # named on the confirmation page
    paid_on = timezone.localdate()
    response = act(
        client, "mark_paid", [instalment, grant], apply="1", paid_on=paid_on, voucher="BILAG-9"
    )
    assert response.status_code == 302
    for payment in (instalment, grant):
        payment.refresh_from_db()
        assert (payment.paid_on, payment.voucher, payment.paid_by) == (
            paid_on,
            "BILAG-9",
            case_handler,
        )
    assert AgreementEvent.objects.filter(kind="payment_paid", agreement=instalment.agreement)
    assert ApplicationEvent.objects.filter(kind="payment_paid", application=grant.application)
    assert leader.notifications.filter(kind="grant.paid").count() == 1


def test_mark_paid_with_bad_input_changes_no_grant(client, case_handler, both):
    _, grant = both
    login(client, case_handler)
    response = act(client, "mark_paid", [grant], apply="1", paid_on="3000-01-01", voucher="B-1")
    assert response.status_code == 200 and response.context["form"].errors
    grant.refresh_from_db()
    assert grant.paid_on is None


def test_mark_paid_is_not_offered_without_the_right(client, case_handler, both):
    from django.contrib.auth.models import Permission

    from core.staff import CASE_HANDLER, group_name

    case_handler.groups.remove(case_handler.groups.get(name=group_name(CASE_HANDLER)))
    case_handler.user_permissions.add(Permission.objects.get(codename="view_payment"))
    login(client, case_handler)
    response = client.get(PAYMENTS)
    assert response.status_code == 200
    assert "mark_paid" not in dict(response.context["action_form"].fields["action"].choices)
    _, grant = both
    act(client, "mark_paid", [grant], apply="1", paid_on=str(timezone.localdate()), voucher="B")
    grant.refresh_from_db()
    assert grant.paid_on is None


def test_outsiders_get_no_list(client, both, resident, staff_without_group):
    assert client.get(PAYMENTS).status_code == 302  # anonymous: the login page
    client.force_login(resident)
    assert client.get(PAYMENTS).status_code == 302
    login(client, staff_without_group)
    assert client.get(PAYMENTS).status_code == 403


# --- Queries: the same for 10 and 1,000 rows ------------------------------------------------------


def _many_instalments(count: int, committee, department) -> None:
    from agreements.models import Agreement

    start = timezone.localdate().replace(month=1, day=1)
    first = Agreement.objects.count()
    agreements = Agreement.objects.bulk_create(
        [
            Agreement(
                number=f"AVT-1998-{first + i:06d}",
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
    Payment.objects.bulk_create(
        [Payment(agreement=a, due_on=days(20), amount=1500) for a in agreements]
    )


@pytest.mark.parametrize("params", [{}, {"department": "all", "paid": "all", "q": "Tilskudd"}])
def test_the_list_keeps_its_queries_from_10_to_1000_rows_grants_included(
    client, case_handler, committee, department, params
):
    login(client, case_handler)
    _many_instalments(5, committee, department)
    many_grant_payments(5, committee, department, due_on=days(10))
    client.get(PAYMENTS, params)  # warm what a first request fills
    with CaptureQueriesContext(connection) as small:
        assert client.get(PAYMENTS, params).status_code == 200
    other = CommitteeFactory()
    _many_instalments(495, other, department)
    many_grant_payments(495, other, department, due_on=days(1))
    with CaptureQueriesContext(connection) as large:
        response = client.get(PAYMENTS, params)
        assert response.status_code == 200
    assert len(large) == len(small), (len(small), len(large))
    if not params:
        rows = response.context["cl"].result_list
        assert len(rows) == 50 and all(row.agreement_id is None for row in rows)


# --- Exports --------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["export_payments_csv", "export_payments_xlsx"])
def test_the_payments_export_has_grants_with_their_reference_and_payee(
    client, case_handler, both, department, action
):
    instalment, grant = both
    stavern = grant_payment(CommitteeFactory(name="Stavern"), DepartmentFactory(name="Kultur"))
    login(client, case_handler)
    # The selection is made in the list as filtered: every department's.
    response = act(client, action, [instalment, grant, stavern], url=f"{PAYMENTS}?department=all")
    assert response.status_code == 200
    header, *rows = csv_rows(response) if action.endswith("csv") else xlsx_rows(response)
    named = {row[header.index("Description")]: dict(zip(header, row, strict=True)) for row in rows}
    theirs = named[stavern.description]
    assert theirs["Grant"] == stavern.reference and not theirs["Agreement"]
    assert (theirs["Committee"], theirs["Municipal department"]) == ("Stavern", "Kultur")
    assert theirs["From"] == "Grant"
    ours = named[grant.description]
    assert (ours["Grant"], ours["Committee"]) == (grant.reference, "Svarstad")
    agreements = named["Første halvår"]
    assert agreements["Agreement"] == instalment.agreement.number and not agreements["Grant"]
    assert agreements["Municipal department"] == department.name


def test_the_payments_export_keeps_its_queries_with_more_grants(
    client, case_handler, committee, department
):
    login(client, case_handler)

    def run():
        with CaptureQueriesContext(connection) as queries:
            response = act(
                client,
                "export_payments_xlsx",
                Payment.objects.all(),
                url=f"{PAYMENTS}?department=all&paid=all",
            )
            assert response.status_code == 200
            b"".join(response.streaming_content)
        return len(queries)

    many_grant_payments(3, committee, department, due_on=days(1))
    _many_instalments(3, committee, department)
    small = run()
    many_grant_payments(20, CommitteeFactory(), DepartmentFactory(), due_on=days(2))
    assert run() == small
