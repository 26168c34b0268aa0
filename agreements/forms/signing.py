"""The signing form, the same for both parties (the committee's page and the admin's).

The signer re-enters their password, confirms they have read the terms and signs for their
party; the terms' SHA-256 they were shown goes back in a hidden field, so the service can refuse
a signature on terms that changed while they read them. The form checks only the shape of what
was sent; ``services.signing.agreement_sign`` checks the password, the authority and the hash.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Party
from ..services.signing import PHONE_MAX_LENGTH, ROLE_MAX_LENGTH

CONFIRMATIONS = {
    Party.COMMITTEE: _("I have read the terms and sign on behalf of the committee"),
    Party.MUNICIPALITY: _("I have read the terms and sign on behalf of the municipality"),
}


class TermsHashField(forms.Field):
    """The hash the page showed. Never an error of its own (it is hidden: nobody could fix it):
    anything but the current hash is refused by the service as "the terms changed"."""

    widget = forms.HiddenInput

    def to_python(self, value):
        return value.strip().lower() if isinstance(value, str) else ""


class SignForm(forms.Form):
    terms_sha256 = TermsHashField(required=False)
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Write your password again to show that it is you who signs."),
        error_messages={"required": _("Write your password.")},
    )
    role = forms.CharField(
        label=_("Your role"),
        max_length=ROLE_MAX_LENGTH,
        required=False,
        help_text=_("As it will stand beside your name on the agreement."),
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=PHONE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Shown only to the two parties, never on the public page."),
    )
    confirm = forms.BooleanField(
        error_messages={"required": _("Tick the box to confirm that you have read the terms.")},
    )

    field_order = ["role", "phone", "password", "confirm", "terms_sha256"]

    def __init__(self, *args, party: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.party = party
        self.fields["confirm"].label = CONFIRMATIONS[party]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "party": self.party,
            "password": data["password"],
            "terms_sha256": data["terms_sha256"],
            "role": data["role"],
            "phone": data["phone"],
        }


def initial_for(agreement, *, user, party: str, current_hash: str) -> dict:
    """The form's first values: the hash shown, and the signer's role as the page knows it."""
    if party == Party.COMMITTEE:
        role = _("Leader, %(committee)s") % {"committee": agreement.committee.name}
    else:
        role = _("For %(department)s") % {"department": agreement.department.name}
    return {"terms_sha256": current_hash, "role": str(role)}
