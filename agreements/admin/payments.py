"""The municipality's side of the work list: "Payments due" — every instalment, the earliest
due first, opening on the unpaid ones of the handler's own department, "Overdue" written out
(the municipality's deadlines count as much as the committee's).

An instalment's due date and amount are terms: they change on the agreement's page (its payment
plan), while it is unsigned. Here it is marked paid, with the date and the voucher reference,
through ``services.payments.payment_mark_paid`` (the action "Mark paid", from the list or the
payment's page; one transaction each)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from core.admin import BOTH_PLACES, ConfirmedActionsMixin, ReadOnlyAdmin
from core.formatting import local_date, money, public_name

from ..exports import PAYMENT_EXPORTS, payment_is_overdue
from ..models import Payment
from ..permissions import can_mark_paid
from .filters import AgreementDepartmentFilter, PaymentStatusFilter
from .forms import MarkPaidForm
from .history import HistoryAdmin


def mark_paid(*, payment, actor, paid_on, voucher):
    """The payments service's ``payment_mark_paid`` (imported when used: written alongside)."""
    from ..services.payments import payment_mark_paid

    return payment_mark_paid(payment=payment, actor=actor, paid_on=paid_on, voucher=voucher)


@admin.register(Payment)
class PaymentAdmin(ConfirmedActionsMixin, ReadOnlyAdmin, HistoryAdmin):
    list_display = [
        "agreement_number",
        "committee_name",
        "description",
        "due",
        "sum",
        "overdue",
        "paid",
        "voucher",
        "source",
    ]
    list_display_links = ["agreement_number", "description"]
    list_filter = [
        PaymentStatusFilter,
        AgreementDepartmentFilter,
        "source",
        ("agreement__committee", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["agreement", "agreement__committee", "agreement__department"]
    search_fields = ["agreement__number", "agreement__title", "agreement__committee__name"]
    search_help_text = _("Search by the agreement's number or title, or the committee.")
    ordering = ["due_on", "pk"]
    list_per_page = 50
    actions = ["mark_paid", *PAYMENT_EXPORTS]
    fields = [
        "agreement_link",
        "committee_name",
        "source",
        "description",
        "due_on",
        "sum",
        "overdue",
        "paid_on",
        "voucher",
        "paid_by_name",
        "cancelled",
    ]
    readonly_fields = fields

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"title": gettext("Payments due"), **(extra_context or {})}
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related, "paid_by")

    def has_mark_paid_permission(self, request, obj=None) -> bool:
        return can_mark_paid(request.user)

    def object_label(self, obj) -> str:
        return f"{obj.agreement.number} – {obj.description or local_date(obj.due_on)} ({money(obj.amount)})"

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

    @admin.display(description=_("amount"), ordering="amount")
    def sum(self, obj):
        return money(obj.amount)

    @admin.display(description=_("paid"), ordering="paid_on")
    def paid(self, obj):
        if obj.cancelled:
            return pgettext("payment", "Cancelled")
        return local_date(obj.paid_on) or "–"

    @admin.display(description=_("overdue"))
    def overdue(self, obj):
        if not payment_is_overdue(obj):
            return ""
        return format_html("<strong>{}</strong>", pgettext("marker on a late payment", "Overdue"))

    @admin.display(description=_("marked paid by"))
    def paid_by_name(self, obj):
        return public_name(obj.paid_by) if obj.paid_by_id else "–"

    @admin.action(description=_("Mark paid"), permissions=["mark_paid"], location=BOTH_PLACES)
    def mark_paid(self, request, queryset):
        from django.utils import timezone

        def run(objects, data):
            self.run_each(
                request,
                objects,
                lambda payment: mark_paid(
                    payment=payment,
                    actor=request.user,
                    paid_on=data["paid_on"],
                    voucher=data["voucher"],
                ),
                done_message=lambda n: (
                    ngettext("%(count)d payment marked paid.", "%(count)d payments marked paid.", n)
                    % {"count": n}
                ),
            )

        return self.form_action(
            request,
            list(queryset),
            action="mark_paid",
            form_class=MarkPaidForm,
            initial={"paid_on": timezone.localdate()},
            title=_("Mark the payments paid"),
            submit_label=_("Mark paid"),
            intro=_(
                "The municipality has paid these instalments. Both parties see the date on the "
                "agreement's timeline."
            ),
            run=run,
        )
