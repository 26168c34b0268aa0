"""Why an allocation is not payable: stored as codes with their parameters, worded when shown.

The list is worked out by whoever runs it — a Norwegian case handler in the admin, a management
command with no language at all — and read by a committee's board, an English-speaking reader
of the public page, a spreadsheet exported in either language. A reason stored as text would be
in the language of the first and shown to all of them; so an allocation stores what was found
(``Allocation.reasons``: a list of ``{"code": ..., "params": {...}}``, the params plain JSON
values), and ``reasons_text`` words it in the language active when it is shown. It is the one
place a reason gets its words: the pages, the admin, the exports, the board's notification and
the release service's refusal all go through it.

A committee's status is stored as its value and shown by ``CommitteeStatus``'s label, a sum as
its exact amount and shown in the reader's money format. A code this version does not know (a
list stored by a later one) is shown as the code rather than failing the page."""

from collections.abc import Callable, Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from committees.models import CommitteeStatus
from core.formatting import money

# No population figure for the scheme's age range (params: age_from, age_to).
NO_FIGURES = "no_figures"
# Not registered in Frivillighetsregisteret: no organisation number, or no registration date.
NO_ORGANISATION_NUMBER = "no_organisation_number"
NO_REGISTRATION_DATE = "no_registration_date"
# The scheme requires an active committee (params: status, a ``CommitteeStatus`` value).
NOT_ACTIVE = "not_active"
# Held: last year's annual report is not approved (params: year).
ANNUAL_REPORT_NOT_APPROVED = "annual_report_not_approved"
# The formula gives nothing (params: amount, the exact sum as text).
NOTHING_TO_PAY = "nothing_to_pay"

SEPARATOR = "; "


def _status_label(value) -> str:
    try:
        return str(CommitteeStatus(value).label)
    except ValueError:
        return str(value)


WORDING: dict[str, Callable[[dict], str]] = {
    NO_FIGURES: lambda p: (
        _("No population figures for ages %(from)s–%(to)s")
        % {"from": p["age_from"], "to": p["age_to"]}
    ),
    NO_ORGANISATION_NUMBER: lambda p: _(
        "Not registered in Frivillighetsregisteret (no organisation number)"
    ),
    NO_REGISTRATION_DATE: lambda p: _(
        "Not registered in Frivillighetsregisteret (no registration date)"
    ),
    NOT_ACTIVE: lambda p: (
        _("Not active (status: %(status)s)") % {"status": _status_label(p["status"])}
    ),
    ANNUAL_REPORT_NOT_APPROVED: lambda p: (
        _("The annual report for %(year)s is not approved yet") % {"year": p["year"]}
    ),
    NOTHING_TO_PAY: lambda p: (
        _("Nothing to pay: the formula gives %(amount)s") % {"amount": money(p["amount"])}
    ),
}
CODES = frozenset(WORDING)


def reason(code: str, **params) -> dict:
    """One reason as it is stored; ``Decimal`` params are kept exact, as text (JSON has no
    decimals). An unknown code is a programming error, refused here rather than stored."""
    if code not in CODES:
        raise ValueError(f"Unknown allocation reason: {code!r}")
    return {
        "code": code,
        "params": {
            name: str(value) if isinstance(value, Decimal) else value
            for name, value in params.items()
        },
    }


def _worded(item: dict) -> str:
    """One stored reason in the active language (the code itself if it cannot be worded)."""
    code = item.get("code", "") if isinstance(item, dict) else str(item)
    wording = WORDING.get(code)
    if wording is None:
        return code
    try:
        return wording(item.get("params") or {})
    except (KeyError, TypeError, ValueError):
        return code


def reasons_text(reasons: Iterable[dict] | None) -> str:
    """The stored reasons in the active language, joined; ``""`` when there are none."""
    return SEPARATOR.join(_worded(item) for item in reasons or ())
