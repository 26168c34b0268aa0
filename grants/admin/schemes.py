"""Grant schemes in the admin, for the case handlers.

A scheme is written through ``services.schemes`` (an approved list's rules are fixed). The
change page of a formula scheme shows the pot check (a warning above the pot) and the
allocation list, read-only (the inline lives with the allocations: ``admin.allocations``); the
actions "Work out allocations" and "Approve the allocation list" call ``services.allocations``
after a confirmation page, their refusals shown as messages. The list exports to CSV and Excel
(``grants.exports``).

The population figures' admin (``admin.figures``) and the allocations' (``admin.allocations``)
were once in this module; their names are still importable from here."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import BOTH_PLACES, ConfirmedActionsMixin, ServiceBackedAdminMixin
from core.formatting import local_date, local_datetime, public_name

# Sums with their øre when they have any: a list scaled pro rata adds up to the pot exactly.
from core.formatting import money_exact as money

from ..exports import SCHEME_EXPORTS, allocated_total
from ..models import AllocationListState, GrantScheme
from ..permissions import can_approve_allocations
from ..services.allocations import allocations_approve, allocations_compute, pot_check
from ..services.schemes import FIXED_ONCE_APPROVED, scheme_create, scheme_update

# The figures' and the allocations' admins, importable from here as before.
from .allocations import AllocationAdmin, AllocationInline, StateFilter  # noqa: F401
from .figures import PopulationFigureAdmin, ReferenceDateFilter  # noqa: F401
from .history import HistoryAdmin


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
