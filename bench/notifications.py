"""Benchmark: the notification list with 10 and 1,000 rows, notify() for 10 and 1,000 recipients
(a committee's followers told of a new proposal, inside the submit request), and delivery
throughput.

Run with `make bench` (uses DATABASE_URL when set, else SQLite). E-mail goes to Django's
in-memory backend, so the figures are the portal's own cost per e-mail, not an SMTP server's.
"""

import datetime
import time

from harness import measure, test_database


def main():
    from django.core import mail
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    with test_database():
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
                queries, ms = measure(client, path)
                print(f"{label:<22}{size:>6}{queries:>9}{ms:>11.1f}")

        from notifications import services

        followers = UserFactory.create_batch(1000)
        for size in (10, 1000):
            for kind in ("proposal.new_in_committee", "committee.term_ending"):
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as ctx:
                    services.notify(
                        recipients=followers[:size],
                        kind=kind,
                        context={},
                        dedupe_key=f"bench:{kind}:{size}",
                    )
                ms = (time.perf_counter() - start) * 1000
                label = "shared words" if kind.startswith("proposal") else "personal words"
                print(
                    f"notify() {size:>5} recipients, {label}: {ms:8.1f} ms, "
                    f"{len(ctx.captured_queries)} queries"
                )

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
            tomorrow = timezone.now() + datetime.timedelta(days=1)
            delivery.send_digests(frequency=Frequency.DAILY, now=tomorrow)
        seconds = time.perf_counter() - start
        print(
            f"daily digest: {count} items to {len(mail.outbox)} people in {seconds:.2f} s, "
            f"{len(ctx.captured_queries)} queries"
        )


if __name__ == "__main__":
    main()
