"""The forms of the work lists' actions: marking an instalment paid (the date and the voucher
reference the accounts know it by) and returning a report (the comment the committee needs).
Django's form fields refuse NUL characters and the limits are the models', so bad input gives
the form back, never a half-saved payment or review."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

from ..models import Payment, ReportDuty


class MarkPaidForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    voucher = forms.CharField(
        label=_("Voucher reference"),
        help_text=_("The reference in the municipality's accounts."),
        max_length=Payment._meta.get_field("voucher").max_length,
        error_messages={"required": _("Give the voucher reference of the payment.")},
    )

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError(_("A payment cannot be marked paid in the future."))
        return paid_on


class ReturnReportForm(forms.Form):
    comment = forms.CharField(
        label=_("What the committee should change"),
        help_text=_("The committee sees this and submits the report again."),
        max_length=ReportDuty._meta.get_field("review_comment").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what the committee should change.")},
    )


class PaymentPlanForm(forms.Form):
    """How many instalments a year the generated plan has (the service checks the range too)."""

    instalments_per_year = forms.TypedChoiceField(
        label=_("Instalments per year"),
        coerce=int,
        choices=[
            (1, _("One (yearly)")),
            (2, _("Two (half-yearly)")),
            (4, _("Four (quarterly)")),
            (12, _("Twelve (monthly)")),
        ],
        initial=1,
        help_text=_(
            "The unpaid instalments of the plan are replaced; each year's share of the yearly "
            "compensation is split into equal instalments."
        ),
    )
