"""Benchmark: committee pages with 10 and with 1,000 committees/memberships.

Run with `make bench` (uses DATABASE_URL when set, else SQLite). Prints the median render time and
the query count per page, so a regression in either shows up as a number, not a flaky test.
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


def measure(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    queries = len(ctx.captured_queries)  # read now: the next request resets the log
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
        from committees.models import Role
        from tests.factories import CommitteeFactory, MembershipFactory

        client = Client()
        target = CommitteeFactory(slug="bench")
        rows = []
        for size in (10, 1000):
            have = CommitteeFactory._meta.model.objects.count()
            CommitteeFactory.create_batch(max(size - have, 0))
            MembershipFactory.create_batch(size - target.memberships.count(), committee=target)
            MembershipFactory.create_batch(size // 10, committee=target, role=Role.MEMBER)
            for label, path in (("front page", "/"), ("list", "/nmu/"), ("detail", "/nmu/bench/")):
                queries, ms = measure(client, path)
                rows.append((label, size, queries, ms))
        print(f"{'page':<12}{'rows':>6}{'queries':>9}{'median ms':>11}")
        for label, size, queries, ms in rows:
            print(f"{label:<12}{size:>6}{queries:>9}{ms:>11.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
