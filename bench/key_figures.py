"""Benchmark: the municipality's key figures (/nokkeltall/) and the front page at Larvik ×1 and
×10 (10 and 100 committees) and at 1,000 committees, each with a grant paid, a signed agreement
(a paid instalment, an approved report line), a reported dugnad and an answered proposal.

Run with `make bench` (DATABASE_URL when set, else SQLite). Prints query counts and median
times; the query counts must not grow with the number of committees.
"""

import datetime
from decimal import Decimal

from harness import measure, test_database


def fill(count: int):
    """Committees up to ``count``, each with a year's worth of figures for this year."""
    from django.utils import timezone

    from agreements.models import Agreement, Payment, ReportDuty, ReportLine, Task
    from committees.models import Committee, Department
    from dugnads.models import Dugnad
    from proposals.models import Proposal

    year = timezone.localdate().year
    day = datetime.date(year, 3, 2)
    when = datetime.datetime(year, 3, 2, 10, tzinfo=datetime.UTC)
    have = Committee.objects.count()
    park = Department.objects.first() or Department.objects.create(name="Park", slug="park")
    committees = Committee.objects.bulk_create(
        [Committee(name=f"Utvalg {i}", slug=f"utvalg-{i}") for i in range(have, count)]
    )
    Payment.objects.bulk_create(
        [
            Payment(
                committee=c,
                department=park,
                source="grant",
                amount=80_000,
                due_on=day,
                paid_on=day,
                description="TSK",
            )
            for c in committees
        ]
    )
    agreements = Agreement.objects.bulk_create(
        [
            Agreement(
                number=f"AVT-{year}-7{i:05d}",
                committee=c,
                department=park,
                title="Avtale",
                starts_on=datetime.date(year, 1, 1),
                ends_on=datetime.date(year, 12, 31),
                state="active",
                municipal_cost_per_year=Decimal("20000"),
            )
            for i, c in enumerate(committees, start=have)
        ]
    )
    tasks = Task.objects.bulk_create(
        [
            Task(agreement=a, kind="flag_raising", amount=6_000, hours_per_year=40)
            for a in agreements
        ]
    )
    Payment.objects.bulk_create(
        [Payment(agreement=a, due_on=day, amount=3_000, paid_on=day) for a in agreements]
    )
    duties = ReportDuty.objects.bulk_create(
        [ReportDuty(agreement=a, title=str(year), due_on=day, state="approved") for a in agreements]
    )
    ReportLine.objects.bulk_create(
        [
            ReportLine(duty=d, task=t, done_on=day, hours=20)
            for d, t in zip(duties, tasks, strict=True)
        ]
    )
    Dugnad.objects.bulk_create(
        [
            Dugnad(
                committee=c,
                title="Dugnad",
                starts_at=when,
                ends_at=when + datetime.timedelta(hours=4),
                meeting_point="Her",
                state="reported",
                hours_total=Decimal("12"),
                participant_count=6,
            )
            for c in committees
        ]
    )
    Proposal.objects.bulk_create(
        [
            Proposal(
                committee=c,
                title="Forslag",
                summary="Kort",
                body="Lang",
                state="forwarded",
                reference=f"NMU-2000-{i:05d}",
                submitted_at=when,
                forwarded_at=when,
                first_response_at=when + datetime.timedelta(days=3),
            )
            for i, c in enumerate(committees, start=have)
        ]
    )


def main():
    from django.contrib.auth import get_user_model
    from django.test import Client

    with test_database():
        client = Client()
        author = get_user_model().objects.create_user(email="bench@example.org", password=None)
        from proposals.models import Proposal

        Proposal._meta.get_field("author").default = author.pk  # the bulk-created proposals'
        rows = []
        for size in (10, 100, 1000):
            fill(size)
            for label, path in (("/nokkeltall/", "/nokkeltall/"), ("front page", "/")):
                queries, ms = measure(client, path)
                rows.append((label, size, queries, ms))
        print(f"{'key figures':<14}{'committees':>11}{'queries':>9}{'median ms':>11}")
        for label, size, queries, ms in rows:
            print(f"{label:<14}{size:>11}{queries:>9}{ms:>11.1f}")


if __name__ == "__main__":
    main()
