from django import forms
from django.utils.translation import gettext_lazy as _

from . import kinds
from .models import Category, Frequency

CATEGORY_HELP = {
    Category.PROPOSALS: _("Proposals you have written, support or follow."),
    Category.DUGNADS: _("Dugnads you have signed up for or organise."),
    Category.AGREEMENTS: _("Agreements between your committee and the municipality."),
    Category.COMMITTEE: _("Your roles on committee boards, and board terms that are ending."),
    Category.ACCOUNT: _("Your account and your roles on the portal."),
}


class PreferencesForm(forms.Form):
    """One choice per category: how often it reaches you by e-mail."""

    def __init__(self, *args, initial_frequencies: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for category in kinds.categories_in_use():
            self.fields[category.value] = forms.ChoiceField(
                label=category.label,
                help_text=CATEGORY_HELP[category],
                choices=Frequency.choices,
                initial=initial_frequencies[category.value],
                widget=forms.RadioSelect,
            )
