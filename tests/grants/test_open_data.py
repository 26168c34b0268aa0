"""Open data downloads (/apne-data/<slug>.csv|json): anonymous visitors get every dataset as CSV
and JSON; the two files hold the same rows and fields, as the one declaration says; the values
are encoded as documented; unknown datasets and formats are 404."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from agreements.economics import task_compensation
from agreements.models import Task
from dugnads.figures import dugnad_value
from dugnads.models import HourlyRate
from grants import open_data
from tests.factories import AgreementFactory, TaskFactory

from .open_data_helpers import (
    as_csv_cell,
    download,
    make_world,
    read_csv,
    read_json,
    url,
)

SLUGS = list(open_data.DATASETS)


@pytest.fixture
def world(committee, other_committee, resident, other_resident, department, application_scheme):
    HourlyRate.objects.update_or_create(
        year=timezone.localdate().year,
        defaults={"nok_per_hour": Decimal("350.00"), "source": "SSB"},
    )
    return make_world(
        committee=committee,
        other_committee=other_committee,
        resident=resident,
        other_resident=other_resident,
        department=department,
        scheme=application_scheme,
    )


def rows_of(client, slug):
    _, text = download(client, slug, "json")
    return read_json(text)["rows"]


@pytest.mark.parametrize("slug", SLUGS)
def test_anonymous_downloads_csv_and_json_with_the_licence_and_open_headers(client, world, slug):
    for fmt, content_type in (("csv", "text/csv"), ("json", "application/json")):
        response, text = download(client, slug, fmt)
        assert response.status_code == 200
        assert response.streaming
        assert response["Content-Type"].startswith(content_type)
        assert response["Content-Type"].endswith("charset=utf-8")
        assert response["Content-Disposition"] == f'attachment; filename="{slug}.{fmt}"'
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
        assert text


@pytest.mark.parametrize("slug", SLUGS)
def test_csv_and_json_round_trip_to_the_same_rows_and_fields(client, world, slug):
    dataset = open_data.DATASETS[slug]
    names = [f.name for f in dataset.fields]
    _, csv_text = download(client, slug, "csv")
    _, json_text = download(client, slug, "json")
    header, csv_rows = read_csv(csv_text)
    document = read_json(json_text)

    assert header == names
    assert document["dataset"] == slug
    assert document["licence"] == {"name": "NLOD 2.0", "url": "https://data.norge.no/nlod/no/2.0"}
    assert document["schema_version"] == 1
    generated = datetime.datetime.fromisoformat(document["generated_at"])
    assert abs(generated - timezone.now()) < datetime.timedelta(minutes=1)
    assert [f["name"] for f in document["fields"]] == names
    assert document["rows"], "the world has rows in every dataset"
    assert [list(row) for row in document["rows"]] == [names] * len(document["rows"])
    assert csv_rows == [
        {name: as_csv_cell(value) for name, value in row.items()} for row in document["rows"]
    ]


@pytest.mark.parametrize("slug", SLUGS)
def test_json_values_have_the_declared_types(client, world, slug):
    types = {f.name: f.type for f in open_data.DATASETS[slug].fields}
    for row in rows_of(client, slug):
        for name, value in row.items():
            if value is None:
                continue
            kind = types[name]
            if kind == "integer":
                assert isinstance(value, int), (name, value)
            else:
                assert isinstance(value, str), (name, value)
            if kind == "decimal":
                assert re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value), (name, value)
            if kind == "date":
                datetime.date.fromisoformat(value)
            if kind == "datetime":
                assert datetime.datetime.fromisoformat(value).tzinfo is not None


def test_json_fields_are_the_declared_columns_with_their_codes(client, world):
    document = read_json(download(client, "committees", "json")[1])
    status = next(f for f in document["fields"] if f["name"] == "status")
    assert status["type"] == "string"
    assert status["description"] == "Status."
    assert status["values"]["active"] == "Active"
    assert document["fields"] == [f.schema() for f in open_data.COMMITTEES.fields]


def test_committee_row(client, world, committee):
    row = next(r for r in rows_of(client, "committees") if r["slug"] == "svarstad")
    assert row["name"] == "Svarstad"
    assert row["status"] == "active"
    assert row["organisation_number"] == committee.organisation_number
    assert row["population"] == 4000
    assert row["population_0_19"] == 1000
    assert row["population_reference_date"] == "2023-01-01"
    assert row["parent"] is None


def test_proposal_row_has_the_case_not_the_text(client, world):
    proposal = world["public_proposal"]
    (row,) = rows_of(client, "proposals")
    assert row["reference"] == proposal.reference
    assert row["committee"] == "svarstad"
    assert row["status"] == "accepted"
    assert row["outcome"] == "accepted"
    assert row["answered_on"] == timezone.localdate().isoformat()
    assert row["submitted_on"] == timezone.localdate().isoformat()
    assert row["supports"] == 0
    assert "title" not in row


def test_an_unpublished_answer_gives_no_outcome(client, world):
    proposal = world["public_proposal"]
    proposal.answer.published_at = None
    proposal.answer.save()
    proposal.state = "in_review"
    proposal.save()
    (row,) = rows_of(client, "proposals")
    assert row["outcome"] is None


def test_dugnad_row_with_hours_and_their_value(client, world):
    dugnad = world["held_dugnad"]
    (row,) = rows_of(client, "dugnads")
    assert row["id"] == dugnad.pk
    assert row["state"] == "reported"
    assert row["participants"] == 12  # as reported, not the sign-ups
    assert row["hours"] == "36.5"
    assert row["value"] == "12775.00"  # 36.5 h × 350 kr
    assert Decimal(row["value"]) == dugnad_value(dugnad)[1]
    assert datetime.datetime.fromisoformat(row["starts_at"]) == dugnad.starts_at


def test_dugnad_value_is_empty_without_an_hourly_value(client, world):
    HourlyRate.objects.all().delete()
    (row,) = rows_of(client, "dugnads")
    assert row["hours"] == "36.5"
    assert row["value"] is None


def test_agreement_row_with_its_economics_per_year(client, world, department):
    agreement = world["signed_agreement"]
    (row,) = rows_of(client, "agreements")
    assert row["number"] == agreement.number
    assert row["department"] == department.slug
    assert row["state"] == "active"
    assert row["compensation_per_year"] == "7200.00"  # 6 000 fixed + 12 × 100
    assert row["compensation_ceiling_per_year"] == "5000.00"
    assert row["in_kind_per_year"] == "1500.00"
    assert row["hours_per_year"] == "50.0"
    assert row["municipal_cost_per_year"] == "20000.00"
    assert row["paid"] == "0.00"
    assert row["ends_on"] == agreement.last_day.isoformat()


@pytest.mark.parametrize(
    ("pricing", "amount", "occasions"),
    [
        ("fixed", 6_000, None),
        ("per_occasion", 250, 7),
        ("per_occasion", 250, None),
        ("reimbursed", 3_000, None),
    ],
)
def test_the_sql_compensation_is_the_economics_task_compensation(
    client, db, pricing, amount, occasions
):
    agreement = AgreementFactory()
    TaskFactory(agreement=agreement, pricing=pricing, amount=amount, occasions_per_year=occasions)
    certain, ceiling = task_compensation(Task.objects.get(agreement=agreement))
    (row,) = rows_of(client, "agreements")
    assert Decimal(row["compensation_per_year"]) == certain
    assert Decimal(row["compensation_ceiling_per_year"]) == ceiling


def test_agreement_without_tasks_has_zero_compensation(client, db):
    AgreementFactory()
    (row,) = rows_of(client, "agreements")
    assert row["compensation_per_year"] == "0.00"
    assert row["hours_per_year"] == "0.0"


def test_grants_paid_rows_name_the_scheme_or_application(client, world, application_scheme):
    rows = {row["payment_id"]: row for row in rows_of(client, "grants_paid")}
    paid, app_payment = world["paid_grant"], world["application_payment"]
    assert set(rows) == {paid.pk, app_payment.pk}
    assert rows[paid.pk]["amount"] == "167000.00"
    assert rows[paid.pk]["paid_on"] == timezone.localdate().isoformat()
    assert rows[paid.pk]["scheme"] is None
    assert rows[paid.pk]["year"] == timezone.localdate().year
    app_row = rows[app_payment.pk]
    assert app_row["application"] == world["application"].number
    assert app_row["scheme"] == application_scheme.name
    assert app_row["scheme_kind"] == "application"
    assert app_row["year"] == application_scheme.year
    assert app_row["committee"] == "stavern"


def test_a_formula_allocation_payment_names_its_scheme(client, world, formula_scheme, committee):
    from grants.models import Allocation

    Allocation.objects.create(
        scheme=formula_scheme,
        committee=committee,
        amount=Decimal("167000.00"),
        state="payable",
        payment=world["paid_grant"],
    )
    row = next(
        r for r in rows_of(client, "grants_paid") if r["payment_id"] == world["paid_grant"].pk
    )
    assert row["scheme"] == formula_scheme.name
    assert row["scheme_kind"] == "formula"
    assert row["year"] == 2023
    assert row["application"] is None


def test_csv_is_not_formatted_for_a_language(client, world):
    """Codes and dot decimals in the CSV too, whatever the language of the page."""
    client.cookies.load({"nmu_language": "nb"})
    text = b"".join(client.get(url("agreements", "csv")).streaming_content).decode()
    _, rows = read_csv(text)
    assert rows[0]["state"] == "active"
    assert rows[0]["compensation_per_year"] == "7200.00"


def test_text_starting_like_a_formula_is_defused_in_the_csv(client, committee):
    committee.name = '=HYPERLINK("http://evil")'
    committee.save()
    _, text = download(client, "committees", "csv")
    _, rows = read_csv(text)
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil")'


@pytest.mark.parametrize(
    "path",
    [
        "/apne-data/unknown.csv",
        "/apne-data/committees.xml",
        "/apne-data/committees.CSV",
        "/apne-data/committees.",
        "/apne-data/DATASETS.json",
    ],
)
def test_unknown_dataset_or_format_is_404(client, db, path):
    assert client.get(path).status_code == 404


def test_downloads_are_read_only(client, db):
    assert client.post(url("committees", "csv")).status_code == 405


def test_the_file_is_streamed_row_by_row(client, db):
    """The response writes rows as they are read: the first lines are out before the rows end
    (a response built in memory would read them all first, and here fail)."""
    import itertools

    from grants.open_data import COMMITTEES

    def endless_rows():
        for n in itertools.count():
            if n > 5:
                raise AssertionError("read more rows than the lines asked for")
            yield type(
                "Row",
                (),
                {
                    "slug": f"c{n}",
                    "name": "N",
                    "status": "active",
                    "organisation_number": "",
                    "registered_on": None,
                    "parent_id": None,
                    "population": None,
                    "population_0_19": None,
                    "population_reference_date": None,
                    "population_source": "",
                    "latitude": None,
                    "longitude": None,
                },
            )()

    object.__setattr__(COMMITTEES, "rows", endless_rows)
    try:
        for fmt in ("csv", "json"):
            response = client.get(url("committees", fmt))
            first = list(itertools.islice(response.streaming_content, 4))
            assert len(first) == 4
    finally:
        object.__setattr__(COMMITTEES, "rows", open_data.committee_rows)
