"""After the dugnad (``follow_up.reports_follow_up``, frozen time): the portal marks it held, its
organisers are reminded to report on day 1 and day 3 after the end, and on day 4 it is overdue,
to the organisers and the board; each once, missed runs caught up, a reported one left alone."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dugnads.models import DugnadEvent, Party, State
from dugnads.services.follow_up import reports_follow_up
from dugnads.tasks import follow_up_reports
from notifications.models import Notification
from tests.factories import DugnadFactory

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
START = datetime.datetime(2027, 6, 12, 10, 0, tzinfo=OSLO)
END = START + datetime.timedelta(hours=4)
DUE, OVERDUE = "dugnad.report_due", "dugnad.report_overdue"


def on_day(n: int, hour: int = 9):
    """``n`` days after the end's date, at ``hour`` o'clock in Oslo."""
    when = datetime.datetime.combine(END.date() + datetime.timedelta(days=n), datetime.time(hour))
    return time_machine.travel(when.replace(tzinfo=OSLO), tick=False)


def run(n: int, hour: int = 9) -> dict[str, int]:
    with on_day(n, hour):
        return reports_follow_up()


@pytest.fixture
def dugnad(committee, leader, board_member):
    with time_machine.travel(START - datetime.timedelta(days=30), tick=False):
        dugnad = DugnadFactory(committee=committee, starts_at=START, ends_at=END)
    dugnad.organisers.add(leader)
    return dugnad


def test_held_on_the_day_then_day_one_and_three_then_overdue_to_the_board(
    dugnad, leader, board_member
):
    assert run(0, hour=13) == {"held": 0, "reminders": 0, "overdue": 0}  # not ended yet
    assert run(0, hour=15) == {"held": 1, "reminders": 0, "overdue": 0}
    dugnad.refresh_from_db()
    assert dugnad.state == State.COMPLETED
    held = DugnadEvent.objects.get(dugnad=dugnad, to_state=State.COMPLETED)
    assert held.actor is None and held.actor_party == Party.SYSTEM
    assert [run(n)["reminders"] for n in (1, 2, 3)] == [1, 0, 1]
    assert [n.dedupe_key for n in Notification.objects.filter(kind=DUE).order_by("pk")] == [
        f"dugnad:{dugnad.pk}:deadline:report:2027-06-15:soon:2",
        f"dugnad:{dugnad.pk}:deadline:report:2027-06-15:soon:0",
    ]
    assert set(Notification.objects.filter(kind=DUE).values_list("recipient", flat=True)) == {
        leader.pk
    }  # the organiser, not the board
    assert run(4) == {"held": 0, "reminders": 0, "overdue": 2}
    assert set(Notification.objects.filter(kind=OVERDUE).values_list("recipient", flat=True)) == {
        leader.pk,
        board_member.pk,
    }
    note = Notification.objects.filter(kind=OVERDUE).first()
    assert note.target_url == f"/dugnad/{dugnad.pk}/rapport/"


def test_re_running_sends_nothing_twice(dugnad):
    for n in (0, 1, 1, 2, 3, 3, 4, 4, 5):
        run(n, hour=15)
    assert Notification.objects.filter(kind=DUE).count() == 2
    assert Notification.objects.filter(kind=OVERDUE).count() == 2


def test_missed_runs_are_caught_up(dugnad):
    # Nothing ran from the dugnad's start until day 2: marked held, day 1's reminder sent.
    assert run(2) == {"held": 1, "reminders": 1, "overdue": 0}
    # Nothing ran on day 3 either: day 4 reports it overdue (day 3's reminder is not news now).
    assert run(4) == {"held": 0, "reminders": 0, "overdue": 2}
    assert Notification.objects.filter(kind=DUE).count() == 1


def test_when_every_reminder_day_was_missed_the_last_one_is_sent_once(dugnad):
    assert run(3) == {"held": 1, "reminders": 1, "overdue": 0}
    assert Notification.objects.get(kind=DUE).dedupe_key.endswith(":soon:0")


def test_a_reported_dugnad_hears_nothing_more(dugnad):
    run(1)
    type(dugnad).objects.filter(pk=dugnad.pk).update(state=State.REPORTED)
    assert [run(n) for n in (3, 4)] == [{"held": 0, "reminders": 0, "overdue": 0}] * 2


def test_a_cancelled_dugnad_is_never_asked_for_a_report(dugnad):
    type(dugnad).objects.filter(pk=dugnad.pk).update(state=State.CANCELLED)
    for n in (0, 1, 3, 4):
        assert run(n, hour=15) == {"held": 0, "reminders": 0, "overdue": 0}


def test_after_the_look_back_nothing(dugnad):
    assert run(20) == {"held": 1, "reminders": 0, "overdue": 0}


def test_the_task_runs_the_follow_up(dugnad):
    with on_day(1):
        assert follow_up_reports.run() == {"held": 1, "reminders": 1, "overdue": 0}
        assert follow_up_reports.run() == {"held": 0, "reminders": 0, "overdue": 0}
