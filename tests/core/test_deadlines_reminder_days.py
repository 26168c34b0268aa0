"""core.deadlines with several reminders (``reminder_days``): each once, with its own dedupe key,
a missed one caught up until the next is due, the passed notice as before; without
``reminder_days`` nothing changes (tests/core/test_deadlines.py)."""

import pytest

from core.deadlines import PASSED, SOON, Deadline, dedupe_key
from tests.factories import UserFactory

from .test_deadlines import DUE, Outbox, _due, day, follow_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {"owner": UserFactory(), "boss": UserFactory(), "other": UserFactory()}


# Two days before the last day, and on the last day itself.
TWICE = {"days_before": 2, "reminder_days": (2, 0)}


def keys(outbox) -> list[str]:
    return [key.split(":", 2)[2] for _email, _kind, key in outbox.rows]


def test_the_reminder_day_is_the_latest_reached():
    deadline = Deadline("report", DUE)
    assert [deadline.reminder_day(day(n), (2, 0)) for n in (-3, -2, -1, 0, 1)] == [
        None,
        2,
        2,
        0,
        None,
    ]
    assert dedupe_key("d:1", deadline, SOON, reminder_day=2) == "d:1:report:2027-03-12:soon:2"
    assert dedupe_key("d:1", deadline, SOON) == "d:1:report:2027-03-12:soon"


def test_each_reminder_once_on_its_day_then_the_passed_notice(people):
    outbox = Outbox()
    _due(people["owner"])
    plan = follow_up(outbox, people, **TWICE)
    sent = {n: plan.run(today=day(n)) for n in range(-4, 3)}
    assert [sent[n][SOON] for n in range(-4, 3)] == [0, 0, 1, 0, 1, 0, 0]
    assert [sent[n][PASSED] for n in range(-4, 3)] == [0, 0, 0, 0, 0, 2, 0]
    assert keys(outbox) == [
        "renewal:2027-03-12:soon:2",
        "renewal:2027-03-12:soon:0",
        "renewal:2027-03-12:passed",
        "renewal:2027-03-12:passed",  # the owner and the escalation
    ]


def test_a_re_run_on_the_same_day_sends_nothing_twice(people):
    outbox = Outbox()
    _due(people["owner"])
    plan = follow_up(outbox, people, **TWICE)
    for _ in range(3):
        plan.run(today=day(-2))
        plan.run(today=DUE)
    assert outbox.to(people["owner"]) == ["test.soon", "test.soon"]


def test_a_missed_reminder_day_is_caught_up_the_day_after(people):
    outbox = Outbox()
    _due(people["owner"])
    plan = follow_up(outbox, people, **TWICE)
    assert plan.run(today=day(-1))[SOON] == 1  # day -2's run was missed
    assert keys(outbox) == ["renewal:2027-03-12:soon:2"]


def test_when_both_were_missed_only_the_latest_is_sent(people):
    outbox = Outbox()
    _due(people["owner"])
    assert follow_up(outbox, people, **TWICE).run(today=DUE)[SOON] == 1
    assert keys(outbox) == ["renewal:2027-03-12:soon:0"]


def test_reminder_days_outside_the_window_are_refused(people):
    with pytest.raises(ValueError):
        follow_up(Outbox(), people, days_before=2, reminder_days=(3, 0))
    with pytest.raises(ValueError):
        follow_up(Outbox(), people, days_before=2, reminder_days=(-1,))


def test_a_window_wider_than_the_first_reminder_day_waits_for_it(people):
    outbox = Outbox()
    _due(people["owner"])
    plan = follow_up(outbox, people, days_before=5, reminder_days=(1,))
    assert [plan.run(today=day(n))[SOON] for n in (-5, -2, -1, 0)] == [0, 0, 1, 0]
