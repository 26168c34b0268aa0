"""A dugnad's life as one step table (``core.steps.StepTable``), applied by
``services.lifecycle.dugnad_transition``.

draft → published → cancelled | held (the portal marks it when it has ended) → reported.
Publishing asks the municipality for the resources and tells the committee's followers;
cancelling tells everyone signed up (and the departments asked); reporting needs the hours.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.steps import Notice, Step, StepTable

from . import notifications as kinds
from .states import Party, State

S, P = State, Party

# Audiences (resolved by services.lifecycle.AUDIENCES).
ORGANISERS = "organisers"  # the organisers (else the leader)
BOARD = "board"  # the committee's board
PARTICIPANTS = "participants"  # residents signed up or on the waiting list (guests by e-mail)
DEPARTMENTS = "departments"  # the staff of every department asked for a resource
COMMITTEE_FOLLOWERS = "committee_followers"


TRANSITIONS = StepTable(
    [
        Step(
            S.DRAFT,
            S.PUBLISHED,
            frozenset({P.COMMITTEE}),
            title=_("Publish the dugnad"),
            short=_("Publish"),
            explanation=_(
                "The dugnad is shown on the portal and opens for sign-up. The committee's "
                "followers are told, and the municipality is asked for the resources, with a "
                "deadline to answer."
            ),
            done=_("The dugnad has been published."),
            notices=(
                Notice(kinds.RESOURCE_REQUESTED, to=(DEPARTMENTS,), key=":resources"),
                Notice(
                    kinds.NEW_IN_COMMITTEE,
                    to=(COMMITTEE_FOLLOWERS,),
                    not_to=(BOARD,),
                    key=":news",
                    public=True,
                ),
            ),
        ),
        Step(
            S.DRAFT,
            S.CANCELLED,
            frozenset({P.COMMITTEE}),
            title=_("Cancel the dugnad"),
            short=pgettext_lazy("dugnad", "Cancel"),
            explanation=_("The draft is kept, marked as cancelled. Nobody has been told of it."),
            done=_("The dugnad has been cancelled."),
            danger=True,
        ),
        Step(
            S.PUBLISHED,
            S.CANCELLED,
            frozenset({P.COMMITTEE}),
            message_required=True,
            title=_("Cancel the dugnad"),
            short=pgettext_lazy("dugnad", "Cancel"),
            explanation=_(
                "Everyone signed up and on the waiting list is told, with your reason, and so "
                "is the municipality if resources were requested. This cannot be undone."
            ),
            done=_("The dugnad has been cancelled."),
            message_label=_("Reason for cancelling"),
            message_missing=_("Write why the dugnad is cancelled."),
            danger=True,
            notices=(
                Notice(
                    kinds.CANCELLED, to=(PARTICIPANTS,), key=":participants", message_as="reason"
                ),
                Notice(kinds.CANCELLED, to=(DEPARTMENTS,), key=":departments", message_as="reason"),
            ),
        ),
        # The portal marks a dugnad held once it has ended (the hourly follow-up); the
        # organisers may do it too, once it has ended.
        Step(
            S.PUBLISHED,
            S.COMPLETED,
            frozenset({P.COMMITTEE, P.SYSTEM}),
            title=_("Mark as held"),
            explanation=_("The dugnad has taken place. Report the hours afterwards."),
            done=_("The dugnad is marked as held."),
        ),
        Step(
            S.COMPLETED,
            S.REPORTED,
            frozenset({P.COMMITTEE}),
            title=_("Report the dugnad"),
            short=pgettext_lazy("dugnad", "Report"),
            done=_("Thank you! The dugnad has been reported."),
        ),
        # A report can be corrected: reporting again keeps the state.
    ],
    states=State,
    party_order=(P.COMMITTEE, P.SYSTEM),
    impossible=_("A dugnad cannot go from “%(old)s” to “%(new)s”."),
    refused=_("You are not allowed to make this change to the dugnad."),
)


def allowed_targets(state: str, parties: set) -> list[str]:
    return TRANSITIONS.targets(state, parties)
