"""Renewal and the agreement's own clock, run daily by ``agreements.follow_up``.

The portal takes these steps itself (``parties={Party.SYSTEM}``, no actor), each agreement in its
own transaction under its row lock, so a run may be late, missed or doubled:

1. signed by both and its first day has come → **active** (``signing.agreement_activate``);
2. active and its notice period has started (``ends_on`` − ``notice_months``) → **expiring**;
   both parties are told by the step;
3. after its last day (``ends_on``):

   - a renewal agreement ("Forny avtale", ``Agreement.renewed_by``) signed by both → **renewed**
     (the new agreement comes into force by itself on its first day, step 1);
   - else renewal "automatic" → the period is **extended** by its own length, the payment plan
     and the report duties of the period are copied, shifted to the new period, and it is
     **active** again ("renewed automatically"; both parties are told by the step);
   - else → **ended**; unpaid instalments and owed reports due after the end are cancelled.

A terminated agreement is left alone: nothing happens on it after its last day.

"Forny avtale" (:func:`agreement_renew`) makes a draft for the next period. Only municipal staff
who may draft agreements do it — every draft in this portal is the municipality's own contract
(``lifecycle.agreement_create``). The committee's leader has no button: the notice period's
notification reaches both parties, and the leader asks the department, which makes the draft;
the two parties then change it and sign it as a new agreement.
"""

import datetime
import logging

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.deadlines import add_months
from core.formatting import local_date

from ..models import (
    Agreement,
    AgreementEvent,
    DutyState,
    Party,
    Payment,
    PaymentSource,
    Provision,
    Renewal,
    ReportDuty,
    State,
    Task,
)
from ..permissions import can_draft_agreements
from .lifecycle import agreement_create, agreement_transition, lock, record
from .payments import cancel_after

logger = logging.getLogger(__name__)

ONE_DAY = datetime.timedelta(days=1)
# A successor signed by both parties (and not ended or terminated itself).
SIGNED_SUCCESSOR_STATES = frozenset({State.SIGNED_MUNICIPALITY, State.ACTIVE, State.EXPIRING})
RENEWABLE_STATES = frozenset({State.SIGNED_MUNICIPALITY, State.ACTIVE, State.EXPIRING})
LONGEST_NOTICE_MONTHS = 24  # Agreement.notice_months' limit


# --- periods ---------------------------------------------------------------------------------


def notice_starts(agreement: Agreement) -> datetime.date:
    """The first day of the notice period: ``notice_months`` before the last day."""
    return add_months(agreement.ends_on, -agreement.notice_months)


def automatic_renewals(agreement: Agreement) -> int:
    """How many times the period has been extended (expiring → active on its timeline)."""
    return agreement.events.filter(
        kind=AgreementEvent.Kind.TRANSITION, from_state=State.EXPIRING, to_state=State.ACTIVE
    ).count()


def period_length(agreement: Agreement) -> relativedelta:
    """The length of one period: in calendar months when the period is whole months (a year
    from 1 January stays 1 January – 31 December, leap years or not), else in days.

    An automatically renewed agreement keeps its first day and has had its last day moved on by
    one length each time, so the period so far is (renewals + 1) lengths."""
    periods = automatic_renewals(agreement) + 1
    span = relativedelta(agreement.ends_on + ONE_DAY, agreement.starts_on)
    months = span.years * 12 + span.months
    if span.days == 0 and months % periods == 0:
        return relativedelta(months=months // periods)
    return relativedelta(days=((agreement.ends_on + ONE_DAY - agreement.starts_on).days // periods))


def next_period(agreement: Agreement) -> tuple[datetime.date, datetime.date, relativedelta]:
    """The period after this one: from the day after its last day, of the same length."""
    length = period_length(agreement)
    starts = agreement.ends_on + ONE_DAY
    return starts, starts + length - ONE_DAY, length


def _last_period(lines: list, length: relativedelta) -> list:
    """The lines of the latest period: those due within one length up to the latest due date
    (a yearly report due in January after the year belongs with the year before it)."""
    if not lines:
        return []
    latest = max(line.due_on for line in lines)
    return [line for line in lines if line.due_on > latest - length]


def copy_plan_and_duties(*, source: Agreement, target: Agreement, length: relativedelta) -> None:
    """The latest period's payment plan and report duties on ``target``, each ``length`` later
    (unpaid and open: new lines). One by one, so the history keeps each."""
    plan = list(
        Payment.objects.filter(agreement=source, source=PaymentSource.PLAN, cancelled=False)
    )
    for payment in _last_period(plan, length):
        line = Payment(
            agreement=target,
            source=PaymentSource.PLAN,
            description=payment.description,
            due_on=payment.due_on + length,
            amount=payment.amount,
        )
        line.full_clean()
        line.save()
    duties = list(ReportDuty.objects.filter(agreement=source).exclude(state=DutyState.CANCELLED))
    for duty in _last_period(duties, length):
        line = ReportDuty(agreement=target, title=duty.title, due_on=duty.due_on + length)
        line.full_clean()
        line.save()


# --- "Forny avtale" ----------------------------------------------------------------------------

COPIED_FIELDS = (
    "title",
    "kind",
    "terms",
    "notice_months",
    "renewal",
    "own_contribution_per_year",
    "municipal_cost_per_year",
    "municipal_cost_basis",
)
TASK_FIELDS = (
    "kind",
    "description",
    "locations",
    "season",
    "frequency",
    "hours_per_year",
    "pricing",
    "amount",
    "occasions_per_year",
    "position",
)
PROVISION_FIELDS = ("kind", "description", "value_per_year")


@transaction.atomic
def agreement_renew(*, agreement: Agreement, actor) -> Agreement:
    """ "Forny avtale": a new draft for the next period (from the day after the last day, of the
    same length), copying the title, type, written terms, notice and renewal, the tasks, what
    the municipality provides, the estimates, and the period's payment plan and report duties
    shifted to the new period; numbered like every agreement, with ``renews=agreement``.

    Municipal staff who may draft agreements only; one renewal draft per agreement."""
    if actor is None or not can_draft_agreements(actor):
        raise ValidationError(_("Only municipal staff can make the draft for the next period."))
    agreement = lock(agreement)
    if agreement.state not in RENEWABLE_STATES:
        raise ValidationError(
            _("Only an agreement signed by both parties and not ended can be renewed.")
        )
    existing = Agreement.objects.filter(renews=agreement).first()
    if existing is not None:
        raise ValidationError(
            _("This agreement already has a draft for the next period: %(number)s.")
            % {"number": existing.number}
        )
    starts, ends, length = next_period(agreement)
    # The period's rules (agreements.rules: at most ten years, dates the portal can hold) are
    # the draft's own: agreement_create checks them.
    draft = agreement_create(
        committee=agreement.committee,
        department=agreement.department,
        actor=actor,
        starts_on=starts,
        ends_on=ends,
        renews=agreement,
        **{name: getattr(agreement, name) for name in COPIED_FIELDS},
    )
    for task in agreement.tasks.all():
        Task.objects.create(agreement=draft, **{name: getattr(task, name) for name in TASK_FIELDS})
    for provision in agreement.provisions.all():
        Provision.objects.create(
            agreement=draft, **{name: getattr(provision, name) for name in PROVISION_FIELDS}
        )
    copy_plan_and_duties(source=agreement, target=draft, length=length)
    record(
        agreement,
        kind=AgreementEvent.Kind.RENEWED,
        actor=actor,
        party=Party.MUNICIPALITY,
        message=_("A draft for the next period: %(number)s") % {"number": draft.number},
    )
    return draft


# --- the daily clock -----------------------------------------------------------------------------


def _each(pks, do, counts: dict[str, int]) -> None:
    """``do(pk)`` for each, each in its own transaction (a savepoint); what it returns (the
    outcome's name, or ``None`` for nothing to do) is counted. One that cannot move is logged and
    left for the next run; the others go on."""
    for pk in pks:
        try:
            with transaction.atomic():
                outcome = do(pk)
        except ValidationError as error:
            logger.warning("agreement %s: the daily follow-up could not move it: %s", pk, error)
            continue
        if outcome:
            counts[outcome] += 1


def _activate(pk: int, today: datetime.date) -> str | None:
    from .signing import agreement_activate

    agreement = lock(Agreement(pk=pk))
    if agreement.state != State.SIGNED_MUNICIPALITY or agreement.starts_on > today:
        return None
    agreement_activate(agreement=agreement, actor=None)
    return "activated"


def _open_notice(pk: int, today: datetime.date) -> str | None:
    agreement = lock(Agreement(pk=pk))
    if agreement.state != State.ACTIVE or notice_starts(agreement) > today:
        return None
    agreement_transition(
        agreement=agreement, actor=None, to_state=State.EXPIRING, parties={Party.SYSTEM}
    )
    return "notice"


def _renew_automatically(agreement: Agreement) -> None:
    """Extend the period by its own length, copy the period's plan and duties to the new one,
    and be active again (expiring → active: both parties are told)."""
    if agreement.state == State.ACTIVE:  # its notice step was missed: take it first
        agreement = agreement_transition(
            agreement=agreement, actor=None, to_state=State.EXPIRING, parties={Party.SYSTEM}
        )
    length = period_length(agreement)
    new_end = agreement.ends_on + ONE_DAY + length - ONE_DAY

    def extend(*, agreement, step, party, message):
        # The new end first: the copied lines fall due in the new period (agreements.rules).
        agreement.ends_on = new_end
        copy_plan_and_duties(source=agreement, target=agreement, length=length)

    agreement_transition(
        agreement=agreement,
        actor=None,
        to_state=State.ACTIVE,
        parties={Party.SYSTEM},
        message=_("Renewed automatically until %(day)s.") % {"day": local_date(new_end)},
        change=extend,
    )


def _end(pk: int, today: datetime.date) -> str | None:
    agreement = lock(Agreement(pk=pk))
    if agreement.state not in (State.ACTIVE, State.EXPIRING) or agreement.ends_on >= today:
        return None
    successor = Agreement.objects.filter(
        renews=agreement, state__in=SIGNED_SUCCESSOR_STATES
    ).first()
    if successor is not None:
        agreement_transition(
            agreement=agreement,
            actor=None,
            to_state=State.RENEWED,
            parties={Party.SYSTEM},
            message=successor.number,
        )
        cancel_after(agreement=agreement, day=agreement.ends_on)
        return "succeeded"
    if agreement.renewal == Renewal.AUTOMATIC:
        _renew_automatically(agreement)
        return "renewed"
    agreement_transition(
        agreement=agreement, actor=None, to_state=State.ENDED, parties={Party.SYSTEM}
    )
    cancel_after(agreement=agreement, day=agreement.ends_on)
    return "ended"


def agreements_follow_up(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily clock: activate, open notice periods, then end, renew or extend (the module's
    docstring). Activation comes first, so an agreement signed late whose notice period has
    already started moves on in the same run. Returns how many of each."""
    today = today or timezone.localdate()
    counts = {"activated": 0, "notice": 0, "succeeded": 0, "renewed": 0, "ended": 0}

    def pks(qs) -> list[int]:
        return list(qs.order_by("pk").values_list("pk", flat=True))

    signed = Agreement.objects.filter(state=State.SIGNED_MUNICIPALITY, starts_on__lte=today)
    _each(pks(signed), lambda pk: _activate(pk, today), counts)
    # The notice period is months; the query is generous and the row decides.
    soon = Agreement.objects.filter(
        state=State.ACTIVE, ends_on__lte=add_months(today, LONGEST_NOTICE_MONTHS)
    )
    _each(pks(soon), lambda pk: _open_notice(pk, today), counts)
    over = Agreement.objects.filter(state__in=(State.ACTIVE, State.EXPIRING), ends_on__lt=today)
    _each(pks(over), lambda pk: _end(pk, today), counts)
    return counts
