"""A grant's payment on the agreements' payment machinery: this app is its owner
(``agreements.payment_owners``), registered in ``GrantsConfig.ready``.

- **Target** (what a notification or the payments list links to): the application the payment
  pays (``Application.payment``), else the allocation's scheme (``Allocation.payment``: a
  formula grant's public allocation list).
- **Label**: the payment's reference (its description starts with the grant's reference).
- **Paid**: ``agreements.services.payments.payment_mark_paid`` calls :func:`paid` in its
  transaction: a "payment made" line on the application's timeline (when the payment is an
  application's) and the payee committee's board told once (``grant.paid``).
"""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from agreements import payment_owners
from agreements.models import PaymentSource
from core.formatting import local_date, money_exact
from notifications.services import notify

from . import notifications as kinds
from .models import ApplicationEvent, Party
from .selectors import board_recipients
from .services.lifecycle import record

# What ``target`` follows from a payment: the lists load them with the rows.
RELATED = ("application", "allocation__scheme")


def _application(payment):
    try:
        return payment.application
    except ObjectDoesNotExist:
        return None


def _allocation(payment):
    try:
        return payment.allocation
    except ObjectDoesNotExist:
        return None


def target(payment):
    """The application the payment pays, else its allocation's scheme (``None``: neither)."""
    application = _application(payment)
    if application is not None:
        return application
    allocation = _allocation(payment)
    return allocation.scheme if allocation is not None else None


def label(payment) -> str:
    return payment.reference


def paid(*, payment, actor) -> None:
    """``payment`` was just marked paid by ``actor`` (inside ``payment_mark_paid``'s
    transaction): the application's timeline says so, and the payee's board is told once."""
    application = _application(payment)
    if application is not None:
        record(
            application,
            kind=ApplicationEvent.Kind.PAYMENT_PAID,
            actor=actor,
            party=Party.MUNICIPALITY,
            # Public once granted: the amount and the day, never the voucher (parties only).
            message=_("%(amount)s paid on %(day)s")
            % {"amount": money_exact(payment.amount), "day": local_date(payment.paid_on)},
        )
    notify(
        recipients=[person for person in board_recipients(payment.payee) if person.pk != actor.pk],
        kind=kinds.GRANT_PAID,
        context={"payment": payment, "application": application},
        target=target(payment),
        dedupe_key=f"grant-payment:{payment.pk}:paid",
    )


def register() -> None:
    payment_owners.register(
        PaymentSource.GRANT,
        payment_owners.PaymentOwner(target=target, paid=paid, label=label, related=RELATED),
    )
