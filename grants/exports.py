"""The staff's exports of grant schemes, population figures and allocations: one list of columns
each, written as CSV (``core.export.csv_export_action``) and as an Excel workbook
(``core.export.xlsx_export_action``) from the same definitions. Nothing here is personal data
(committees, sums, figures); who approved a list is not exported.

Every export is a fixed number of queries however many rows (``*_rows``: ``select_related``,
the allocated totals as a subquery)."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core.export import Column, csv_export_action, xlsx_export_action

from .models import Allocation

CHUNK = 500


def allocated_total():
    """A scheme's allocations added up (a subquery: one query for any number of schemes)."""
    sums = (
        Allocation.objects.filter(scheme=OuterRef("pk"))
        .order_by()
        .values("scheme")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(
        Subquery(sums, output_field=DecimalField(max_digits=14, decimal_places=2)),
        Value(Decimal(0)),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


SCHEME_COLUMNS = [
    Column(_("Year"), lambda s: s.year),
    Column(_("Name"), lambda s: s.name),
    Column(_("Kind"), lambda s: s.get_kind_display()),
    Column(_("Municipal department"), lambda s: s.department.name),
    Column(_("Pot (NOK)"), lambda s: s.pot),
    Column(_("Allocated (NOK)"), lambda s: s.allocated_total),
    Column(_("Base amount per committee (NOK)"), lambda s: s.base_amount),
    Column(_("Amount per resident (NOK)"), lambda s: s.rate_per_resident),
    Column(_("Age from"), lambda s: s.age_from),
    Column(_("Age to"), lambda s: s.age_to),
    Column(_("Population figures as of"), lambda s: s.population_date),
    Column(_("Above the pot"), lambda s: s.get_over_pot_rule_display()),
    Column(_("Most per application (NOK)"), lambda s: s.max_amount),
    Column(_("Requires registration"), lambda s: s.requires_registration),
    Column(_("Requires active status"), lambda s: s.requires_active),
    Column(_("Requires last year's annual report"), lambda s: s.requires_annual_report),
    Column(_("Payment"), lambda s: s.get_payment_rule_display()),
    Column(_("Days to pay"), lambda s: s.payment_days),
    Column(_("Application deadline"), lambda s: s.application_deadline),
    Column(_("Allocation list"), lambda s: s.get_allocation_state_display()),
    Column(_("Approved"), lambda s: s.approved_at),
    Column(_("Source of the rules"), lambda s: s.source),
    Column(_("Link to the source"), lambda s: s.source_url),
]


def scheme_rows(queryset):
    return (
        queryset.select_related("department")
        .annotate(allocated_total=allocated_total())
        .order_by("-year", "name")
        .iterator(chunk_size=CHUNK)
    )


FIGURE_COLUMNS = [
    Column(_("Committee"), lambda f: f.committee.name),
    Column(_("Committee (slug)"), lambda f: f.committee.slug),
    Column(_("Reference date"), lambda f: f.reference_date),
    Column(_("Age from"), lambda f: f.age_from),
    Column(_("Age to"), lambda f: f.age_to),
    Column(_("Residents in all"), lambda f: f.residents),
    Column(_("Residents in the age range"), lambda f: f.residents_in_range),
    Column(_("Source"), lambda f: f.source),
]


def figure_rows(queryset):
    return (
        queryset.select_related("committee")
        .order_by("committee__name", "-reference_date", "age_from")
        .iterator(chunk_size=CHUNK)
    )


ALLOCATION_COLUMNS = [
    Column(_("Year"), lambda a: a.scheme.year),
    Column(_("Scheme"), lambda a: a.scheme.name),
    Column(_("Committee"), lambda a: a.committee.name),
    Column(_("Organisation number"), lambda a: a.committee.organisation_number),
    Column(_("Residents in the age range"), lambda a: a.residents_in_range),
    Column(_("Figures as of"), lambda a: a.figure.reference_date if a.figure_id else None),
    Column(_("Base amount (NOK)"), lambda a: a.base_amount),
    Column(_("For the residents (NOK)"), lambda a: a.per_resident_amount),
    Column(_("By the formula (NOK)"), lambda a: a.formula_amount),
    Column(_("Allocated (NOK)"), lambda a: a.amount),
    Column(_("Status"), lambda a: a.get_state_display()),
    Column(_("Why not payable"), lambda a: a.reason_text),
    Column(_("Payment due"), lambda a: a.payment.due_on if a.payment_id else None),
    Column(_("Paid"), lambda a: a.payment.paid_on if a.payment_id else None),
]


def allocation_rows(queryset):
    return (
        queryset.select_related("scheme", "committee", "figure", "payment")
        .order_by("-scheme__year", "scheme__name", "committee__name")
        .iterator(chunk_size=CHUNK)
    )


def _exports(key, columns, rows, filename):
    return [
        csv_export_action(columns=columns, rows=rows, filename=filename, name=f"export_{key}_csv"),
        xlsx_export_action(
            columns=columns, rows=rows, filename=filename, name=f"export_{key}_xlsx"
        ),
    ]


SCHEME_EXPORTS = _exports("schemes", SCHEME_COLUMNS, scheme_rows, "tilskuddsordninger")
FIGURE_EXPORTS = _exports("figures", FIGURE_COLUMNS, figure_rows, "befolkningstall")
ALLOCATION_EXPORTS = _exports("allocations", ALLOCATION_COLUMNS, allocation_rows, "tildelinger")
