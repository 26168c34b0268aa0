"""Benchmark: committee pages with 10 and with 1,000 committees/memberships.

Run with `make bench` (uses DATABASE_URL when set, else SQLite). Prints the median render time and
the query count per page, so a regression in either shows up as a number, not a flaky test.
"""

from harness import measure, test_database


def main():
    from django.test import Client

    from committees.models import Role
    from tests.factories import CommitteeFactory, MembershipFactory

    with test_database():
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


if __name__ == "__main__":
    main()
