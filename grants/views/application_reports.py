"""The committee's report on a grant paid afterwards, and its receipts.

``/tilskudd/soknad/<number>/rapport/`` is the committee board's page: the report form while it
is to be written or has been returned (``services.application_reports.can_edit_report``),
else the report read-only (sent, approved). "Save" keeps the report to finish later; "Send the
report" saves it and sends it to the municipality, which then has the scheme's ``answer_days``
to review it. Anyone not logged in goes to the log-in page; a logged-in person who may not see
the application, or an application with no report (not granted, or paid in advance), gets 404;
anyone else who is not on the board (staff included: they review in the admin) gets 403.

A receipt (``/tilskudd/kvittering/<pk>/``) is served, as a download, to the parties only: the
committee's board and staff who answer applications. Never public (it may name people and
shops); anyone else gets 404. The photos "after" are served by ``grants:application-photo``.

``report_panel_context`` is what ``grants/_application_report.html`` needs, for the
application's own page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.attachments import file_response
from core.forms import apply_service_errors

from .. import permissions, selectors
from ..forms.application_reports import (
    FILES_NOT_KEPT,
    MORE_ROWS,
    ReportForm,
    cost_line_formset,
    initial_lines,
)
from ..models import (
    Application,
    ApplicationEvent,
    ApplicationState,
    BudgetLine,
    PhotoKind,
)
from ..services import application_reports as reports

MORE_ROWS_BUTTON = "more_rows"
SEND_BUTTON = "send"


def _application_for_report(request, number: str) -> Application:
    try:
        application = selectors.application_get(number=number)
    except Application.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_application(request.user, application):
        raise Http404
    if not reports.has_report(application):
        raise Http404
    if not permissions.is_board(request.user, application.committee):
        raise PermissionDenied
    return application


def report_panel_context(user, application: Application) -> dict:
    """The report's figures, lines, linked dugnads and photos "after" for
    ``grants/_application_report.html`` (three queries however long the report is):
    ``report_lines``, ``report_photos``, ``report_dugnads``, ``report_hours``,
    ``report_costs``, ``report_payable`` and ``can_see_receipts``."""
    lines = list(BudgetLine.objects.filter(application=application, actual=True).order_by("pk"))
    photos = list(application.photos.filter(kind=PhotoKind.AFTER).order_by("created_at", "pk"))
    dugnads = list(application.dugnads.order_by("starts_at", "pk"))
    costs = sum((line.amount for line in lines), start=0)
    return {
        "report_lines": lines,
        "report_photos": photos,
        "report_dugnads": dugnads,
        "report_hours": reports.report_hours(application, dugnads=dugnads),
        "report_costs": costs,
        "report_payable": reports.payable_amount(application, costs=costs),
        "can_see_receipts": reports.can_see_receipts(user, application),
    }


def _return_comment(application: Application) -> str:
    event = (
        ApplicationEvent.objects.filter(
            application=application, to_state=ApplicationState.REPORT_RETURNED
        )
        .order_by("-created_at", "-pk")
        .only("message")
        .first()
    )
    return event.message if event else ""


def _with_more_rows(data, prefix: str):
    """The posted form again with ``MORE_ROWS`` more empty rows (nothing saved)."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except ValueError:
        total = 0
    data[key] = str(total + MORE_ROWS)
    return data


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_report(request, number: str):
    application = _application_for_report(request, number)
    editable = reports.can_edit_report(request.user, application)
    context = {
        "application": application,
        "editable": editable,
        "returned": application.state == ApplicationState.REPORT_RETURNED,
        **report_panel_context(request.user, application),
    }
    if context["returned"]:
        context["return_comment"] = _return_comment(application)
    if not editable:
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "grants/application_report.html", context)

    lines = context["report_lines"]
    photos = context["report_photos"]
    by_pk = {line.pk: line for line in lines}
    initial = initial_lines(lines)
    FormSet = cost_line_formset(initial_count=len(initial))
    dugnads = reports.linkable_dugnads(application)
    status = 200
    if request.method == "POST":
        data = request.POST
        more = MORE_ROWS_BUTTON in data
        if more:
            data = _with_more_rows(data, FormSet.get_default_prefix())
        form = ReportForm(data, request.FILES, dugnads=dugnads, existing_photos=photos)
        formset = FormSet(data, request.FILES, initial=initial, lines=by_pk)
        if not more and form.is_valid() & formset.is_valid():
            response = _save(request, application, form, formset, send=SEND_BUTTON in data)
            if response is not None:
                return response
        context["files_not_kept"] = FILES_NOT_KEPT if request.FILES else ""
        if not more:
            status = 400
    else:
        form = ReportForm(
            initial={
                "report_text": application.report_text,
                "actual_hours": application.actual_hours,
                "dugnads": [dugnad.pk for dugnad in context["report_dugnads"]],
            },
            dugnads=dugnads,
            existing_photos=photos,
        )
        formset = FormSet(initial=initial, lines=by_pk)
    context.update({"form": form, "formset": formset, "max_photos": form.max_photos})
    return render(request, "grants/application_report.html", context, status=status)


def _save(request, application, form, formset, *, send: bool):
    """Save (and with ``send``, send) the report; the response, or ``None`` with the
    service's refusal on the form. A report saved but not sendable yet is shown again from
    what was saved, with what it lacks."""
    try:
        reports.report_save(
            application=application,
            actor=request.user,
            report_text=form.cleaned_data["report_text"],
            actual_hours=form.cleaned_data["actual_hours"],
            dugnads=list(form.cleaned_data["dugnads"]),
            lines=formset.lines(),
            photos=form.photos(),
            remove_photos=form.removed_photos(),
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return None
    report_url = reverse("grants:application-report", kwargs={"number": application.number})
    if not send:
        messages.success(request, _("The report has been saved. Send it when it is complete."))
        return redirect(report_url)
    try:
        reports.report_submit(application=application, actor=request.user)
    except ValidationError as error:
        messages.warning(
            request,
            _("The report has been saved, but it cannot be sent yet: %(problems)s")
            % {"problems": " ".join(error.messages)},
        )
        return redirect(report_url)
    messages.success(request, _("Thank you! The report has been sent to the municipality."))
    return redirect(application.get_absolute_url())


@login_required
@require_safe
def receipt(request, pk: int):
    """A cost line's receipt, as a download, to the parties only (module docstring)."""
    try:
        line = BudgetLine.objects.select_related(
            "application__committee", "application__scheme"
        ).get(pk=pk, actual=True)
    except BudgetLine.DoesNotExist:
        raise Http404 from None
    application = line.application
    return file_response(
        line.receipt,
        allowed=bool(line.receipt) and reports.can_see_receipts(request.user, application),
        filename=f"kvittering-{application.number}-{line.pk}{line.extension}",
        content_type=line.content_type or None,
        types=reports.RECEIPT_TYPES,
    )
