"""core.deadlines: the one deadline follow-up (reminder, passed notice, escalation, look-back,
dedupe keys, the row-lock re-read), tried on plain users so no app's rules are involved."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.deadlines import (
    PASSED,
    SOON,
    Deadline,
    DeadlineFollowUp,
    add_months,
    dedupe_key,
    follow_up_window,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
DUE = datetime.date(2027, 3, 12)


def day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


def _joined(due: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(due, datetime.time(12), tzinfo=datetime.UTC)


class Outbox:
    """Stands in for ``notifications.services.notify``: one row per recipient and key."""

    def __init__(self):
        self.rows: list[tuple[str, str, str]] = []  # (recipient e-mail, kind, dedupe key)
        self.before_send = None

    def __call__(self, *, recipients, kind, context, target, dedupe_key) -> int:
        if self.before_send:
            self.before_send(dedupe_key)
        sent = 0
        for person in {p.pk: p for p in recipients}.values():
            if not any(r[0] == person.email and r[2] == dedupe_key for r in self.rows):
                self.rows.append((person.email, kind, dedupe_key))
                sent += 1
        return sent

    def to(self, person) -> list[str]:
        return sorted(kind for email, kind, _key in self.rows if email == person.email)


@pytest.fixture
def people():
    return {
        "owner": UserFactory(email="eier@example.no"),
        "boss": UserFactory(email="sjef@example.no"),
        "other": UserFactory(email="annen@example.no"),
    }


def follow_up(outbox, people, **overrides) -> DeadlineFollowUp:
    """Each active user with ``full_name == "due"`` has one deadline: the day they joined."""
    settings = {
        "candidates": lambda low, high: User.objects.filter(
            full_name="due", date_joined__date__range=(low, high)
        ),
        "current": User.objects.filter(is_active=True, full_name="due"),
        "deadlines_of": lambda user: [Deadline("renewal", user.date_joined.date())],
        "key_prefix": lambda user: f"user:{user.pk}",
        "reminder_kind": "test.soon",
        "passed_kind": "test.passed",
        "reminder_recipients": lambda user, deadline: [user],
        "passed_recipients": lambda user, deadline: [user],
        "escalation_recipients": lambda user, deadline: [people["boss"]],
        "notify": outbox,
        "days_before": 3,
        "lookback_days": 14,
    }
    return DeadlineFollowUp(**{**settings, **overrides})


def _due(user, due=DUE):
    user.full_name = "due"
    user.date_joined = _joined(due)
    user.save()
    return user


def test_deadline_phases_and_window():
    deadline = Deadline("renewal", DUE)
    phase = lambda today: deadline.phase(today, days_before=3, lookback_days=14)  # noqa: E731
    assert [phase(day(n)) for n in (-4, -3, 0, 1, 14, 15)] == [
        None,
        SOON,
        SOON,
        PASSED,
        PASSED,
        None,
    ]
    assert follow_up_window(DUE, days_before=3, lookback_days=14) == (day(-14), day(3))
    assert deadline.key == "renewal:2027-03-12"
    assert dedupe_key("user:7", deadline, PASSED) == "user:7:renewal:2027-03-12:passed"
    assert deadline.is_overdue(day(1)) and not deadline.is_overdue(DUE)
    assert deadline.days_left(day(-2)) == 2


def test_add_months_counts_calendar_months():
    assert add_months(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2028, 1, 31), 1) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2027, 3, 12), 6) == datetime.date(2027, 9, 12)


def test_reminder_goes_to_the_reminder_recipients_only(people):
    outbox = Outbox()
    _due(people["owner"])
    assert follow_up(outbox, people).run(today=day(-3)) == {SOON: 1, PASSED: 0}
    assert outbox.to(people["owner"]) == ["test.soon"]
    assert outbox.to(people["boss"]) == []  # escalation is for passed deadlines
    assert outbox.rows[0][2] == f"user:{people['owner'].pk}:renewal:2027-03-12:soon"


def test_passed_goes_to_those_who_had_to_act_and_the_escalation(people):
    outbox = Outbox()
    _due(people["owner"])
    assert follow_up(outbox, people).run(today=day(1)) == {SOON: 0, PASSED: 2}
    assert outbox.to(people["owner"]) == ["test.passed"]
    assert outbox.to(people["boss"]) == ["test.passed"]
    assert outbox.to(people["other"]) == []
    assert {key for *_rest, key in outbox.rows} == {
        f"user:{people['owner'].pk}:renewal:2027-03-12:passed"
    }


def test_nothing_before_the_reminder_window_or_after_the_look_back(people):
    outbox = Outbox()
    _due(people["owner"])
    for today in (day(-4), day(15)):
        assert follow_up(outbox, people).run(today=today) == {SOON: 0, PASSED: 0}
    assert outbox.rows == []


def test_the_look_back_catches_up_a_missed_run(people):
    # The task did not run from before the reminder window until a week after the deadline:
    # the first run after that still reports the passed deadline.
    outbox = Outbox()
    _due(people["owner"])
    assert follow_up(outbox, people).run(today=day(7))[PASSED] == 2


def test_a_re_run_sends_nothing_twice(people):
    outbox = Outbox()
    _due(people["owner"])
    plan = follow_up(outbox, people)
    assert plan.run(today=day(-3))[SOON] == 1
    for today in (day(-3), day(-2), DUE):
        assert plan.run(today=today) == {SOON: 0, PASSED: 0}
    assert plan.run(today=day(1))[PASSED] == 2
    assert plan.run(today=day(2)) == {SOON: 0, PASSED: 0}
    assert outbox.to(people["owner"]) == ["test.passed", "test.soon"]


def test_a_moved_deadline_gets_fresh_reminders(people):
    outbox = Outbox()
    owner = _due(people["owner"])
    follow_up(outbox, people).run(today=day(-3))
    _due(owner, day(10))
    follow_up(outbox, people).run(today=day(7))
    assert outbox.to(owner) == ["test.soon", "test.soon"]


def test_each_object_is_read_again_under_its_lock_before_anything_is_sent(people):
    """While the first object is being told, the second changes: it moved its deadline away,
    the third stopped qualifying. Both are read again after the list was made and skipped."""
    outbox = Outbox()
    first, second = _due(people["owner"]), _due(people["other"])
    third = _due(UserFactory(email="tredje@example.no"))

    def meanwhile(key):
        if key.startswith(f"user:{first.pk}:"):
            User.objects.filter(pk=second.pk).update(date_joined=_joined(day(30)))
            User.objects.filter(pk=third.pk).update(is_active=False)

    outbox.before_send = meanwhile
    sent = follow_up(outbox, people, escalation_recipients=lambda u, d: []).run(today=day(-3))
    assert sent == {SOON: 1, PASSED: 0}
    assert outbox.to(first) == ["test.soon"]
    assert outbox.to(second) == [] and outbox.to(third) == []


@pytest.mark.postgres
def test_the_re_read_takes_a_row_lock(people):
    _due(people["owner"])
    with CaptureQueriesContext(connection) as queries:
        follow_up(Outbox(), people).run(today=day(-3))
    locked = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locked) == 1 and 'FOR UPDATE OF "users_user"' in locked[0]


def test_default_context_and_target(people):
    seen = []

    def notify(**kwargs):
        seen.append(kwargs)
        return 1

    owner = _due(people["owner"])
    follow_up(Outbox(), people, notify=notify).run(today=day(-1))
    assert seen[0]["context"] == {"deadline": Deadline("renewal", DUE)}
    assert seen[0]["target"] == owner
