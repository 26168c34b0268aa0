"""The public list's GET filter (/avtaler/): committee, department, type, state and year.

Every field is a choice among known values, so a value that is not one of them (a NUL byte, a
10,000-character string) never reaches a query: the field is left out of the filter and the
form says what was wrong, the list shows the rest (never a 500).
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import NorwegianNameSelect

from ..states import PUBLIC_STATES, Kind, State

# The years one can pick: the portal's agreements start in 2024 (Larvik's park tasks); the list
# runs a few years ahead for agreements signed for a later period.
FIRST_YEAR = 2024
YEARS_AHEAD = 5


def year_choices(today=None) -> list[tuple[str, str]]:
    last = (today or timezone.localdate()).year + YEARS_AHEAD
    return [(str(year), str(year)) for year in range(last, FIRST_YEAR - 1, -1)]


def public_state_choices() -> list[tuple[str, str]]:
    """The states a signed agreement can be in, in the step table's order."""
    return [(value, label) for value, label in State.choices if value in PUBLIC_STATES]


class AgreementFilterForm(forms.Form):
    utvalg = forms.ChoiceField(label=_("Committee"), required=False, widget=NorwegianNameSelect)
    avdeling = forms.ChoiceField(
        label=_("Municipal department"), required=False, widget=NorwegianNameSelect
    )
    type = forms.ChoiceField(label=_("Type"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    aar = forms.ChoiceField(
        label=_("Year"),
        required=False,
        help_text=_("Agreements in force for some part of the year."),
    )

    def __init__(self, data=None, *, committees=(), departments=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["utvalg"].choices = [("", _("All committees")), *committees]
        self.fields["avdeling"].choices = [("", _("All departments")), *departments]
        self.fields["type"].choices = [("", _("All types")), *Kind.choices]
        self.fields["status"].choices = [("", _("All statuses")), *public_state_choices()]
        self.fields["aar"].choices = [("", _("All years")), *year_choices()]

    def filters(self) -> dict:
        """The valid filters as keyword arguments for ``selectors.agreement_list_public``; a
        field whose value was refused is left out (its error is on the form)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "committee_slug": data.get("utvalg") or "",
            "department_slug": data.get("avdeling") or "",
            "kind": data.get("type") or "",
            "state": data.get("status") or "",
            "year": int(data["aar"]) if data.get("aar") else None,
        }

    def query(self) -> str:
        """The valid filters as a query string, for the pagination's links."""
        from urllib.parse import urlencode

        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return urlencode([(name, data[name]) for name in self.fields if data.get(name)])
