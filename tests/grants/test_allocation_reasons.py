"""Why an allocation is not payable, stored as codes (grants.allocation_reasons) and worded in
the reader's language: each code in Norwegian and English, the same stored allocation read under
``nb`` and under ``en`` on the public page, the committee's page, the admin and its CSV/XLSX
exports, and the release service's refusal in the language of whoever asks."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from grants import allocation_reasons as codes
from grants.models import Allocation
from grants.services.allocations import (
    allocation_release,
    allocations_approve,
    allocations_compute,
)
from tests.factories import GrantSchemeFactory, PopulationFigureFactory

from .test_schemes_admin import ALLOCATIONS, act

pytestmark = pytest.mark.django_db

NB_NO_DATE = "Ikke registrert i Frivillighetsregisteret (mangler registreringsdato)"
EN_NO_DATE = "Not registered in Frivillighetsregisteret (no registration date)"

# Each code, its params as stored, and its words in English and Norwegian.
WORDED = [
    (
        codes.NO_FIGURES,
        {"age_from": 0, "age_to": 19},
        "No population figures for ages 0–19",
        "Ingen befolkningstall for alderen 0–19 år",
    ),
    (
        codes.NO_ORGANISATION_NUMBER,
        {},
        "Not registered in Frivillighetsregisteret (no organisation number)",
        "Ikke registrert i Frivillighetsregisteret (mangler organisasjonsnummer)",
    ),
    (codes.NO_REGISTRATION_DATE, {}, EN_NO_DATE, NB_NO_DATE),
    (
        codes.NOT_ACTIVE,
        {"status": "dormant"},
        "Not active (status: Dormant)",
        "Ikke aktivt (status: Hvilende)",
    ),
    (
        codes.ANNUAL_REPORT_NOT_APPROVED,
        {"year": 2023},
        "The annual report for 2023 is not approved yet",
        "Årsrapporten for 2023 er ikke godkjent ennå",
    ),
    (
        codes.NOTHING_TO_PAY,
        {"amount": "0.00"},
        "Nothing to pay: the formula gives NOK\xa00",
        "Ingenting å utbetale: Fordelingsnøkkelen gir kr\xa00",
    ),
]


@pytest.mark.parametrize(("code", "params", "english", "norwegian"), WORDED)
def test_each_code_is_worded_in_the_readers_language(code, params, english, norwegian):
    allocation = Allocation(reasons=[codes.reason(code, **params)])
    with translation.override("en"):
        assert allocation.reason_text == english
    with translation.override("nb"):
        assert allocation.reason_text == norwegian


def test_every_code_has_its_words():
    assert {code for code, *_ in WORDED} == codes.CODES


def test_reasons_are_joined_in_the_order_found_and_none_is_empty():
    both = [codes.reason(codes.NO_FIGURES, age_from=0, age_to=19)]
    both.append(codes.reason(codes.NO_ORGANISATION_NUMBER))
    with translation.override("en"):
        assert Allocation(reasons=both).reason_text == (
            "No population figures for ages 0–19; "
            "Not registered in Frivillighetsregisteret (no organisation number)"
        )
        assert Allocation().reason_text == ""


def test_a_code_it_cannot_word_is_shown_as_the_code():
    stored = [{"code": "from_a_later_version", "params": {}}, {"code": "not_active"}]
    assert Allocation(reasons=stored).reason_text == "from_a_later_version; not_active"
    with translation.override("en"):  # a status value no longer known: shown as stored
        unknown = [codes.reason(codes.NOT_ACTIVE, status="merged")]
        assert Allocation(reasons=unknown).reason_text == "Not active (status: merged)"


def test_an_unknown_code_is_never_stored():
    with pytest.raises(ValueError):
        codes.reason("not_a_code")


def test_a_sum_is_stored_exactly_as_text():
    assert codes.reason(codes.NOTHING_TO_PAY, amount=Decimal("0.50")) == {
        "code": "nothing_to_pay",
        "params": {"amount": "0.50"},
    }


# --- one stored allocation, read in two languages ---------------------------------------------


@pytest.fixture
def worked_out_in_norwegian(formula_scheme, committee, other_committee, case_handler):
    """The 2023 list worked out and approved by a Norwegian case handler: Svarstad registered,
    Stavern without a registration date (reserved)."""
    committee.registered_on = datetime.date(2022, 11, 1)
    committee.save()
    PopulationFigureFactory(committee=committee, residents_in_range=260)
    PopulationFigureFactory(committee=other_committee, residents_in_range=1_150)
    with translation.override("nb"):
        allocations_compute(scheme=formula_scheme, actor=case_handler)
        allocations_approve(scheme=formula_scheme, actor=case_handler)
    return Allocation.objects.get(scheme=formula_scheme, committee=other_committee)


def test_the_reason_is_stored_as_a_code(worked_out_in_norwegian):
    assert worked_out_in_norwegian.reasons == [{"code": "no_registration_date", "params": {}}]


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [("nb", NB_NO_DATE, EN_NO_DATE), ("en", EN_NO_DATE, NB_NO_DATE)],
)
def test_the_public_pages_show_it_in_the_readers_language(
    client, worked_out_in_norwegian, other_committee, language, shown, not_shown
):
    client.cookies["nmu_language"] = language
    for url in (
        worked_out_in_norwegian.scheme.get_absolute_url(),
        reverse("grants:committee-grants", args=[other_committee.slug]),
    ):
        text = client.get(url).content.decode()
        assert shown in text, url
        assert not_shown not in text, url


@pytest.mark.parametrize(("language", "shown"), [("nb", NB_NO_DATE), ("en", EN_NO_DATE)])
def test_the_admin_and_its_exports_show_it_in_the_readers_language(
    client, case_handler, worked_out_in_norwegian, language, shown
):
    client.cookies["nmu_language"] = language
    client.force_login(case_handler)
    allocation = worked_out_in_norwegian
    assert shown in client.get(ALLOCATIONS).content.decode()
    change = reverse("admin:grants_allocation_change", args=[allocation.pk])
    assert shown in client.get(change).content.decode()
    scheme = reverse("admin:grants_grantscheme_change", args=[allocation.scheme_id])
    assert shown in client.get(scheme).content.decode()

    response = act(client, ALLOCATIONS, "export_allocations_csv", [allocation])
    content = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[1][-3] == shown  # "Why not payable", before the payment's two dates
    response = act(client, ALLOCATIONS, "export_allocations_xlsx", [allocation])
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = list(sheet.iter_rows(values_only=True))
    assert row[-3] == shown


def test_the_release_refusal_is_in_the_language_of_whoever_asks(
    worked_out_in_norwegian, case_handler
):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        allocation_release(allocation=worked_out_in_norwegian, actor=case_handler)
    assert refused.value.messages == [f"Not eligible yet: {EN_NO_DATE}"]
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        allocation_release(allocation=worked_out_in_norwegian, actor=case_handler)
    assert refused.value.messages == [f"Oppfyller ikke vilkårene ennå: {NB_NO_DATE}"]


def test_nothing_to_pay_is_a_code_with_the_sum(department, committee, case_handler):
    committee.registered_on = datetime.date(2022, 11, 1)
    committee.save()
    PopulationFigureFactory(committee=committee, residents_in_range=0)
    scheme = GrantSchemeFactory(department=department, base_amount=0, rate_per_resident=0)
    allocations_compute(scheme=scheme, actor=case_handler)
    allocation = Allocation.objects.get(scheme=scheme)
    assert allocation.state == "reserved"
    assert allocation.reasons == [{"code": "nothing_to_pay", "params": {"amount": "0.00"}}]
