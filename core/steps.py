"""Step tables: one declarative table per state machine, applied by one service helper.

A machine (a proposal's case, a committee's status, next a dugnad or an agreement) is a
:class:`StepTable` of :class:`Step` rows. Each row says, in one place:

- ``source`` → ``target``, and ``by``: which parties may take it;
- whether a message (a reason) is required, and whether that message is private to the parties
  (a line of a dialogue) rather than public;
- its labels: ``title`` (the step page's heading and, unless ``button`` says otherwise, the
  button that leads there), ``short`` (a link in a list), ``explanation``, ``done`` (said when the
  step is taken), ``message_label`` and ``message_missing`` (the form's field and its error);
- who hears of it: a tuple of :class:`Notice` (a notification kind, the audiences that get it);
- ``by_service``: a step only a service takes, as the consequence of something else (a proposal
  the committee made into a dugnad is in progress): no button and no step page offer it.

:func:`take_step` applies a row: it checks that the step exists and that the actor is a party
that may take it, changes the state, writes the timeline entry (an app's subclass of
``core.models.TimelineEntry``) and hands over to the app's notify hook — all in one transaction,
so a failing hook leaves nothing behind. :func:`tell` is the one loop an app's notify hook runs:
audience names → the app's recipient selectors → one ``notify()`` per notice.

``core`` names no app: parties, states, audiences and notification kinds are the app's strings.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

# A label that may be lazy (gettext_lazy): kept lazy in the table, rendered in the request's language.
Label = Any


@dataclass(frozen=True)
class Notice:
    """One notification a step sends: ``kind`` to the ``to`` audiences (names the app resolves).

    - ``not_to``: audiences another notice of the same step tells already (they hear once);
    - ``key``: appended to the step's dedupe key, so two notices of one step never collide;
    - ``message_as``: the context name the step's message goes under (none when empty);
    - ``public``: the audience is not a party (followers, anyone): a private message is left out;
    - ``context``: fixed extra context (``{"party": "committee"}``);
    - ``receipt``: the actor's own receipt of the step (a submitted proposal's reference).

    The actor is never told of their own step, except by a ``receipt``.
    """

    kind: str
    to: tuple[str, ...]
    not_to: tuple[str, ...] = ()
    key: str = ""
    message_as: str = ""
    public: bool = False
    context: Mapping[str, Any] = field(default_factory=dict)
    receipt: bool = False


@dataclass(frozen=True)
class Step:
    """One row of a step table. See the module's docstring for what each field says."""

    source: str
    target: str
    by: frozenset[str]
    message_required: bool = False
    message_private: bool = False
    title: Label = ""
    button: Label = ""
    short: Label = ""
    explanation: Label = ""
    done: Label = ""
    message_label: Label = ""
    message_missing: Label = ""
    danger: bool = False
    notices: tuple[Notice, ...] = ()
    # Taken only by a service (the app's, or a higher app's through it), as the consequence of
    # something else: never a button or a step page (``targets`` and ``could_take`` leave it out).
    by_service: bool = False

    @property
    def button_label(self) -> Label:
        """The button that leads to the step: ``button``, else the step page's ``title``."""
        return self.button or self.title

    @property
    def short_label(self) -> Label:
        """The step as a link in a list (an inbox): ``short``, else the button's label."""
        return self.short or self.button_label


def steps(sources: Iterable[str], target: str, *, by: Iterable[str], **fields) -> list[Step]:
    """The same step from each of ``sources`` (a withdrawal from every open state, say)."""
    parties = frozenset(by)
    return [Step(source, target, parties, **fields) for source in sources]


# Said when a step does not exist or the actor may not take it; a table may word its own.
IMPOSSIBLE = gettext_lazy("This cannot go from “%(old)s” to “%(new)s”.")
# A step to the state it is in (a second click, two case handlers at once, a list with rows
# done already): said as it is, not as an impossible step.
ALREADY = gettext_lazy("This is already “%(state)s”.")
REFUSED = gettext_lazy("You are not allowed to make this change.")
MESSAGE_MISSING = gettext_lazy("Write a message.")


class StepTable(Mapping):
    """A machine's steps, looked up by ``(source, target)``.

    ``states`` are the machine's state choices (a ``TextChoices``): their order orders the
    targets, their labels name the states in messages. ``party_order`` says which party acts
    when the actor is several that may (the municipality before the committee before the author,
    for a proposal). ``state_field`` is the attribute of the object that holds the state.
    """

    def __init__(
        self,
        rows: Iterable[Step],
        *,
        states,
        party_order: Iterable[str],
        state_field: str = "state",
        impossible: Label = IMPOSSIBLE,
        refused: Label = REFUSED,
        message_missing: Label = MESSAGE_MISSING,
    ):
        self._steps: dict[tuple[str, str], Step] = {}
        for step in rows:
            key = (step.source, step.target)
            if key in self._steps:
                raise ValueError(f"Two steps from {step.source!r} to {step.target!r}.")
            self._steps[key] = step
        self.states = states
        self.party_order = tuple(party_order)
        self.state_field = state_field
        self.impossible = impossible
        self.refused = refused
        self.message_missing = message_missing

    # Mapping: table[(source, target)], table.get(...), iteration over (source, target) pairs.
    def __getitem__(self, key: tuple[str, str]) -> Step:
        return self._steps[key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._steps)

    def __len__(self) -> int:
        return len(self._steps)

    def targets(self, state: str, parties: Iterable[str]) -> list[str]:
        """The states ``parties`` may move an object in ``state`` to, in the order of ``states``."""
        parties = set(parties)
        return [
            target
            for target in self.states.values
            if (step := self._steps.get((state, target))) is not None
            and step.by & parties
            and not step.by_service
        ]

    def could_take(self, target: str, parties: Iterable[str]) -> bool:
        """Whether ``parties`` may take a step to ``target`` from some state (not necessarily
        the state the object is in now)."""
        parties = set(parties)
        return any(
            step.target == target and step.by & parties and not step.by_service
            for step in self._steps.values()
        )

    def acting_party(self, step: Step, parties: Iterable[str]) -> str:
        """The party the actor takes ``step`` for ("" when none of theirs may)."""
        parties = set(parties)
        for party in self.party_order:
            if party in parties and party in step.by:
                return party
        return ""

    def step(self, source: str, target: str) -> Step:
        """The step from ``source`` to ``target``, or the table's "cannot go" as an error."""
        found = self._steps.get((source, target))
        if found is None and source == target:
            raise ValidationError(str(ALREADY) % {"state": self.states(source).label})
        if found is None:
            raise ValidationError(
                str(self.impossible)
                % {"old": self.states(source).label, "new": self.states(target).label}
            )
        return found

    def missing_message(self, step: Step) -> str:
        return str(step.message_missing or self.message_missing)


def step_page_texts(table: StepTable, step: Step, **values) -> dict:
    """A step page's texts from its row: the title, the explanation (``values`` fill in its
    ``%(name)s`` placeholders, dates say), the message field's label and the error when a
    required one is missing, what is said when it is done (``%(state)s`` is the new state's
    label) and whether the step is destructive (a red button)."""
    return {
        "title": str(step.title),
        "explanation": str(step.explanation) % values if step.explanation else "",
        "label": step.message_label or None,
        "required_message": step.message_missing or table.message_missing,
        "done": str(step.done) % {"state": table.states(step.target).label},
        "danger": step.danger,
    }


def clean_message(table: StepTable, step: Step, message: str | None) -> str:
    """The step's message, stripped; a required one that is missing is an error on ``message``."""
    message = (message or "").strip()
    if step.message_required and not message:
        raise ValidationError({"message": table.missing_message(step)})
    return message


@transaction.atomic
def take_step(
    *,
    table: StepTable,
    obj,
    to_state: str,
    actor,
    parties: Iterable[str],
    message: str = "",
    change: Callable[..., None] | None = None,
    record: Callable[..., Any],
    after: Callable[..., None] | None = None,
    notify: Callable[..., Any] | None = None,
):
    """Take the step from ``obj``'s state to ``to_state``, in one transaction; returns the entry.

    1. The step must be in ``table`` and the actor one of ``parties`` that may take it (the
       acting party is chosen by ``table.party_order``); a required message must be written.
    2. The state changes; ``change(step=, party=, message=)`` then applies the app's own rules
       and clocks (it may refuse with a ``ValidationError``; it sees the new state, so what
       follows from it, like the next deadline, can be worked out); ``obj`` is validated and saved.
    3. ``record(actor=, actor_party=, from_state=, to_state=, message=)`` writes the timeline
       entry (the fields of ``core.models.TimelineEntry``) and returns it.
    4. ``after(step=, event=)`` writes what else the step leaves (a line of a dialogue), then
       ``notify(step=, event=)`` tells people (usually through :func:`tell`).

    Lock ``obj`` (``select_for_update``) before calling, so two steps on it wait for each other.
    Any error rolls everything back: no state change without its timeline entry and notices.
    """
    from_state = getattr(obj, table.state_field)
    step = table.step(from_state, to_state)
    party = table.acting_party(step, parties)
    if not party:
        raise ValidationError(str(table.refused))
    message = clean_message(table, step, message)
    setattr(obj, table.state_field, to_state)
    if change is not None:
        change(step=step, party=party, message=message)
    obj.full_clean()
    obj.save()
    event = record(
        actor=actor,
        actor_party=party,
        from_state=from_state,
        to_state=to_state,
        message=message,
    )
    if after is not None:
        after(step=step, event=event)
    if notify is not None:
        notify(step=step, event=event)
    return event


def tell(
    *,
    step: Step,
    obj,
    event,
    actor,
    audiences: Mapping[str, Callable[[Any, Any], list]],
    send: Callable[..., int],
    context: Mapping[str, Any],
    key: str,
) -> int:
    """Send each of ``step``'s notices; returns how many notifications were written.

    ``audiences`` maps each audience name to a function ``(obj, event) -> [users]`` (the app's
    recipient selectors); ``send`` is ``notifications.services.notify``; ``context`` is what
    every notice's template gets; ``key`` is the step's dedupe key (each notice appends its own).
    The actor is never told of their own step (but gets a ``receipt``); ``not_to`` audiences
    are left out.
    """
    sent = 0
    for notice in step.notices:
        people = [person for name in notice.to for person in audiences[name](obj, event)]
        left_out = {person.pk for name in notice.not_to for person in audiences[name](obj, event)}
        if actor is not None and not notice.receipt:
            left_out.add(actor.pk)
        notice_context = dict(context)
        if notice.message_as:
            private = step.message_private and notice.public
            notice_context[notice.message_as] = "" if private else event.message
        notice_context.update(notice.context)
        sent += send(
            recipients=[person for person in people if person.pk not in left_out],
            kind=notice.kind,
            context=notice_context,
            target=obj,
            dedupe_key=key + notice.key,
        )
    return sent
