from django import forms

from . import categories
from .models import Frequency


class PreferencesForm(forms.Form):
    """One choice per category something is sent in: how often it reaches you by e-mail.

    The categories, their labels and help texts come from the apps that registered them.
    """

    def __init__(self, *args, initial_frequencies: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for category in categories.categories_in_use():
            self.fields[category.value] = forms.ChoiceField(
                label=category.label,
                help_text=category.help_text,
                choices=Frequency.choices,
                initial=initial_frequencies[category.value],
                widget=forms.RadioSelect,
            )
