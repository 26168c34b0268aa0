"""The municipality answers a sent application: staff who answer applications ask for more
information (``application_ask_more``: what is missing, required; the committee answers by
``committee_due`` = today + the scheme's ``info_days``), refuse (``application_refuse``: the
reason, required) or grant (``application_grant``): an amount more than 0, at most the amount
applied for and the scheme's ``max_amount``, and within the pot (what the scheme has granted
already plus this). Granting locks the scheme's row, so two grants at once cannot both spend the
last of the pot. Paid in advance, the payment is created at once
(``services.payments.grant_payment_create``, due in the scheme's ``payment_days``) and the
portal takes the step to "approved for payment"; paid afterwards, the committee's report is due
by the scheme's ``report_deadline``, or ``REPORT_DAYS_AFTER_END`` days after the application's
end.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import local_date, money

from ...models import (
    PUBLIC_APPLICATION_STATES,
    Application,
    ApplicationEvent,
    ApplicationState,
    GrantScheme,
    Party,
)
from ...permissions import can_answer_applications
from .. import payments
from ..lifecycle import application_transition, lock_application, record
from .checks import MESSAGE_MAX_LENGTH, ORE, _decimal, text_problems

A = ApplicationState
# After the application's last day, the report of a grant paid afterwards is due within this
# many days when the scheme has no report deadline of its own.
REPORT_DAYS_AFTER_END = 30
CONDITIONS_MAX_LENGTH = Application._meta.get_field("conditions").max_length


def _refuse_unless_answerable(application: Application, actor) -> None:
    if not can_answer_applications(actor):
        raise ValidationError(_("Only municipal staff who answer applications can do that."))
    if application.state != A.SUBMITTED:
        raise ValidationError(
            _("Only a submitted application can be answered; this one is “%(state)s”.")
            % {"state": application.get_state_display()}
        )


def _required_text(value, *, missing: str, field: str) -> str:
    if found := text_problems(value or "", max_length=MESSAGE_MAX_LENGTH, required=missing):
        raise ValidationError({field: found})
    return value.strip()


@transaction.atomic
def application_ask_more(*, application: Application, actor, message: str) -> Application:
    """Staff ask for what is missing (required): the committee sends the application again by
    ``committee_due`` (today + the scheme's ``info_days``); the municipality's clock stops."""
    application = lock_application(application)
    _refuse_unless_answerable(application, actor)
    message = _required_text(
        message, missing=_("Write what the committee must add."), field="message"
    )
    today = timezone.localdate()

    def change(*, application, **kwargs):
        application.committee_due = today + datetime.timedelta(days=application.scheme.info_days)
        application.answer_due = None

    return application_transition(
        application=application,
        actor=actor,
        to_state=A.MORE_INFO,
        message=message,
        change=change,
    )


@transaction.atomic
def application_refuse(*, application: Application, actor, reason: str) -> Application:
    """Staff refuse the application with the reason (required); the committee is told."""
    application = lock_application(application)
    _refuse_unless_answerable(application, actor)
    reason = _required_text(
        reason, missing=_("Write why the application is refused."), field="reason"
    )
    now = timezone.now()

    def change(*, application, **kwargs):
        application.decided_at = now
        application.answer_due = None
        application.committee_due = None

    return application_transition(
        application=application,
        actor=actor,
        to_state=A.REFUSED,
        message=reason,
        change=change,
    )


def granted_in_scheme(scheme: GrantScheme, *, excluding: Application | None = None) -> Decimal:
    """What the scheme has granted to applications granted or paid (one query)."""
    qs = Application.objects.filter(scheme=scheme, state__in=sorted(PUBLIC_APPLICATION_STATES))
    if excluding is not None:
        qs = qs.exclude(pk=excluding.pk)
    return qs.aggregate(total=Sum("amount_granted"))["total"] or Decimal(0)


def grant_problems(application: Application, amount) -> list[str]:
    """Why ``amount`` cannot be granted (empty when it can): more than 0, at most what was
    applied for and the scheme's most per application, and within what is left of the pot."""
    number = _decimal(amount)
    if number is None or not number.is_finite():
        return [_("Write the amount as a number, e.g. 1250.50.")]
    if number != number.quantize(ORE):
        return [_("Write the amount with at most two decimals (øre).")]
    if number <= 0:
        return [_("The amount granted must be more than 0.")]
    if number > application.amount_requested:
        return [
            _("The amount granted cannot be more than the amount applied for (%(amount)s).")
            % {"amount": money(application.amount_requested)}
        ]
    scheme = application.scheme
    if scheme.max_amount is not None and number > scheme.max_amount:
        return [_("The scheme gives at most %(amount)s.") % {"amount": money(scheme.max_amount)}]
    granted = granted_in_scheme(scheme, excluding=application)
    if granted + number > scheme.pot:
        return [
            _(
                "The pot is exceeded: %(granted)s of %(pot)s has been granted already, so at "
                "most %(left)s is left."
            )
            % {
                "granted": money(granted),
                "pot": money(scheme.pot),
                "left": money(max(scheme.pot - granted, Decimal(0))),
            }
        ]
    return []


def report_due_for(application: Application) -> datetime.date:
    """When the report of a grant paid afterwards is due: the scheme's report deadline, else
    ``REPORT_DAYS_AFTER_END`` days after the application's last day."""
    return application.scheme.report_deadline or application.ends_on + datetime.timedelta(
        days=REPORT_DAYS_AFTER_END
    )


@transaction.atomic
def application_grant(
    *, application: Application, actor, amount, conditions: str = ""
) -> Application:
    """Staff grant ``amount`` with ``conditions`` (optional). Paid in advance: the payment is
    created once, at once, and the application is approved for payment; paid afterwards: the
    committee reports by ``report_due_for``."""
    application = lock_application(application)
    _refuse_unless_answerable(application, actor)
    # The scheme's row lock: grants from one pot are decided one at a time.
    scheme = GrantScheme.objects.select_for_update().get(pk=application.scheme_id)
    application.scheme = scheme
    if found := grant_problems(application, amount):
        raise ValidationError({"amount": found})
    if found := text_problems(conditions or "", max_length=CONDITIONS_MAX_LENGTH):
        raise ValidationError({"conditions": found})
    amount = _decimal(amount)
    now = timezone.now()
    today = timezone.localdate()
    advance = not scheme.paid_afterwards

    def change(*, application, **kwargs):
        application.amount_granted = amount
        application.conditions = (conditions or "").strip()
        application.decided_at = now
        application.answer_due = None
        application.committee_due = None if advance else report_due_for(application)

    application = application_transition(
        application=application,
        actor=actor,
        to_state=A.GRANTED,
        message=(conditions or "").strip(),
        parties={Party.MUNICIPALITY},  # checked above (a by_service step: it takes an amount)
        change=change,
    )
    if advance:
        application = _pay_in_advance(application, actor=actor, today=today)
    return application


def _pay_in_advance(application: Application, *, actor, today: datetime.date) -> Application:
    if application.payment_id is not None:
        return application  # created once
    scheme = application.scheme
    payment = payments.grant_payment_create(
        committee=application.committee,
        department=scheme.department,
        amount=application.amount_granted,
        due_on=today + datetime.timedelta(days=scheme.payment_days),
        description=f"{application.number} {application.title}",
    )

    def change(*, application, **kwargs):
        application.payment = payment

    application = application_transition(
        application=application,
        actor=actor,
        to_state=A.PAYABLE,
        parties={Party.SYSTEM},
        change=change,
    )
    record(
        application,
        kind=ApplicationEvent.Kind.PAYMENT_CREATED,
        actor=actor,
        party=Party.SYSTEM,
        message=_("%(amount)s, due %(due)s")
        % {"amount": money(payment.amount), "due": local_date(payment.due_on)},
    )
    return application
