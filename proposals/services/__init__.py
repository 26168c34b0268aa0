"""Every write on proposals, one module per sub-domain: drafts, attachments, the one transition
service, supports and following, the dialogue, assignment, official answers and the daily
deadline follow-up.

Each function is one transaction, validates with ``full_clean()`` and raises
``django.core.exceptions.ValidationError`` with a user-facing message when a rule says no.
Notifications are written in the same transaction through ``notifications.services.notify``.
Callers import the package (``from proposals import services``); the names below are its API.
Who hears of a case is a read: ``proposals.selectors`` (``municipal_recipients`` and the rest).
"""

from notifications.services import notify

from ..models import COMMITTEE_STATES, MUNICIPAL_STATES
from .answers import (
    FILL_IN_MARKER,
    answer_check_filled_in,
    answer_publish,
    answer_save_draft,
    answer_template_fill,
    proposals_answer_with_template,
)
from .assignment import proposal_assign
from .attachments import (
    ATTACHMENT_TYPES,
    attachment_add,
    attachment_path_name,
    attachment_problems,
    attachment_remove,
)
from .dialogue import internal_note_add, message_send
from .drafts import (
    DRAFT_FIELDS,
    TAKEOVER_FIELDS,
    proposal_create_draft,
    proposal_delete_draft,
    proposal_update_draft,
)
from .follow_up import deadlines_follow_up
from .followed_up import proposal_follow_up_done, proposal_followed_up
from .supports import proposal_follow, proposal_support, proposal_unfollow, proposal_unsupport
from .transitions import proposal_submit, proposal_transition

__all__ = [
    "ATTACHMENT_TYPES",
    "COMMITTEE_STATES",
    "DRAFT_FIELDS",
    "FILL_IN_MARKER",
    "MUNICIPAL_STATES",
    "TAKEOVER_FIELDS",
    "answer_check_filled_in",
    "answer_publish",
    "answer_save_draft",
    "answer_template_fill",
    "attachment_add",
    "attachment_path_name",
    "attachment_problems",
    "attachment_remove",
    "deadlines_follow_up",
    "internal_note_add",
    "message_send",
    "notify",
    "proposal_assign",
    "proposal_create_draft",
    "proposal_delete_draft",
    "proposal_follow",
    "proposal_follow_up_done",
    "proposal_followed_up",
    "proposal_submit",
    "proposal_support",
    "proposal_transition",
    "proposal_unfollow",
    "proposal_unsupport",
    "proposal_update_draft",
    "proposals_answer_with_template",
]
