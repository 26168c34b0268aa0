"""The Celery side: tasks are registered, scheduled by beat, and keep going when more waits."""

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail

from larvik_nmu.celery import app
from notifications import tasks

from ..factories import NotificationFactory


def test_tasks_are_registered_under_their_names():
    app.loader.import_default_modules()
    for name in (
        "notifications.deliver_pending",
        "notifications.send_digests",
        "notifications.delete_old",
        "committees.follow_up_board_terms",
    ):
        assert name in app.tasks


def test_beat_schedule_delivers_every_minute_and_digests_at_seven():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["notifications-deliver-pending"]["schedule"] == 60.0
    daily = schedule["notifications-daily-digest"]
    assert daily["schedule"] == crontab(minute=0, hour=7)
    assert daily["kwargs"] == {"frequency": "daily"}
    weekly = schedule["notifications-weekly-digest"]
    assert weekly["schedule"] == crontab(minute=0, hour=7, day_of_week=1)
    assert schedule["notifications-digest-catch-up"]["schedule"] == crontab(minute=30)
    assert settings.CELERY_TIMEZONE == "Europe/Oslo"


def test_no_long_countdowns_anywhere():
    """DESIGN: no ETA or countdown longer than a few minutes (a restart would lose them)."""
    import pathlib

    for path in pathlib.Path(settings.BASE_DIR).glob("*/**/*.py"):
        if ".venv" in path.parts or "node_modules" in path.parts or "tests" in path.parts:
            continue
        text = path.read_text()
        assert "countdown=" not in text and "eta=" not in text, path


def test_claim_lease_outlasts_the_task_time_limit():
    assert settings.NOTIFICATIONS["CLAIM_SECONDS"] > settings.CELERY_TASK_TIME_LIMIT


@pytest.mark.django_db
def test_deliver_pending_requeues_itself_when_more_is_waiting(settings, monkeypatch):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "BATCH_SIZE": 1, "BATCHES_PER_RUN": 1}
    NotificationFactory.create_batch(2)
    queued = []
    monkeypatch.setattr(tasks.deliver_pending, "apply_async", lambda *a, **k: queued.append(k))
    assert tasks.deliver_pending()["sent"] == 1
    assert queued == [{"retry": False}]
    queued.clear()
    tasks.deliver_pending()
    tasks.deliver_pending()
    assert len(mail.outbox) == 2 and len(queued) == 1


@pytest.mark.django_db
def test_send_digests_without_frequency_does_both():
    assert set(tasks.send_digests()) == {"daily", "weekly"}


def test_claim_check_reports_a_short_lease(settings):
    from notifications.checks import claim_outlasts_tasks

    assert claim_outlasts_tasks(None) == []
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "CLAIM_SECONDS": 10}
    assert [e.id for e in claim_outlasts_tasks(None)] == ["notifications.E001"]


@pytest.mark.django_db(transaction=True)
def test_embedded_default_delivers_through_a_real_worker(resident, committee, empty_broker):
    """make run's set-up: a service's notify() → on commit → filesystem broker → worker → e-mail."""
    import datetime
    import time

    from celery.contrib.testing.worker import start_worker

    from committees.services import membership_add

    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        membership_add(
            committee=committee,
            actor=None,
            email=resident.email,
            role="board_member",
            represents="youth",
            term_start=datetime.date(2026, 1, 1),
        )
        deadline = time.monotonic() + 30
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [[resident.email]]
    assert mail.outbox[0].subject == "[Nærmiljøutvalg] Du er lagt til i styret i Svarstad"
    assert "Kommunen har lagt deg til i styret i Svarstad" in mail.outbox[0].body


@pytest.mark.django_db
def test_old_notifications_are_deleted_but_never_unsent_ones():
    import datetime

    from django.utils import timezone

    from notifications.models import Notification

    long_ago = timezone.now() - datetime.timedelta(days=541)
    old_sent = NotificationFactory(created_at=long_ago, email_status="sent")
    NotificationFactory(created_at=long_ago, email_status="skipped")
    old_waiting = NotificationFactory(created_at=long_ago, email_status="pending")
    recent = NotificationFactory(email_status="sent")
    assert tasks.delete_old() == 2
    assert set(Notification.objects.values_list("pk", flat=True)) == {old_waiting.pk, recent.pk}
    assert not Notification.objects.filter(pk=old_sent.pk).exists()


@pytest.mark.parametrize(
    ("now_utc", "due"),
    [
        # Sunday 28 March 2027, the day summer time starts: 07:00 in Oslo is 05:00 UTC.
        ("2027-03-28T04:59:00", False),
        ("2027-03-28T05:00:30", True),
        # Sunday 31 October 2027, back to winter time: 07:00 in Oslo is 06:00 UTC.
        ("2027-10-31T05:30:00", False),
        ("2027-10-31T06:00:30", True),
    ],
)
def test_beat_runs_the_daily_digest_at_seven_oslo_time_across_dst(now_utc, due):
    import datetime
    from zoneinfo import ZoneInfo

    now = datetime.datetime.fromisoformat(now_utc).replace(tzinfo=datetime.UTC)
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-daily-digest"]["schedule"]
    schedule = crontab(minute=entry.minute, hour=entry.hour, nowfun=lambda: now, app=app)
    oslo = ZoneInfo("Europe/Oslo")
    # Last run yesterday morning: the next run is today at 07:00 on the Oslo clock (were the
    # schedule in UTC, it would be two or one hours later and not yet due).
    yesterday = datetime.datetime.combine(
        now.astimezone(oslo).date() - datetime.timedelta(days=1), datetime.time(9), tzinfo=oslo
    )
    assert schedule.is_due(yesterday).is_due is due
