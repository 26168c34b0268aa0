"""Helpers for the agreements' page, document and workspace tests: the roles, many agreements
at once (bulk, with their payments and reports) for the query counts, and a signature."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Agreement, AgreementEvent, Payment, ReportDuty, Signature, Task

ROLES = [
    "anonymous",
    "resident",
    "other_committee_leader",
    "board_member",
    "leader",
    "case_handler",
]
# Who sees a draft: the committee's board and municipal staff.
PARTIES = {"board_member", "leader", "case_handler"}
PHONE = "+47 912 34 567"


def login(client, user):
    if user is not None and user.is_authenticated:
        client.force_login(user)
    return client


def queries(client, path) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured), response


def many_agreements(n: int, *, committee, department, state="active", prefix="9") -> list:
    """``n`` agreements of ``committee`` in bulk, each with a task, a payment and a report
    duty (one unpaid, one overdue)."""
    today = timezone.localdate()
    year = today.year
    base = Agreement.objects.count()
    agreements = Agreement.objects.bulk_create(
        Agreement(
            number=f"AVT-{year}-{prefix}{base + i:05d}",
            committee=committee,
            department=department,
            title=f"Bulkavtale {base + i}",
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
            state=state,
        )
        for i in range(n)
    )
    Task.objects.bulk_create(
        Task(agreement=a, kind="flag_raising", amount=Decimal(6000), hours_per_year=40)
        for a in agreements
    )
    Payment.objects.bulk_create(
        Payment(agreement=a, due_on=today - datetime.timedelta(days=3), amount=Decimal(3000))
        for a in agreements
    )
    ReportDuty.objects.bulk_create(
        ReportDuty(agreement=a, title="Året", due_on=today + datetime.timedelta(days=30))
        for a in agreements
    )
    return agreements


def many_lines(agreement, n: int, *, actor=None) -> None:
    """``n`` of each of an agreement's lines (tasks, payments, duties, timeline), in bulk."""
    today = timezone.localdate()
    Task.objects.bulk_create(
        Task(agreement=agreement, kind="other", amount=Decimal(10), position=i) for i in range(n)
    )
    Payment.objects.bulk_create(
        Payment(agreement=agreement, due_on=today, amount=Decimal(1)) for _ in range(n)
    )
    ReportDuty.objects.bulk_create(
        ReportDuty(agreement=agreement, title=f"Rapport {i}", due_on=today) for i in range(n)
    )
    AgreementEvent.objects.bulk_create(
        AgreementEvent(agreement=agreement, kind="terms_changed", actor=actor, actor_party="")
        for _ in range(n)
    )


def sign(agreement, *, signer, party="committee", phone=PHONE, sha="a" * 64) -> Signature:
    return Signature.objects.create(
        agreement=agreement,
        party=party,
        signer=signer,
        signer_name=signer.full_name,
        signer_role="Leder" if party == "committee" else "Saksbehandler",
        signer_phone=phone,
        signed_at=timezone.now(),
        terms_sha256=sha,
    )
