"""A committee's annual report: its page, its documents, and applying the elected board.

``/tilskudd/arsrapport/<slug>/<year>/`` is the committee board's page for the year (a report
already opened, or one the board may open: ``models.may_open_annual_report``; any other year is
a 404): the checklist with each document's state, the upload form, the annual
meeting's day and the board it elected, "Send to the municipality", the municipality's comment
when it returned the report, and the timeline. While the report is owed (open or returned) the
board changes it; afterwards, and always for municipal staff, it is read-only (staff approve or
return it in the admin, linked from here). The report row is opened by the board's first change,
not by looking at the page. Anyone else logged in gets 403; anyone not logged in goes to the
log-in page.

A document (``…/dokument/<pk>/``) is served only to the two parties, the board and municipal
staff (``core.attachments.file_response``: anyone else gets 404, which does not say the file
exists). ``…/styret/`` shows the leader what applying the elected board would change, and does
it on confirmation (``services.annual_reports.apply_elected_board``).
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

from committees.models import Committee
from committees.selectors import committee_get
from core.attachments import file_response
from core.deadlines import is_overdue
from core.forms import apply_service_errors

from .. import permissions
from ..forms.annual_reports import (
    DocumentForm,
    MeetingForm,
    elected_formset,
    initial_elected,
)
from ..models import (
    AnnualReport,
    AnnualReportDocument,
    AnnualReportState,
    DocumentKind,
    annual_report_due,
    may_open_annual_report,
)
from ..services import annual_reports as service
from ..services.lifecycle import annual_report_get_or_open

FIRST_YEAR = 2000
UPLOAD, DELETE, BOARD, SUBMIT = "upload", "delete", "board", "submit"


def _committee_and_year(slug: str, year: int) -> tuple[Committee, int]:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    try:
        return committee_get(slug=slug), year
    except Committee.DoesNotExist:
        raise Http404 from None


def _report(committee: Committee, year: int) -> AnnualReport:
    """The saved report, or one not yet opened (unsaved: the page shows what is owed)."""
    report = (
        AnnualReport.objects.select_related("committee", "submitted_by", "reviewed_by")
        .filter(committee=committee, year=year)
        .first()
    )
    if report is None:
        report = AnnualReport(committee=committee, year=year, due_on=annual_report_due(year))
    return report


def checklist(report: AnnualReport, documents) -> list[dict]:
    """Each document of the checklist with the files given for it (none: missing)."""
    return [
        {
            "kind": kind,
            "files": [document for document in documents if document.kind == kind.value],
        }
        for kind in DocumentKind
    ]


def _page_context(request, report: AnnualReport, *, board: bool) -> dict:
    saved = report.pk is not None
    documents = list(report.documents.select_related("uploaded_by")) if saved else []
    elected = list(report.elected.all()) if saved else []
    events = list(report.events.select_related("actor")) if saved else []
    editable = board and service.is_editable(report)
    owed = report.state in (AnnualReportState.OPEN, AnnualReportState.RETURNED)
    user = request.user
    today = timezone.localdate()
    offer_apply = (
        saved
        and report.state == AnnualReportState.APPROVED
        and report.board_applied_at is None
        and permissions.can_apply_elected_board(user, report.committee)
    )
    apply_problems = service.apply_problems(report, actor=user, today=today) if offer_apply else []
    # An earlier year not opened is not asked for (the follow-up asks for last year's): it is
    # listed nowhere, so it is not called overdue either.
    asked_for = saved or report.year == today.year - 1
    return {
        "report": report,
        "committee": report.committee,
        "documents": documents,
        "checklist": checklist(report, documents),
        "elected": elected,
        "events": events,
        "board": board,
        "editable": editable,
        "overdue": owed and asked_for and is_overdue(report.due_on),
        "missing": service.submit_problems(report) if editable and saved else [],
        "can_apply_board": offer_apply and not apply_problems,
        # Why a leader cannot apply an approved report's board (a newer year's is applied, a
        # term has ended): said on the page, not behind a button that leads to a refusal.
        "apply_problems": apply_problems,
        "review_url": (
            reverse("admin:grants_annualreport_change", args=[report.pk])
            if saved
            and report.state == AnnualReportState.SUBMITTED
            and permissions.can_review_annual_reports(user)
            else ""
        ),
        "max_documents": service.max_documents(),
    }


def _forms(report: AnnualReport, *, data=None, files=None, action: str = ""):
    """The page's forms; the one posted (``action``) bound to what was sent."""
    existing = report.documents.count() if report.pk else 0
    initial = initial_elected(report) if report.pk else []
    FormSet = elected_formset(initial_count=len(initial))
    bound = {"data": data} if data is not None else {}
    return {
        "document_form": DocumentForm(
            **(bound if action == UPLOAD else {}),
            files=files if action == UPLOAD else None,
            existing_count=existing,
        ),
        "meeting_form": MeetingForm(
            **(bound if action == BOARD else {}), initial={"meeting_on": report.meeting_on}
        ),
        "elected_formset": FormSet(
            **(bound if action == BOARD else {}), initial=initial, prefix="elected"
        ),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def annual_report(request, slug: str, year: int):
    committee, year = _committee_and_year(slug, year)
    user = request.user
    if not permissions.can_view_annual_report(user, committee):
        raise PermissionDenied
    board = permissions.can_submit_annual_report(user, committee)
    report = _report(committee, year)
    if report.pk is None and not may_open_annual_report(committee, year):
        raise Http404  # a year not over yet, or before the committee was an association
    if request.method != "POST":
        context = _page_context(request, report, board=board)
        if context["editable"]:
            context.update(_forms(report))
        return render(request, "grants/annual_report.html", context)
    if not board:
        raise PermissionDenied
    action = request.POST.get("action", "")
    if action not in (UPLOAD, DELETE, BOARD, SUBMIT):
        raise PermissionDenied
    if not service.is_editable(report):
        messages.error(
            request,
            _("The annual report has been sent to the municipality and cannot be changed now."),
        )
        return redirect(report.get_absolute_url())
    annual_report_get_or_open(committee=committee, year=year)  # the first change opens it
    report = _report(committee, year)
    forms = _forms(report, data=request.POST, files=request.FILES, action=action)
    done = _handle(request, report, action, forms)
    if done:
        messages.success(request, done)
        return redirect(report.get_absolute_url() + _anchor(action))
    context = _page_context(request, report, board=board)
    context.update(forms)
    context["posted"] = action
    return render(request, "grants/annual_report.html", context, status=400)


def _anchor(action: str) -> str:
    return {UPLOAD: "#documents", DELETE: "#documents", BOARD: "#meeting"}.get(action, "")


def _handle(request, report: AnnualReport, action: str, forms: dict) -> str | None:
    """Call the service the posted form is for; the success message, or None (the forms
    then carry the reasons)."""
    user = request.user
    if action == UPLOAD:
        form = forms["document_form"]
        if not form.is_valid():
            return None
        try:
            service.document_upload(
                report=report,
                actor=user,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return None
        return _("The document has been added.")
    if action == DELETE:
        try:
            document = report.documents.get(pk=int(request.POST.get("document", "")))
        except (ValueError, AnnualReportDocument.DoesNotExist):
            forms["action_errors"] = [_("That document is no longer there.")]
            return None
        try:
            service.document_delete(document=document, actor=user)
        except ValidationError as error:
            forms["action_errors"] = error.messages
            return None
        return _("The document has been removed.")
    if action == BOARD:
        meeting, formset = forms["meeting_form"], forms["elected_formset"]
        if not (meeting.is_valid() & formset.is_valid()):
            return None
        try:
            service.elected_board_save(
                report=report,
                actor=user,
                meeting_on=meeting.cleaned_data.get("meeting_on"),
                members=formset.members(),
            )
        except ValidationError as error:
            problems = error.message_dict if hasattr(error, "error_dict") else {}
            if "meeting_on" in problems:
                meeting.add_error("meeting_on", problems.pop("meeting_on"))
            if not formset.apply_problems(problems) and not meeting.errors:
                meeting.add_error(None, error)
            return None
        return _("The annual meeting and the board it elected have been saved.")
    # SUBMIT
    try:
        service.annual_report_submit(report=report, actor=user)
    except ValidationError as error:
        forms["action_errors"] = error.messages
        return None
    return _("Thank you! The annual report has been sent to the municipality.")


@login_required
@require_safe
def document(request, slug: str, year: int, pk: int):
    """One of the report's documents, for the two parties only (else 404)."""
    try:
        item = AnnualReportDocument.objects.select_related("annual_report__committee").get(
            pk=pk, annual_report__committee__slug=slug, annual_report__year=year
        )
    except AnnualReportDocument.DoesNotExist:
        raise Http404 from None
    return file_response(
        item.file,
        allowed=permissions.can_view_annual_report(request.user, item.annual_report.committee),
        filename=item.original_name,
        content_type=item.content_type,
        types=service.DOCUMENT_TYPES,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def apply_board(request, slug: str, year: int):
    """The leader's preview of what applying the elected board changes, then doing it."""
    committee, year = _committee_and_year(slug, year)
    if not permissions.can_apply_elected_board(request.user, committee):
        raise PermissionDenied
    report = (
        AnnualReport.objects.select_related("committee")
        .filter(committee=committee, year=year)
        .first()
    )
    if report is None:
        raise Http404
    today = timezone.localdate()
    status = 200
    problems = service.apply_problems(report, actor=request.user, today=today)
    if request.method == "POST" and not problems:
        try:
            service.apply_elected_board(report=report, actor=request.user, today=today)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _(
                    "The elected board has been applied. Those who are new on the board have "
                    "been invited and join once they accept."
                ),
            )
            return redirect(report.get_absolute_url())
    if request.method == "POST":
        status = 400
    changes = [] if problems else service.board_changes(report, today=today)
    context = {
        "report": report,
        "committee": committee,
        "problems": problems,
        "changes": changes,
        "changes_anything": any(change.changes_anything for change in changes),
    }
    return render(request, "grants/annual_report_apply_board.html", context, status=status)
