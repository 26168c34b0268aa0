"""The forms of the work list's actions: confirming (with an optional note) and declining (with
the reason the committee needs). Django's form fields refuse NUL characters and the limits are
the model's, so bad input gives the form back, never a half-saved answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.resources import ANSWER_MAX_LENGTH


class ConfirmResourceForm(forms.Form):
    answer = forms.CharField(
        label=_("Note to the committee (optional)"),
        help_text=_("E.g. where and when the container is set down."),
        max_length=ANSWER_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineResourceForm(forms.Form):
    answer = forms.CharField(
        label=_("Why the municipality cannot provide it"),
        help_text=_("The committee sees this and plans without it."),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write why the resource cannot be provided.")},
    )
