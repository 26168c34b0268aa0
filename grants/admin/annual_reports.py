"""The committees' annual reports in the admin: the list (committee, year, state, due, overdue,
how many documents), filtered by year, state, overdue and committee; a report's page with its
documents and the board its annual meeting elected, read-only (the committee writes the report
on its page); "Approve" and "Return with a comment" through ``services.annual_reports`` (the
actions, from the list or the report's page; one transaction each), and the CSV and XLSX
exports (``core.export``: no personal data — no names or addresses of the elected).

The list's queries are flat: the committee is joined, the documents counted in a subquery.
"""

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext_lazy, pgettext
from django.utils.translation import gettext_lazy as _

from core.admin import BOTH_PLACES, ConfirmedActionsMixin, ReadOnlyAdmin, ReadOnlyInline, counted
from core.admin.accounts import may_see_addresses
from core.deadlines import is_overdue, overdue_q
from core.export import Column, csv_export_action, xlsx_export_action
from core.formatting import local_date, local_datetime, public_name

from ..forms.annual_reports import ReturnAnnualReportForm
from ..models import (
    ANNUAL_REPORT_OWED,
    AnnualReport,
    AnnualReportDocument,
    ElectedBoardMember,
)
from ..permissions import can_review_annual_reports
from ..services import annual_reports as service

CHUNK = 500


def owed_overdue_q(*, today=None) -> Q:
    """``report_is_overdue`` as a filter: owed (open or returned) and past its due date."""
    return overdue_q("due_on", today=today) & Q(state__in=sorted(ANNUAL_REPORT_OWED))


def report_is_overdue(report: AnnualReport) -> bool:
    return report.state in ANNUAL_REPORT_OWED and is_overdue(report.due_on)


def report_was_sent_late(report: AnnualReport) -> bool:
    """Sent (last sent, when it was returned and sent again) after its due date: a report in
    on time and one seven months late must not both read "not overdue" once they are in."""
    if report.state in ANNUAL_REPORT_OWED or report.submitted_at is None:
        return False
    return is_overdue(report.due_on, today=timezone.localdate(report.submitted_at))


def with_document_count(queryset):
    """Each report's number of documents, as a subquery (no join that multiplies rows)."""
    counted = (
        AnnualReportDocument.objects.filter(annual_report=OuterRef("pk"))
        .order_by()
        .values("annual_report")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        document_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0)
    )


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(owed_overdue_q())
        if self.value() == "no":
            return queryset.exclude(owed_overdue_q())
        return queryset


class YearFilter(admin.SimpleListFilter):
    """The years that have reports (one query), latest first."""

    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            AnnualReport.objects.order_by("-year").values_list("year", flat=True).distinct()[:30]
        )
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit() and len(value) == 4:
            return queryset.filter(year=int(value))
        return queryset


# --- Exports (no personal data: the export travels) ------------------------------------------------

REPORT_COLUMNS = [
    Column(_("Committee"), lambda r: r.committee.name),
    Column(_("Year"), lambda r: r.year),
    Column(_("Status"), lambda r: r.get_state_display()),
    Column(_("Due"), lambda r: r.due_on),
    Column(_("Overdue"), report_is_overdue),
    Column(_("Annual meeting held"), lambda r: r.meeting_on),
    Column(_("Documents"), lambda r: r.document_count),
    Column(_("Submitted"), lambda r: r.submitted_at),
    Column(_("Reviewed"), lambda r: r.reviewed_at),
    Column(_("Elected board applied"), lambda r: r.board_applied_at),
    Column(_("Sent late"), report_was_sent_late),  # last: the columns before keep their place
]


def report_rows(queryset):
    return (
        with_document_count(queryset.select_related("committee"))
        .order_by("-year", "committee__name", "pk")
        .iterator(chunk_size=CHUNK)
    )


REPORT_EXPORTS = [
    csv_export_action(
        columns=REPORT_COLUMNS,
        rows=report_rows,
        filename="arsrapporter",
        name="export_annual_reports_csv",
        description=_("Export the annual reports to CSV"),
    ),
    xlsx_export_action(
        columns=REPORT_COLUMNS,
        rows=report_rows,
        filename="arsrapporter",
        sheet=_("Annual reports"),
        name="export_annual_reports_xlsx",
        description=_("Export the annual reports to Excel (XLSX)"),
    ),
]


# --- Inlines ---------------------------------------------------------------------------------------


class DocumentInline(ReadOnlyInline):
    model = AnnualReportDocument
    fields = ["kind", "file_link", "file_size", "content_type", "created_at"]
    ordering = ["kind", "created_at", "pk"]

    @admin.display(description=_("file"))
    def file_link(self, obj):
        report = obj.annual_report
        url = reverse(
            "grants:annual-report-document",
            kwargs={"slug": report.committee.slug, "year": report.year, "pk": obj.pk},
        )
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    @admin.display(description=_("size"))
    def file_size(self, obj):
        return filesizeformat(obj.size)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("annual_report__committee")


class ElectedInline(ReadOnlyInline):
    model = ElectedBoardMember
    fields = ["name", "email", "role", "term_ends_on"]
    ordering = ["pk"]

    def get_fields(self, request, obj=None):
        if may_see_addresses(request.user):
            return self.fields
        return [name for name in self.fields if name != "email"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


# --- The admin ---------------------------------------------------------------------------------------


@admin.register(AnnualReport)
class AnnualReportAdmin(ConfirmedActionsMixin, ReadOnlyAdmin):
    list_display = ["committee_name", "year", "state", "due", "overdue", "documents"]
    list_display_links = ["committee_name", "year"]
    list_filter = [
        YearFilter,
        "state",
        OverdueFilter,
        ("committee", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["committee"]
    search_fields = ["committee__name"]
    search_help_text = _("Search by the committee's name.")
    ordering = ["-year", "committee__name", "pk"]
    list_per_page = 50
    actions = ["approve_report", "return_report", *REPORT_EXPORTS]
    inlines = [DocumentInline, ElectedInline]
    fields = [
        "committee_name",
        "year",
        "state",
        "due_on",
        "overdue",
        "meeting_on",
        "page_link",
        "submitted",
        "reviewed",
        "comment",
        "board_applied_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return with_document_count(
            super().get_queryset(request).select_related("committee", "submitted_by", "reviewed_by")
        )

    def has_review_permission(self, request, obj=None) -> bool:
        return can_review_annual_reports(request.user)

    def object_label(self, obj) -> str:
        return f"{obj.committee.name} {obj.year} ({obj.get_state_display()})"

    @admin.display(description=_("committee"), ordering="committee__name")
    def committee_name(self, obj):
        return obj.committee.name

    @admin.display(description=_("due"), ordering="due_on")
    def due(self, obj):
        return local_date(obj.due_on)

    @admin.display(description=_("overdue"))
    def overdue(self, obj):
        if report_is_overdue(obj):
            marker = pgettext("marker on a late report", "Overdue")
        elif report_was_sent_late(obj):
            marker = pgettext("marker on a late report", "Sent late")
        else:
            return ""
        return format_html("<strong>{}</strong>", marker)

    @admin.display(description=_("documents"), ordering="document_count")
    def documents(self, obj):
        return obj.document_count

    @admin.display(description=_("the report's page"))
    def page_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), gettext("Open"))

    @admin.display(description=_("submitted"))
    def submitted(self, obj):
        if not obj.submitted_at:
            return "–"
        who = f", {public_name(obj.submitted_by)}" if obj.submitted_by else ""
        return f"{local_datetime(obj.submitted_at)}{who}"

    @admin.display(description=_("reviewed"))
    def reviewed(self, obj):
        if not obj.reviewed_at:
            return "–"
        who = f", {public_name(obj.reviewed_by)}" if obj.reviewed_by else ""
        return f"{local_datetime(obj.reviewed_at)}{who}"

    @admin.action(
        description=_("Approve annual report"), permissions=["review"], location=BOTH_PLACES
    )
    def approve_report(self, request, queryset):
        return self.confirmed_action(
            request,
            list(queryset),
            action="approve_report",
            title=_("Approve the annual reports"),
            submit_label=pgettext("annual report", "Approve"),
            intro=_(
                "The annual reports are approved and the committees are told. The leader can "
                "then apply the elected board to the committee's board."
            ),
            run=lambda objects: self.run_each(
                request,
                objects,
                lambda report: service.annual_report_approve(report=report, actor=request.user),
                done_message=counted(
                    ngettext_lazy(
                        "%(count)d annual report approved.",
                        "%(count)d annual reports approved.",
                        "count",
                    )
                ),
            ),
        )

    @admin.action(
        description=_("Return annual report (with comment)"),
        permissions=["review"],
        location=BOTH_PLACES,
    )
    def return_report(self, request, queryset):
        return self.form_action(
            request,
            list(queryset),
            action="return_report",
            form_class=ReturnAnnualReportForm,
            title=_("Return the annual reports to the committees"),
            submit_label=_("Return"),
            intro=_("The committee is told what to correct, and sends the annual report again."),
            run=lambda objects, data: self.run_each(
                request,
                objects,
                lambda report: service.annual_report_return(
                    report=report, actor=request.user, comment=data["comment"]
                ),
                done_message=counted(
                    ngettext_lazy(
                        "%(count)d annual report returned.",
                        "%(count)d annual reports returned.",
                        "count",
                    )
                ),
            ),
        )

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"title": gettext("Annual reports"), **(extra_context or {})}
        )
