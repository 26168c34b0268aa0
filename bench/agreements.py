"""Benchmark: agreement pages with 10 and with 1,000 agreements.

Run with `make bench` (DATABASE_URL when set, else SQLite). Prints query counts and median
render times for the public list (/avtaler/), an agreement's page, its print page, the committee
page with the leader's workspace, Min side's agreements, and the admin's agreement list and
payments work list. Every agreement has a task, a provision, two instalments (one paid) and a
report duty. The query counts must not grow with the number of agreements
(bench/agreements_economics.py measures the economic picture and the roll-ups).
"""

import datetime
from decimal import Decimal

from harness import measure, test_database


def main():
    from django.test import Client
    from django.utils import timezone

    from agreements.models import Agreement, Payment, Provision, ReportDuty, Task
    from committees.models import Membership, Role
    from tests.factories import AgreementFactory, CommitteeFactory, DepartmentFactory, UserFactory

    with test_database():
        client = Client()
        staff = UserFactory(is_staff=True, is_superuser=True)
        committee = CommitteeFactory(slug="bench")
        department = DepartmentFactory()
        leader = UserFactory()
        Membership.objects.create(user=leader, committee=committee, role=Role.LEADER)
        target = AgreementFactory(committee=committee, department=department, title="Løvblåsing")
        today = timezone.localdate()
        rows = []
        for size in (10, 1000):
            have = Agreement.objects.count()
            made = Agreement.objects.bulk_create(
                [
                    Agreement(
                        number=f"AVT-{today.year}-8{i:05d}",
                        committee=committee,
                        department=department,
                        title=f"Avtale {i}",
                        starts_on=target.starts_on,
                        ends_on=target.ends_on,
                        state="active",
                        municipal_cost_per_year=Decimal(20_000),
                    )
                    for i in range(have, size)
                ]
            )
            new = made + ([target] if have == 0 else [])
            Task.objects.bulk_create(
                [
                    Task(agreement=a, kind="flag_raising", hours_per_year=40, amount=6_000)
                    for a in new
                ]
            )
            Provision.objects.bulk_create(
                [
                    Provision(
                        agreement=a, kind="equipment", description="Flagg", value_per_year=1_000
                    )
                    for a in new
                ]
            )
            Payment.objects.bulk_create(
                [
                    Payment(
                        agreement=a,
                        due_on=today - datetime.timedelta(days=30),
                        amount=3_000,
                        paid_on=today,
                    )
                    for a in new
                ]
                + [
                    Payment(agreement=a, due_on=today + datetime.timedelta(days=30), amount=3_000)
                    for a in new
                ]
            )
            ReportDuty.objects.bulk_create(
                [
                    ReportDuty(
                        agreement=a, title="Året", due_on=today + datetime.timedelta(days=60)
                    )
                    for a in new
                ]
            )
            client.logout()
            pages = [
                ("list", "/avtaler/"),
                ("detail", f"/avtaler/{target.number}/"),
                ("print", f"/avtaler/{target.number}/utskrift/"),
            ]
            for label, path in pages:
                queries, ms = measure(client, path)
                rows.append((label, size, queries, ms))
            client.force_login(leader)
            for label, path in [
                ("committee", f"/nmu/{committee.slug}/"),
                ("min side", "/min-side/"),
            ]:
                queries, ms = measure(client, path)
                rows.append((label, size, queries, ms))
            client.force_login(staff)
            for label, path in [
                ("admin list", "/admin/agreements/agreement/"),
                ("admin payments", "/admin/agreements/payment/"),
            ]:
                queries, ms = measure(client, path)
                rows.append((label, size, queries, ms))

        print(f"{'page':<16}{'rows':>6}{'queries':>9}{'median ms':>11}")
        for label, size, queries, ms in rows:
            print(f"{label:<16}{size:>6}{queries:>9}{ms:>11.1f}")


if __name__ == "__main__":
    main()
