"""Changing an agreement's terms and its lines (tasks, provisions, the payment plan, report
duties) — one function per line, all through :func:`change_terms`.

The rule, in one place: terms change only before both parties have signed
(``EDITABLE_STATES``), by municipal staff who may change agreements; every change leaves a
"terms changed" line on the timeline (and django-simple-history keeps the rows' old values);
and a change that alters the terms' hash voids every signature given on the old terms and
takes the agreement back to "sent for signing" — both parties are told (``signing.void``).
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    EDITABLE_STATES,
    Agreement,
    AgreementEvent,
    Party,
    Payment,
    PaymentSource,
    Provision,
    ReportDuty,
    Task,
)
from ..permissions import parties_of
from ..terms import terms_hash
from .lifecycle import lock, record

# What the agreement's own row may change through agreement_update (the rest is the services').
AGREEMENT_FIELDS = frozenset(
    {
        "title",
        "kind",
        "terms",
        "department",
        "starts_on",
        "ends_on",
        "notice_months",
        "renewal",
        "own_contribution_per_year",
        "municipal_cost_per_year",
        "municipal_cost_basis",
    }
)


def check_may_change(agreement: Agreement, actor) -> None:
    if actor is not None and Party.MUNICIPALITY not in parties_of(actor, agreement):
        raise ValidationError(_("Only municipal staff can change an agreement's terms."))
    if agreement.state not in EDITABLE_STATES:
        raise ValidationError(
            _(
                "The agreement has been signed by both parties: its terms can no longer be "
                "changed. Renew it or make a new agreement."
            )
        )


@transaction.atomic
def change_terms(*, agreement: Agreement, actor, apply: Callable[[Agreement], object]):
    """Lock the agreement, check the rule, ``apply(agreement)`` (which validates and saves what
    it changes; its return value is returned), then record and void what the change requires."""
    agreement = lock(agreement)
    check_may_change(agreement, actor)
    before = terms_hash(agreement)
    result = apply(agreement)
    after = terms_hash(Agreement.objects.get(pk=agreement.pk))
    if after != before:
        record(
            agreement, kind=AgreementEvent.Kind.TERMS_CHANGED, actor=actor, party=Party.MUNICIPALITY
        )
        from .signing import void_signatures

        void_signatures(agreement=agreement, actor=actor, terms_sha256=after)
    return result


def agreement_update(*, agreement: Agreement, actor, **fields) -> Agreement:
    unknown = set(fields) - AGREEMENT_FIELDS
    if unknown:
        raise ValueError(f"Not changed through agreement_update: {sorted(unknown)}")

    def apply(locked: Agreement) -> Agreement:
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.save()
        return locked

    return change_terms(agreement=agreement, actor=actor, apply=apply)


def _save_line(
    model,
    *,
    agreement: Agreement,
    actor,
    pk: int | None,
    limit: int,
    fields: dict,
    extra: Callable | None = None,
):
    def apply(locked: Agreement):
        if pk is None:
            line = model(agreement=locked)
            if limit and model.objects.filter(agreement=locked).count() >= limit:
                raise ValidationError(
                    _("An agreement can have at most %(count)s of these.") % {"count": limit}
                )
        else:
            line = model.objects.get(agreement=locked, pk=pk)
        for name, value in fields.items():
            setattr(line, name, value)
        if extra is not None:
            extra(line)
        line.full_clean()
        line.save()
        return line

    return change_terms(agreement=agreement, actor=actor, apply=apply)


def _delete_line(model, *, agreement: Agreement, actor, pk: int, queryset=None):
    def apply(locked: Agreement):
        (queryset if queryset is not None else model.objects).filter(
            agreement=locked, pk=pk
        ).delete()

    return change_terms(agreement=agreement, actor=actor, apply=apply)


def task_save(*, agreement: Agreement, actor, pk: int | None = None, **fields) -> Task:
    from ..models import MAX_TASKS

    return _save_line(Task, agreement=agreement, actor=actor, pk=pk, limit=MAX_TASKS, fields=fields)


def task_delete(*, agreement: Agreement, actor, pk: int) -> None:
    _delete_line(Task, agreement=agreement, actor=actor, pk=pk)


def provision_save(*, agreement: Agreement, actor, pk: int | None = None, **fields) -> Provision:
    from ..models import MAX_PROVISIONS

    return _save_line(
        Provision, agreement=agreement, actor=actor, pk=pk, limit=MAX_PROVISIONS, fields=fields
    )


def provision_delete(*, agreement: Agreement, actor, pk: int) -> None:
    _delete_line(Provision, agreement=agreement, actor=actor, pk=pk)


def payment_plan_save(*, agreement: Agreement, actor, pk: int | None = None, **fields) -> Payment:
    """An instalment of the payment plan (its due date and amount are terms)."""
    from ..models import MAX_PAYMENTS

    def plan_only(line: Payment):
        if line.source != PaymentSource.PLAN:
            raise ValidationError(_("Only the payment plan is part of the terms."))

    return _save_line(
        Payment,
        agreement=agreement,
        actor=actor,
        pk=pk,
        limit=MAX_PAYMENTS,
        fields=fields,
        extra=plan_only,
    )


def payment_plan_delete(*, agreement: Agreement, actor, pk: int) -> None:
    _delete_line(
        Payment,
        agreement=agreement,
        actor=actor,
        pk=pk,
        queryset=Payment.objects.filter(source=PaymentSource.PLAN, paid_on__isnull=True),
    )


def duty_save(*, agreement: Agreement, actor, pk: int | None = None, **fields) -> ReportDuty:
    from ..models import MAX_DUTIES

    return _save_line(
        ReportDuty, agreement=agreement, actor=actor, pk=pk, limit=MAX_DUTIES, fields=fields
    )


def duty_delete(*, agreement: Agreement, actor, pk: int) -> None:
    _delete_line(ReportDuty, agreement=agreement, actor=actor, pk=pk)
