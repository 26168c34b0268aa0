from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User

# Each language named in itself, so a reader of either finds their own.
LANGUAGE_CHOICES = [("nb", "Norsk bokmål"), ("en", "English")]


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=LANGUAGE_CHOICES,
        initial="nb",
    )

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.preferred_language = self.cleaned_data["preferred_language"]
        user.save(update_fields=["full_name", "preferred_language"])


class ProfileForm(forms.ModelForm):
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=LANGUAGE_CHOICES)

    class Meta:
        model = User
        fields = ["full_name", "preferred_language"]
