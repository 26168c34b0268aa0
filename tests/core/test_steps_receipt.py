"""A receipt is the one notice the actor gets of their own step (``core.steps.Notice.receipt``):
a submitted proposal's reference and the committee's deadline go to the author who submitted."""

from types import SimpleNamespace

from core.steps import Notice, Step, tell


def _told(notice: Notice) -> list:
    actor, other = SimpleNamespace(pk=1), SimpleNamespace(pk=2)
    step = Step("draft", "submitted", frozenset({"author"}), notices=(notice,))
    sent = []
    tell(
        step=step,
        obj=None,
        event=SimpleNamespace(message=""),
        actor=actor,
        audiences={"author": lambda obj, event: [actor, other]},
        send=lambda **kwargs: sent.extend(kwargs["recipients"]) or len(kwargs["recipients"]),
        context={},
        key="k",
    )
    return [person.pk for person in sent]


def test_the_actor_is_left_out_of_an_ordinary_notice():
    assert _told(Notice("kind", to=("author",))) == [2]


def test_a_receipt_reaches_the_actor():
    assert _told(Notice("kind", to=("author",), receipt=True)) == [1, 2]
