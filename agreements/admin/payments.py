"""The municipality's side of the work list: "Payments due" — every instalment, the earliest
due first, opening on the unpaid ones of the handler's own department, "Overdue" written out
(the municipality's deadlines count as much as the committee's).

Grants' payments (no agreement: ``payment_owners``) are on the same list beside the agreements'
instalments: the "Agreement or grant" column links to the agreement, or to the grant's own page
(its admin page where it has one, else its public page); the committee is the payee, the
department the payer, either way. What the owners read from a payment is loaded with the rows
(``payment_owners.owner_relations``): a page is the same queries however many are grants.

An instalment's due date and amount are terms: they change on the agreement's page (its payment
plan), while it is unsigned. Here it is marked paid, with the date and the voucher reference,
through ``services.payments.payment_mark_paid`` (the action "Mark paid", from the list or the
payment's page; one transaction each)."""

from django.contrib import admin
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from core.admin import BOTH_PLACES, ConfirmedActionsMixin, ReadOnlyAdmin
from core.formatting import local_date, money_exact, public_name

from ..exports import PAYMENT_EXPORTS, payment_is_overdue
from ..models import Payment
from ..payment_owners import label_of, owner_relations, target_of
from ..permissions import can_mark_paid
from .filters import PaymentCommitteeFilter, PaymentDepartmentFilter, PaymentStatusFilter
from .forms import MarkPaidForm
from .history import HistoryAdmin


def mark_paid(*, payment, actor, paid_on, voucher):
    """The payments service's ``payment_mark_paid`` (imported when used: written alongside)."""
    from ..services.payments import payment_mark_paid

    return payment_mark_paid(payment=payment, actor=actor, paid_on=paid_on, voucher=voucher)


@admin.register(Payment)
class PaymentAdmin(ConfirmedActionsMixin, ReadOnlyAdmin, HistoryAdmin):
    list_display = [
        "agreement_or_grant",
        "committee_name",
        "description",
        "due",
        "sum",
        "overdue",
        "paid",
        "voucher",
        "source",
    ]
    # "Agreement or grant" links to the agreement or the grant: the payment's own page is a
    # click on its description or its due date.
    list_display_links = ["description", "due"]
    list_filter = [
        PaymentStatusFilter,
        PaymentDepartmentFilter,
        "source",
        PaymentCommitteeFilter,
    ]
    # An agreement's instalment reaches its parties through the agreement, a grant's has them
    # on the row; the owners' relations are added per request (``get_list_select_related``).
    list_select_related = [
        "agreement",
        "agreement__committee",
        "agreement__department",
        "committee",
        "department",
    ]
    search_fields = [
        "agreement__number",
        "agreement__title",
        "agreement__committee__name",
        "description",
        "committee__name",
    ]
    search_help_text = _(
        "Search by the agreement's number or title, the grant's reference, the description or "
        "the committee."
    )
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

    def get_list_select_related(self, request):
        return [*self.list_select_related, *owner_relations()]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(*self.get_list_select_related(request), "paid_by")
            .annotate(
                reference_sort=Coalesce("agreement__number", "description"),
                payee_name=Coalesce("agreement__committee__name", "committee__name"),
            )
        )

    def has_mark_paid_permission(self, request, obj=None) -> bool:
        return can_mark_paid(request.user)

    def object_label(self, obj) -> str:
        what = obj.description if obj.agreement_id and obj.description else local_date(obj.due_on)
        return f"{label_of(obj)} – {what} ({money_exact(obj.amount)})"

    @staticmethod
    def owner_url(obj) -> str | None:
        """The agreement's admin page; a grant's target's admin page where the admin has one,
        else its public page."""
        target = target_of(obj)
        if target is None:
            return None
        opts = target._meta
        try:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[target.pk])
        except NoReverseMatch:
            return target.get_absolute_url() if hasattr(target, "get_absolute_url") else None

    @admin.display(description=_("agreement or grant"), ordering="reference_sort")
    def agreement_or_grant(self, obj):
        label = label_of(obj)
        url = self.owner_url(obj)
        return format_html('<a href="{}">{}</a>', url, label) if url else label

    @admin.display(description=_("agreement or grant"))
    def agreement_link(self, obj):
        url = self.owner_url(obj)
        text = obj.agreement if obj.agreement_id else label_of(obj)
        return format_html('<a href="{}">{}</a>', url, text) if url else text

    @admin.display(description=_("committee"), ordering="payee_name")
    def committee_name(self, obj):
        return obj.payee.name

    @admin.display(description=_("due"), ordering="due_on")
    def due(self, obj):
        return local_date(obj.due_on)

    @admin.display(description=_("amount"), ordering="amount")
    def sum(self, obj):
        return money_exact(obj.amount)

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
                "agreement's or the grant's timeline."
            ),
            run=run,
        )
