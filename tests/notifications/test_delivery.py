"""E-mail delivery: once per row, retried with back-off, digests on the Oslo clock."""

import datetime
import email.policy
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications import delivery
from notifications.models import EmailStatus, Frequency, Notification

from ..factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


def oslo(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=OSLO)


@pytest.fixture
def refusing_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.backends.RefusingBackend"}}


@pytest.fixture
def flaky_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.backends.FlakyBackend"}}


# --- Immediate ------------------------------------------------------------------------------------


def test_pending_row_is_sent_once_with_stable_headers(resident):
    row = NotificationFactory(recipient=resident, subject="Styret", body="Hei & velkommen")
    assert delivery.deliver_pending().sent == 1
    assert delivery.deliver_pending().sent == 0  # a re-run (or a redelivered task) sends nothing
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    row.refresh_from_db()
    assert row.email_status == EmailStatus.SENT and row.sent_at and row.attempts == 1
    assert message.extra_headers["Message-ID"] == f"<nmu-notification-{row.pk}@[127.0.0.1]>"
    assert row.message_id == message.extra_headers["Message-ID"]
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://127.0.0.1:8000/min-side/varsler/avmeld/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.to == [resident.email]
    assert message.subject == "[Nærmiljøutvalg] Styret"
    raw = message.message(policy=email.policy.SMTP).as_bytes()
    # What goes over the wire: the link intact on one line, so mail programs can use it.
    assert b"\r\nList-Unsubscribe: <http://127.0.0.1:8000/min-side/varsler/avmeld/" in raw
    assert b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in raw
    assert b"\r\nAuto-Submitted: auto-generated\r\n" in raw
    assert "Hei & velkommen" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert unsubscribe.strip("<>") in message.body and unsubscribe.strip("<>") in html
    assert "Hei &amp; velkommen" in html  # the same words, escaped for HTML


def test_email_text_and_html_in_the_recipients_language(resident):
    english = UserFactory(preferred_language="en")
    NotificationFactory(recipient=resident)
    NotificationFactory(recipient=english)
    delivery.deliver_pending()
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "Velg hvilke e-poster du får" in by_recipient[resident.email].body
    assert "Choose which e-mails you get" in by_recipient[english.email].body
    assert 'lang="en"' in by_recipient[english.email].alternatives[0][0]


def test_only_immediate_pending_rows_are_sent(resident):
    NotificationFactory(recipient=resident, channel=Frequency.DAILY)
    NotificationFactory(recipient=resident, channel=Frequency.IN_APP, email_status="skipped")
    NotificationFactory(recipient=resident, email_status="sent")
    assert delivery.deliver_pending().sent == 0
    assert mail.outbox == []


def test_a_leased_row_is_not_sent_by_another_worker(resident):
    NotificationFactory(recipient=resident)
    now = timezone.now()
    token, rows = delivery.claim(
        Notification.objects.filter(channel=Frequency.IMMEDIATE), now=now, limit=10
    )
    assert len(rows) == 1
    # The first worker "died" after claiming: a second worker finds nothing to do…
    assert delivery.deliver_batch(now=now).sent == 0
    assert mail.outbox == []
    # …until the lease has run out; then the row is sent exactly once.
    later = now + datetime.timedelta(seconds=delivery.config("CLAIM_SECONDS") + 1)
    assert delivery.deliver_batch(now=later).sent == 1
    assert len(mail.outbox) == 1
    # The dead worker's late mark-sent names an old token and changes nothing.
    assert delivery._mark_sent(token=token, ids=[rows[0].pk], now=now) == 0


def test_two_claims_never_share_a_row(resident):
    NotificationFactory.create_batch(5, recipient=resident)
    qs = Notification.objects.filter(channel=Frequency.IMMEDIATE)
    now = timezone.now()
    _, first = delivery.claim(qs, now=now, limit=3)
    _, second = delivery.claim(qs, now=now, limit=3)
    assert len(first) == 3 and len(second) == 2
    assert not {r.pk for r in first} & {r.pk for r in second}


def test_failure_is_retried_with_backoff_then_given_up(resident, refusing_mail):
    row = NotificationFactory(recipient=resident)
    now = timezone.now()
    result = delivery.deliver_batch(now=now)
    assert (result.sent, result.retried, result.failed) == (0, 1, 0)
    row.refresh_from_db()
    assert row.email_status == EmailStatus.PENDING and row.attempts == 1
    assert row.available_at == now + datetime.timedelta(minutes=1)
    assert "mail server refused" in row.last_error
    assert delivery.deliver_batch(now=now).batches == 0  # waits for its back-off
    for _ in range(delivery.config("MAX_ATTEMPTS") - 1):
        now = row.available_at
        delivery.deliver_batch(now=now)
        row.refresh_from_db()
    assert row.email_status == EmailStatus.FAILED
    assert row.attempts == delivery.config("MAX_ATTEMPTS")
    assert "ConnectionRefusedError: mail server refused" in row.last_error


def test_backoff_grows():
    delays = [delivery.retry_delay(n).total_seconds() for n in range(1, 7)]
    assert delays == [60, 300, 900, 3600, 4 * 3600, 4 * 3600]


def test_one_refused_recipient_does_not_hold_back_the_others(flaky_mail):
    NotificationFactory(recipient=UserFactory(email="bounce@example.no"))
    good = NotificationFactory(recipient=UserFactory(email="ok@example.no"))
    result = delivery.deliver_pending()
    assert (result.sent, result.retried) == (1, 1)
    assert [m.to for m in mail.outbox] == [["ok@example.no"]]
    good.refresh_from_db()
    assert good.email_status == EmailStatus.SENT


def test_inactive_recipient_is_skipped(resident):
    row = NotificationFactory(recipient=resident)
    resident.is_active = False
    resident.save()
    assert delivery.deliver_pending().skipped == 1
    row.refresh_from_db()
    assert row.email_status == EmailStatus.SKIPPED
    assert mail.outbox == []


def _queries_for_one_batch(rows: int) -> int:
    NotificationFactory.create_batch(rows, recipient=UserFactory())
    with CaptureQueriesContext(connection) as queries:
        result = delivery.deliver_batch()
    assert result.sent == rows
    return len(queries)


def test_queries_grow_per_batch_not_per_row():
    few = _queries_for_one_batch(2)
    Notification.objects.all().delete()
    full = _queries_for_one_batch(delivery.config("BATCH_SIZE"))
    assert few == full


def test_a_run_stops_after_its_batch_limit_and_says_more_is_waiting(settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "BATCH_SIZE": 2, "BATCHES_PER_RUN": 2}
    NotificationFactory.create_batch(5, recipient=UserFactory())
    first = delivery.deliver_pending()
    assert (first.sent, first.batches, first.more) == (4, 2, True)
    second = delivery.deliver_pending()
    assert (second.sent, second.more) == (1, False)


# --- Digests --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "frequency", "cutoff"),
    [
        (oslo(2027, 1, 13, 7, 0), Frequency.DAILY, oslo(2027, 1, 13, 7, 0)),
        (oslo(2027, 1, 13, 6, 59), Frequency.DAILY, oslo(2027, 1, 12, 7, 0)),
        (oslo(2027, 1, 13, 23, 0), Frequency.DAILY, oslo(2027, 1, 13, 7, 0)),
        # Weekly: back to Monday 07:00 (11 January 2027 is a Monday).
        (oslo(2027, 1, 13, 9, 0), Frequency.WEEKLY, oslo(2027, 1, 11, 7, 0)),
        (oslo(2027, 1, 11, 6, 0), Frequency.WEEKLY, oslo(2027, 1, 4, 7, 0)),
        # Summer time starts 28 March 2027 at 02:00: 07:00 is then 05:00 UTC, the day before 06:00.
        (oslo(2027, 3, 28, 7, 0), Frequency.DAILY, oslo(2027, 3, 28, 7, 0)),
        # Winter time starts 31 October 2027 at 03:00: 07:00 is 06:00 UTC again.
        (oslo(2027, 10, 31, 8, 0), Frequency.DAILY, oslo(2027, 10, 31, 7, 0)),
    ],
)
def test_digest_cutoff_is_07_oslo_time(now, frequency, cutoff):
    assert delivery.digest_cutoff(frequency, now) == cutoff


def test_digest_cutoff_across_dst_in_utc():
    spring = delivery.digest_cutoff(Frequency.DAILY, oslo(2027, 3, 28, 12, 0))
    day_before = delivery.digest_cutoff(Frequency.DAILY, oslo(2027, 3, 27, 12, 0))
    assert spring.astimezone(datetime.UTC).hour == 5
    assert day_before.astimezone(datetime.UTC).hour == 6
    utc = datetime.UTC
    assert spring.astimezone(utc) - day_before.astimezone(utc) == datetime.timedelta(hours=23)


def _digest_item(user, created, channel=Frequency.DAILY, **kwargs):
    return NotificationFactory(
        recipient=user, channel=channel, created_at=created, available_at=created, **kwargs
    )


def test_daily_digest_one_email_per_person_with_items(resident, other_resident):
    _digest_item(resident, oslo(2027, 1, 12, 9, 0), subject="Første")
    _digest_item(resident, oslo(2027, 1, 12, 18, 0), subject="Andre")
    _digest_item(resident, oslo(2027, 1, 13, 7, 30), subject="Etter kl. 7")  # next digest
    UserFactory()  # has nothing waiting: gets nothing, is not even looked at
    result = delivery.send_digests(frequency=Frequency.DAILY, now=oslo(2027, 1, 13, 7, 0, 5))
    assert result.sent == 2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [resident.email]
    assert message.subject == "[Nærmiljøutvalg] Daglig oppsummering: 2 nye varsler"
    assert "Første" in message.body and "Andre" in message.body
    assert "Etter kl. 7" not in message.body
    assert message.extra_headers["Message-ID"].startswith(f"<nmu-digest-daily-{resident.pk}-")
    # Running again (a second worker, a retry) sends nothing more.
    assert delivery.send_digests(frequency=Frequency.DAILY, now=oslo(2027, 1, 13, 7, 5)).sent == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(email_status=EmailStatus.SENT).count() == 2


def test_missed_daily_runs_are_caught_up_in_one_email(resident):
    _digest_item(resident, oslo(2027, 1, 11, 10, 0), subject="Mandag")
    _digest_item(resident, oslo(2027, 1, 12, 10, 0), subject="Tirsdag")
    # No run on Tuesday or Wednesday morning (workers down); the catch-up run comes at 09:30.
    delivery.send_digests(frequency=Frequency.DAILY, now=oslo(2027, 1, 13, 9, 30))
    assert len(mail.outbox) == 1
    assert "Mandag" in mail.outbox[0].body and "Tirsdag" in mail.outbox[0].body


def test_daily_digest_across_the_spring_dst_change(resident):
    # Saturday 27 March 2027 08:00 (winter time) and Sunday 28 March 06:30 (summer time).
    _digest_item(resident, oslo(2027, 3, 27, 8, 0), subject="Lørdag")
    _digest_item(resident, oslo(2027, 3, 28, 6, 30), subject="Søndag tidlig")
    _digest_item(resident, oslo(2027, 3, 28, 7, 10), subject="Søndag etter sju")
    # Sunday 07:00 summer time is 05:00 UTC, an hour earlier in UTC than the day before.
    run_at = datetime.datetime(2027, 3, 28, 5, 0, 30, tzinfo=datetime.UTC)
    delivery.send_digests(frequency=Frequency.DAILY, now=run_at)
    body = mail.outbox[0].body
    assert "Lørdag" in body and "Søndag tidlig" in body and "Søndag etter sju" not in body


def test_weekly_digest_waits_for_monday_and_catches_up(resident):
    _digest_item(resident, oslo(2027, 1, 5, 12, 0), channel=Frequency.WEEKLY, subject="Uke 1")
    _digest_item(resident, oslo(2027, 1, 12, 12, 0), channel=Frequency.WEEKLY, subject="Uke 2")
    # Thursday: Monday's run was missed; the items from before Monday 07:00 go out, once.
    delivery.send_digests(frequency=Frequency.WEEKLY, now=oslo(2027, 1, 14, 9, 30))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Nærmiljøutvalg] Ukentlig oppsummering: 1 nytt varsel"
    assert "Uke 1" in mail.outbox[0].body and "Uke 2" not in mail.outbox[0].body
    delivery.send_digests(frequency=Frequency.WEEKLY, now=oslo(2027, 1, 18, 7, 0))
    assert len(mail.outbox) == 2 and "Uke 2" in mail.outbox[1].body


def test_daily_and_weekly_are_separate(resident):
    _digest_item(resident, oslo(2027, 1, 12, 12, 0), channel=Frequency.WEEKLY)
    delivery.send_digests(frequency=Frequency.DAILY, now=oslo(2027, 1, 13, 7, 0))
    assert mail.outbox == []


def test_failed_digest_is_retried_with_the_same_message_id(resident, refusing_mail, settings):
    _digest_item(resident, oslo(2027, 1, 12, 12, 0))
    result = delivery.send_digests(frequency=Frequency.DAILY, now=oslo(2027, 1, 13, 7, 0))
    assert result.retried == 1
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    delivery.send_digests(frequency=Frequency.DAILY, now=oslo(2027, 1, 13, 7, 2))
    assert len(mail.outbox) == 1
    first_id = mail.outbox[0].extra_headers["Message-ID"]
    assert Notification.objects.get().message_id == first_id


def test_digest_recipients_is_one_query(resident, other_resident, django_assert_num_queries):
    for user in (resident, other_resident):
        for day in (10, 11, 12):
            _digest_item(user, oslo(2027, 1, day, 12, 0))
    with django_assert_num_queries(1):
        ids = delivery.digest_recipients(frequency=Frequency.DAILY, now=oslo(2027, 1, 13, 7, 0))
    assert sorted(ids) == sorted([resident.pk, other_resident.pk])


def test_digest_queries_per_person_not_per_item(resident, other_resident):
    counts = []
    for items in (1, 30):
        Notification.objects.all().delete()
        for n in range(items):
            _digest_item(resident, oslo(2027, 1, 12, 8, 0) + datetime.timedelta(minutes=n))
        with CaptureQueriesContext(connection) as queries:
            delivery.send_digests(frequency=Frequency.DAILY, now=oslo(2027, 1, 13, 7, 0))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_very_long_digest_goes_out_in_parts_not_never(resident, settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "DIGEST_MAX_ITEMS": 2}
    for hour in (8, 9, 10):
        _digest_item(resident, oslo(2027, 1, 12, hour, 0))
    result = delivery.send_digests(frequency=Frequency.DAILY, now=oslo(2027, 1, 13, 7, 0))
    assert result.sent == 3 and len(mail.outbox) == 2
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 2


def test_a_dropped_connection_fails_the_rest_of_the_batch_at_once(settings):
    from .backends import DropsConnectionBackend

    DropsConnectionBackend.outbox_before = []
    settings.MAILERS = {
        "default": {"BACKEND": "tests.notifications.backends.DropsConnectionBackend"}
    }
    NotificationFactory.create_batch(4, recipient=UserFactory())
    result = delivery.deliver_batch()
    assert (result.sent, result.retried) == (1, 3)
    assert len(DropsConnectionBackend.outbox_before) == 1  # no attempts after the drop
    assert Notification.objects.filter(attempts=1, email_status="pending").count() == 3


def test_running_out_of_time_hands_unsent_rows_back_without_waiting_for_the_lease(settings):
    from celery.exceptions import SoftTimeLimitExceeded

    from .backends import SlowBackend

    SlowBackend.sent_before = False
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.backends.SlowBackend"}}
    NotificationFactory.create_batch(3, recipient=UserFactory())
    with pytest.raises(SoftTimeLimitExceeded):
        delivery.deliver_batch()
    assert Notification.objects.filter(email_status=EmailStatus.SENT).count() == 1
    waiting = Notification.objects.filter(email_status=EmailStatus.PENDING)
    assert waiting.count() == 2
    assert not waiting.filter(claim_token__isnull=False).exists()
    assert set(waiting.values_list("attempts", flat=True)) == {0}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert delivery.deliver_pending().sent == 2  # at once, not after the lease
