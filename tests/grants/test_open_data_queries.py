"""A download is the same number of queries with 10 and with 1 000 rows (what a field reads is
loaded with the rows), and the rows are read as they are written (an iterator over a
server-side cursor, never a list in memory)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Agreement, Payment, Provision, Task
from committees.models import Committee
from dugnads.models import Dugnad
from grants import open_data
from grants.models import Allocation, Application
from proposals.models import OfficialAnswer, Proposal

from .open_data_helpers import body, url


def add_committees(start, n, ctx):
    Committee.objects.bulk_create(
        Committee(
            name=f"Bulk {i}",
            slug=f"bulk-{i}",
            status="forming",
            parent=ctx["committee"] if i % 2 else None,
            population=100 + i,
        )
        for i in range(start, start + n)
    )


def add_proposals(start, n, ctx):
    now = timezone.now()
    proposals = Proposal.objects.bulk_create(
        Proposal(
            committee=ctx["committee"],
            author=ctx["resident"],
            title=f"Forslag {i}",
            summary="Et forslag.",
            body="Tekst.",
            state="accepted" if i % 2 else "submitted",
            reference=f"NMU-1999-{i:05d}",
            submitted_at=now,
            decided_at=now if i % 2 else None,
        )
        for i in range(start, start + n)
    )
    OfficialAnswer.objects.bulk_create(
        OfficialAnswer(proposal=p, outcome="accepted", body="Ja.", published_at=now)
        for p in proposals[::2]
    )


def add_dugnads(start, n, ctx):
    starts = timezone.now() - datetime.timedelta(days=30)
    Dugnad.objects.bulk_create(
        Dugnad(
            committee=ctx["committee"],
            title=f"Dugnad {i}",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=3),
            meeting_point="Skolen",
            state="reported",
            published_at=starts,
            participant_count=5,
            hours_total=Decimal("15.0"),
        )
        for i in range(start, start + n)
    )


def add_agreements(start, n, ctx):
    year = timezone.localdate().year
    agreements = Agreement.objects.bulk_create(
        Agreement(
            number=f"AVT-1999-{i:06d}",
            committee=ctx["committee"],
            department=ctx["department"],
            title=f"Avtale {i}",
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
            state="active",
        )
        for i in range(start, start + n)
    )
    Task.objects.bulk_create(
        Task(agreement=a, kind="other", pricing=pricing, amount=100, occasions_per_year=3)
        for a in agreements
        for pricing in ("fixed", "per_occasion", "reimbursed")
    )
    Provision.objects.bulk_create(
        Provision(agreement=a, kind="equipment", description="Utstyr", value_per_year=50)
        for a in agreements
    )
    Payment.objects.bulk_create(
        Payment(agreement=a, due_on=a.starts_on, amount=100, paid_on=a.starts_on)
        for a in agreements
    )


def add_grants_paid(start, n, ctx):
    today = timezone.localdate()
    payments = Payment.objects.bulk_create(
        Payment(
            committee=ctx["committee"],
            department=ctx["department"],
            source="grant",
            due_on=today,
            amount=1000,
            paid_on=today,
        )
        for _ in range(n)
    )
    scheme, formula = ctx["application_scheme"], ctx["formula_scheme"]
    Application.objects.bulk_create(
        Application(
            number=f"TSK-1999-{i:06d}",
            scheme=scheme,
            committee=ctx["committee"],
            state="payable",
            title="Blomster",
            description="Blomster",
            place="Torget",
            participants="Styret",
            starts_on=today,
            ends_on=today,
            amount_requested=1000,
            payment=payment,
        )
        for i, payment in zip(range(start, start + n), payments[::2], strict=False)
    )
    # One allocation per committee and scheme: each allocation pays to a committee of its own.
    committees = Committee.objects.bulk_create(
        Committee(name=f"Tildelt {i}", slug=f"tildelt-{i}") for i in range(start, start + n)
    )
    Allocation.objects.bulk_create(
        Allocation(scheme=formula, committee=c, amount=1000, state="payable", payment=payment)
        for c, payment in zip(committees, payments[1::2], strict=False)
    )


def add_key_figures(start, n, ctx):
    """A row per committee: each paid a grant this year."""
    today = timezone.localdate()
    committees = Committee.objects.bulk_create(
        Committee(name=f"Tall {i}", slug=f"tall-{i}") for i in range(start, start + n)
    )
    Payment.objects.bulk_create(
        Payment(
            committee=c,
            department=ctx["department"],
            source="grant",
            due_on=today,
            amount=1000,
            paid_on=today,
        )
        for c in committees
    )


ADD = {
    "committees": add_committees,
    "proposals": add_proposals,
    "dugnads": add_dugnads,
    "agreements": add_agreements,
    "grants_paid": add_grants_paid,
    "key_figures": add_key_figures,
}


@pytest.fixture
def ctx(committee, resident, department, application_scheme, formula_scheme):
    return {
        "committee": committee,
        "resident": resident,
        "department": department,
        "application_scheme": application_scheme,
        "formula_scheme": formula_scheme,
    }


def queries_for(client, slug, fmt) -> tuple[int, int]:
    """(queries, rows) for one whole download."""
    with CaptureQueriesContext(connection) as queries:
        text = body(client.get(url(slug, fmt)))
    rows = text.count("\n") - 1 if fmt == "csv" else text.count('{"') - 1
    return len(queries), rows


def test_every_dataset_has_a_bulk_maker():
    assert set(ADD) == set(open_data.DATASETS)


@pytest.mark.parametrize("fmt", open_data.FORMATS)
@pytest.mark.parametrize("slug", list(ADD))
def test_same_queries_for_10_and_1000_rows(client, ctx, slug, fmt):
    ADD[slug](0, 10, ctx)
    few, few_rows = queries_for(client, slug, fmt)
    ADD[slug](10, 990, ctx)
    many, many_rows = queries_for(client, slug, fmt)
    assert many_rows - few_rows >= 990
    assert many == few


@pytest.mark.parametrize("slug", list(ADD))
def test_rows_are_an_iterator_not_a_list(ctx, slug):
    """Read as written, a chunk at a time from a server-side cursor: the file's memory does not
    grow with its rows."""
    rows = open_data.DATASETS[slug].rows()
    assert iter(rows) is rows
    assert not isinstance(rows, list | tuple)
