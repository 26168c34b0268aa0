"""Rules written once: the model, the services, the forms, the admin and the pages use these.

Each is a constant or a ``*_problems()`` function that says why something is not allowed (empty
when it is), so every interface refuses in the same words.
"""

from collections.abc import Mapping

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .states import MUNICIPAL_STATES, Kind

# The longest message on a step (a reason, a question, an answer) or in the dialogue.
MESSAGE_MAX_LENGTH = 5000


def message_length_problems(text: str | None) -> list[str]:
    """Why a message is too long (empty when it is not); the forms and the model field apply the
    same limit as ``max_length``."""
    if len((text or "").strip()) <= MESSAGE_MAX_LENGTH:
        return []
    limit = number_format(MESSAGE_MAX_LENGTH, force_grouping=True)
    return [_("The message can be at most %(limit)s characters.") % {"limit": limit}]


# What a take-over proposal must say before it is submitted, field by field: the draft form asks
# at the preview and the service at submit, in the same words.
TAKEOVER_REQUIRED = {
    "task": _("Say which task the committee wants to take over."),
    "season": _("Say when or how often the task is done."),
    "volunteer_hours_per_year": _("Estimate the volunteer hours per year."),
    "compensation_per_year": _("Say what compensation the committee asks (0 if none)."),
    "location_text": _("Say where the task is done."),
}


def submit_problems(values) -> dict[str, str]:
    """What is missing before a proposal can be submitted, as ``{field: message}`` (empty when
    nothing is). ``values`` is a proposal or a form's cleaned data."""
    if isinstance(values, Mapping):
        get = values.get
    else:

        def get(name):
            return getattr(values, name, None)

    if get("kind") != Kind.TAKEOVER:
        return {}
    return {name: message for name, message in TAKEOVER_REQUIRED.items() if get(name) in (None, "")}


# Only a case at the municipality can be answered: an official answer is written and published
# (with the decision) while the case is with the municipality, not before and not after.
ANSWERABLE_STATES = MUNICIPAL_STATES


def answer_problems(proposal) -> list[str]:
    """Why the municipality cannot answer ``proposal`` now (empty when it can). The services
    refuse with it; the admin says it in its previews and offers only
    ``Proposal.objects.answerable()``."""
    if proposal.state in ANSWERABLE_STATES:
        return []
    return [str(_("Only a case at the municipality can be answered."))]


# The dates a case is measured by, in the order they happen: the proposal's page, the admin's
# change page and the CSV export show this list.
KEY_DATES = [
    (_("Submitted"), "submitted_at"),
    (_("Forwarded to the municipality"), "forwarded_at"),
    (_("First response from the municipality"), "first_response_at"),
    (_("Decided"), "decided_at"),
    (_("Completed"), "completed_at"),
]


def key_dates(proposal) -> list[tuple]:
    """``[(label, value)]`` for each of ``KEY_DATES``, in order; a date not reached is None."""
    return [(label, getattr(proposal, name)) for label, name in KEY_DATES]
