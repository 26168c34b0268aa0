"""The grants journey (issue 13, "Prove it"), on the demo's data (grants.demo):

1. a visitor opens the grant schemes (/tilskudd/) and the 2023 start-up grant, whose list shows
   the committees not yet registered in Frivillighetsregisteret as reserved, not payable, and
   the others paid;
2. the Svarstad leader opens the committee's grants page and applies for this year's
   forskjønning grant (paid afterwards) with a budget, planned dugnad hours and a photo
   "before", and sends it;
3. the case handler grants it in the admin;
4. the leader reports: the actual cost with its receipt, the hours (the committee's reported
   autumn dugnad linked, and hours by hand) and a photo "after", and sends the report;
5. the case handler approves the report in the admin (the payment is created: the actual costs,
   less than the amount granted) and marks it paid in "Payments due";
6. the application's public page shows it paid; the "Åpne data" page lists the datasets, and
   the CSV of grants paid downloads with the payment in it.

In Norwegian, and a shorter pass in English (the visitor's pages and the open data). axe-core,
the CSP and the 320 px reflow are checked on every page visited (``site.check``). The grants'
words are new and translated at the end of the issue, so the test finds them by their English
text run through gettext in the page's language (``Words``), as the other journeys do.

The journey ends on the key figures page (/nokkeltall/).
"""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from .agreements_helpers import run_admin_action
from .conftest import switch_person
from .grants_helpers import (
    CASE_HANDLER,
    LEADER,
    mark_paid_in_payments_due,
    photo_file,
    receipt_file,
)
from .test_dugnads_journey import Words, in_language

pytestmark = [pytest.mark.browser]

TITLE = "Blomsterkasser ved Svarstad skole"
REQUESTED = 12_000
GRANTED = 10_000
ACTUAL = Decimal("9450.50")
HOURS_BY_HAND = 6
DUGNAD = "Høstdugnad i Svarstadparken"  # the demo's reported dugnad (42 hours)
VOUCHER = "BILAG-TSK-0999"


def test_grants_journey_in_norwegian(site, tmp_path):
    from agreements.models import PaymentSource
    from dugnads.models import Dugnad
    from grants.demo import BEAUTIFY
    from grants.models import Application, ApplicationState, GrantScheme

    t = Words("nb")
    page = site.page
    year = timezone.localdate().year
    scheme = GrantScheme.objects.get(year=year, name=BEAUTIFY)

    # 1. A visitor: the schemes, and the 2023 start-up grant's allocations.
    visit_start_up_scheme(site, t)

    # 2. The Svarstad leader applies for this year's forskjønning grant, and sends it.
    switch_person(site, LEADER)
    site.visit(reverse("grants:committee-grants", kwargs={"slug": "svarstad"}))
    open_scheme = page.locator(f"#open-schemes [data-scheme='{scheme.pk}']")
    open_scheme.get_by_role("link", name=re.compile(rf"^{re.escape(t('Apply'))}\b")).click()
    site.check()
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_description").fill(
        "Vi setter ut seks blomsterkasser ved skolen og planter dem sammen med elevene."
    )
    page.locator("#id_place").fill("Skolegården, Svarstad skole")
    page.locator("#id_participants").fill("Styret og elever fra Svarstad skole")
    starts = timezone.localdate()
    page.locator("#id_starts_on").fill(starts.isoformat())
    page.locator("#id_ends_on").fill((starts + datetime.timedelta(days=60)).isoformat())
    page.locator("#id_planned_hours").fill("40")
    page.locator("#id_amount_requested").fill(str(REQUESTED))
    page.locator("#id_form-0-description").fill("Seks blomsterkasser med jord og planter")
    page.locator("#id_form-0-amount").fill(str(REQUESTED))
    page.locator("#id_photo_1").set_input_files(photo_file(tmp_path, "for.jpg"))
    page.locator("#id_photo_description_1").fill("Skolegården før: tom grusplass ved inngangen")
    page.get_by_role("button", name=t("Save"), exact=True).click()
    site.check()
    application = Application.objects.get(title=TITLE)
    assert application.state == ApplicationState.DRAFT
    assert application.photos.filter(kind="before").count() == 1
    expect(page).to_have_url(re.compile(rf"{re.escape(application.get_absolute_url())}$"))
    page.locator(f"[data-step='{ApplicationState.SUBMITTED}']").click()
    site.check()
    page.locator("#take-step").click()
    site.check()
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    expect(page.locator("#application-state")).to_have_attribute(
        "data-state", ApplicationState.SUBMITTED
    )

    # 3. The case handler grants it in the admin (less than applied for, with a condition).
    switch_person(site, CASE_HANDLER)
    change_page = reverse("admin:grants_application_change", args=[application.pk])
    site.visit(change_page)
    run_admin_action(site, "nb", t("Grant"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Grant the applications"))
    page.get_by_label(t("Amount granted (kr)")).fill(str(GRANTED))
    page.get_by_label(t("Conditions")).fill("Rapport med kvitteringer og bilder etterpå.")
    page.get_by_role("button", name=t("Grant"), exact=True).click()
    site.check()
    application.refresh_from_db()
    assert application.state == ApplicationState.GRANTED
    assert application.amount_granted == GRANTED
    assert application.payment_id is None  # paid afterwards: the report first

    # 4. The leader reports: the cost with its receipt, the hours, a photo "after".
    switch_person(site, LEADER)
    site.visit(application.get_absolute_url())
    page.locator("#report-link").click()
    site.check()
    page.locator("#id_report_text").fill(
        "Seks blomsterkasser er satt ut og plantet av elevene på høstdugnaden."
    )
    page.get_by_label(re.compile(re.escape(DUGNAD))).check()
    page.locator("#id_actual_hours").fill(str(HOURS_BY_HAND))
    page.locator("#id_form-0-description").fill("Blomsterkasser, jord og planter")
    page.locator("#id_form-0-amount").fill(str(ACTUAL))
    page.locator("#id_form-0-receipt").set_input_files(receipt_file(tmp_path))
    page.locator("#id_photo_1").set_input_files(photo_file(tmp_path, "etter.jpg"))
    page.locator("#id_description_1").fill("Skolegården etter: seks blomsterkasser i blomst")
    page.locator("#send-report").click()
    site.check()
    application.refresh_from_db()
    assert application.state == ApplicationState.REPORTED
    dugnad = Dugnad.objects.get(committee__slug="svarstad", title=DUGNAD)
    assert list(application.dugnads.all()) == [dugnad]
    assert application.photos.filter(kind="after").count() == 1
    receipt = application.budget_lines.get(actual=True)
    assert receipt.amount == ACTUAL and receipt.content_type == "application/pdf"

    # 5. The case handler approves the report (the payment: the actual costs, less than the
    # amount granted) and marks it paid in "Payments due".
    switch_person(site, CASE_HANDLER)
    site.visit(change_page)
    run_admin_action(site, "nb", t("Approve the report"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Approve the reports"))
    page.get_by_role("button", name=t("Approve"), exact=True).click()
    site.check()
    application.refresh_from_db()
    assert application.state == ApplicationState.PAYABLE
    payment = application.payment
    assert payment.amount == ACTUAL and payment.source == PaymentSource.GRANT
    mark_paid_in_payments_due(site, t, "nb", reference=application.number, voucher=VOUCHER)
    payment.refresh_from_db()
    assert (payment.paid_on, payment.voucher) == (timezone.localdate(), VOUCHER)

    # 6. Public now: the application's page shows the payment made; the open data has it.
    page.context.clear_cookies()
    site.visit(application.get_absolute_url())
    expect(page.locator("#application-state")).to_have_attribute(
        "data-state", ApplicationState.PAYABLE
    )
    expect(page.locator("#application-payment")).to_be_visible()
    rows = open_data_grants_csv(site, t)
    assert any(application.number in " ".join(row.values()) for row in rows), rows[:3]

    # 7. The key figures for the year: Svarstad's row in the money table, the open data linked.
    site.visit(reverse("figures:key-figures"))
    expect(page.locator("#key-figures-money tbody tr", has_text="Svarstad")).to_have_count(1)
    expect(page.locator("#open-data-link")).to_be_visible()


def test_grants_pages_in_english(site):
    """The visitor's pages in English: the schemes, the start-up grant's list, the open data."""
    t = Words("en")
    site.visit(reverse("grants:scheme-list"))
    in_language(site, t)
    visit_start_up_scheme(site, t, from_list=False)
    rows = open_data_grants_csv(site, t)
    assert rows, "the demo's grants paid are in the CSV"


def visit_start_up_scheme(site, t, *, from_list: bool = True):
    """The schemes' list (a visitor) and the 2023 start-up grant's page: the committees not
    registered reserved with the reason, the registered ones paid."""
    from grants.demo import START_UP
    from grants.models import GrantScheme

    page = site.page
    scheme = GrantScheme.objects.get(year=2023, name=START_UP)
    if from_list:
        site.visit(reverse("grants:scheme-list"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Grants"))
    page.locator("#schemes-2023").get_by_role("link", name=re.compile(START_UP)).click()
    site.check()
    expect(page).to_have_url(re.compile(rf"{re.escape(scheme.get_absolute_url())}$"))
    reserved = page.locator("#allocations tr[data-committee='helgeroa-nevlunghavn']")
    expect(reserved).to_have_attribute("data-state", "reserved")
    expect(reserved.locator(".allocation-reason")).to_contain_text("Frivillighetsregisteret")
    paid = page.locator("#allocations tr[data-committee='svarstad']")
    expect(paid).to_have_attribute("data-state", "payable")
    expect(paid.locator(".allocation-paid")).to_be_visible()


def open_data_grants_csv(site, t) -> list[dict]:
    """The "Åpne data" page (checked) lists the datasets; the grants paid as CSV, parsed."""
    page = site.page
    site.visit(reverse("opendata:open-data"))
    expect(page.locator("[data-dataset]")).not_to_have_count(0)
    link = page.locator("[data-dataset='grants_paid'] a[data-format='csv']")
    expect(link).to_be_visible()
    response = page.request.get(site.base_url + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text().lstrip("\ufeff"))))
