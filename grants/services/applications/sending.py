"""The committee's board sends its application (``application_submit``) while the scheme is
open, sends it again after the municipality asked for more (``application_resubmit``, even
after the scheme's deadline: it was sent in time) and withdraws it until it is answered
(``application_withdraw``). Sending starts the municipality's clock: it answers by
``answer_due`` (today + the scheme's ``answer_days``).

To be sent, an application needs a budget, and asks for more than nothing and no more than the
budget's total (and no more than the scheme gives: ``max_amount``, the model's rule).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import money

from ...models import Application, ApplicationState
from ...permissions import is_board
from ..lifecycle import application_transition, lock_application
from .checks import MESSAGE_MAX_LENGTH, budget_total, text_problems
from .drafts import scheme_open_problems

A = ApplicationState


def submit_problems(application: Application) -> list[str]:
    """What the application lacks before it can be sent (empty when it can be)."""
    lines = list(application.budget_lines.filter(actual=False))
    if not lines:
        return [_("Add a budget: at least one line of what it will cost.")]
    if not application.amount_requested or application.amount_requested <= 0:
        return [_("Write the amount you apply for: more than zero.")]
    total = budget_total(lines)
    if application.amount_requested > total:
        return [
            _("The amount applied for (%(amount)s) is more than the budget's total (%(total)s).")
            % {"amount": money(application.amount_requested), "total": money(total)}
        ]
    return []


def _refuse_unless_board(application: Application, actor) -> None:
    if not is_board(actor, application.committee):
        raise ValidationError(_("Only the committee's board can do that."))


def _send(application: Application, *, actor, from_state: str) -> Application:
    application = lock_application(application)
    _refuse_unless_board(application, actor)
    if application.state != from_state:
        raise ValidationError(
            _("The application is “%(state)s”, so it cannot be sent now.")
            % {"state": application.get_state_display()}
        )
    if from_state == A.DRAFT and (found := scheme_open_problems(application.scheme)):
        raise ValidationError(found)
    if found := submit_problems(application):
        raise ValidationError(found)
    now = timezone.now()
    today = timezone.localdate()

    def change(*, application, **kwargs):
        application.submitted_at = now
        application.answer_due = today + datetime.timedelta(days=application.scheme.answer_days)
        application.committee_due = None

    return application_transition(
        application=application, actor=actor, to_state=A.SUBMITTED, change=change
    )


@transaction.atomic
def application_submit(*, application: Application, actor) -> Application:
    """The board sends its draft while the scheme is open: the department is told and answers
    by ``answer_due`` (today + the scheme's ``answer_days``)."""
    return _send(application, actor=actor, from_state=A.DRAFT)


@transaction.atomic
def application_resubmit(*, application: Application, actor) -> Application:
    """The board sends the application again with what was asked for (the scheme's deadline
    does not apply: it was sent in time); the municipality's clock starts again."""
    return _send(application, actor=actor, from_state=A.MORE_INFO)


@transaction.atomic
def application_withdraw(*, application: Application, actor, message: str = "") -> Application:
    """The board withdraws its application until it is answered; no deadline runs after."""
    application = lock_application(application)
    _refuse_unless_board(application, actor)
    if found := text_problems(message or "", max_length=MESSAGE_MAX_LENGTH):
        raise ValidationError({"message": found})

    def change(*, application, **kwargs):
        application.answer_due = None
        application.committee_due = None

    return application_transition(
        application=application,
        actor=actor,
        to_state=A.WITHDRAWN,
        message=(message or "").strip(),
        change=change,
    )
