"""Admin actions a higher app adds to the proposals' review queue, without proposals naming it.

A case handler turns an accepted take-over proposal into a draft agreement from the queue
("Lag avtaleutkast"), but proposals must never import agreements (the apps depend in one
direction, pyproject's import contracts). So the queue (``admin.queue.ProposalAdmin``) asks this
registry for more actions on each request, and a higher app registers its own in its
``AppConfig.ready``::

    # agreements/apps.py
    from proposals import admin_actions
    admin_actions.register(make_draft_agreement, allowed=can_draft)

An action is an ordinary admin action function ``action(modeladmin, request, queryset)`` (with
``@admin.action``'s description, permissions and location; ``modeladmin`` is the
``ProposalAdmin``, so ``core.admin``'s ``run_each`` and ``form_action`` are there). ``allowed``,
if given, is ``allowed(request) -> bool``: whether the user may see the action at all, for a
permission the proposals' admin does not know (``@admin.action(permissions=…)`` asks the
``ProposalAdmin``'s own ``has_<name>_permission`` methods). The action's function calls the
higher app's services; this module only keeps the list.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ExtraAction:
    function: Callable
    allowed: Callable | None = None

    @property
    def name(self) -> str:
        return self.function.__name__


_actions: dict[str, ExtraAction] = {}


def register(function: Callable, *, allowed: Callable | None = None) -> None:
    """Add ``function`` to the queue's actions; registering the same name again replaces it (so a
    second ``ready()``, as in some test runners, does not add it twice)."""
    _actions[function.__name__] = ExtraAction(function, allowed)


def unregister(name: str) -> None:
    _actions.pop(name, None)


def names() -> list[str]:
    """Every registered action's name, whoever asks (for checks and tests)."""
    return list(_actions)


def actions_for(request) -> list[Callable]:
    """The registered actions ``request``'s user may see, in the order they were registered."""
    return [
        extra.function
        for extra in _actions.values()
        if extra.allowed is None or extra.allowed(request)
    ]
