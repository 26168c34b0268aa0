"""Both parties' deadlines on a grant application, followed up daily through ``core.deadlines``
(``grants.tasks.follow_up_applications``): read from the rows, nothing stored for them.

The municipality's deadlines count exactly as much as the committee's:

- **the municipality** (``answer_due``): its answer to a submitted application, and its review
  of a report that has been sent (states ``SUBMITTED``, ``REPORTED``). The scheme's department
  (``selectors.department_recipients``) is reminded ``GRANTS["REMINDER_DAYS_BEFORE"]`` days
  before; once passed it is told again, escalated to every case handler, and the committee's
  board sees it too (``ANSWER_DUE`` / ``ANSWER_OVERDUE``);
- **the committee** (``committee_due``): the extra information asked for (``MORE_INFO``), the
  report of a grant paid afterwards (``GRANTED``) and a returned report's corrections
  (``REPORT_RETURNED``). The board is reminded as many days before; once passed the board is
  told again and it is escalated to the department (``COMMITTEE_DUE`` / ``COMMITTEE_OVERDUE``).

A deadline runs only in its state: once the application has moved on (answered, sent,
decided, withdrawn) it is not reminded. Each notification has a dedupe key naming the
application, what the deadline is for and its date
(``grant-application:7:deadline:answer:2027-06-30:passed``): a re-run sends nothing twice, a
moved deadline gets fresh reminders; a passed deadline is told for ``GRANTS["LOOKBACK_DAYS"]``
days, so a missed run is caught up.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from committees.staff import case_handlers
from core.deadlines import Deadline, DeadlineFollowUp
from notifications.services import notify

from . import notifications as kinds
from .models import Application, ApplicationState, PaymentRule
from .selectors import board_recipients, department_recipients

A = ApplicationState

# What each state's deadline is for (the deadline's kind, in its dedupe key).
MUNICIPALITY_DEADLINES = {A.SUBMITTED: "answer", A.REPORTED: "review"}
COMMITTEE_DEADLINES = {
    A.MORE_INFO: "more-info",
    A.GRANTED: "report",
    A.REPORT_RETURNED: "correction",
}
# Committee deadlines that need the report's page (paid afterwards).
REPORT_STATES = frozenset({A.GRANTED, A.REPORT_RETURNED})


def municipality_deadline(application: Application) -> Deadline | None:
    """The municipality's running deadline: its answer or its review of the report."""
    kind = MUNICIPALITY_DEADLINES.get(application.state)
    if kind is None or application.answer_due is None:
        return None
    return Deadline(kind, application.answer_due)


def committee_deadline(application: Application) -> Deadline | None:
    """The committee's running deadline: more information, the report (paid afterwards only:
    paid in advance, a granted application has nothing left to do) or its corrections."""
    kind = COMMITTEE_DEADLINES.get(application.state)
    if kind is None or application.committee_due is None:
        return None
    if application.state == A.GRANTED and not application.scheme.paid_afterwards:
        return None
    return Deadline(kind, application.committee_due)


def _only(deadline: Deadline | None) -> list[Deadline]:
    return [deadline] if deadline is not None else []


def _key_prefix(application: Application) -> str:
    return f"grant-application:{application.pk}:deadline"


def _context(application, deadline, phase) -> dict:
    return {"application": application, "deadline": deadline}


def _department(application: Application) -> list:
    return department_recipients(application.scheme.department)


def _board(application: Application) -> list:
    return board_recipients(application.committee)


def _committee_target(application: Application) -> str:
    if application.state in REPORT_STATES:
        return reverse("grants:application-report", kwargs={"number": application.number})
    return application.get_absolute_url()


def _settings() -> dict:
    return {
        "days_before": settings.GRANTS["REMINDER_DAYS_BEFORE"],
        "lookback_days": settings.GRANTS["LOOKBACK_DAYS"],
    }


def _municipality_q() -> Q:
    return Q(state__in=list(MUNICIPALITY_DEADLINES))


def _committee_q() -> Q:
    return Q(state__in=[A.MORE_INFO, A.REPORT_RETURNED]) | Q(
        state=A.GRANTED, scheme__payment_rule=PaymentRule.AFTERWARDS
    )


def municipality_follow_up(*, today: datetime.date) -> dict[str, int]:
    """Remind the department of each answer or review due soon; once passed tell it again,
    with every case handler and the committee's board."""
    waiting = Application.objects.filter(_municipality_q())
    return DeadlineFollowUp(
        candidates=lambda low, high: waiting.filter(answer_due__range=(low, high)),
        current=waiting.select_related("scheme__department", "committee"),
        deadlines_of=lambda application: _only(municipality_deadline(application)),
        key_prefix=_key_prefix,
        reminder_kind=kinds.ANSWER_DUE,
        passed_kind=kinds.ANSWER_OVERDUE,
        reminder_recipients=lambda application, deadline: _department(application),
        passed_recipients=lambda application, deadline: _department(application),
        escalation_recipients=lambda application, deadline: [
            *case_handlers(),
            *_board(application),
        ],
        context=_context,
        notify=notify,
        **_settings(),
    ).run(today=today)


def committee_follow_up(*, today: datetime.date) -> dict[str, int]:
    """Remind the board of each deadline of its own due soon; once passed tell the board again
    and escalate to the department."""
    waiting = Application.objects.filter(_committee_q())
    return DeadlineFollowUp(
        candidates=lambda low, high: waiting.filter(committee_due__range=(low, high)),
        current=waiting.select_related("scheme__department", "committee"),
        deadlines_of=lambda application: _only(committee_deadline(application)),
        key_prefix=_key_prefix,
        reminder_kind=kinds.COMMITTEE_DUE,
        passed_kind=kinds.COMMITTEE_OVERDUE,
        reminder_recipients=lambda application, deadline: _board(application),
        passed_recipients=lambda application, deadline: _board(application),
        escalation_recipients=lambda application, deadline: _department(application),
        context=_context,
        target=_committee_target,
        notify=notify,
        **_settings(),
    ).run(today=today)


def applications_follow_up(*, today: datetime.date | None = None) -> dict[str, int]:
    """Both parties' deadlines for ``today`` (default: today in Oslo). Returns how many
    notifications: ``{"soon": n, "passed": n}``."""
    today = today or timezone.localdate()
    counts = {"soon": 0, "passed": 0}
    for follow_up in (municipality_follow_up, committee_follow_up):
        for phase, n in follow_up(today=today).items():
            counts[phase] += n
    return counts
