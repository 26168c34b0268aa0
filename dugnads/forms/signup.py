"""The sign-up forms: a resident's (the account says who) and a guest's (name and address too).

The limits are the model's (party size 1–10, comment 500 characters); Django's form fields
refuse a NUL character, which PostgreSQL would refuse later. A need is one of this dugnad's, or
none; a value that is not one is the form's error, not a lookup that fails.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import COMMENT_MAX_LENGTH, MAX_PARTY_SIZE, Signup

NAME_MAX_LENGTH = Signup._meta.get_field("guest_name").max_length
EMAIL_MAX_LENGTH = Signup._meta.get_field("guest_email").max_length


class NeedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class SignupForm(forms.Form):
    """A resident's sign-up. ``dugnad`` gives the choice of needs (none: no such field)."""

    party_size = forms.IntegerField(
        label=gettext_lazy("How many are you?"),
        min_value=1,
        max_value=MAX_PARTY_SIZE,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    need = NeedChoiceField(
        label=gettext_lazy("I would like to help with"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Whatever is needed"),
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment to the organisers"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, dugnad, **kwargs):
        super().__init__(*args, **kwargs)
        self.dugnad = dugnad
        # Here, not on the fields: the words are in the language of the request.
        self.fields["party_size"].help_text = _(
            "Count yourself and those you bring (at most %(max)s)."
        ) % {"max": MAX_PARTY_SIZE}
        self.fields["comment"].help_text = _("At most %(max)s characters.") % {
            "max": COMMENT_MAX_LENGTH
        }
        if dugnad.needs.exists():
            self.fields["need"].queryset = dugnad.needs.all()
        else:
            del self.fields["need"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "party_size": data["party_size"],
            "need": data.get("need"),
            "comment": data.get("comment", ""),
        }


class GuestSignupForm(SignupForm):
    """A guest's sign-up: a name for the organisers' list, an address for the link."""

    guest_name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=gettext_lazy("Only the organisers see it."),
    )
    guest_email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=gettext_lazy(
            "We send you a link to confirm the sign-up. Only the organisers see it."
        ),
    )

    field_order = ["guest_name", "guest_email", "party_size", "need", "comment"]

    def service_kwargs(self) -> dict:
        return {
            **super().service_kwargs(),
            "guest_name": self.cleaned_data["guest_name"],
            "guest_email": self.cleaned_data["guest_email"],
        }
