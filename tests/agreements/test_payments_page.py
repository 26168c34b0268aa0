"""The payments partial (templates/agreements/_payments.html): every instalment with its state,
"overdue" visible to both parties and the public alike, the voucher for the parties only, the
sums — and no query of its own, at 10 rows as at 200."""

import datetime
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from agreements.models import Agreement
from agreements.selectors import with_lines
from tests.factories import PaymentFactory

from .payment_helpers import agreement_for, at

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 7, 15)


@pytest.fixture
def agreement(committee, department):
    agreement = agreement_for(committee, department)
    PaymentFactory(
        agreement=agreement,
        due_on=datetime.date(2027, 3, 31),
        amount=6_000,
        paid_on=datetime.date(2027, 3, 30),
        voucher="BILAG-17",
    )
    PaymentFactory(agreement=agreement, due_on=datetime.date(2027, 6, 30), amount=6_000)
    PaymentFactory(agreement=agreement, due_on=datetime.date(2027, 9, 30), amount=6_000)
    PaymentFactory(
        agreement=agreement, due_on=datetime.date(2027, 12, 31), amount=6_000, cancelled=True
    )
    return agreement


def render(agreement, *, show_personal: bool) -> str:
    loaded = with_lines(Agreement.objects.filter(pk=agreement.pk)).get()
    with at(TODAY), translation.override("en"):
        return render_to_string(
            "agreements/_payments.html", {"agreement": loaded, "show_personal": show_personal}
        )


def states(html: str) -> list[str]:
    return re.findall(r'data-state="(\w+)"', html)


@pytest.mark.parametrize("show_personal", [True, False])
def test_overdue_is_visible_to_everyone_who_sees_the_agreement(agreement, show_personal):
    html = render(agreement, show_personal=show_personal)
    assert states(html) == ["paid", "overdue", "due", "cancelled"]
    assert "payment-overdue" in html and "Overdue" in html


def test_the_voucher_only_for_the_parties(agreement):
    assert "BILAG-17" in render(agreement, show_personal=True)
    assert "BILAG-17" not in render(agreement, show_personal=False)


def test_the_sums_leave_cancelled_lines_out(agreement):
    html = render(agreement, show_personal=False)
    sums = re.findall(r'<td class="numeric" data-amount="([\d.]+)"', html)
    assert sums == ["18000.00", "6000.00", "12000.00"]  # total, paid, not yet paid
    assert "of which overdue: NOK\xa06,000" in html


def test_no_payments(committee, department):
    html = render(agreement_for(committee, department), show_personal=True)
    assert "no-payments" in html


@pytest.mark.parametrize("rows", [10, 200])
def test_the_partial_makes_no_query(committee, department, rows):
    agreement = agreement_for(committee, department)
    PaymentFactory.create_batch(rows, agreement=agreement)
    loaded = with_lines(Agreement.objects.filter(pk=agreement.pk)).get()
    with at(TODAY), CaptureQueriesContext(connection) as queries:
        html = render_to_string(
            "agreements/_payments.html", {"agreement": loaded, "show_personal": True}
        )
    assert len(queries) == 0
    assert len(states(html)) == rows
