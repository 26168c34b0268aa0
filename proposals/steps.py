"""The proposal's life as one step table (a ``core.steps.StepTable``), applied by
``services.proposal_transition``.

Each row says who may take the step, whether a reason is required, what the step is called
(the proposal page's button, the step page's title, its explanation and what is said when it is
done, the message field's label and error) and who hears of it. Decisions (to an outcome) need a
published official answer: they are made in the admin, through ``services.answer_publish``, and
have no step page.
"""

from django.utils.translation import gettext_lazy as _

from core.steps import Notice, Step, StepTable, step_page_texts, steps

from . import notifications as kinds
from .models import (
    COMMITTEE_STATES,
    MUNICIPAL_STATES,
    OUTCOMES,
    WITHDRAWABLE_STATES,
    Party,
    State,
)

S, P = State, Party

# Audiences (resolved by services.transitions.AUDIENCES): the author; everyone following the
# proposal; the committee's board; the municipality (the case's handler, else its department,
# else every case handler); everyone following the committee (only once the proposal is public).
AUTHOR, FOLLOWERS, BOARD, MUNICIPALITY = "author", "followers", "board", "municipality"
COMMITTEE_FOLLOWERS = "committee_followers"

# Everyone following hears of every step; a private message (a line of the dialogue) is left out.
FOLLOWERS_TOLD = Notice(kinds.STATUS_CHANGED, to=(FOLLOWERS,), message_as="message", public=True)

# Said when a step without a message of its own is done; ``%(state)s`` is the new state.
STATUS_NOW = _("The status is now “%(state)s”.")
PUBLIC_HELP = _("Shown on the proposal's public timeline.")
# A private message (the question and its answer) is a line of the dialogue.
DIALOGUE_HELP = _(
    "Shown in the dialogue, which only the committee's board, the municipality and the "
    "proposal's author see."
)
EVERYONE_FOLLOWING = _("Everyone following the proposal is told.")


def _withdraw(sources, *, told) -> list[Step]:
    """The author withdraws; whoever was working on the case hears, follower or not."""
    return steps(
        sources,
        S.WITHDRAWN,
        by=[P.AUTHOR],
        title=_("Withdraw the proposal"),
        explanation=_(
            "The proposal stays on the portal, marked as withdrawn, and is no longer handled. "
            "This cannot be undone."
        ),
        done=_("The proposal has been withdrawn."),
        danger=True,
        notices=(
            Notice(kinds.STATUS_CHANGED, to=told, not_to=(FOLLOWERS,), key=":parties"),
            FOLLOWERS_TOLD,
        ),
    )


TRANSITIONS = StepTable(
    [
        # Submitted from the draft's preview (views.drafts), which has its own page.
        Step(
            S.DRAFT,
            S.SUBMITTED,
            frozenset({P.AUTHOR}),
            button=_("Submit to the committee"),
            # %(committee)s and %(reference)s: the view fills them in.
            done=_(
                "Thank you! Your proposal has been submitted to %(committee)s with reference "
                "%(reference)s."
            ),
            # The board hears of a new proposal in its inbox; the author gets a receipt (and
            # follows it from now); the committee's followers hear of it as news, once: not the
            # author, and not a board member who also follows (the inbox notice told them).
            notices=(
                Notice(kinds.NEW_IN_INBOX, to=(BOARD,)),
                Notice(kinds.SUBMITTED_RECEIPT, to=(AUTHOR,), key=":receipt", receipt=True),
                Notice(
                    kinds.NEW_IN_COMMITTEE,
                    to=(COMMITTEE_FOLLOWERS,),
                    not_to=(BOARD, AUTHOR),
                    key=":news",
                    public=True,
                ),
            ),
        ),
        Step(
            S.SUBMITTED,
            S.COMMITTEE_REVIEW,
            frozenset({P.COMMITTEE}),
            title=_("Take up for consideration"),
            short=_("Take up"),
            explanation=_(
                "The proposal is shown as being considered by the committee. The committee's "
                "deadline still applies: forward or decline the proposal before it passes."
            ),
            done=_("The proposal is now being considered by the committee."),
            notices=(FOLLOWERS_TOLD,),
        ),
        *steps(
            [S.SUBMITTED, S.COMMITTEE_REVIEW],
            S.FORWARDED,
            by=[P.COMMITTEE],
            title=_("Forward to the municipality"),
            short=_("Forward"),
            # %(preliminary)s and %(decision)s: the deadlines the step starts (the view fills in).
            explanation=_(
                "The municipality gets the case and is told at once. The municipality must send "
                "a preliminary answer by %(preliminary)s and decide by %(decision)s."
            ),
            done=_("The proposal has been forwarded to the municipality."),
            notices=(Notice(kinds.NEW_CASE, to=(MUNICIPALITY,), key=":case"), FOLLOWERS_TOLD),
        ),
        *steps(
            [S.SUBMITTED, S.COMMITTEE_REVIEW],
            S.DECLINED,
            by=[P.COMMITTEE],
            message_required=True,
            title=_("Decline the proposal"),
            short=_("Decline"),
            explanation=_(
                "The committee does not take the proposal further. The author and everyone "
                "following the proposal are told, and the reason is shown on the proposal's page."
            ),
            done=_("The proposal has been declined."),
            message_label=_("Reason for declining"),
            message_missing=_("Write the reason the committee declines the proposal."),
            danger=True,
            notices=(FOLLOWERS_TOLD,),
        ),
        Step(
            S.FORWARDED,
            S.RECEIVED,
            frozenset({P.MUNICIPALITY}),
            title=_("Mark as received by the municipality"),
            explanation=_(
                "The committee and everyone following the proposal see that the municipality has "
                "received the case."
            ),
            done=STATUS_NOW,
            notices=(FOLLOWERS_TOLD,),
        ),
        Step(
            S.RECEIVED,
            S.IN_REVIEW,
            frozenset({P.MUNICIPALITY}),
            title=_("Mark as being considered by the municipality"),
            explanation=_(
                "The committee and everyone following the proposal see that the municipality is "
                "considering the case."
            ),
            done=STATUS_NOW,
            notices=(FOLLOWERS_TOLD,),
        ),
        *steps(
            [S.FORWARDED, S.RECEIVED, S.IN_REVIEW],
            S.INFO_REQUESTED,
            by=[P.MUNICIPALITY],
            message_required=True,
            message_private=True,  # the question is a line of the dialogue
            title=_("Ask the committee for more information"),
            # %(info)s: the committee's deadline for the answer (the view fills it in).
            explanation=_(
                "The committee is asked to answer by %(info)s. The question is shown in the "
                "dialogue on the proposal's page."
            ),
            done=STATUS_NOW,
            message_label=_("Question to the committee"),
            message_missing=_("Write the question to the committee."),
            notices=(
                Notice(kinds.INFO_REQUESTED, to=(BOARD,), key=":question"),
                FOLLOWERS_TOLD,
            ),
        ),
        # Back to review from a question is the committee answering it.
        Step(
            S.INFO_REQUESTED,
            S.IN_REVIEW,
            frozenset({P.COMMITTEE}),
            message_required=True,
            message_private=True,
            title=_("Answer the municipality's question"),
            short=_("Answer the question"),
            explanation=_(
                "Your answer is sent to the municipality, shown in the dialogue on the proposal's "
                "page, and the municipality continues considering the proposal."
            ),
            done=_("Your answer has been sent to the municipality."),
            message_label=_("Answer to the question"),
            message_missing=_("Write the committee's answer to the municipality."),
            notices=(
                Notice(
                    kinds.MESSAGE,
                    to=(MUNICIPALITY,),
                    key=":answer",
                    message_as="body",
                    context={"party": P.COMMITTEE},
                ),
                FOLLOWERS_TOLD,
            ),
        ),
        # Decisions: the official answer is the reason (services.answer_publish). The author is
        # told of the answer even after they stopped following the proposal.
        *(
            step
            for outcome in OUTCOMES
            for step in steps(
                sorted(MUNICIPAL_STATES),
                outcome,
                by=[P.MUNICIPALITY],
                notices=(Notice(kinds.ANSWER_PUBLISHED, to=(AUTHOR, FOLLOWERS, BOARD)),),
            )
        ),
        # The committee takes a proposal further itself (a wish for a joint dugnad that became
        # one: ``services.proposal_followed_up``): in progress, without a button of its own.
        *steps(
            sorted(COMMITTEE_STATES),
            S.IN_PROGRESS,
            by=[P.COMMITTEE],
            by_service=True,
            done=_("The committee is taking the proposal further itself."),
            notices=(FOLLOWERS_TOLD,),
        ),
        *steps(
            [S.ACCEPTED, S.PARTLY_ACCEPTED],
            S.IN_PROGRESS,
            by=[P.MUNICIPALITY, P.COMMITTEE],
            title=_("Mark as in progress"),
            explanation=EVERYONE_FOLLOWING,
            done=STATUS_NOW,
            notices=(FOLLOWERS_TOLD,),
        ),
        Step(
            S.IN_PROGRESS,
            S.COMPLETED,
            frozenset({P.MUNICIPALITY, P.COMMITTEE}),
            title=_("Mark as completed"),
            explanation=EVERYONE_FOLLOWING,
            done=STATUS_NOW,
            notices=(FOLLOWERS_TOLD,),
        ),
        # Before a decision the author may withdraw; afterwards the case belongs to the record.
        *_withdraw(sorted(COMMITTEE_STATES), told=(BOARD,)),
        *_withdraw(sorted(WITHDRAWABLE_STATES - COMMITTEE_STATES), told=(BOARD, MUNICIPALITY)),
    ],
    states=State,
    # Someone who is several parties acts for the municipality first, then for the committee.
    party_order=(P.MUNICIPALITY, P.COMMITTEE, P.AUTHOR),
    impossible=_("A proposal cannot go from “%(old)s” to “%(new)s”."),
    refused=_("You are not allowed to make this change to the proposal."),
)


def allowed_targets(state: str, parties: set) -> list[str]:
    """The states ``parties`` may move a proposal in ``state`` to, in the order of ``State``."""
    return TRANSITIONS.targets(state, parties)


# Submitting a draft: the preview's button and what is said when it is done.
SUBMIT = TRANSITIONS[(S.DRAFT, S.SUBMITTED)]


def step_texts(step: Step, **values) -> dict:
    """The step page's texts (``core.steps.step_page_texts``: title, explanation with ``values``
    filling in its dates, the message field's label and error, what is said when it is done),
    and the help that says who reads the message."""
    return {
        **step_page_texts(TRANSITIONS, step, **values),
        "required_message": step.message_missing or None,
        "help_text": DIALOGUE_HELP if step.message_private else PUBLIC_HELP,
    }
