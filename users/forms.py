from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import User

# Each language named in itself, so a reader of either finds their own.
LANGUAGE_CHOICES = [("nb", "Norsk bokmål"), ("en", "English")]


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS).

    Each field names its ``autocomplete`` purpose (WCAG 1.3.5), as allauth's own fields do.
    """

    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=LANGUAGE_CHOICES,
        widget=forms.Select(attrs={"autocomplete": "language"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The language the page is shown in, so the English page does not preselect Norwegian.
        active = translation.get_language() or ""
        codes = [code for code, _label in LANGUAGE_CHOICES]
        self.fields["preferred_language"].initial = (
            active if active in codes else settings.LANGUAGE_CODE
        )

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.preferred_language = self.cleaned_data["preferred_language"]
        user.save(update_fields=["full_name", "preferred_language"])


class ProfileForm(forms.ModelForm):
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=LANGUAGE_CHOICES,
        widget=forms.Select(attrs={"autocomplete": "language"}),
    )

    class Meta:
        model = User
        fields = ["full_name", "preferred_language"]
        # WCAG 1.3.5: say what the field is, so browsers and assistive tools can fill it in.
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"})}
