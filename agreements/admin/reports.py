"""The committee's side of the work list: "Reports" — the submitted reports to review first,
then the ones still owed, the earliest due first, "Overdue" written out; opening on the
handler's own department.

A report is the committee's: it is written on the portal. Here staff read it (its lines and
photos, read-only) and approve it or return it with a comment, through
``services.reports.report_approve`` and ``report_return`` (the actions; one transaction each).
A duty's title and due date are terms: they change on the agreement's page."""

from django.contrib import admin
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext_lazy, pgettext
from django.utils.translation import gettext_lazy as _

from core.admin import BOTH_PLACES, ConfirmedActionsMixin, ReadOnlyAdmin, ReadOnlyInline, counted
from core.formatting import local_date, local_datetime, money_exact, public_name

from ..exports import REPORT_EXPORTS, report_is_overdue, with_report_sums
from ..models import DUTY_OWED_STATES, DutyState, ReportDuty, ReportLine, ReportPhoto
from ..permissions import can_review_reports
from .filters import AgreementDepartmentFilter, ReportStatusFilter
from .forms import ReturnReportForm
from .history import HistoryAdmin

# The work list's order: to review, then owed (earliest due first), then the rest.
WORK_ORDER = Case(
    When(state=DutyState.SUBMITTED, then=Value(0)),
    When(state__in=DUTY_OWED_STATES, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def approve(*, duty, actor):
    from ..services.reports import report_approve  # written alongside; imported when used

    return report_approve(duty=duty, actor=actor)


def send_back(*, duty, actor, comment):
    from ..services.reports import report_return

    return report_return(duty=duty, actor=actor, comment=comment)


class ReportLineInline(ReadOnlyInline):
    model = ReportLine
    fields = ["task", "done_on", "hours", "documented_cost", "note"]
    ordering = ["done_on", "pk"]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request,
            {"title": gettext("Reports to review and reports owed"), **(extra_context or {})},
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("task")


class ReportPhotoInline(ReadOnlyInline):
    model = ReportPhoto
    fields = ["photo", "caption", "created_at"]
    ordering = ["pk"]

    @admin.display(description=_("photo"))
    def photo(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Open"))


@admin.register(ReportDuty)
class ReportDutyAdmin(ConfirmedActionsMixin, ReadOnlyAdmin, HistoryAdmin):
    list_display = [
        "agreement_number",
        "committee_name",
        "title",
        "due",
        "overdue",
        "state",
        "submitted",
        "hours",
        "costs",
    ]
    list_display_links = ["agreement_number", "title"]
    list_filter = [
        ReportStatusFilter,
        AgreementDepartmentFilter,
        "state",
        ("agreement__committee", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["agreement", "agreement__committee", "agreement__department"]
    search_fields = ["agreement__number", "agreement__title", "agreement__committee__name", "title"]
    search_help_text = _("Search by the agreement's number or title, the committee or the report.")
    ordering = [WORK_ORDER.asc(), "due_on", "pk"]
    list_per_page = 50
    actions = ["approve_report", "return_report", *REPORT_EXPORTS]
    inlines = [ReportLineInline, ReportPhotoInline]
    fields = [
        "agreement_link",
        "committee_name",
        "title",
        "due_on",
        "overdue",
        "state",
        "summary",
        "submitted",
        "hours",
        "costs",
        "reviewed",
        "review_comment",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return with_report_sums(
            super().get_queryset(request).select_related(*self.list_select_related, "reviewed_by")
        )

    def has_review_permission(self, request, obj=None) -> bool:
        return can_review_reports(request.user)

    def object_label(self, obj) -> str:
        return f"{obj.agreement.number} – {obj.title} ({obj.get_state_display()})"

    @admin.display(description=_("agreement"), ordering="agreement__number")
    def agreement_number(self, obj):
        return obj.agreement.number

    @admin.display(description=_("agreement"))
    def agreement_link(self, obj):
        url = reverse("admin:agreements_agreement_change", args=[obj.agreement_id])
        return format_html('<a href="{}">{}</a>', url, obj.agreement)

    @admin.display(description=_("committee"), ordering="agreement__committee__name")
    def committee_name(self, obj):
        return obj.agreement.committee.name

    @admin.display(description=_("due"), ordering="due_on")
    def due(self, obj):
        return local_date(obj.due_on)

    @admin.display(description=_("overdue"))
    def overdue(self, obj):
        if not report_is_overdue(obj):
            return ""
        return format_html("<strong>{}</strong>", pgettext("marker on a late report", "Overdue"))

    @admin.display(description=_("submitted"), ordering="submitted_at")
    def submitted(self, obj):
        return local_datetime(obj.submitted_at) or "–"

    @admin.display(description=_("hours reported"), ordering="hours_reported")
    def hours(self, obj):
        return obj.hours_reported

    @admin.display(description=_("documented costs"), ordering="costs_reported")
    def costs(self, obj):
        return money_exact(obj.costs_reported)

    @admin.display(description=_("reviewed"))
    def reviewed(self, obj):
        if not obj.reviewed_at:
            return "–"
        return f"{local_datetime(obj.reviewed_at)}, {public_name(obj.reviewed_by)}"

    @admin.action(description=_("Approve report"), permissions=["review"], location=BOTH_PLACES)
    def approve_report(self, request, queryset):
        return self.confirmed_action(
            request,
            list(queryset),
            action="approve_report",
            title=_("Approve the reports"),
            submit_label=_("Approve"),
            intro=_(
                "The reports are approved; documented costs become a payment to the committee, "
                "and the committee is told."
            ),
            run=lambda objects: self.run_each(
                request,
                objects,
                lambda duty: approve(duty=duty, actor=request.user),
                done_message=counted(
                    ngettext_lazy(
                        "%(count)d report approved.", "%(count)d reports approved.", "count"
                    )
                ),
            ),
        )

    @admin.action(
        description=_("Return report (with comment)"), permissions=["review"], location=BOTH_PLACES
    )
    def return_report(self, request, queryset):
        return self.form_action(
            request,
            list(queryset),
            action="return_report",
            form_class=ReturnReportForm,
            title=_("Return the reports to the committee"),
            submit_label=_("Return"),
            intro=_("The committee is told what to change, and submits the report again."),
            run=lambda objects, data: self.run_each(
                request,
                objects,
                lambda duty: send_back(duty=duty, actor=request.user, comment=data["comment"]),
                done_message=counted(
                    ngettext_lazy(
                        "%(count)d report returned.", "%(count)d reports returned.", "count"
                    )
                ),
            ),
        )
