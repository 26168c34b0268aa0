"""Benchmark: dugnad pages with 10 and with 1,000 rows.

Run with `make bench` (DATABASE_URL when set, else SQLite). Prints query counts and median
render times for the upcoming list (10 and 1,000 dugnads), a dugnad's page and the organiser's
participant list (10 and 1,000 sign-ups), the calendar feed, and the admin's dugnad list; then
how long the sign-up service takes when the dugnad has 1,000 sign-ups (the waiting-list rule
reads them under the row lock).
"""

import datetime
import statistics
import time

from harness import measure, test_database


def main():
    from django.test import Client
    from django.utils import timezone

    from committees.models import Membership, Role
    from dugnads import services
    from dugnads.models import Dugnad, Signup, SignupState, State
    from tests.factories import CommitteeFactory, DugnadFactory, UserFactory

    with test_database():
        client = Client()
        staff = UserFactory(is_staff=True, is_superuser=True)
        committee = CommitteeFactory(slug="bench")
        leader = UserFactory()
        Membership.objects.create(user=leader, committee=committee, role=Role.LEADER)
        target = DugnadFactory(committee=committee, title="Vårdugnad", capacity=600)
        target.organisers.add(leader)
        start = target.starts_at
        rows = []
        for size in (10, 1000):
            have = Dugnad.objects.count()
            Dugnad.objects.bulk_create(
                [
                    Dugnad(
                        committee=committee,
                        title=f"Dugnad {i}",
                        description="Rydding og planting.",
                        starts_at=start + datetime.timedelta(hours=i),
                        ends_at=start + datetime.timedelta(hours=i + 3),
                        meeting_point="Skolen",
                        state=State.PUBLISHED,
                        published_at=timezone.now(),
                        capacity=20,
                    )
                    for i in range(have, size)
                ]
            )
            users = UserFactory.create_batch(size - target.signups.count())
            confirmed = target.signups.filter(state=SignupState.CONFIRMED).count()
            Signup.objects.bulk_create(
                [
                    Signup(
                        dugnad=target,
                        user=user,
                        state=SignupState.CONFIRMED
                        if confirmed + i < target.capacity
                        else SignupState.WAITLISTED,
                    )
                    for i, user in enumerate(users)
                ]
            )
            client.force_login(leader)
            pages = [
                ("list", "/dugnad/"),
                ("past", "/dugnad/tidligere/"),
                ("detail", f"/dugnad/{target.pk}/"),
                ("participants", f"/dugnad/{target.pk}/deltakere/"),
                ("feed", "/dugnad/kalender.ics"),
                ("committee", f"/nmu/{committee.slug}/"),
            ]
            for label, path in pages:
                queries, ms = measure(client, path)
                rows.append((label, size, queries, ms))
            client.force_login(staff)
            queries, ms = measure(client, "/admin/dugnads/dugnad/")
            rows.append(("admin list", size, queries, ms))

        print(f"{'page':<14}{'rows':>6}{'queries':>9}{'median ms':>11}")
        for label, size, queries, ms in rows:
            print(f"{label:<14}{size:>6}{queries:>9}{ms:>11.1f}")

        timings = []
        for _ in range(20):
            person = UserFactory()
            began = time.perf_counter()
            signup = services.signup_create(dugnad=target, user=person)
            timings.append((time.perf_counter() - began) * 1000)
            services.signup_cancel(signup=signup)
        print(
            f"sign-up with {target.signups.count()} sign-ups on the dugnad: "
            f"median {statistics.median(timings):.1f} ms"
        )


if __name__ == "__main__":
    main()
