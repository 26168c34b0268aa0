"""The participants' reminder ``reminder_hours`` before the start (``follow_up.participants_remind``),
with frozen time: once, to those holding a place (residents and confirmed guests), caught up when
a run was missed, a fresh one after a rescheduling and never one for the old time, none for a
cancelled dugnad."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dugnads import services
from dugnads.models import GuestMail, SignupState
from dugnads.services.follow_up import participants_remind
from dugnads.tasks import remind_participants
from notifications.models import Notification
from tests.factories import DugnadFactory, SignupFactory, UserFactory

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
START = datetime.datetime(2027, 6, 12, 10, 0, tzinfo=OSLO)
HOUR = datetime.timedelta(hours=1)
REMINDER = "dugnad.reminder"


def at(when):
    return time_machine.travel(when, tick=False)


@pytest.fixture
def dugnad(committee, leader):
    with at(START - datetime.timedelta(days=30)):
        dugnad = DugnadFactory(committee=committee, starts_at=START, ends_at=START + 4 * HOUR)
    dugnad.organisers.add(leader)
    return dugnad


@pytest.fixture
def people(dugnad):
    """A resident with a place, one on the waiting list, a confirmed and an unconfirmed guest."""
    return {
        "placed": SignupFactory(dugnad=dugnad).user,
        "waiting": SignupFactory(dugnad=dugnad, state=SignupState.WAITLISTED).user,
        "guest": SignupFactory(
            dugnad=dugnad, user=None, guest_name="Gjest", guest_email="gjest@example.no"
        ),
        "unconfirmed": SignupFactory(
            dugnad=dugnad,
            user=None,
            guest_name="Ubekreftet",
            guest_email="ubekreftet@example.no",
            state=SignupState.UNCONFIRMED,
        ),
    }


def reminders(user=None):
    rows = Notification.objects.filter(kind=REMINDER)
    return list(rows.filter(recipient=user) if user else rows)


def guest_reminders():
    return list(GuestMail.objects.filter(kind=REMINDER))


def key(dugnad, start):
    return f"dugnad:{dugnad.pk}:reminder:{start.astimezone(datetime.UTC).isoformat()}"


def test_48_hours_before_once_to_those_with_a_place(dugnad, people):
    with at(START - 48 * HOUR - datetime.timedelta(minutes=1)):
        assert participants_remind() == 0
    with at(START - 48 * HOUR):
        assert participants_remind() == 2  # the resident and the confirmed guest
    with at(START - 47 * HOUR):
        assert participants_remind() == 0
    with at(START - HOUR):
        assert participants_remind() == 0
    [note] = reminders()
    assert note.recipient == people["placed"] and note.dedupe_key == key(dugnad, START)
    [mail] = guest_reminders()
    assert mail.signup == people["guest"] and mail.dedupe_key == key(dugnad, START)
    assert reminders(people["waiting"]) == []


def test_a_missed_run_is_caught_up_before_the_start_not_after(dugnad, people):
    with at(START - 2 * HOUR):
        assert participants_remind() == 2
    late = DugnadFactory(starts_at=START, ends_at=START + 4 * HOUR)
    SignupFactory(dugnad=late)
    with at(START):
        assert participants_remind() == 0  # it has started


def test_each_dugnad_its_own_hours(dugnad, people):
    type(dugnad).objects.filter(pk=dugnad.pk).update(reminder_hours=24)
    with at(START - 48 * HOUR):
        assert participants_remind() == 0
    with at(START - 24 * HOUR):
        assert participants_remind() == 2


def test_someone_who_gets_a_place_later_is_reminded_on_the_next_run(dugnad, people):
    with at(START - 48 * HOUR):
        participants_remind()
        newcomer = SignupFactory(dugnad=dugnad).user
    with at(START - 47 * HOUR):
        assert participants_remind() == 1
    assert len(reminders(newcomer)) == 1 and len(reminders(people["placed"])) == 1


def test_a_rescheduled_dugnad_gets_its_new_reminder_once_and_never_the_old(dugnad, people, leader):
    new_start = START + datetime.timedelta(days=7)
    with at(START - 72 * HOUR):
        services.dugnad_update(
            dugnad=dugnad, actor=leader, starts_at=new_start, ends_at=new_start + 4 * HOUR
        )
    with at(START - 48 * HOUR):
        assert participants_remind() == 0  # the old time's reminder never goes out
    with at(new_start - 48 * HOUR):
        assert participants_remind() == 2
        assert participants_remind() == 0
    with at(new_start - 47 * HOUR):
        assert participants_remind() == 0
    assert [n.dedupe_key for n in reminders()] == [key(dugnad, new_start)]
    assert [m.dedupe_key for m in guest_reminders()] == [key(dugnad, new_start)]


def test_moved_after_the_reminder_went_out_a_fresh_one_for_the_new_time(dugnad, people, leader):
    with at(START - 48 * HOUR):
        participants_remind()
    new_start = START + datetime.timedelta(days=1)
    with at(START - 47 * HOUR):
        services.dugnad_update(
            dugnad=dugnad, actor=leader, starts_at=new_start, ends_at=new_start + 4 * HOUR
        )
        assert participants_remind() == 0  # the new time's reminder is not due yet
    with at(new_start - 48 * HOUR):
        assert participants_remind() == 2
    assert sorted(n.dedupe_key for n in reminders(people["placed"])) == sorted(
        [key(dugnad, START), key(dugnad, new_start)]
    )


def test_a_cancelled_dugnad_gets_no_reminder(dugnad, people, leader):
    with at(START - 72 * HOUR):
        services.dugnad_cancel(dugnad=dugnad, actor=leader, reason="Meldt storm.")
    with at(START - 48 * HOUR):
        assert participants_remind() == 0
    assert reminders() == [] and guest_reminders() == []


def test_a_draft_gets_no_reminder(committee):
    with at(START - datetime.timedelta(days=30)):
        draft = DugnadFactory(
            committee=committee, starts_at=START, ends_at=START + 4 * HOUR, state="draft"
        )
    SignupFactory(dugnad=draft, user=UserFactory())
    with at(START - 48 * HOUR):
        assert participants_remind() == 0


def test_the_dugnad_is_read_again_before_anyone_is_told(dugnad, people, monkeypatch):
    """Cancelled after the list was made, before its turn: the re-read under the lock sees it."""
    import types

    from django.db import transaction

    from dugnads.services import follow_up

    def cancelled_meanwhile():
        type(dugnad).objects.filter(pk=dugnad.pk).update(state="cancelled")
        return transaction.atomic()

    monkeypatch.setattr(follow_up, "transaction", types.SimpleNamespace(atomic=cancelled_meanwhile))
    with at(START - 48 * HOUR):
        assert participants_remind() == 0
    assert reminders() == []


def test_the_task_runs_the_service_and_is_safe_to_re_run(dugnad, people):
    with at(START - 48 * HOUR):
        assert remind_participants.run() == 2
        assert remind_participants.run() == 0
