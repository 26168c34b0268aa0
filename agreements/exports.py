"""The staff's exports of agreements, tasks, payments (grants' too) and reports: one list of columns each,
written as CSV (``core.export.csv_export_action``) and as an Excel workbook
(``core.export.xlsx_export_action``) from the same definitions.

Exports travel (e-mailed, shared, kept on a laptop), so what the portal marks as personal data
is never in them: not a signatory's phone, not a private address, not who submitted a report.
A signatory's name is on the public agreement already and is exported.

Every export is a fixed number of queries however many rows (``*_rows``): what a column reads
is loaded with the rows (``select_related``, sums as subqueries, the valid signatures
prefetched)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from core.deadlines import is_overdue
from core.export import Column, csv_export_action, xlsx_export_action

from .admin.queries import sum_of, with_admin_figures
from .models import (
    DUTY_OWED_STATES,
    Party,
    Payment,
    Provision,
    ReportLine,
    Signature,
    Task,
)

CHUNK = 500


def _signer(party: str):
    def value(agreement):
        names = [s.signer_name for s in agreement.valid_signatures if s.party == party]
        return ", ".join(names) or None

    return value


AGREEMENT_COLUMNS = [
    Column(_("Number"), lambda a: a.number),
    Column(_("Title"), lambda a: a.title),
    Column(_("Committee"), lambda a: a.committee.name),
    Column(_("Municipal department"), lambda a: a.department.name),
    Column(_("Type"), lambda a: a.get_kind_display()),
    Column(_("Status"), lambda a: a.get_state_display()),
    Column(_("Starts"), lambda a: a.starts_on),
    Column(_("Ends"), lambda a: a.last_day),
    Column(_("Notice period (months)"), lambda a: a.notice_months),
    Column(_("Renewal"), lambda a: a.get_renewal_display()),
    Column(_("Payments planned (NOK)"), lambda a: a.planned_total),
    Column(_("Paid (NOK)"), lambda a: a.paid_total),
    Column(_("Next payment due"), lambda a: a.next_payment_due),
    Column(_("Next report due"), lambda a: a.next_report_due),
    Column(_("Contributions in kind per year (NOK)"), lambda a: a.in_kind_total),
    Column(_("Estimated hours per year"), lambda a: a.hours_total),
    Column(_("Committee's own contribution per year (NOK)"), lambda a: a.own_contribution_per_year),
    Column(_("Municipality's own cost per year (NOK)"), lambda a: a.municipal_cost_per_year),
    Column(_("Signed for the committee by"), _signer(Party.COMMITTEE)),
    Column(_("Signed for the municipality by"), _signer(Party.MUNICIPALITY)),
    Column(_("Signed by both"), lambda a: a.signed_at),
]


def agreement_rows(queryset):
    """The selected agreements by number, with their sums and valid signatures."""
    return (
        with_admin_figures(queryset)
        .select_related("committee", "department")
        .annotate(
            planned_total=sum_of(Payment, "amount", cancelled=False),
            paid_total=sum_of(Payment, "amount", paid_on__isnull=False),
            in_kind_total=sum_of(Provision, "value_per_year"),
            hours_total=sum_of(Task, "hours_per_year"),
        )
        .prefetch_related(
            Prefetch(
                "signatures",
                queryset=Signature.objects.filter(voided_at__isnull=True).only(
                    "agreement_id", "party", "signer_name"
                ),
                to_attr="valid_signatures",
            )
        )
        .order_by("number")
        .iterator(chunk_size=CHUNK)
    )


TASK_COLUMNS = [
    Column(_("Agreement"), lambda t: t.agreement.number),
    Column(_("Committee"), lambda t: t.agreement.committee.name),
    Column(_("Task"), lambda t: t.get_kind_display()),
    Column(_("Description"), lambda t: t.description),
    Column(_("Locations"), lambda t: ", ".join(t.location_list)),
    Column(_("Season or weeks"), lambda t: t.season),
    Column(_("Frequency"), lambda t: t.frequency),
    Column(_("Estimated hours per year"), lambda t: t.hours_per_year),
    Column(_("Pricing"), lambda t: t.get_pricing_display()),
    Column(_("Amount (NOK)"), lambda t: t.amount),
    Column(_("Occasions per year"), lambda t: t.occasions_per_year),
]


def task_rows(agreements):
    """The tasks of the selected agreements."""
    return (
        Task.objects.filter(agreement__in=agreements.values("pk"))
        .select_related("agreement__committee")
        .order_by("agreement__number", "position", "pk")
        .iterator(chunk_size=CHUNK)
    )


PAYMENT_COLUMNS = [
    Column(_("Agreement"), lambda p: p.agreement.number if p.agreement_id else None),
    # A grant's payment (no agreement): its reference (``Payment.reference``).
    Column(_("Grant"), lambda p: None if p.agreement_id else p.reference),
    Column(_("Committee"), lambda p: p.payee.name),
    Column(_("Municipal department"), lambda p: p.payer.name),
    Column(_("Description"), lambda p: p.description),
    Column(_("From"), lambda p: p.get_source_display()),
    Column(_("Due"), lambda p: p.due_on),
    Column(_("Amount (NOK)"), lambda p: p.amount),
    Column(_("Paid"), lambda p: p.paid_on),
    Column(_("Voucher reference"), lambda p: p.voucher),
    Column(_("Cancelled"), lambda p: p.cancelled),
    Column(_("Overdue"), lambda p: payment_is_overdue(p)),
]


def payment_is_overdue(payment) -> bool:
    return not payment.is_paid and not payment.cancelled and is_overdue(payment.due_on)


def payment_rows(queryset):
    """The selected payments, an agreement's and a grant's alike, with both parties."""
    return (
        queryset.select_related(
            "agreement__committee", "agreement__department", "committee", "department"
        )
        .order_by("due_on", "pk")
        .iterator(chunk_size=CHUNK)
    )


REPORT_COLUMNS = [
    Column(_("Agreement"), lambda d: d.agreement.number),
    Column(_("Committee"), lambda d: d.agreement.committee.name),
    Column(_("Report for"), lambda d: d.title),
    Column(_("Due"), lambda d: d.due_on),
    Column(_("Status"), lambda d: d.get_state_display()),
    Column(_("Submitted"), lambda d: d.submitted_at),
    Column(_("Reviewed"), lambda d: d.reviewed_at),
    Column(_("Comment from the municipality"), lambda d: d.review_comment),
    Column(_("Hours reported"), lambda d: d.hours_reported),
    Column(_("Documented costs (NOK)"), lambda d: d.costs_reported),
    Column(_("Overdue"), lambda d: report_is_overdue(d)),
]


def report_is_overdue(duty) -> bool:
    return duty.state in DUTY_OWED_STATES and is_overdue(duty.due_on)


def with_report_sums(queryset):
    return queryset.annotate(
        hours_reported=sum_of(ReportLine, "hours", through="duty"),
        costs_reported=sum_of(ReportLine, "documented_cost", through="duty"),
    )


def report_rows(queryset):
    return (
        with_report_sums(queryset.select_related("agreement__committee"))
        .order_by("due_on", "pk")
        .iterator(chunk_size=CHUNK)
    )


def export_actions(*, columns, rows, filename: str, what: str, sheet, csv_label, xlsx_label):
    """The CSV and the XLSX action for one export (``what``: the action names' middle)."""
    return [
        csv_export_action(
            columns=columns,
            rows=rows,
            filename=filename,
            name=f"export_{what}_csv",
            description=csv_label,
        ),
        xlsx_export_action(
            columns=columns,
            rows=rows,
            filename=filename,
            sheet=sheet,
            name=f"export_{what}_xlsx",
            description=xlsx_label,
        ),
    ]


AGREEMENT_EXPORTS = export_actions(
    columns=AGREEMENT_COLUMNS,
    rows=agreement_rows,
    filename="avtaler",
    what="agreements",
    sheet=_("Agreements"),
    csv_label=_("Export the agreements to CSV"),
    xlsx_label=_("Export the agreements to Excel (XLSX)"),
)
TASK_EXPORTS = export_actions(
    columns=TASK_COLUMNS,
    rows=task_rows,
    filename="avtaler-oppgaver",
    what="tasks",
    sheet=_("Tasks"),
    csv_label=_("Export the agreements' tasks to CSV"),
    xlsx_label=_("Export the agreements' tasks to Excel (XLSX)"),
)
PAYMENT_EXPORTS = export_actions(
    columns=PAYMENT_COLUMNS,
    rows=payment_rows,
    filename="avtaler-utbetalinger",
    what="payments",
    sheet=_("Payments"),
    csv_label=_("Export the payments to CSV"),
    xlsx_label=_("Export the payments to Excel (XLSX)"),
)
REPORT_EXPORTS = export_actions(
    columns=REPORT_COLUMNS,
    rows=report_rows,
    filename="avtaler-rapporter",
    what="reports",
    sheet=_("Reports"),
    csv_label=_("Export the reports to CSV"),
    xlsx_label=_("Export the reports to Excel (XLSX)"),
)
