"""An agreement's life as one step table (``core.steps.StepTable``), applied by
``services.lifecycle.agreement_transition``.

draft → sent for signing → signed by the committee → signed by both → active → expiring (in
the notice period) → ended | renewed | terminated (with a reason, by either party, with notice).

The signatures move it (``services.signing``): the committee's leader signs first, then a case
handler with the right to sign for the department; a change of terms after a signature voids it
and takes the agreement back to "sent for signing". The portal itself activates it on its first
day, opens the notice period, extends an automatically renewed agreement, and ends it.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.steps import Notice, Step, StepTable, steps

from . import notifications as kinds
from .states import Party, State

S, P = State, Party

# Audiences (resolved by services.lifecycle.AUDIENCES).
LEADER = "leader"  # the committee's leader (who signs)
BOARD = "board"  # the committee's board
DEPARTMENT = "department"  # the department's staff (else every case handler)
PROPOSAL_FOLLOWERS = "proposal_followers"  # the origin proposal's followers

BOTH = (BOARD, DEPARTMENT)

TRANSITIONS = StepTable(
    [
        Step(
            S.DRAFT,
            S.SENT,
            frozenset({P.MUNICIPALITY, P.COMMITTEE}),
            title=_("Send for signing"),
            short=_("Send"),
            explanation=_(
                "The terms are locked for signing: the committee's leader signs first, then the "
                "municipality. A change of terms after that voids the signatures given."
            ),
            done=_("The agreement has been sent for signing."),
            notices=(
                Notice(kinds.SENT_FOR_SIGNING, to=(LEADER,), key=":leader"),
                Notice(kinds.SENT_FOR_SIGNING, to=(DEPARTMENT,), key=":department"),
            ),
        ),
        Step(
            S.SENT,
            S.DRAFT,
            frozenset({P.MUNICIPALITY, P.COMMITTEE}),
            title=_("Take back to draft"),
            short=_("Back to draft"),
            explanation=_("The agreement is no longer out for signing until it is sent again."),
            done=_("The agreement is a draft again."),
        ),
        # The signatures (services.signing): never a button of their own here.
        Step(
            S.SENT,
            S.SIGNED_COMMITTEE,
            frozenset({P.COMMITTEE}),
            by_service=True,
            done=_("Signed for the committee."),
            notices=(Notice(kinds.SIGNED, to=(DEPARTMENT,), key=":department"),),
        ),
        Step(
            S.SIGNED_COMMITTEE,
            S.SIGNED_MUNICIPALITY,
            frozenset({P.MUNICIPALITY}),
            by_service=True,
            done=_("Signed by both parties."),
            notices=(
                Notice(kinds.FULLY_SIGNED, to=BOTH, key=":parties"),
                Notice(
                    kinds.FROM_PROPOSAL,
                    to=(PROPOSAL_FOLLOWERS,),
                    not_to=BOTH,
                    key=":proposal",
                    public=True,
                ),
            ),
        ),
        # A change of terms after a signature (services.terms): back for signing.
        *steps(
            [S.SIGNED_COMMITTEE],
            S.SENT,
            by=[P.MUNICIPALITY, P.COMMITTEE, P.SYSTEM],
            by_service=True,
            done=_("The terms changed: the agreement must be signed again."),
            notices=(Notice(kinds.SIGNATURE_VOIDED, to=BOTH, key=":parties"),),
        ),
        # The portal, daily (services.lifecycle.agreements_follow_up).
        Step(
            S.SIGNED_MUNICIPALITY,
            S.ACTIVE,
            frozenset({P.SYSTEM}),
            by_service=True,
            done=_("The agreement is in force."),
            notices=(Notice(kinds.ACTIVE, to=BOTH, key=":parties"),),
        ),
        Step(
            S.ACTIVE,
            S.EXPIRING,
            frozenset({P.SYSTEM}),
            by_service=True,
            done=_("The notice period has started."),
            notices=(Notice(kinds.NOTICE_PERIOD, to=BOTH, key=":parties"),),
        ),
        # Automatic renewal: the period is extended and it is in force again.
        Step(
            S.EXPIRING,
            S.ACTIVE,
            frozenset({P.SYSTEM}),
            by_service=True,
            done=_("The agreement was renewed automatically for a new period."),
            notices=(Notice(kinds.RENEWED, to=BOTH, key=":parties"),),
        ),
        *steps(
            [S.ACTIVE, S.EXPIRING],
            S.ENDED,
            by=[P.SYSTEM],
            by_service=True,
            done=_("The agreement has ended."),
            notices=(Notice(kinds.ENDED, to=BOTH, key=":parties"),),
        ),
        # "Forny avtale": the renewed draft came into force, so this one was renewed by it.
        *steps(
            [S.ACTIVE, S.EXPIRING],
            S.RENEWED,
            by=[P.SYSTEM],
            by_service=True,
            done=_("The agreement was renewed by a new agreement."),
        ),
        *steps(
            [S.ACTIVE, S.EXPIRING],
            S.TERMINATED,
            by=[P.MUNICIPALITY, P.COMMITTEE],
            message_required=True,
            title=_("Terminate the agreement"),
            short=pgettext_lazy("agreement", "Terminate"),
            explanation=_(
                "The agreement ends at the end of the notice period, on %(last_day)s. Both "
                "parties are told, with your reason. Payments and reports due after that day "
                "are cancelled."
            ),
            done=_("The agreement has been terminated."),
            message_label=_("Reason for terminating"),
            message_missing=_("Write why the agreement is terminated."),
            danger=True,
            notices=(Notice(kinds.TERMINATED, to=BOTH, key=":parties", message_as="reason"),),
        ),
    ],
    states=State,
    party_order=(P.MUNICIPALITY, P.COMMITTEE, P.SYSTEM),
    impossible=_("An agreement cannot go from “%(old)s” to “%(new)s”."),
    refused=_("You are not allowed to make this change to the agreement."),
)


def allowed_targets(state: str, parties: set) -> list[str]:
    return TRANSITIONS.targets(state, parties)
