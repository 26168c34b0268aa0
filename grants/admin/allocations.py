"""Allocations in the admin: each committee's share of a formula scheme, the services' records.

Read-only here (``services.allocations`` works them out and approves the list from the scheme's
page, ``admin.schemes``): the list filters by year, scheme, committee and state and exports to
CSV and Excel (``grants.exports``); the action "Release reserved allocations" pays those whose
committee has become eligible. ``AllocationInline`` is the allocation list on a formula
scheme's change page."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import BOTH_PLACES, ConfirmedActionsMixin, ReadOnlyAdmin, ReadOnlyInline
from core.formatting import local_date

# Sums with their øre when they have any: a list scaled pro rata adds up to the pot exactly.
from core.formatting import money_exact as money

from ..exports import ALLOCATION_EXPORTS
from ..models import Allocation, AllocationState
from ..permissions import can_approve_allocations
from ..services.allocations import allocation_release
from .history import HistoryAdmin


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
        "why_not_payable",
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

    @admin.display(description=_("why not payable"))
    def why_not_payable(self, obj):
        return obj.reason_text

    @admin.display(description=_("payment due"))
    def payment_due(self, obj):
        return local_date(obj.payment.due_on) if obj.payment_id else "–"


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
        "why_not_payable",
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
        "why_not_payable",
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

    @admin.display(description=_("why not payable"))
    def why_not_payable(self, obj):
        return obj.reason_text

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
