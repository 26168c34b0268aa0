"""Helpers for the tests of grants' payments on the agreements' payment machinery (no tests
here): a grant's payment as ``grants.services.payments.grant_payment_create`` makes it, and
attached to an application or to a formula scheme's allocation, as the grants app does."""

import datetime
from decimal import Decimal

from django.db.models import Max

from agreements.models import Payment
from grants.models import Allocation, Application, GrantScheme
from grants.services.payments import grant_payment_create
from tests.factories import ApplicationFactory, ApplicationSchemeFactory, GrantSchemeFactory

DUE = datetime.date(2027, 6, 30)


def grant_payment(committee, department, *, due_on=DUE, amount=15_000, description=None):
    """A grant's payment belonging to nothing the grants app shows (no application, no
    allocation)."""
    return grant_payment_create(
        committee=committee,
        department=department,
        amount=Decimal(amount),
        due_on=due_on,
        description=description or f"TSK-{due_on.year}-900 Benker i parken",
    )


def application_payment(committee, department, *, due_on=DUE, amount=15_000) -> Payment:
    """A granted application's payment, the application pointing to it (``state`` payable)."""
    scheme = ApplicationSchemeFactory(department=department)
    application = ApplicationFactory(committee=committee, scheme=scheme, state="payable")
    payment = grant_payment(
        committee,
        department,
        due_on=due_on,
        amount=amount,
        description=f"{application.number} {application.title}",
    )
    Application.objects.filter(pk=application.pk).update(payment=payment)
    return Payment.objects.get(pk=payment.pk)


def allocation_payment(committee, department, *, due_on=DUE, amount=167_000) -> Payment:
    """A formula scheme's allocation to ``committee``, approved: its payment."""
    scheme = GrantSchemeFactory(department=department, allocation_state="approved")
    payment = grant_payment(
        committee, department, due_on=due_on, amount=amount, description=f"{scheme} {committee}"
    )
    Allocation.objects.create(
        scheme=scheme, committee=committee, amount=amount, state="payable", payment=payment
    )
    return Payment.objects.get(pk=payment.pk)


def many_grant_payments(count: int, committee, department, *, due_on: datetime.date) -> None:
    """``count`` grants' payments, every other one an application's, the rest allocations'."""
    first = (Payment.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    scheme = ApplicationSchemeFactory(department=department)
    payments = Payment.objects.bulk_create(
        [
            Payment(
                committee=committee,
                department=department,
                source="grant",
                description=f"TSK-1999-{first + i:06d} Tilskudd",
                due_on=due_on,
                amount=1000,
            )
            for i in range(count)
        ]
    )
    Application.objects.bulk_create(
        [
            Application(
                number=f"TSK-1999-{payment.pk:06d}",
                scheme=scheme,
                committee=committee,
                state="payable",
                title="Tilskudd",
                description="Tilskudd",
                place="Parken",
                participants="Styret",
                starts_on=due_on,
                ends_on=due_on,
                amount_requested=1000,
                payment=payment,
            )
            for payment in payments[::2]
        ]
    )
    # One allocation per committee and scheme: a scheme of its own for each.
    schemes = GrantScheme.objects.bulk_create(
        [
            GrantScheme(
                year=2023,
                name=f"Driftstilskudd {payment.pk}",
                kind="formula",
                department=department,
                pot=1_000_000,
                source="Kommunestyrets vedtak",
            )
            for payment in payments[1::2]
        ]
    )
    Allocation.objects.bulk_create(
        [
            Allocation(scheme=s, committee=committee, amount=1000, state="payable", payment=p)
            for s, p in zip(schemes, payments[1::2], strict=True)
        ]
    )
