"""Benchmark: the notification list with 10 and 1,000 rows, and delivery throughput.

Run with `make bench` (uses DATABASE_URL when set, else SQLite). E-mail goes to Django's
in-memory backend, so the figures are the portal's own cost per e-mail, not an SMTP server's.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "larvik_nmu.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)

REPEAT = 15


def page(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    return queries, statistics.median(times)


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.core import mail

        from notifications import delivery
        from notifications.models import Frequency, Notification
        from tests.factories import NotificationFactory, UserFactory

        reader = UserFactory()
        client = Client()
        client.force_login(reader)
        print(f"{'page':<22}{'rows':>6}{'queries':>9}{'median ms':>11}")
        for size in (10, 1000):
            Notification.objects.bulk_create(
                NotificationFactory.build(recipient=reader, dedupe_key=f"b:{size}:{n}")
                for n in range(size - Notification.objects.filter(recipient=reader).count())
            )
            for label, path in (("notification list", "/min-side/varsler/"), ("front page", "/")):
                queries, ms = page(client, path)
                print(f"{label:<22}{size:>6}{queries:>9}{ms:>11.1f}")

        Notification.objects.all().delete()
        users = UserFactory.create_batch(200)
        count = 2000
        Notification.objects.bulk_create(
            NotificationFactory.build(recipient=users[n % 200], dedupe_key=f"d:{n}")
            for n in range(count)
        )
        mail.outbox = []
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            batches = 0
            while (result := delivery.deliver_pending()).batches:
                batches += result.batches
        seconds = time.perf_counter() - start
        assert len(mail.outbox) == count
        print(
            f"\nimmediate delivery: {count} e-mails in {seconds:.2f} s "
            f"({count / seconds:.0f}/s), {batches} batches, {len(ctx.captured_queries)} queries "
            f"({len(ctx.captured_queries) / batches:.1f} per batch)"
        )

        Notification.objects.all().delete()
        Notification.objects.bulk_create(
            NotificationFactory.build(
                recipient=users[n % 200], dedupe_key=f"g:{n}", channel=Frequency.DAILY
            )
            for n in range(count)
        )
        mail.outbox = []
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            delivery.send_digests(frequency=Frequency.DAILY, now=delivery_time())
        seconds = time.perf_counter() - start
        print(
            f"daily digest: {count} items to {len(mail.outbox)} people in {seconds:.2f} s, "
            f"{len(ctx.captured_queries)} queries"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def delivery_time():
    import datetime

    from django.utils import timezone

    return timezone.now() + datetime.timedelta(days=1)


if __name__ == "__main__":
    main()
