"""Whose a payment is when it has no agreement: a grant's (the grants app, above this one).

One payment table serves agreements and grants, so the municipality keeps one work list of
payments due, one rule for "overdue", one reminder and escalation path and one "mark paid"
service (``services.payments``). What differs is only where the payment belongs: the app that
creates agreement-less payments registers a :class:`PaymentOwner` for its ``PaymentSource``
(in its ``AppConfig.ready``), and this app asks it for the page to link to and lets it write
its own timeline line when the payment is marked paid.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PaymentOwner:
    # The object a notification about the payment links to (it has ``get_absolute_url``).
    target: Callable[[Any], Any]
    # Called inside ``payment_mark_paid``'s transaction: ``paid(payment=, actor=)`` writes the
    # owner's timeline line (and may tell its own people).
    paid: Callable[..., None]
    # A short label for lists ("TSK-2024-003 Tilskudd til forskjønning").
    label: Callable[[Any], str]


_owners: dict[str, PaymentOwner] = {}


def register(source: str, owner: PaymentOwner) -> None:
    _owners[source] = owner


def owner_of(payment) -> PaymentOwner | None:
    """The registered owner of an agreement-less payment; ``None`` for an agreement's."""
    if payment.agreement_id is not None:
        return None
    return _owners.get(payment.source)
