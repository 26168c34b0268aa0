"""The municipality's key figures (/nokkeltall/ and the front page): each figure on a small known
data set, the year filter, anyone can view, the same queries at 10 and 1,000 committees."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Payment, ReportDuty, ReportLine
from committees.models import Committee
from dugnads.models import HourlyRate
from grants.key_figures import figures_for_year, years_available
from proposals.models import OfficialAnswer, ProposalEvent
from tests.factories import (
    AgreementFactory,
    CommitteeFactory,
    DepartmentFactory,
    DugnadFactory,
    ProposalFactory,
    ProvisionFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal
UTC = datetime.UTC


def at(y, m, d, h=10):
    return datetime.datetime(y, m, d, h, tzinfo=UTC)


@pytest.fixture
def data():
    svarstad = CommitteeFactory(name="Svarstad KF", slug="svarstad-kf")
    stavern = CommitteeFactory(name="Stavern KF", slug="stavern-kf")
    park = DepartmentFactory()
    HourlyRate.objects.update_or_create(
        year=2023, defaults={"nok_per_hour": D("350"), "source": "Test 2023"}
    )
    # Grants: paid 2023 counts in 2023, unpaid and 2024 not.
    for amount, paid in ((D("167000"), datetime.date(2023, 12, 31)), (D("5000"), None)):
        Payment.objects.create(
            committee=svarstad,
            department=park,
            source="grant",
            amount=amount,
            due_on=datetime.date(2023, 12, 1),
            paid_on=paid,
            description="TSK",
        )
    Payment.objects.create(
        committee=svarstad,
        department=park,
        source="grant",
        amount=D("999"),
        due_on=datetime.date(2024, 1, 1),
        paid_on=datetime.date(2024, 1, 2),
        description="TSK",
    )
    # An agreement for 2023: compensation paid 3 000 (one of two), in kind 2 000, cost 32 000.
    agreement = AgreementFactory(
        committee=svarstad,
        department=park,
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2023, 12, 31),
        municipal_cost_per_year=D("32000"),
        own_contribution_per_year=0,
    )
    TaskFactory(agreement=agreement, amount=6000, hours_per_year=40)
    ProvisionFactory(agreement=agreement, value_per_year=2000)
    Payment.objects.create(
        agreement=agreement,
        due_on=datetime.date(2023, 3, 1),
        amount=3000,
        paid_on=datetime.date(2023, 3, 2),
    )
    Payment.objects.create(agreement=agreement, due_on=datetime.date(2023, 9, 1), amount=3000)
    duty = ReportDuty.objects.create(
        agreement=agreement, title="2023", due_on=datetime.date(2023, 11, 1), state="approved"
    )
    ReportLine.objects.create(
        duty=duty, task=agreement.tasks.first(), done_on=datetime.date(2023, 5, 1), hours=D("12.5")
    )
    # A draft agreement: left out.
    draft = AgreementFactory(
        committee=svarstad,
        department=park,
        state="draft",
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2023, 12, 31),
    )
    ProvisionFactory(agreement=draft, value_per_year=99999)
    # Dugnads: a reported one (20 h, 8 people) linked to the agreement (counts once), a held
    # one not reported yet (held, no hours), a published one (not held).
    reported = DugnadFactory(
        committee=svarstad,
        state="reported",
        starts_at=at(2023, 6, 1),
        ends_at=at(2023, 6, 1, 14),
        hours_total=D("20"),
        participant_count=8,
    )
    agreement.dugnads.add(reported)
    DugnadFactory(
        committee=svarstad, state="completed", starts_at=at(2023, 8, 1), ends_at=at(2023, 8, 1, 14)
    )
    DugnadFactory(
        committee=stavern, state="published", starts_at=at(2023, 9, 1), ends_at=at(2023, 9, 1, 14)
    )
    # Proposals: received 2023; forwarded after 2 days, first municipal response 4 days later,
    # accepted; another declined by the committee after 6 days.
    accepted = ProposalFactory(
        committee=svarstad,
        state="accepted",
        submitted_at=at(2023, 2, 1),
        forwarded_at=at(2023, 2, 3),
        first_response_at=at(2023, 2, 7),
        decided_at=at(2023, 3, 1),
    )
    ProposalEvent.objects.create(
        proposal=accepted,
        actor_party="committee",
        from_state="submitted",
        to_state="forwarded",
        created_at=at(2023, 2, 3),
    )
    OfficialAnswer.objects.create(
        proposal=accepted, outcome="accepted", body="Ja", published_at=at(2023, 3, 1)
    )
    declined = ProposalFactory(committee=stavern, state="declined", submitted_at=at(2023, 4, 1))
    ProposalEvent.objects.create(
        proposal=declined,
        actor_party="committee",
        from_state="submitted",
        to_state="declined",
        created_at=at(2023, 4, 7),
    )
    ProposalFactory(committee=stavern, state="submitted", submitted_at=at(2024, 1, 5))
    return {"svarstad": svarstad, "stavern": stavern}


def row_of(figures, committee):
    return next(r for r in figures.rows if r.committee.pk == committee.pk)


def test_each_figure_on_a_known_data_set(data):
    figures = figures_for_year(year=2023)
    s = row_of(figures, data["svarstad"])
    assert s.grants_paid == D("167000")  # the unpaid 5 000 and 2024's 999 are not counted
    assert s.compensation_paid == D("3000")
    assert s.in_kind == D("2000")  # the draft agreement's is not
    assert s.avoided_cost == D("32000")
    assert s.dugnad_hours == D("20") and s.agreement_hours == D("12.5")
    assert s.hours == D("32.5")  # the linked dugnad once
    assert s.value == D("32.5") * 350
    assert s.dugnads_held == 2 and s.participants == 8
    assert (s.proposals_received, s.proposals_answered, s.proposals_accepted) == (1, 1, 1)
    assert s.committee_days == D("2.0") and s.municipality_days == D("4.0")
    t = row_of(figures, data["stavern"])
    assert (t.proposals_received, t.proposals_answered, t.proposals_accepted) == (1, 1, 0)
    assert t.committee_days == D("6.0") and t.dugnads_held == 0
    totals = figures.totals
    assert totals.grants_paid == D("167000") and totals.proposals_received == 2
    assert totals.committee_days == D("4.0")  # the middle of 2 and 6 days
    assert totals.value == D("32.5") * 350


def test_a_grant_paid_in_2023_is_not_in_2024(data):
    figures = figures_for_year(year=2024)
    assert row_of(figures, data["svarstad"]).grants_paid == D("999")
    assert figures.totals.proposals_received == 1
    assert figures.rate is None and figures.totals.value is None


def test_years_available(data):
    years = years_available()
    assert 2023 in years and 2024 in years and timezone.localdate().year in years
    assert years == sorted(years, reverse=True)


def test_anyone_sees_the_page_in_english(client, data):
    client.cookies["nmu_language"] = "en"
    response = client.get(reverse("figures:key-figures"), {"year": "2023"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Key figures 2023" in html and "Svarstad KF" in html
    assert "167" in html and "000" in html
    assert reverse("opendata:open-data") in html
    assert 'role="img"' in html and "<caption>" in html


@pytest.mark.parametrize("raw", ["abc", "99999", "", "-1", "2023\x00", "1" * 50])
def test_the_year_filter_refuses_garbage(client, data, raw):
    client.cookies["nmu_language"] = "en"
    response = client.get(reverse("figures:key-figures"), {"year": raw})
    if "\x00" in raw:  # the site refuses a NUL byte in any query string before the view
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert f"Key figures {timezone.localdate().year}" in response.content.decode()


def test_the_front_page_shows_the_years_figures(client):
    committee = CommitteeFactory(name="Helgeroa KF", slug="helgeroa-kf")
    Payment.objects.create(
        committee=committee,
        department=DepartmentFactory(),
        source="grant",
        amount=D("80000"),
        due_on=timezone.localdate(),
        paid_on=timezone.localdate(),
        description="TSK",
    )
    client.cookies["nmu_language"] = "en"
    html = client.get("/").content.decode()
    assert "The municipality&#x27;s economic picture in" in html or "economic picture in" in html
    assert 'id="key-figure-grants">kr' in html or "80" in html
    assert reverse("figures:key-figures") in html
    assert "Coming soon" not in html


def many(count):
    have = Committee.objects.count()
    park = DepartmentFactory()
    committees = Committee.objects.bulk_create(
        [Committee(name=f"Utvalg {i}", slug=f"utvalg-{i}") for i in range(have, have + count)]
    )
    Payment.objects.bulk_create(
        [
            Payment(
                committee=c,
                department=park,
                source="grant",
                amount=1000,
                due_on=datetime.date(2023, 1, 1),
                paid_on=datetime.date(2023, 1, 2),
                description="TSK",
            )
            for c in committees
        ]
    )


def count(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("figures:key-figures"), {"year": "2023"}).status_code == 200
    return len(ctx.captured_queries)


def test_the_same_queries_at_10_and_1000_committees(client, data):
    many(10)
    small = count(client)
    many(990)
    assert count(client) == small
