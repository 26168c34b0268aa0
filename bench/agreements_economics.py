"""Benchmark: the agreements' economic picture with 10 and with 1,000 signed agreements.

Run with `make bench` (DATABASE_URL when set, else SQLite). Prints query counts and median
times for one agreement's picture and its public page, the committee's and the department's
roll-up for the year, and the roll-up per year over all public agreements. Every agreement has a
task, two instalments (one paid) and an approved report with two lines; one has a linked dugnad.
The query counts must not grow with the number of agreements.
"""

import datetime
import statistics
import time
from decimal import Decimal

from harness import REPEAT, measure, test_database


def timed(func) -> tuple[int, float]:
    """Query count of one call, and the median time of REPEAT more, in milliseconds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        func()
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return queries, statistics.median(times)


def main():
    from django.test import Client

    from agreements import selectors
    from agreements.economics import (
        agreement_picture,
        committee_rollup,
        department_rollup,
        rollup_by_year,
    )
    from agreements.models import Agreement
    from tests.agreements.test_economics_rollups import many_agreements
    from tests.factories import CommitteeFactory, DepartmentFactory, DugnadFactory

    with test_database():
        client = Client()
        committee = CommitteeFactory(slug="bench")
        department = DepartmentFactory()
        rows = []
        for size in (10, 1000):
            many_agreements(committee, department, size)
            first = Agreement.objects.order_by("number").first()
            if not first.dugnads.exists():
                first.dugnads.add(
                    DugnadFactory(
                        committee=committee,
                        state="reported",
                        starts_at=datetime.datetime(2026, 5, 2, 10, tzinfo=datetime.UTC),
                        hours_total=Decimal("12"),
                    )
                )
            calls = [
                (
                    "picture",
                    lambda n=first.number: agreement_picture(
                        agreement=selectors.agreement_get(number=n)
                    ),
                ),
                ("committee", lambda: committee_rollup(committee=committee, year=2026)),
                ("department", lambda: department_rollup(department=department, year=2026)),
                ("by year", lambda: rollup_by_year(agreements_qs=Agreement.objects.public())),
            ]
            for label, func in calls:
                queries, ms = timed(func)
                rows.append((label, size, queries, ms))
            queries, ms = measure(client, first.get_absolute_url())
            rows.append(("detail page", size, queries, ms))

        print(f"{'economics':<14}{'rows':>6}{'queries':>9}{'median ms':>11}")
        for label, size, queries, ms in rows:
            print(f"{label:<14}{size:>6}{queries:>9}{ms:>11.1f}")


if __name__ == "__main__":
    main()
