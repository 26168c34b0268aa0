from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

from .models import Committee, Membership, Role


class CommitteeDetailsForm(forms.ModelForm):
    class Meta:
        model = Committee
        fields = ["description", "area_description", "contact_email", "support_goal"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "area_description": forms.Textarea(attrs={"rows": 4}),
        }


BOARD_ROLE_CHOICES = [(r.value, r.label) for r in Role if r != Role.MEMBER]


class MembershipForm(forms.ModelForm):
    """A board membership's role and term. The term's rule (it cannot end before it starts) is
    ``Membership.clean``'s, which the form runs as every ModelForm does; no second copy here."""

    role = forms.ChoiceField(label=_("Role"), choices=BOARD_ROLE_CHOICES, initial=Role.BOARD_MEMBER)

    class Meta:
        model = Membership
        fields = ["role", "represents", "term_start", "term_end"]
        widgets = {"term_start": DateInput(), "term_end": DateInput()}
        help_texts = {"term_end": _("Leave empty if the term has no fixed end.")}


class MembershipAddForm(MembershipForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The person must already have an account on the portal."),
    )

    class Meta(MembershipForm.Meta):
        fields = ["email", *MembershipForm.Meta.fields]
