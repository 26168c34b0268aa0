"""The committee's reports: the report page, its photos, and the duties' panel on the
agreement's page (``report_duties_context``).

``/avtaler/<number>/rapport/<pk>/`` is the report form for the committee's board while the duty
is owed (open, or returned with a comment) and the agreement is in force
(``services.reports.can_edit_report``); for everyone else of the two parties, and once
submitted, it is the report read-only. Anyone not logged in goes to the log-in page; a
logged-in person who is not a party gets 404 for an unsigned agreement (its existence is the
parties' own) and 403 for a signed one.

A photo (``/avtaler/rapportbilde/<pk>/``) is served to the parties; once the agreement is public
(signed by both) and the report approved, to everyone, like a dugnad report's photos: an
approved report is part of what was agreed and done, and the photos were uploaded to be shown
(location and camera data are removed). A report under review or returned stays the parties'
own. Anyone else gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.attachments import file_response
from core.forms import apply_service_errors

from .. import permissions, report_selectors, selectors
from ..forms.report import (
    FILES_NOT_KEPT,
    MORE_ROWS,
    ReportForm,
    initial_lines,
    line_formset,
)
from ..models import Agreement, DutyState, ReportDuty, ReportPhoto
from ..services import report_photos
from ..services.reports import can_edit_report, is_reportable
from ..services.reports import report_submit as submit_service

MORE_ROWS_BUTTON = "more_rows"


def _duty_for(request, number: str, pk: int) -> ReportDuty:
    try:
        agreement = selectors.agreement_get(number=number)
    except Agreement.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_agreement(request.user, agreement):
        raise Http404
    if not permissions.is_party(request.user, agreement):
        raise PermissionDenied
    try:
        return report_selectors.duty_for_page(agreement=agreement, pk=pk)
    except ReportDuty.DoesNotExist:
        raise Http404 from None


def _with_more_rows(data, prefix: str):
    """The posted form again with ``MORE_ROWS`` more empty rows (not saved: no JavaScript
    needed to add lines)."""
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
def report_form(request, number: str, pk: int):
    duty = _duty_for(request, number, pk)
    agreement = duty.agreement
    today = timezone.localdate()
    editable = can_edit_report(request.user, duty, today=today)
    tasks = list(agreement.tasks.all())
    photos = list(duty.photos.all())
    context = {
        "agreement": agreement,
        "duty": duty,
        "lines": list(duty.lines.all()),
        "photos": photos,
        "tasks": tasks,
        "editable": editable,
        "returned": duty.state == DutyState.RETURNED,
    }
    if not editable:
        if request.method == "POST":
            raise PermissionDenied
        context["hours_total"] = sum((line.hours for line in context["lines"]), 0)
        if duty.state == DutyState.SUBMITTED and permissions.can_review_reports(request.user):
            # Approving and returning are the admin's actions (admin/reports.py).
            context["review_url"] = reverse("admin:agreements_reportduty_change", args=[duty.pk])
        return render(request, "agreements/report_form.html", context)

    initial = initial_lines(duty)
    formset_options = {"agreement": agreement, "tasks": tasks, "today": today}
    FormSet = line_formset(initial_count=len(initial))
    status = 200
    if request.method == "POST":
        data = request.POST
        more = MORE_ROWS_BUTTON in data
        if more:
            data = _with_more_rows(data, FormSet.get_default_prefix())
        form = ReportForm(data, request.FILES, existing_photos=photos)
        formset = FormSet(data, initial=initial, **formset_options)
        if more:
            context["files_not_kept"] = FILES_NOT_KEPT if form.has_files() else ""
        elif form.is_valid() & formset.is_valid():
            try:
                submit_service(
                    duty=duty,
                    actor=request.user,
                    summary=form.cleaned_data["summary"],
                    lines=formset.lines(),
                    photos=form.photos(),
                    remove_photos=form.removed_photos(),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request, _("Thank you! The report has been sent to the municipality.")
                )
                return redirect(agreement.get_absolute_url() + "#report-duties")
        if not more:
            status = 400
            context["files_not_kept"] = FILES_NOT_KEPT if form.has_files() else ""
    else:
        form = ReportForm(initial={"summary": duty.summary}, existing_photos=photos)
        formset = FormSet(initial=initial, **formset_options)
    context.update({"form": form, "formset": formset, "max_photos": form.max_photos})
    return render(request, "agreements/report_form.html", context, status=status)


@require_safe
def photo(request, pk: int):
    """A report's photo, shown in the page (``inline``), by the rule in the module's docstring."""
    try:
        item = ReportPhoto.objects.select_related(
            "duty__agreement__committee", "duty__agreement__department"
        ).get(pk=pk)
    except ReportPhoto.DoesNotExist:
        raise Http404 from None
    return file_response(
        item.file,
        allowed=can_see_photo(request.user, item),
        filename=f"rapport-{item.duty_id}-{item.pk}.{item.extension}",
        content_type=report_photos.content_type_of(item),
        inline=True,
        types=report_photos.PHOTO_TYPES,
    )


def can_see_photo(user, photo: ReportPhoto) -> bool:
    agreement = photo.duty.agreement
    if permissions.is_party(user, agreement):
        return True
    return agreement.is_public and photo.duty.state == DutyState.APPROVED


def report_duties_context(request, agreement: Agreement) -> dict:
    """What ``agreements/_report_duties.html`` needs besides ``agreement`` (its duties
    prefetched by ``selectors.with_lines``): ``can_report`` for the "Write the report" links
    (the board, while reports can be written), ``can_see_reports`` for the links to written
    reports (the parties), and each duty's figures
    (``report_selectors.with_duty_figures``, two queries). Without it the panel shows the
    duties without their figures and links."""
    report_selectors.with_duty_figures([agreement])
    return {
        "can_report": permissions.can_report(request.user, agreement) and is_reportable(agreement),
        "can_see_reports": permissions.is_party(request.user, agreement),
    }
