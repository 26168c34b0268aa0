"""The staff's exports of agreements, tasks, payments and reports, as CSV and as XLSX from the
same columns: the right rows, money as numbers in the workbook, and no personal data (a
signatory's phone) in either — exports travel."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from agreements.models import Signature
from tests.agreements.test_admin_helpers import CHANGELIST, PAYMENTS, REPORTS, login
from tests.factories import (
    AgreementFactory,
    PaymentFactory,
    ProvisionFactory,
    ReportDutyFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

PHONE = "+47 912 34 567"


@pytest.fixture
def signed(active, leader, case_handler):
    """The active agreement, signed by both, the signers' phones on record."""
    for party, user, name in [
        ("committee", leader, "Lise Leder"),
        ("municipality", case_handler, "Kari Saksbehandler"),
    ]:
        Signature.objects.create(
            agreement=active,
            party=party,
            signer=user,
            signer_name=name,
            signer_phone=PHONE,
            signed_at=timezone.now(),
            terms_sha256="b" * 64,
        )
    ProvisionFactory(agreement=active, value_per_year=1500)
    PaymentFactory(agreement=active, amount=3000, paid_on=timezone.localdate(), voucher="B-1")
    PaymentFactory(agreement=active, amount=3000)
    return active


def export(client, url, action, objects):
    return client.post(
        url, {"action": action, helpers.ACTION_CHECKBOX_NAME: [str(o.pk) for o in objects]}
    )


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))


def xlsx_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


def test_agreements_csv_has_the_rows_and_no_phone(client, case_handler, signed, committee):
    other = AgreementFactory(committee=committee, department=signed.department)
    AgreementFactory()  # not selected
    login(client, case_handler)
    response = export(client, CHANGELIST, "export_agreements_csv", [signed, other])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = csv_rows(response)
    assert header[0] == "Number" and "Signed for the committee by" in header
    assert sorted(row[0] for row in rows) == sorted([signed.number, other.number])
    row = next(r for r in rows if r[0] == signed.number)
    named = dict(zip(header, row, strict=True))
    assert named["Payments planned (NOK)"] == "6000.00" and named["Paid (NOK)"] == "3000.00"
    assert named["Signed for the committee by"] == "Lise Leder"
    assert named["Contributions in kind per year (NOK)"] == "1500.00"
    content = "\n".join(";".join(r) for r in [header, *rows])
    assert PHONE not in content and "912" not in content


def test_agreements_xlsx_opens_with_numbers_and_no_phone(client, case_handler, signed):
    login(client, case_handler)
    response = export(client, CHANGELIST, "export_agreements_xlsx", [signed])
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="avtaler-' in response["Content-Disposition"]
    header, row = xlsx_rows(response)
    named = dict(zip(header, row, strict=True))
    assert named["Number"] == signed.number
    assert named["Payments planned (NOK)"] == 6000  # a number a spreadsheet can add up
    assert named["Starts"].date() == signed.starts_on  # a date, not text
    assert named["Signed for the municipality by"] == "Kari Saksbehandler"
    assert not any(PHONE in str(value) for value in row)


@pytest.mark.parametrize("action", ["export_tasks_csv", "export_tasks_xlsx"])
def test_the_tasks_of_the_selected_agreements(client, case_handler, active, draft, action):
    TaskFactory(
        agreement=active, kind="leaf_blowing", amount=12_000, locations="Bøkeskogen\nTorget"
    )
    TaskFactory(agreement=AgreementFactory(), kind="planting")  # not selected
    login(client, case_handler)
    response = export(client, CHANGELIST, action, [active, draft])
    rows = csv_rows(response) if action.endswith("csv") else xlsx_rows(response)
    header, *rows = rows
    named = [dict(zip(header, row, strict=True)) for row in rows]
    assert sorted((r["Agreement"], r["Task"]) for r in named) == sorted(
        [
            (active.number, "Flag raising"),
            (active.number, "Leaf blowing"),
            (draft.number, "Flag raising"),
        ]
    )
    leaf = next(r for r in named if r["Task"] == "Leaf blowing")
    assert leaf["Locations"] == "Bøkeskogen, Torget"
    assert Decimal(str(leaf["Amount (NOK)"])) == Decimal("12000")


@pytest.mark.parametrize("action", ["export_payments_csv", "export_payments_xlsx"])
def test_payments_export(client, case_handler, signed, action):
    login(client, case_handler)
    payments = list(signed.payments.order_by("pk"))
    # The selection is made in the list as filtered: here every payment, paid ones too.
    response = export(client, f"{PAYMENTS}?paid=all", action, payments)
    header, *rows = csv_rows(response) if action.endswith("csv") else xlsx_rows(response)
    named = [dict(zip(header, row, strict=True)) for row in rows]
    assert [r["Agreement"] for r in named] == [signed.number, signed.number]
    assert {str(r["Voucher reference"] or "") for r in named} == {"B-1", ""}


@pytest.mark.parametrize("action", ["export_reports_csv", "export_reports_xlsx"])
def test_reports_export(client, case_handler, active, action):
    duty = ReportDutyFactory(agreement=active, title="Sesongen", state="returned")
    duty.review_comment = '=HYPERLINK("http://example.com")'
    duty.save()
    login(client, case_handler)
    response = export(client, REPORTS, action, [duty])
    header, row = csv_rows(response) if action.endswith("csv") else xlsx_rows(response)
    named = dict(zip(header, row, strict=True))
    assert named["Report for"] == "Sesongen"
    comment = named["Comment from the municipality"]
    # Never a formula: an apostrophe in the CSV, a text cell in the workbook.
    assert comment == ("'" if action.endswith("csv") else "") + duty.review_comment


def test_the_agreements_export_keeps_its_queries_with_more_rows(
    client, case_handler, committee, department
):
    login(client, case_handler)

    def run():
        from agreements.models import Agreement

        with CaptureQueriesContext(connection) as queries:
            response = export(client, CHANGELIST, "export_agreements_xlsx", Agreement.objects.all())
            assert response.status_code == 200
            b"".join(response.streaming_content)
        return len(queries)

    for _ in range(3):
        TaskFactory(agreement=AgreementFactory(committee=committee, department=department))
    small = run()
    for _ in range(12):
        PaymentFactory(
            agreement=TaskFactory(
                agreement=AgreementFactory(committee=committee, department=department)
            ).agreement
        )
    assert run() == small
