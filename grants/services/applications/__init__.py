"""A committee's application to an application-based scheme, and the municipality's answer.

The steps are ``steps.APPLICATION_STEPS``, each taken through
``services.lifecycle.application_transition``; this package adds each step's rules, a module
per who acts and when:

- ``checks``: the rules for what is written (text, amounts, the budget's lines, the photos),
  shared with the application form and the paid-afterwards report;
- ``drafts``: the committee's board writes the application (a new draft, its changes, its
  budget and photos "before"), and when it may;
- ``sending``: the board sends it, sends it again after more information, withdraws it;
- ``answers``: the municipality asks for more, refuses or grants (and pays in advance).

Everything is importable from here as before (``services.applications.application_grant``).
A test that replaces a name (``mock.patch``) replaces it in the module that uses it.
"""

from ...models import PUBLIC_APPLICATION_STATES  # the views read it from here
from .answers import (
    CONDITIONS_MAX_LENGTH,
    REPORT_DAYS_AFTER_END,
    A,
    _pay_in_advance,
    _refuse_unless_answerable,
    _required_text,
    application_ask_more,
    application_grant,
    application_refuse,
    grant_problems,
    granted_in_scheme,
    report_due_for,
)
from .checks import (
    LINE_DESCRIPTION_MAX_LENGTH,
    MAX_AMOUNT,
    MESSAGE_MAX_LENGTH,
    NOT_ALLOWED,
    ORE,
    PHOTO_DESCRIPTION_MAX_LENGTH,
    PHOTO_MAX_PIXELS,
    PHOTO_TYPES,
    TOO_MANY_LINES,
    TOO_MANY_PHOTOS,
    CheckedLine,
    PreparedPhoto,
    _decimal,
    budget_check,
    budget_total,
    line_amount_problems,
    max_photo_bytes,
    max_photos,
    photo_description_problems,
    photo_problems,
    photos_prepare,
    text_problems,
)
from .drafts import (
    FIELDS,
    _check_input,
    _field_problems,
    _store_photos,
    _write_budget,
    application_new,
    application_update,
    can_edit_application,
    is_editable,
    open_schemes,
    scheme_open_problems,
)
from .sending import (
    _refuse_unless_board,
    _send,
    application_resubmit,
    application_submit,
    application_withdraw,
    submit_problems,
)

__all__ = [
    "CONDITIONS_MAX_LENGTH",
    "FIELDS",
    "LINE_DESCRIPTION_MAX_LENGTH",
    "MAX_AMOUNT",
    "MESSAGE_MAX_LENGTH",
    "NOT_ALLOWED",
    "ORE",
    "PHOTO_DESCRIPTION_MAX_LENGTH",
    "PHOTO_MAX_PIXELS",
    "PHOTO_TYPES",
    "PUBLIC_APPLICATION_STATES",
    "REPORT_DAYS_AFTER_END",
    "TOO_MANY_LINES",
    "TOO_MANY_PHOTOS",
    "A",
    "CheckedLine",
    "PreparedPhoto",
    "_check_input",
    "_decimal",
    "_field_problems",
    "_pay_in_advance",
    "_refuse_unless_answerable",
    "_refuse_unless_board",
    "_required_text",
    "_send",
    "_store_photos",
    "_write_budget",
    "application_ask_more",
    "application_grant",
    "application_new",
    "application_refuse",
    "application_resubmit",
    "application_submit",
    "application_update",
    "application_withdraw",
    "budget_check",
    "budget_total",
    "can_edit_application",
    "grant_problems",
    "granted_in_scheme",
    "is_editable",
    "line_amount_problems",
    "max_photo_bytes",
    "max_photos",
    "open_schemes",
    "photo_description_problems",
    "photo_problems",
    "photos_prepare",
    "report_due_for",
    "scheme_open_problems",
    "submit_problems",
    "text_problems",
]
