"""The list filters of the agreements' admin: expiring, overdue on either side (the rules are in
``queries``), and the two work lists' defaults — the handler's own department, and what is
still to do (unpaid payments; reports to review or still owed). The payments' department and
committee filters find grants' payments too (their payer and payee are on the row)."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from committees.models import Committee
from committees.work_lists import WorkListDepartmentFilter, own_department_id, valid_pk
from core.deadlines import overdue_q

from ..models import DUTY_OWED_STATES, DutyState
from .queries import expiring_q, payment_overdue_q, report_overdue_q, unpaid_q


class ExpiringFilter(admin.SimpleListFilter):
    title = _("expiring")
    parameter_name = "expiring"

    def lookups(self, request, model_admin):
        return [("yes", _("In the notice period"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(expiring_q())
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    """Either party's deadlines count the same: a payment the municipality is late with, a
    report the committee is late with, or either."""

    title = _("overdue")
    parameter_name = "overdue"
    MUNICIPALITY, COMMITTEE, EITHER = "municipality", "committee", "either"

    def lookups(self, request, model_admin):
        return [
            (self.MUNICIPALITY, _("Payment overdue (the municipality)")),
            (self.COMMITTEE, _("Report overdue (the committee)")),
            (self.EITHER, _("Overdue on either side")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.MUNICIPALITY:
            return queryset.filter(payment_overdue_q())
        if value == self.COMMITTEE:
            return queryset.filter(report_overdue_q())
        if value == self.EITHER:
            return queryset.filter(payment_overdue_q() | report_overdue_q())
        return queryset


class AgreementDepartmentFilter(WorkListDepartmentFilter):
    """The work lists' department filter, for rows that reach their department through the
    agreement (payments, report duties)."""

    department_field = "agreement__department"


class PaymentDepartmentFilter(WorkListDepartmentFilter):
    """The work lists' department filter for payments: an agreement's instalment is paid by the
    agreement's department, a grant's by the department on the payment (its payer)."""

    def queryset(self, request, queryset):
        chosen = self.chosen()
        department = own_department_id(request.user) if chosen == self.MINE else chosen
        if chosen == self.ALL or department is None:
            return queryset
        return queryset.filter(Q(agreement__department_id=department) | Q(department_id=department))


class PaymentCommitteeFilter(admin.SimpleListFilter):
    """The committee paid (the payee): an agreement's, or a grant payment's own. Only
    committees with a payment are offered (one query)."""

    title = _("committee")
    parameter_name = "committee"

    def lookups(self, request, model_admin):
        committees = (
            Committee.objects.filter(
                Q(agreements__payments__isnull=False) | Q(grant_payments__isnull=False)
            )
            .distinct()
            .order_by("name")
            .values_list("pk", "name")
        )
        return [(str(pk), name) for pk, name in committees]

    def queryset(self, request, queryset):
        value = self.value()
        if not valid_pk(value):
            return queryset
        return queryset.filter(Q(agreement__committee_id=value) | Q(committee_id=value))


class DefaultChoiceFilter(admin.SimpleListFilter):
    """A filter that opens on ``default`` (the work to do); every choice, "all" included, is a
    click away and stays in the query string."""

    default: str
    ALL = "all"

    def chosen(self) -> str:
        value = self.value()
        return value if value in {str(key) for key, _title in self.lookup_choices} else self.default

    def choices(self, changelist):
        chosen = self.chosen()
        for lookup, title in self.lookup_choices:
            yield {
                "selected": chosen == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class PaymentStatusFilter(DefaultChoiceFilter):
    title = _("payment")
    parameter_name = "paid"
    default = "unpaid"

    def lookups(self, request, model_admin):
        return [
            ("unpaid", _("To be paid")),
            ("overdue", _("Overdue")),
            ("paid", _("Paid")),
            ("cancelled", _("Cancelled")),
            (self.ALL, _("All")),
        ]

    def queryset(self, request, queryset):
        chosen = self.chosen()
        if chosen == "unpaid":
            return queryset.filter(unpaid_q())
        if chosen == "overdue":
            return queryset.filter(unpaid_q() & overdue_q("due_on"))
        if chosen == "paid":
            return queryset.filter(paid_on__isnull=False)
        if chosen == "cancelled":
            return queryset.filter(cancelled=True)
        return queryset


class ReportStatusFilter(DefaultChoiceFilter):
    title = _("report")
    parameter_name = "todo"
    default = "todo"

    def lookups(self, request, model_admin):
        return [
            ("todo", _("To review or still owed")),
            ("review", _("Submitted, to review")),
            ("overdue", _("Overdue")),
            (self.ALL, _("All")),
        ]

    def queryset(self, request, queryset):
        chosen = self.chosen()
        if chosen == "todo":
            return queryset.filter(state__in=[DutyState.SUBMITTED, *DUTY_OWED_STATES])
        if chosen == "review":
            return queryset.filter(state=DutyState.SUBMITTED)
        if chosen == "overdue":
            return queryset.filter(state__in=DUTY_OWED_STATES).filter(overdue_q("due_on"))
        return queryset
