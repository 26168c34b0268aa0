"""The municipality's review of a grant's report (paid afterwards), for the applications' admin:
"Approve the report" (the payment is created: the amount granted, or the actual costs if less)
and "Return the report" (with a comment; the committee corrects it by the scheme's
``info_days``), each through ``services.application_reports`` after an intermediate page, from
the list or from the application's own page; and the report read-only (its cost lines with
their receipts, its photos "after").

**Wiring** (``grants/admin/applications.py`` registers the ``Application`` admin): mix
``ApplicationReportAdminMixin`` in (it brings ``core.admin.ConfirmedActionsMixin``), add
``REPORT_ACTIONS`` to ``actions``, ``REPORT_INLINES`` to ``inlines`` and, if wanted,
``REPORT_FIELDS`` to the read-only fields::

    @admin.register(Application)
    class ApplicationAdmin(ApplicationReportAdminMixin, ..., admin.ModelAdmin):
        actions = [..., *REPORT_ACTIONS]
        inlines = [..., *REPORT_INLINES]
        readonly_fields = [..., *REPORT_FIELDS]

The actions' permission is ``review_report`` (``has_review_report_permission``: staff who
answer applications), so it does not meet the applications' own.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.admin import BOTH_PLACES, ConfirmedActionsMixin, ReadOnlyInline, counted
from core.formatting import money_exact

from ..forms.application_reports import ReturnReportForm
from ..models import ApplicationPhoto, BudgetLine, PhotoKind
from ..permissions import can_answer_applications
from ..services import application_reports as reports

REPORT_ACTIONS = ["approve_report", "return_report"]
REPORT_FIELDS = ["report_hours_total", "report_costs_total", "report_payable"]


class ActualCostInline(ReadOnlyInline):
    """The report's actual costs, each with its receipt (served to the parties only)."""

    model = BudgetLine
    verbose_name = _("actual cost")
    verbose_name_plural = _("actual costs (the report)")
    fields = ["description", "amount", "receipt_link"]
    ordering = ["pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(actual=True)

    @admin.display(description=_("receipt"))
    def receipt_link(self, obj):
        if not obj.receipt:
            return "–"
        url = reverse("grants:application-receipt", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open"))


class AfterPhotoInline(ReadOnlyInline):
    model = ApplicationPhoto
    verbose_name = _("photo after")
    verbose_name_plural = _("photos after (the report)")
    fields = ["photo_link", "description", "created_at"]
    ordering = ["pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=PhotoKind.AFTER)

    @admin.display(description=_("photo"))
    def photo_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Open"))


REPORT_INLINES = [ActualCostInline, AfterPhotoInline]


class ApplicationReportAdminMixin(ConfirmedActionsMixin):
    """The report's review actions and read-only figures for the ``Application`` admin."""

    def has_review_report_permission(self, request, obj=None) -> bool:
        return can_answer_applications(request.user)

    @admin.display(description=_("hours in the report"))
    def report_hours_total(self, obj):
        return reports.report_hours(obj) if obj and obj.pk else "–"

    @admin.display(description=_("actual costs"))
    def report_costs_total(self, obj):
        return money_exact(reports.actual_costs(obj)) if obj and obj.pk else "–"

    @admin.display(description=_("to be paid on approval"))
    def report_payable(self, obj):
        return money_exact(reports.payable_amount(obj)) if obj and obj.pk else "–"

    @admin.action(
        description=_("Approve the report"), permissions=["review_report"], location=BOTH_PLACES
    )
    def approve_report(self, request, queryset):
        return self.confirmed_action(
            request,
            list(queryset.select_related("scheme", "committee")),
            action="approve_report",
            title=_("Approve the reports"),
            submit_label=_("Approve"),
            intro=_(
                "Each grant is approved for payment: the amount granted, or the actual costs if "
                "they are less, due within the scheme's days to pay. The committee is told."
            ),
            run=lambda objects: self.run_each(
                request,
                objects,
                lambda application: reports.report_approve(
                    application=application, actor=request.user
                ),
                done_message=counted(
                    ngettext_lazy(
                        "%(count)d report approved.", "%(count)d reports approved.", "count"
                    )
                ),
            ),
        )

    @admin.action(
        description=_("Return the report"), permissions=["review_report"], location=BOTH_PLACES
    )
    def return_report(self, request, queryset):
        return self.form_action(
            request,
            list(queryset.select_related("scheme", "committee")),
            action="return_report",
            form_class=ReturnReportForm,
            title=_("Return the reports to the committee"),
            submit_label=_("Return"),
            intro=_(
                "The committee is told what to correct, and sends the report again within the "
                "scheme's days for more information."
            ),
            run=lambda objects, data: self.run_each(
                request,
                objects,
                lambda application: reports.report_return(
                    application=application, actor=request.user, comment=data["comment"]
                ),
                done_message=counted(
                    ngettext_lazy(
                        "%(count)d report returned.", "%(count)d reports returned.", "count"
                    )
                ),
            ),
        )
