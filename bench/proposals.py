"""Benchmark: proposal pages and the deadline follow-up with 10 and with 1,000 proposals.

Run with `make bench` (DATABASE_URL when set, else SQLite). Prints query counts and median
render times for the list, a search, a detail page (with as many supports, messages and timeline
entries as proposals) and the admin review queue; and how long the daily deadline follow-up takes
over 1,000 open cases.
"""

import datetime
import time

from harness import measure, test_database


def main():
    from django.test import Client
    from django.utils import timezone

    from proposals import services
    from proposals.models import Message, Proposal, ProposalEvent, State, Support
    from tests.factories import CommitteeFactory, ProposalFactory, UserFactory

    with test_database():
        client = Client()
        staff = UserFactory(is_staff=True, is_superuser=True)
        committee = CommitteeFactory(slug="bench")
        target = ProposalFactory(
            committee=committee, title="Heising av flagg", reference="NMU-2000-9999"
        )
        author = target.author
        rows = []
        for size in (10, 1000):
            have = Proposal.objects.count()
            Proposal.objects.bulk_create(
                [
                    Proposal(
                        committee=committee,
                        author=author,
                        title=f"Forslag {i}",
                        summary="Benker og bord",
                        body="Et forslag om møteplasser.",
                        state=State.FORWARDED,
                        reference=f"NMU-2001-{i:05d}",
                        submitted_at=timezone.now(),
                        next_due=timezone.localdate() + datetime.timedelta(days=i % 30 - 15),
                        decision_due=timezone.localdate() + datetime.timedelta(days=i % 30 - 15),
                    )
                    for i in range(have, size)
                ]
            )
            users = UserFactory.create_batch(size - Support.objects.filter(proposal=target).count())
            Support.objects.bulk_create([Support(proposal=target, user=u) for u in users])
            Message.objects.bulk_create(
                [
                    Message(proposal=target, sender=author, party="committee", body=f"Melding {i}")
                    for i in range(size - target.messages.count())
                ]
            )
            ProposalEvent.objects.bulk_create(
                [
                    ProposalEvent(proposal=target, actor=author, to_state=State.SUBMITTED)
                    for _ in range(size - target.events.count())
                ]
            )
            client.force_login(author)
            pages = [
                ("list", "/forslag/"),
                ("search", "/forslag/?q=flagget"),
                ("detail", f"/forslag/{target.reference}/"),
            ]
            for label, path in pages:
                queries, ms = measure(client, path)
                rows.append((label, size, queries, ms))
            client.force_login(staff)
            queries, ms = measure(client, "/admin/proposals/proposal/")
            rows.append(("admin queue", size, queries, ms))

        print(f"{'page':<14}{'rows':>6}{'queries':>9}{'median ms':>11}")
        for label, size, queries, ms in rows:
            print(f"{label:<14}{size:>6}{queries:>9}{ms:>11.1f}")

        from django.contrib.auth.models import Group

        from core.staff import CASE_HANDLER, group_name

        handler = UserFactory(is_staff=True)
        handler.groups.add(Group.objects.get(name=group_name(CASE_HANDLER)))
        start = time.perf_counter()
        counts = services.deadlines_follow_up(today=timezone.localdate())
        print(
            f"deadline follow-up over {Proposal.objects.count()} open cases: "
            f"{(time.perf_counter() - start) * 1000:.0f} ms, {counts}"
        )


if __name__ == "__main__":
    main()
