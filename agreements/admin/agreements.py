"""Agreements in the admin, for the municipality's case handlers.

A draft is written here: the agreement's own fields through ``agreement_create`` and
``agreement_update``, its lines (tasks, contributions in kind, the payment plan, report
duties) through their services (``inlines``). Once both parties have signed, the terms are
fixed: the page shows them, read-only (the services refuse too). Signatures and the timeline
are the services' records, shown read-only. "History" (django-simple-history) shows every change
to the terms and the money with who made it and when.

The list shows each agreement's next payment and next report and whether either party is late
(``queries``), filters by state, committee, department, type, expiring and overdue on either
side, and sums the listed agreements per year (``year_totals``). Actions: send for signing, generate
the payment plan, and the exports (``agreements.exports``)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import BOTH_PLACES, ConfirmedActionsMixin, ServiceBackedAdminMixin
from core.deadlines import is_overdue
from core.formatting import local_date, public_name

from ..economics import rollup_by_year
from ..exports import AGREEMENT_EXPORTS, TASK_EXPORTS
from ..models import Agreement, public_q
from ..services import agreement_create, agreement_send, agreement_update
from ..services.terms import AGREEMENT_FIELDS
from .filters import ExpiringFilter, OverdueFilter
from .forms import PaymentPlanForm
from .history import HistoryAdmin
from .inlines import (
    AgreementEventInline,
    PaymentPlanInline,
    ProvisionInline,
    ReportDutyInline,
    SignatureInline,
    TaskInline,
    is_editable,
)
from .queries import with_admin_figures
from .signing import SigningAdminMixin

# Shown on an existing agreement, never entered: the services and the steps write them.
RECORD_FIELDS = [
    "number",
    "state",
    "origin",
    "public_page",
    "terminated_on",
    "created_by_name",
    "created_at",
    "signed_at",
    "signing_link",
]


def overdue_markers(agreement, *, today=None) -> list[str]:
    """What each party is late with (the rule of ``queries.payment_overdue_q`` and
    ``report_overdue_q``, for one row with ``with_admin_figures``)."""
    markers = []
    if is_overdue(agreement.next_payment_due, today=today):
        markers.append(gettext("Payment overdue"))
    if is_overdue(agreement.next_report_due, today=today):
        markers.append(gettext("Report overdue"))
    return markers


def year_totals(agreements) -> list:
    """The listed agreements' figures per year (its filters apply), the signed ones only (a
    draft has promised nothing yet): ``economics.rollup_by_year``, the same sums the public
    pages show, in a fixed number of queries however many agreements."""
    listed = agreements.order_by().values("pk")  # the list's filters, not its joins
    return rollup_by_year(agreements_qs=Agreement.objects.filter(public_q(), pk__in=listed)).years


@admin.register(Agreement)
class AgreementAdmin(
    SigningAdminMixin, ServiceBackedAdminMixin, ConfirmedActionsMixin, HistoryAdmin
):
    list_display = [
        "number",
        "title",
        "committee",
        "department",
        "kind",
        "state",
        "period",
        "next_payment",
        "next_report",
        "overdue",
    ]
    list_display_links = ["number", "title"]
    list_filter = [
        "state",
        ("committee", admin.RelatedOnlyFieldListFilter),
        ("department", admin.RelatedOnlyFieldListFilter),
        "kind",
        ExpiringFilter,
        OverdueFilter,
    ]
    list_select_related = ["committee", "department"]
    search_fields = ["number", "title", "committee__name"]
    search_help_text = _("Search by number, title or committee.")
    ordering = ["-starts_on", "number"]
    list_per_page = 50
    show_full_result_count = False
    change_list_template = "admin/agreements/agreement/change_list.html"
    inlines = [
        TaskInline,
        ProvisionInline,
        PaymentPlanInline,
        ReportDutyInline,
        SignatureInline,
        AgreementEventInline,
    ]
    actions = ["send_for_signing", "generate_payment_plan", *AGREEMENT_EXPORTS, *TASK_EXPORTS]

    def get_fieldsets(self, request, obj=None):
        parties = ["committee", "department", "title", "kind"]
        fieldsets = [
            (None, {"fields": (["number", "state"] if obj else []) + parties}),
            (
                _("Period"),
                {"fields": ["starts_on", "ends_on", "notice_months", "renewal"]},
            ),
            (_("Terms"), {"fields": ["terms"]}),
            (
                _("The economic picture"),
                {
                    "fields": [
                        "own_contribution_per_year",
                        "municipal_cost_per_year",
                        "municipal_cost_basis",
                    ]
                },
            ),
        ]
        if obj is not None:
            # The signing mixin's: what it waits for, the terms' SHA-256, the link to sign.
            fieldsets.insert(1, (_("Signing"), {"fields": ["signing_link"]}))
            fieldsets.append(
                (
                    _("Record"),
                    {
                        "fields": [
                            "origin",
                            "public_page",
                            "terminated_on",
                            "created_by_name",
                            "created_at",
                            "signed_at",
                        ]
                    },
                )
            )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if not is_editable(obj):
            return [*RECORD_FIELDS, "committee", *sorted(AGREEMENT_FIELDS)]
        return [*RECORD_FIELDS, "committee"]

    def get_queryset(self, request):
        return with_admin_figures(super().get_queryset(request))

    def has_delete_permission(self, request, obj=None):
        return False  # an agreement is a record; a draft no longer wanted is simply not sent

    def object_label(self, obj) -> str:
        return f"{obj.number} – {obj.title} ({obj.get_state_display()})"

    # --- saving: only through the services (core.admin.ServiceBackedAdminMixin) ---

    def save_through_services(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            fields = {
                name: data[name] for name in AGREEMENT_FIELDS - {"department"} if name in data
            }
            created = agreement_create(
                committee=data["committee"],
                department=data["department"],
                actor=request.user,
                **fields,
            )
            for name in ("id", "number", "state", "created_at", "created_by_id", "updated_at"):
                setattr(obj, name, getattr(created, name))
            obj._state.adding = False
            return []
        changed = {name: data[name] for name in form.changed_data if name in AGREEMENT_FIELDS}
        if changed:
            agreement_update(agreement=obj, actor=request.user, **changed)
        return []

    # --- the list's columns ---

    @admin.display(description=_("period"), ordering="starts_on")
    def period(self, obj):
        return f"{local_date(obj.starts_on)} – {local_date(obj.last_day)}"

    @admin.display(description=_("next payment due"), ordering="next_payment_due")
    def next_payment(self, obj):
        return local_date(obj.next_payment_due) or "–"

    @admin.display(description=_("next report due"), ordering="next_report_due")
    def next_report(self, obj):
        return local_date(obj.next_report_due) or "–"

    @admin.display(description=_("overdue"))
    def overdue(self, obj):
        markers = overdue_markers(obj, today=timezone.localdate())
        return format_html_join(" ", "<strong>{}</strong>", ((text,) for text in markers))

    # --- the page's records ---

    @admin.display(description=_("from the proposal"))
    def origin(self, obj):
        if not obj.origin_proposal_id:
            return "–"
        from django.urls import reverse

        url = reverse("admin:proposals_proposal_change", args=[obj.origin_proposal_id])
        return format_html('<a href="{}">{}</a>', url, obj.origin_proposal)

    @admin.display(description=_("on the portal"))
    def public_page(self, obj):
        text = _("The agreement's page") if obj.is_public else _("The parties' page (not public)")
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), text)

    @admin.display(description=_("created by"))
    def created_by_name(self, obj):
        return public_name(obj.created_by) if obj.created_by_id else "–"

    # --- totals per year under the list ---

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context is not None and "cl" in context:
            context["year_totals"] = year_totals(context["cl"].queryset)
        return response

    # --- actions, through the services ---

    @admin.action(description=_("Send for signing"), permissions=["change"], location=BOTH_PLACES)
    def send_for_signing(self, request, queryset):
        self.run_each(
            request,
            queryset,
            lambda agreement: agreement_send(agreement=agreement, actor=request.user),
            done_message=lambda n: (
                ngettext(
                    "%(count)d agreement sent for signing.",
                    "%(count)d agreements sent for signing.",
                    n,
                )
                % {"count": n}
            ),
        )

    @admin.action(
        description=_("Generate the payment plan"), permissions=["change"], location=BOTH_PLACES
    )
    def generate_payment_plan(self, request, queryset):
        from ..services.payments import payment_plan_generate  # the payments' module, when used

        def run(objects, data):
            self.run_each(
                request,
                objects,
                lambda agreement: payment_plan_generate(
                    agreement=agreement,
                    actor=request.user,
                    instalments_per_year=data["instalments_per_year"],
                ),
                done_message=lambda n: (
                    ngettext(
                        "A payment plan was generated for %(count)d agreement.",
                        "Payment plans were generated for %(count)d agreements.",
                        n,
                    )
                    % {"count": n}
                ),
            )

        return self.form_action(
            request,
            list(queryset),
            action="generate_payment_plan",
            form_class=PaymentPlanForm,
            title=_("Generate the payment plan"),
            submit_label=_("Generate"),
            intro=_(
                "The plan is made from the tasks' pricing over the agreement's period. It is part "
                "of the terms: a signature already given on other terms is voided."
            ),
            run=run,
        )
