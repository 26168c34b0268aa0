"""A committee's annual report, as an association: its documents, the board the annual meeting
elected, sending it, the municipality's approval or return, and applying the elected board to
the committee's memberships. A module per part:

- ``editing``: who may change the report and when (its board, while it is owed);
- ``documents``: the checklist's files (PDF, PNG or JPEG, recognised by their bytes);
- ``elected``: the annual meeting's day and the board it elected, as the protocol says;
- ``review``: sending it, and the municipality's approval or return;
- ``board_apply``: making the committee's board the elected one, once the report is approved.

Every function is one transaction and raises ``ValidationError`` with the reason for the user.
Everything is importable from here as before (``services.annual_reports.apply_elected_board``).
A test that replaces a name (``mock.patch``) replaces it in the module that uses it.
"""

from .board_apply import (
    BoardChange,
    Change,
    R,
    _acting_for,
    _addresses_of,
    _phase,
    _with_accounts,
    apply_elected_board,
    apply_problems,
    board_changes,
    summary,
)
from .documents import (
    DOCUMENT_ACCEPT,
    DOCUMENT_TYPES,
    TOO_MANY,
    _Renamed,
    document_delete,
    document_problems,
    document_upload,
    max_document_bytes,
    max_documents,
    stored_name,
    type_by_bytes,
)
from .editing import _check_board, _check_editable, is_editable
from .elected import (
    ELECTED_ROLES,
    EMAIL_MAX_LENGTH,
    LAST_DAY,
    MAX_ELECTED,
    NAME_MAX_LENGTH,
    Elected,
    _text_problem,
    elected_board_save,
    elected_problems,
    meeting_problems,
)
from .review import (
    _reviewed,
    annual_report_approve,
    annual_report_return,
    annual_report_submit,
    submit_problems,
)

__all__ = [
    "DOCUMENT_ACCEPT",
    "DOCUMENT_TYPES",
    "ELECTED_ROLES",
    "EMAIL_MAX_LENGTH",
    "LAST_DAY",
    "MAX_ELECTED",
    "NAME_MAX_LENGTH",
    "TOO_MANY",
    "BoardChange",
    "Change",
    "Elected",
    "R",
    "_Renamed",
    "_acting_for",
    "_addresses_of",
    "_check_board",
    "_check_editable",
    "_phase",
    "_reviewed",
    "_text_problem",
    "_with_accounts",
    "annual_report_approve",
    "annual_report_return",
    "annual_report_submit",
    "apply_elected_board",
    "apply_problems",
    "board_changes",
    "document_delete",
    "document_problems",
    "document_upload",
    "elected_board_save",
    "elected_problems",
    "is_editable",
    "max_document_bytes",
    "max_documents",
    "meeting_problems",
    "stored_name",
    "submit_problems",
    "summary",
    "type_by_bytes",
]
