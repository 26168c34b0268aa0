"""Whose a payment is when it has no agreement: a grant's (the grants app, above this one).

One payment table serves agreements and grants, so the municipality keeps one work list of
payments due, one rule for "overdue", one reminder and escalation path and one "mark paid"
service (``services.payments``). What differs is only where the payment belongs: the app that
creates agreement-less payments registers a :class:`PaymentOwner` for its ``PaymentSource``
(in its ``AppConfig.ready``), and this app asks it for the page to link to and lets it write
its own timeline line when the payment is marked paid.

This app never names the owner's models: what the owner reads from a payment (its reverse
relations) it says in ``related``, and the lists add those to their ``select_related`` so a
page of payments stays one query however many are grants (``owner_relations``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PaymentOwner:
    # The object a notification about the payment links to (it has ``get_absolute_url``), or
    # ``None`` when the payment belongs to nothing the owner can show.
    target: Callable[[Any], Any]
    # Called inside ``payment_mark_paid``'s transaction: ``paid(payment=, actor=)`` writes the
    # owner's timeline line (and may tell its own people).
    paid: Callable[..., None]
    # A short label for lists ("TSK-2024-003 Tilskudd til forskjønning").
    label: Callable[[Any], str]
    # The relations ``target`` and ``label`` follow from a payment (``select_related`` names,
    # reverse one-to-ones included): the lists load them with the rows.
    related: tuple[str, ...] = ()


_owners: dict[str, PaymentOwner] = {}


def register(source: str, owner: PaymentOwner) -> None:
    _owners[source] = owner


def owner_of(payment) -> PaymentOwner | None:
    """The registered owner of an agreement-less payment; ``None`` for an agreement's."""
    if payment.agreement_id is not None:
        return None
    return _owners.get(payment.source)


def owner_relations() -> list[str]:
    """Every registered owner's ``related``, for a list's ``select_related``."""
    return sorted({name for owner in _owners.values() for name in owner.related})


def target_of(payment):
    """What a notification or a list links to for this payment: its agreement, or its owner's
    target (``None`` if it has neither)."""
    if payment.agreement_id is not None:
        return payment.agreement
    owner = owner_of(payment)
    return owner.target(payment) if owner is not None else None


def label_of(payment) -> str:
    """The payment's agreement number, or its owner's label (its reference without one)."""
    owner = owner_of(payment)
    return owner.label(payment) if owner is not None else payment.reference
