"""A grant's payment on the agreements' payment machinery (``agreements.Payment``, source
``grant``): the department's one work list of payments due, its reminders and escalation, the
"overdue" rule and "mark paid" are the agreements' own (``agreements.payment_owners`` says whose
an agreement-less payment is)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agreements.models import Payment, PaymentSource


@transaction.atomic
def grant_payment_create(
    *, committee, department, amount: Decimal, due_on: datetime.date, description: str
) -> Payment:
    """One payment of ``amount`` to ``committee`` from ``department``, due ``due_on``.
    ``description`` names the grant (its reference first: it is the payment's ``reference``)."""
    if amount is None or amount <= 0:
        raise ValidationError(_("A grant's payment must be more than zero."))
    payment = Payment(
        agreement=None,
        committee=committee,
        department=department,
        source=PaymentSource.GRANT,
        description=description[: Payment._meta.get_field("description").max_length],
        due_on=due_on,
        amount=amount,
    )
    payment.full_clean()
    payment.save()
    return payment
