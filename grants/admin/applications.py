"""The municipality's work list of grant applications: the answers due first (the earliest
first), "Overdue" written out on either side; filters by year, scheme, committee, state and
overdue (the municipality's or the committee's deadline).

An application is the committee's: it is written on the portal. Here staff read it (its budget,
photos "before" and timeline, read-only) and answer it through the services, each after an
intermediate page, from the list or the application's own page: "Grant" (the amount — empty:
the amount applied for — and conditions), "Refuse" (the reason) and "Ask for more information"
(what is missing). The report of a grant paid afterwards is reviewed with the actions of
``admin.application_reports``. Exports: CSV and Excel (``core.export``).
"""

from django import forms
from django.contrib import admin
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext_lazy, pgettext
from django.utils.translation import gettext_lazy as _

from agreements.models import MONEY
from core.admin import BOTH_PLACES, ReadOnlyAdmin, ReadOnlyInline, counted
from core.export import Column, csv_export_action, xlsx_export_action
from core.formatting import local_date, money

from ..models import (
    Application,
    ApplicationEvent,
    ApplicationPhoto,
    ApplicationState,
    BudgetLine,
    GrantScheme,
    PhotoKind,
)
from ..permissions import can_answer_applications
from ..services import applications as services
from ..states import WAITING_FOR_COMMITTEE, WAITING_FOR_MUNICIPALITY
from ..workspace import row_for
from .application_reports import (
    REPORT_ACTIONS,
    REPORT_FIELDS,
    REPORT_INLINES,
    ApplicationReportAdminMixin,
)

A = ApplicationState
CHUNK = 500

# The work list's order: waiting for the municipality, then for the committee, then the rest.
WORK_ORDER = Case(
    When(state__in=sorted(WAITING_FOR_MUNICIPALITY), then=Value(0)),
    When(state__in=sorted(WAITING_FOR_COMMITTEE | {A.GRANTED}), then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def municipality_overdue_q(today=None) -> Q:
    """``grants.deadlines``' municipality deadline, overdue, as a filter."""
    today = today or timezone.localdate()
    return Q(state__in=sorted(WAITING_FOR_MUNICIPALITY), answer_due__lt=today)


def committee_overdue_q(today=None) -> Q:
    """``grants.deadlines``' committee deadline, overdue, as a filter (a granted application's
    report only when paid afterwards)."""
    today = today or timezone.localdate()
    return Q(committee_due__lt=today) & (
        Q(state__in=sorted(WAITING_FOR_COMMITTEE))
        | Q(state=A.GRANTED, scheme__payment_rule="afterwards")
    )


# --- forms of the actions ---------------------------------------------------------------------


class GrantForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount granted (kr)"),
        required=False,
        min_value=0,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        help_text=_("Empty: the amount each application applied for."),
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        max_length=services.CONDITIONS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The committee sees them with the grant (public once granted)."),
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=services.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The committee is told, with your reason."),
        error_messages={"required": _("Write why the application is refused.")},
    )


class AskMoreForm(forms.Form):
    message = forms.CharField(
        label=_("What is missing"),
        max_length=services.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The committee adds it and sends the application again within the days set."),
        error_messages={"required": _("Write what the committee must add.")},
    )


# --- filters ----------------------------------------------------------------------------------


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = GrantScheme.objects.order_by("-year").values_list("year", flat=True).distinct()
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(scheme__year=int(value))
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [
            ("either", _("Overdue on either side")),
            ("municipality", _("The municipality's answer or review is overdue")),
            ("committee", _("The committee's information or report is overdue")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "municipality":
            return queryset.filter(municipality_overdue_q())
        if value == "committee":
            return queryset.filter(committee_overdue_q())
        if value == "either":
            return queryset.filter(municipality_overdue_q() | committee_overdue_q())
        return queryset


# --- inlines ----------------------------------------------------------------------------------


class BudgetInline(ReadOnlyInline):
    model = BudgetLine
    verbose_name = _("budget line")
    verbose_name_plural = _("budget")
    fields = ["description", "amount"]
    ordering = ["pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(actual=False)


class BeforePhotoInline(ReadOnlyInline):
    model = ApplicationPhoto
    verbose_name = _("photo before")
    verbose_name_plural = _("photos before")
    fields = ["photo_link", "description", "created_at"]
    ordering = ["pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=PhotoKind.BEFORE)

    @admin.display(description=_("photo"))
    def photo_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Open"))


class TimelineInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = ["created_at", "kind", "to_state", "actor_party", "actor_name", "message"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("by"))
    def actor_name(self, obj):
        from core.formatting import public_name

        return public_name(obj.actor) if obj.actor_id else "–"


# --- exports ----------------------------------------------------------------------------------

COLUMNS = [
    Column(_("Number"), lambda a: a.number),
    Column(_("Year"), lambda a: a.scheme.year),
    Column(_("Scheme"), lambda a: a.scheme.name),
    Column(_("Committee"), lambda a: a.committee.name),
    Column(_("What"), lambda a: a.title),
    Column(_("Where"), lambda a: a.place),
    Column(_("From"), lambda a: a.starts_on),
    Column(_("To"), lambda a: a.ends_on),
    Column(_("Planned dugnad hours"), lambda a: a.planned_hours),
    Column(_("Applied for (NOK)"), lambda a: a.amount_requested),
    Column(_("Granted (NOK)"), lambda a: a.amount_granted),
    Column(_("Status"), lambda a: a.get_state_display()),
    Column(_("Submitted"), lambda a: a.submitted_at),
    Column(_("Decided"), lambda a: a.decided_at),
    Column(_("Municipality's answer due"), lambda a: a.answer_due),
    Column(_("Committee's deadline"), lambda a: a.committee_due),
    Column(_("Overdue"), lambda a: row_for(a).overdue),
]


def export_rows(queryset):
    return (
        queryset.select_related("scheme", "committee")
        .order_by("-scheme__year", "scheme__name", "number")
        .iterator(chunk_size=CHUNK)
    )


EXPORTS = [
    csv_export_action(
        columns=COLUMNS, rows=export_rows, filename="tilskuddssoknader", name="export_csv"
    ),
    xlsx_export_action(
        columns=COLUMNS, rows=export_rows, filename="tilskuddssoknader", name="export_xlsx"
    ),
]


# --- the admin --------------------------------------------------------------------------------


@admin.register(Application)
class ApplicationAdmin(ApplicationReportAdminMixin, ReadOnlyAdmin):
    list_display = [
        "number",
        "committee_name",
        "scheme_name",
        "title",
        "requested",
        "granted",
        "state",
        "answer_due_on",
        "committee_due_on",
    ]
    list_display_links = ["number", "title"]
    list_filter = [
        YearFilter,
        ("scheme", admin.RelatedOnlyFieldListFilter),
        ("committee", admin.RelatedOnlyFieldListFilter),
        "state",
        OverdueFilter,
    ]
    list_select_related = ["scheme", "committee"]
    search_fields = ["number", "title", "committee__name"]
    search_help_text = _("Search by the number, what is applied for, or the committee.")
    ordering = [WORK_ORDER.asc(), "answer_due", "-created_at", "-pk"]
    list_per_page = 50
    actions = ["grant", "refuse", "ask_more", *REPORT_ACTIONS, *EXPORTS]
    inlines = [BudgetInline, BeforePhotoInline, *REPORT_INLINES, TimelineInline]
    fields = [
        "number",
        "page_link",
        "committee",
        "scheme",
        "state",
        "title",
        "description",
        "place",
        "position",
        "participants",
        "period",
        "planned_hours",
        "amount_requested",
        "budget_total",
        "amount_granted",
        "conditions",
        "answer_due_on",
        "committee_due_on",
        "submitted_at",
        "decided_at",
        "payment",
        *REPORT_FIELDS,
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related, "payment")

    def has_answer_permission(self, request, obj=None) -> bool:
        return can_answer_applications(request.user)

    def object_label(self, obj) -> str:
        return (
            f"{obj.number} – {obj.title} ({obj.committee.name}, "
            f"{money(obj.amount_requested)}, {obj.get_state_display()})"
        )

    # --- columns and fields -----------------------------------------------------------------

    @admin.display(description=_("committee"), ordering="committee__name")
    def committee_name(self, obj):
        return obj.committee.name

    @admin.display(description=_("scheme"), ordering="scheme__name")
    def scheme_name(self, obj):
        return f"{obj.scheme.name} {obj.scheme.year}"

    @admin.display(description=_("applied for"), ordering="amount_requested")
    def requested(self, obj):
        return money(obj.amount_requested)

    @admin.display(description=_("granted"), ordering="amount_granted")
    def granted(self, obj):
        return money(obj.amount_granted) if obj.amount_granted is not None else "–"

    def _due(self, deadline, overdue: bool):
        if deadline is None:
            return "–"
        if not overdue:
            return local_date(deadline.due)
        return format_html(
            "{} <strong>{}</strong>",
            local_date(deadline.due),
            pgettext("marker on a late deadline", "Overdue"),
        )

    @admin.display(description=_("answer due"), ordering="answer_due")
    def answer_due_on(self, obj):
        row = row_for(obj)
        return self._due(row.municipality, row.municipality_overdue)

    @admin.display(description=_("committee's deadline"), ordering="committee_due")
    def committee_due_on(self, obj):
        row = row_for(obj)
        return self._due(row.committee, row.committee_overdue)

    @admin.display(description=_("on the portal"))
    def page_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), gettext("Open"))

    @admin.display(description=_("coordinates"))
    def position(self, obj):
        if obj.latitude is None or obj.longitude is None:
            return "–"
        return f"{obj.latitude}, {obj.longitude}"

    @admin.display(description=_("period"))
    def period(self, obj):
        return f"{local_date(obj.starts_on)}–{local_date(obj.ends_on)}"

    @admin.display(description=_("budget in total"))
    def budget_total(self, obj):
        return money(services.budget_total(obj.budget_lines.filter(actual=False)))

    # --- actions ----------------------------------------------------------------------------

    @admin.action(description=_("Grant"), permissions=["answer"], location=BOTH_PLACES)
    def grant(self, request, queryset):
        objects = list(queryset.select_related("scheme", "committee"))
        initial = None
        if len(objects) == 1:
            initial = {"amount": objects[0].amount_requested}
        return self.form_action(
            request,
            objects,
            action="grant",
            form_class=GrantForm,
            initial=initial,
            title=_("Grant the applications"),
            submit_label=_("Grant"),
            intro=_(
                "Each application is granted the amount (at most what it applied for, the "
                "scheme's most per application and what is left of the pot) with the "
                "conditions, and the committee is told. Paid in advance, the payment is created "
                "at once; paid afterwards, the committee reports first."
            ),
            run=lambda objects, data: self.run_each(
                request,
                objects,
                lambda application: services.application_grant(
                    application=application,
                    actor=request.user,
                    amount=(
                        data["amount"]
                        if data.get("amount") is not None
                        else application.amount_requested
                    ),
                    conditions=data.get("conditions") or "",
                ),
                done_message=counted(
                    ngettext_lazy(
                        "%(count)d application granted.", "%(count)d applications granted.", "count"
                    )
                ),
            ),
        )

    @admin.action(
        description=_("Refuse (with a reason)"), permissions=["answer"], location=BOTH_PLACES
    )
    def refuse(self, request, queryset):
        return self.form_action(
            request,
            list(queryset.select_related("scheme", "committee")),
            action="refuse",
            form_class=RefuseForm,
            title=_("Refuse the applications"),
            submit_label=pgettext("application", "Refuse"),
            intro=_("The committee is told, with your reason."),
            run=lambda objects, data: self.run_each(
                request,
                objects,
                lambda application: services.application_refuse(
                    application=application, actor=request.user, reason=data["reason"]
                ),
                done_message=counted(
                    ngettext_lazy(
                        "%(count)d application refused.", "%(count)d applications refused.", "count"
                    )
                ),
            ),
        )

    @admin.action(
        description=_("Ask for more information"), permissions=["answer"], location=BOTH_PLACES
    )
    def ask_more(self, request, queryset):
        return self.form_action(
            request,
            list(queryset.select_related("scheme", "committee")),
            action="ask_more",
            form_class=AskMoreForm,
            title=_("Ask the committees for more information"),
            submit_label=_("Ask for more"),
            intro=_(
                "The committee is told what is missing and sends the application again within "
                "the scheme's days for more information."
            ),
            run=lambda objects, data: self.run_each(
                request,
                objects,
                lambda application: services.application_ask_more(
                    application=application, actor=request.user, message=data["message"]
                ),
                done_message=counted(
                    ngettext_lazy(
                        "%(count)d committee asked for more information.",
                        "%(count)d committees asked for more information.",
                        "count",
                    )
                ),
            ),
        )
