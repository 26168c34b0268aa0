"""An application's and an annual report's steps through ``core.steps.take_step``, their
timelines, and the application's creation (numbered TSK-YYYY-NNN)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.steps import take_step, tell
from notifications.services import notify

from ..models import (
    AnnualReport,
    AnnualReportEvent,
    Application,
    ApplicationCounter,
    ApplicationEvent,
    Party,
)
from ..permissions import annual_report_parties, application_parties, can_apply
from ..selectors import board_recipients, department_recipients
from ..steps import ANNUAL_REPORT_STEPS, APPLICATION_STEPS, BOARD, DEPARTMENT

NUMBER_PREFIX = "TSK"


def next_number(year: int) -> str:
    """TSK-2026-001: one counter row per year, taken atomically (safe in parallel)."""
    return f"{NUMBER_PREFIX}-{year}-{ApplicationCounter.next_number(year):03d}"


def _audiences(committee_of, department_of):
    return {
        BOARD: lambda obj, event: board_recipients(committee_of(obj)),
        DEPARTMENT: lambda obj, event: department_recipients(department_of(obj)),
    }


APPLICATION_AUDIENCES = _audiences(lambda a: a.committee, lambda a: a.scheme.department)


def _report_department(report: AnnualReport):
    """Annual reports go to the department that runs the committees' schemes: the setting
    ``GRANTS["ANNUAL_REPORT_DEPARTMENT"]`` (a department's slug); with none, every case
    handler (``department_recipients(None)`` falls back to them)."""
    from django.conf import settings

    from committees.models import Department

    slug = settings.GRANTS.get("ANNUAL_REPORT_DEPARTMENT", "")
    return Department.objects.filter(slug=slug).first() if slug else None


ANNUAL_REPORT_AUDIENCES = _audiences(lambda r: r.committee, _report_department)


def lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("scheme", "scheme__department", "committee")
        .get(pk=application.pk)
    )


def record(application: Application, *, kind: str, actor, party: str, message: str = ""):
    """A timeline line that is not a step (a payment created or made)."""
    return ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        actor=actor,
        actor_party=party,
        from_state=application.state,
        to_state=application.state,
        message=message,
    )


@transaction.atomic
def application_create(*, scheme, committee, actor, **fields) -> Application:
    """A draft application from the committee's board to an application-based scheme."""
    if actor is not None and not can_apply(actor, committee):
        raise ValidationError(_("Only the committee's board can apply for a grant."))
    application = Application(
        scheme=scheme,
        committee=committee,
        created_by=actor,
        number=next_number(timezone.localdate().year),
        **fields,
    )
    application.full_clean()
    application.save()
    ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        actor_party=Party.COMMITTEE,
        to_state=application.state,
    )
    return application


def _notify_hook(obj, *, actor, key: str, audiences, context: dict):
    def hook(*, step, event):
        tell(
            step=step,
            obj=obj,
            event=event,
            actor=actor,
            audiences=audiences,
            send=notify,
            context=context,
            key=f"{key}:{event.pk}",
        )

    return hook


@transaction.atomic
def application_transition(
    *,
    application: Application,
    actor,
    to_state: str,
    message: str = "",
    parties: set[str] | None = None,
    change=None,
) -> Application:
    """Take the step to ``to_state`` if the table has it and ``actor`` may. ``parties`` is given
    only by this app's services for steps they take as a consequence of something else;
    ``change(application=, step=, party=, message=)`` applies the calling service's rules
    (deadlines, amounts) before the row is validated and saved."""
    application = lock_application(application)
    if parties is None:
        parties = application_parties(actor, application) if actor is not None else set()
        step = APPLICATION_STEPS.step(application.state, to_state)
        if step.by_service:
            raise ValidationError(str(APPLICATION_STEPS.refused))

    def apply(*, step, party, message):
        if change is not None:
            change(application=application, step=step, party=party, message=message)

    take_step(
        table=APPLICATION_STEPS,
        obj=application,
        to_state=to_state,
        actor=actor,
        parties=parties,
        message=message,
        change=apply,
        record=lambda **fields: ApplicationEvent.objects.create(
            application=application, kind=ApplicationEvent.Kind.TRANSITION, **fields
        ),
        notify=_notify_hook(
            application,
            actor=actor,
            key=f"grant-application:{application.pk}:step",
            audiences=APPLICATION_AUDIENCES,
            context={"application": application},
        ),
    )
    return application


def annual_report_get_or_open(*, committee, year: int) -> AnnualReport:
    """The committee's report for ``year``, opened (state "open", due by the setting) the first
    time anyone asks for it; safe in parallel (the unique constraint)."""
    from ..models import annual_report_due

    report, _created = AnnualReport.objects.get_or_create(
        committee=committee, year=year, defaults={"due_on": annual_report_due(year)}
    )
    return report


def lock_annual_report(report: AnnualReport) -> AnnualReport:
    return (
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related("committee")
        .get(pk=report.pk)
    )


@transaction.atomic
def annual_report_transition(
    *,
    report: AnnualReport,
    actor,
    to_state: str,
    message: str = "",
    parties: set[str] | None = None,
    change=None,
) -> AnnualReport:
    """An annual report's step (``ANNUAL_REPORT_STEPS``), like ``application_transition``."""
    report = lock_annual_report(report)
    if parties is None:
        parties = annual_report_parties(actor, report.committee) if actor is not None else set()
        step = ANNUAL_REPORT_STEPS.step(report.state, to_state)
        if step.by_service:
            raise ValidationError(str(ANNUAL_REPORT_STEPS.refused))

    def apply(*, step, party, message):
        if change is not None:
            change(report=report, step=step, party=party, message=message)

    take_step(
        table=ANNUAL_REPORT_STEPS,
        obj=report,
        to_state=to_state,
        actor=actor,
        parties=parties,
        message=message,
        change=apply,
        record=lambda **fields: AnnualReportEvent.objects.create(annual_report=report, **fields),
        notify=_notify_hook(
            report,
            actor=actor,
            key=f"annual-report:{report.pk}:step",
            audiences=ANNUAL_REPORT_AUDIENCES,
            context={"report": report},
        ),
    )
    return report


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)
