"""Grant schemes, population figures and allocations in the admin, for the case handlers.

- **Schemes**: written through ``services.schemes`` (an approved list's rules are fixed). The
  change page of a formula scheme shows the pot check (a warning above the pot) and the
  allocation list, read-only; the actions "Work out allocations" and "Approve the allocation
  list" call ``services.allocations`` after a confirmation page, their refusals shown as
  messages.
- **Population figures**: entered or corrected here through ``services.figures`` (or imported
  from a CSV: ``manage.py import_population``).
- **Allocations**: the services' records, read-only; filters by year, scheme, committee and
  state; "Release reserved allocations" pays those whose committee has become eligible.

Each list exports to CSV and Excel (``grants.exports``)."""

import datetime

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import (
    BOTH_PLACES,
    ConfirmedActionsMixin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    ServiceBackedAdminMixin,
)
from core.formatting import local_date, local_datetime, public_name

from ..exports import ALLOCATION_EXPORTS, FIGURE_EXPORTS, SCHEME_EXPORTS, allocated_total
from ..models import (
    Allocation,
    AllocationListState,
    AllocationState,
    GrantScheme,
    PopulationFigure,
)
from ..permissions import can_approve_allocations
from ..services.allocations import (
    allocation_release,
    allocations_approve,
    allocations_compute,
    pot_check,
)
from ..services.figures import population_figure_save
from ..services.schemes import FIXED_ONCE_APPROVED, scheme_create, scheme_update

# Sums with their øre when they have any: a list scaled pro rata adds up to the pot exactly.
from ..templatetags.grant_money import money_ore as money


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's "History" page without "Revert" (a revert would write the row
    past the services' rules); an id that cannot be one is a 404."""

    def history_view(self, request, object_id, extra_context=None):
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        return super().history_view(request, object_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def pot_check_html(scheme, allocations=None) -> str:
    """The pot check as the admin shows it: the total against the pot, a warning above it."""
    if not scheme.is_formula:
        return "–"
    check = pot_check(scheme, allocations=allocations)
    if not check.count:
        return gettext("Not worked out yet: use the action “Work out allocations”.")
    if check.over:
        return format_html(
            '<strong class="pot-check pot-check--over">{}</strong>',
            gettext(
                "Above the pot: the allocations add up to %(total)s, %(above)s more than the "
                "pot of %(pot)s. The list cannot be approved until the pot or the rules change."
            )
            % {
                "total": money(check.total),
                "above": money(check.above_by),
                "pot": money(check.pot),
            },
        )
    text = gettext("%(total)s of the pot of %(pot)s is allocated; %(left)s is left.") % {
        "total": money(check.total),
        "pot": money(check.pot),
        "left": money(check.left),
    }
    if check.scaled:
        text += " " + gettext(
            "The formula gives %(formula)s, %(above)s above the pot: every allocation is "
            "scaled down pro rata."
        ) % {"formula": money(check.formula_total), "above": money(check.formula_above_by)}
    return text


class AllocationInline(ReadOnlyInline):
    model = Allocation
    verbose_name_plural = _("allocation list")
    fields = [
        "committee",
        "residents_in_range",
        "base",
        "per_resident",
        "formula",
        "allocated",
        "state",
        "reason",
        "payment_due",
    ]
    ordering = ["committee__name", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("committee", "payment")

    @admin.display(description=_("base amount"))
    def base(self, obj):
        return money(obj.base_amount)

    @admin.display(description=_("for the residents"))
    def per_resident(self, obj):
        return money(obj.per_resident_amount)

    @admin.display(description=_("by the formula"))
    def formula(self, obj):
        return money(obj.formula_amount)

    @admin.display(description=_("allocated"))
    def allocated(self, obj):
        return money(obj.amount)

    @admin.display(description=_("payment due"))
    def payment_due(self, obj):
        return local_date(obj.payment.due_on) if obj.payment_id else "–"


SCHEME_FIELDSETS = [
    (
        None,
        {
            "fields": [
                "year",
                "name",
                "kind",
                "department",
                "description",
                "pot",
                "source",
                "source_url",
            ]
        },
    ),
    (
        _("The formula"),
        {
            "fields": [
                "base_amount",
                "rate_per_resident",
                "age_from",
                "age_to",
                "population_date",
                "over_pot_rule",
            ],
            "description": _(
                "Formula schemes: base amount per committee + amount per resident in the age "
                "range, from the newest population figures on or before the date."
            ),
        },
    ),
    (
        _("Eligibility"),
        {"fields": ["requires_registration", "requires_active", "requires_annual_report"]},
    ),
    (_("Payment"), {"fields": ["payment_rule", "payment_days"]}),
    (
        _("Applications"),
        {
            "fields": [
                "max_amount",
                "priority",
                "opens_on",
                "application_deadline",
                "answer_days",
                "info_days",
                "report_deadline",
            ],
            "description": _("Application-based schemes only."),
        },
    ),
]
LIST_RECORD_FIELDS = ["pot_check_display", "allocation_state", "approved", "approved_by_name"]


@admin.register(GrantScheme)
class GrantSchemeAdmin(ServiceBackedAdminMixin, ConfirmedActionsMixin, HistoryAdmin):
    list_display = ["year", "name", "kind", "pot_display", "allocated_display", "state_display"]
    list_display_links = ["year", "name"]
    list_filter = ["year", "kind", "payment_rule", "allocation_state"]
    list_select_related = ["department"]
    search_fields = ["name", "source", "description"]
    search_help_text = _("Search by name, the source of the rules or the description.")
    ordering = ["-year", "name"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["compute_allocations", "approve_allocations", *SCHEME_EXPORTS]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(allocated_total=allocated_total())

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(SCHEME_FIELDSETS)
        if obj is not None and obj.is_formula:
            fieldsets.insert(1, (_("The allocation list"), {"fields": LIST_RECORD_FIELDS}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fixed = []
        if obj.allocation_state == AllocationListState.APPROVED:
            fixed = sorted(FIXED_ONCE_APPROVED)
        return [*LIST_RECORD_FIELDS, *fixed]

    def get_inlines(self, request, obj):
        return [AllocationInline] if obj is not None and obj.is_formula else []

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.allocation_state == AllocationListState.APPROVED:
            return False  # its payments stand on it
        return super().has_delete_permission(request, obj)

    def has_allocate_permission(self, request, obj=None) -> bool:
        return can_approve_allocations(request.user)

    def object_label(self, obj) -> str:
        if not obj.is_formula:
            return f"{obj} ({obj.get_kind_display()})"
        check = pot_check(obj)
        return gettext(
            "%(scheme)s: %(count)s allocations, %(total)s of the pot of %(pot)s (%(state)s)"
        ) % {
            "scheme": obj,
            "count": check.count,
            "total": money(check.total),
            "pot": money(check.pot),
            "state": obj.get_allocation_state_display(),
        }

    # --- saving: only through the services ---

    def save_through_services(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = scheme_create(
                actor=request.user, **{name: data[name] for name in form.fields if name in data}
            )
            obj.pk = created.pk
            obj.created_at = created.created_at
            obj._state.adding = False
            return []
        changed = {name: data[name] for name in form.changed_data if name in data}
        if changed:
            scheme_update(scheme=obj, actor=request.user, **changed)
        return []

    # --- the list's columns and the page's records ---

    @admin.display(description=_("pot"), ordering="pot")
    def pot_display(self, obj):
        return money(obj.pot)

    @admin.display(description=_("allocated"), ordering="allocated_total")
    def allocated_display(self, obj):
        return money(obj.allocated_total) if obj.is_formula else "–"

    @admin.display(description=_("state"), ordering="allocation_state")
    def state_display(self, obj):
        if obj.is_formula:
            return obj.get_allocation_state_display()
        if obj.application_deadline:
            return gettext("Applications until %(day)s") % {
                "day": local_date(obj.application_deadline)
            }
        return gettext("Applications")

    @admin.display(description=_("pot check"))
    def pot_check_display(self, obj):
        return pot_check_html(obj)

    @admin.display(description=_("approved"))
    def approved(self, obj):
        return local_datetime(obj.approved_at) if obj.approved_at else "–"

    @admin.display(description=_("approved by"))
    def approved_by_name(self, obj):
        return public_name(obj.approved_by) if obj.approved_by_id else "–"

    # --- actions, through the services ---

    @admin.action(
        description=_("Work out allocations"), permissions=["allocate"], location=BOTH_PLACES
    )
    def compute_allocations(self, request, queryset):
        def run(objects):
            self.run_each(
                request,
                objects,
                lambda scheme: allocations_compute(scheme=scheme, actor=request.user),
                done_message=lambda n: (
                    ngettext(
                        "The allocations of %(count)d scheme were worked out.",
                        "The allocations of %(count)d schemes were worked out.",
                        n,
                    )
                    % {"count": n}
                ),
            )

        return self.confirmed_action(
            request,
            list(queryset),
            run=run,
            action="compute_allocations",
            title=_("Work out the allocations"),
            submit_label=_("Work out"),
            intro=_(
                "Every committee's allocation is worked out again from the newest population "
                "figures and the scheme's rules, replacing the draft list. A committee that is "
                "not eligible is reserved, with the reason."
            ),
        )

    @admin.action(
        description=_("Approve the allocation list"),
        permissions=["allocate"],
        location=BOTH_PLACES,
    )
    def approve_allocations(self, request, queryset):
        def run(objects):
            self.run_each(
                request,
                objects,
                lambda scheme: allocations_approve(scheme=scheme, actor=request.user),
                done_message=lambda n: (
                    ngettext(
                        "%(count)d allocation list was approved; the payments are created.",
                        "%(count)d allocation lists were approved; the payments are created.",
                        n,
                    )
                    % {"count": n}
                ),
            )

        return self.confirmed_action(
            request,
            list(queryset),
            run=run,
            action="approve_allocations",
            title=_("Approve the allocation list"),
            submit_label=_("Approve"),
            intro=_(
                "Each eligible committee's allocation gets its payment, due within the scheme's "
                "days to pay, and each committee's board is told. Reserved and held allocations "
                "are not paid. This cannot be undone."
            ),
        )


class ReferenceDateFilter(admin.SimpleListFilter):
    """The reference dates the figures have (a handful), newest first."""

    title = _("reference date")
    parameter_name = "reference_date"

    def lookups(self, request, model_admin):
        days = (
            PopulationFigure.objects.order_by("-reference_date")
            .values_list("reference_date", flat=True)
            .distinct()[:50]
        )
        return [(day.isoformat(), local_date(day)) for day in days]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            return queryset.none()
        return queryset.filter(reference_date=day)


@admin.register(PopulationFigure)
class PopulationFigureAdmin(ServiceBackedAdminMixin, HistoryAdmin):
    list_display = [
        "committee",
        "reference",
        "ages",
        "residents",
        "residents_in_range",
        "source",
    ]
    list_filter = [ReferenceDateFilter, ("committee", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["committee"]
    search_fields = ["committee__name", "source"]
    search_help_text = _("Search by committee or source.")
    ordering = ["committee__name", "-reference_date", "age_from"]
    list_per_page = 100
    show_full_result_count = False
    fields = [
        "committee",
        "reference_date",
        "age_from",
        "age_to",
        "residents",
        "residents_in_range",
        "source",
    ]
    actions = [*FIGURE_EXPORTS]

    def save_through_services(self, request, obj, form, change):
        population_figure_save(figure=obj, actor=request.user)
        return []

    @admin.display(description=_("reference date"), ordering="reference_date")
    def reference(self, obj):
        return local_date(obj.reference_date)

    @admin.display(description=_("ages"), ordering="age_from")
    def ages(self, obj):
        return f"{obj.age_from}–{obj.age_to}"


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return AllocationState.choices

    def queryset(self, request, queryset):
        if self.value() in AllocationState.values:
            return queryset.filter(state=self.value())
        return queryset


@admin.register(Allocation)
class AllocationAdmin(ConfirmedActionsMixin, ReadOnlyAdmin, HistoryAdmin):
    list_display = [
        "committee",
        "scheme_link",
        "residents_in_range",
        "base",
        "per_resident",
        "allocated",
        "state",
        "reason",
        "payment_due",
    ]
    list_display_links = ["committee"]
    list_filter = [
        "scheme__year",
        ("scheme", admin.RelatedOnlyFieldListFilter),
        ("committee", admin.RelatedOnlyFieldListFilter),
        StateFilter,
    ]
    list_select_related = ["scheme", "committee", "payment"]
    search_fields = ["committee__name", "scheme__name"]
    search_help_text = _("Search by committee or scheme.")
    ordering = ["-scheme__year", "scheme__name", "committee__name"]
    list_per_page = 100
    actions = ["release", *ALLOCATION_EXPORTS]
    fields = [
        "scheme_link",
        "committee",
        "figure_used",
        "residents_in_range",
        "base",
        "per_resident",
        "formula",
        "allocated",
        "state",
        "reason",
        "payment_link",
        "computed_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related, "figure")

    def has_release_permission(self, request, obj=None) -> bool:
        return can_approve_allocations(request.user)

    def object_label(self, obj) -> str:
        return (
            f"{obj.scheme} – {obj.committee.name}: {money(obj.amount)} ({obj.get_state_display()})"
        )

    @admin.display(description=_("scheme"), ordering="scheme__name")
    def scheme_link(self, obj):
        url = reverse("admin:grants_grantscheme_change", args=[obj.scheme_id])
        return format_html('<a href="{}">{}</a>', url, obj.scheme)

    @admin.display(description=_("population figure"))
    def figure_used(self, obj):
        if obj.figure_id is None:
            return "–"
        figure = obj.figure
        return f"{local_date(figure.reference_date)} ({figure.age_from}–{figure.age_to}): {figure.source}"

    @admin.display(description=_("base amount"), ordering="base_amount")
    def base(self, obj):
        return money(obj.base_amount)

    @admin.display(description=_("for the residents"), ordering="per_resident_amount")
    def per_resident(self, obj):
        return money(obj.per_resident_amount)

    @admin.display(description=_("by the formula"), ordering="formula_amount")
    def formula(self, obj):
        return money(obj.formula_amount)

    @admin.display(description=_("allocated"), ordering="amount")
    def allocated(self, obj):
        return money(obj.amount)

    @admin.display(description=_("payment due"), ordering="payment__due_on")
    def payment_due(self, obj):
        return local_date(obj.payment.due_on) if obj.payment_id else "–"

    @admin.display(description=_("payment"))
    def payment_link(self, obj):
        if not obj.payment_id:
            return "–"
        url = reverse("admin:agreements_payment_change", args=[obj.payment_id])
        return format_html(
            '<a href="{}">{} ({})</a>',
            url,
            money(obj.payment.amount),
            local_date(obj.payment.due_on),
        )

    @admin.action(
        description=_("Release reserved allocations"),
        permissions=["release"],
        location=BOTH_PLACES,
    )
    def release(self, request, queryset):
        def run(objects):
            self.run_each(
                request,
                objects,
                lambda allocation: allocation_release(allocation=allocation, actor=request.user),
                done_message=lambda n: (
                    ngettext(
                        "%(count)d allocation was released for payment.",
                        "%(count)d allocations were released for payment.",
                        n,
                    )
                    % {"count": n}
                ),
            )

        return self.confirmed_action(
            request,
            list(queryset.select_related("scheme", "committee")),
            run=run,
            action="release",
            title=_("Release reserved allocations"),
            submit_label=_("Release for payment"),
            intro=_(
                "A reserved or held allocation whose committee is eligible now (registered, "
                "active, last year's annual report approved, as the scheme requires) gets its "
                "payment. Those still not eligible stay reserved, with the reason."
            ),
        )
