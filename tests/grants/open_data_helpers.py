"""Helpers for the open data tests: download a dataset as an anonymous visitor, read the files
back as a program would, and a small world with public and private rows of every register."""

import csv
import datetime
import io
import json
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from agreements.models import Payment, Signature
from grants.services.payments import grant_payment_create
from proposals.models import OfficialAnswer
from tests.factories import (
    AgreementFactory,
    ApplicationFactory,
    DugnadFactory,
    ProposalFactory,
    ProvisionFactory,
    SignupFactory,
    TaskFactory,
)

ENGLISH = {"nmu_language": "en"}


def url(slug: str, fmt: str) -> str:
    return reverse("opendata:open-data-dataset", kwargs={"dataset": slug, "fmt": fmt})


def body(response) -> str:
    """The whole (streamed) file as text."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8")


def download(client, slug: str, fmt: str):
    """(response, text) for an anonymous visitor, in English."""
    client.cookies.load(ENGLISH)
    response = client.get(url(slug, fmt))
    return response, body(response) if response.status_code == 200 else ""


def read_csv(text: str) -> tuple[list[str], list[dict]]:
    """(header, rows): UTF-8 with a byte-order mark, semicolons (core.export)."""
    assert text.startswith("\ufeff")
    reader = csv.reader(io.StringIO(text[1:]), delimiter=";")
    header, *lines = list(reader)
    return header, [dict(zip(header, line, strict=True)) for line in lines]


def read_json(text: str) -> dict:
    return json.loads(text)


def as_csv_cell(value) -> str:
    """What a JSON value is in the CSV: nothing is an empty cell, a number its digits."""
    return "" if value is None else str(value)


def _days_ago(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def make_world(*, committee, other_committee, resident, other_resident, department, scheme):
    """Public and private rows of every register; returns what the tests look for."""
    committee.population = 4_000
    committee.population_0_19 = 1_000
    committee.population_reference_date = datetime.date(2023, 1, 1)
    committee.population_source = "SSB"
    committee.save()

    public = ProposalFactory(
        committee=committee,
        author=resident,
        title="Benker ved Ingrid Innbyggers hus",
        state="accepted",
        decided_at=timezone.now(),
    )
    OfficialAnswer.objects.create(
        proposal=public, outcome="accepted", body="Vi gjør det.", published_at=timezone.now()
    )
    draft = ProposalFactory(
        committee=committee,
        author=other_resident,
        state="draft",
        reference=None,
        title="Hemmelig utkast",
    )

    held = DugnadFactory(
        committee=committee,
        title="Vårdugnad i parken",
        starts_at=_days_ago(10),
        ends_at=_days_ago(10, 14),
        state="reported",
        participant_count=12,
        hours_total=Decimal("36.5"),
    )
    SignupFactory(dugnad=held, user=resident)
    SignupFactory(
        dugnad=held, user=None, guest_name="Gjest Gjestesen", guest_email="gjest@example.no"
    )
    draft_dugnad = DugnadFactory(
        committee=committee, title="Dugnad i skuffen", state="draft", published_at=None
    )

    signed = AgreementFactory(committee=committee, department=department, title="Flaggheising")
    TaskFactory(agreement=signed, pricing="fixed", amount=6_000, hours_per_year=40)
    TaskFactory(
        agreement=signed,
        pricing="per_occasion",
        amount=100,
        occasions_per_year=12,
        hours_per_year=10,
    )
    TaskFactory(agreement=signed, pricing="reimbursed", amount=5_000, hours_per_year=0)
    ProvisionFactory(agreement=signed, value_per_year=1_500)
    Signature.objects.create(
        agreement=signed,
        party="committee",
        signer=resident,
        signer_name="Signe Signatar",
        signer_phone="+47 912 34 567",
        signed_at=timezone.now(),
        terms_sha256="0" * 64,
    )
    draft_agreement = AgreementFactory(
        committee=committee, department=department, title="Utkast til avtale", state="draft"
    )

    paid = grant_payment_create(
        committee=committee,
        department=department,
        amount=Decimal("167000.00"),
        due_on=timezone.localdate(),
        description="Oppstartstilskudd 2023",
    )
    Payment.objects.filter(pk=paid.pk).update(paid_on=timezone.localdate())
    application = ApplicationFactory(committee=other_committee, scheme=scheme, state="payable")
    application_payment = grant_payment_create(
        committee=other_committee,
        department=department,
        amount=Decimal("15000.00"),
        due_on=timezone.localdate(),
        description=application.number,
    )
    Payment.objects.filter(pk=application_payment.pk).update(paid_on=timezone.localdate())
    application.payment = application_payment
    application.save()
    unpaid = grant_payment_create(
        committee=other_committee,
        department=department,
        amount=Decimal("4321.00"),
        due_on=timezone.localdate(),
        description="Ikke betalt ennå",
    )
    return {
        "public_proposal": public,
        "draft_proposal": draft,
        "held_dugnad": held,
        "draft_dugnad": draft_dugnad,
        "signed_agreement": signed,
        "draft_agreement": draft_agreement,
        "paid_grant": paid,
        "application": application,
        "application_payment": application_payment,
        "unpaid_grant": unpaid,
    }
