"""What each step in the case is called: the button on the proposal page and the title of the
page that takes the step say the same thing (decisions are made in the admin)."""

from django.utils.translation import gettext_lazy

from ..models import State

STEP_TITLES = {
    State.COMMITTEE_REVIEW: gettext_lazy("Take up for consideration"),
    State.FORWARDED: gettext_lazy("Forward to the municipality"),
    State.DECLINED: gettext_lazy("Decline the proposal"),
    State.RECEIVED: gettext_lazy("Mark as received by the municipality"),
    State.IN_REVIEW: gettext_lazy("Mark as being considered by the municipality"),
    State.INFO_REQUESTED: gettext_lazy("Ask the committee for more information"),
    State.IN_PROGRESS: gettext_lazy("Mark as in progress"),
    State.COMPLETED: gettext_lazy("Mark as completed"),
    State.WITHDRAWN: gettext_lazy("Withdraw the proposal"),
}
ANSWER_TITLE = gettext_lazy("Answer the municipality's question")


def is_answer(from_state: str, to_state: str) -> bool:
    """Back to review from a question is the committee answering it."""
    return from_state == State.INFO_REQUESTED and to_state == State.IN_REVIEW


def step_title(from_state: str, to_state: str) -> str:
    if is_answer(from_state, to_state):
        return str(ANSWER_TITLE)
    return str(STEP_TITLES.get(to_state, State(to_state).label))
