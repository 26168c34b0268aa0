"""The year's formula grant, in the admin (issue 13, "Prove it"), on the demo's data:

1. the case handler creates this year's operating grant as a formula scheme (base amount, a rate
   per resident aged 0–19, the Frivillighetsregisteret gate, paid in advance) in the admin;
2. imports the population figures from a CSV file on the figures' import page: the check first
   (each row new), then the import;
3. works out the allocations on the scheme's page: Tjøllingvollen, not registered in
   Frivillighetsregisteret, is reserved and not payable, with the reason; Svarstad and Kvelde get
   the formula's sums (80 000 + 87 × residents aged 0–19), and the pot check says what is left;
4. approves the list: a payment for each eligible committee on the agreements' payment machinery,
   none for the reserved;
5. marks the payments paid in "Payments due";
6. the public scheme page shows Tjøllingvollen reserved with the reason, Svarstad and Kvelde paid.

In Norwegian (the case handler's language). axe-core, the CSP and the 320 px reflow are checked on
every page visited (``site.check``); the admin's pages too.
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from .agreements_helpers import run_admin_action
from .conftest import switch_person
from .grants_helpers import CASE_HANDLER
from .test_dugnads_journey import Words

pytestmark = [pytest.mark.browser]

NAME = "Driftstilskudd for nærmiljøutvalg"
POT = 2_000_000
BASE, RATE = 80_000, 87
# committee slug: (residents, residents aged 0–19)
FIGURES = {"svarstad": (1_100, 210), "kvelde": (2_200, 520), "tjollingvollen": (1_900, 560)}
SOURCE = "SSB, befolkning etter grunnkrets"


def figures_csv(tmp_path, year: int) -> str:
    lines = ["committee;reference_date;age_from;age_to;residents;residents_in_range;source"]
    lines += [
        f"{slug};01.01.{year};0;19;{residents};{young};{SOURCE}"
        for slug, (residents, young) in FIGURES.items()
    ]
    path = tmp_path / f"befolkning-{year}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_formula_grant_in_the_admin(site, tmp_path):
    from agreements.models import PaymentSource
    from committees.models import Department
    from grants.models import (
        Allocation,
        AllocationListState,
        AllocationState,
        GrantScheme,
        PopulationFigure,
    )

    t = Words("nb")
    page = site.page
    year = timezone.localdate().year
    department = Department.objects.get(slug="kultur-og-idrett")

    # 1. The case handler creates this year's formula scheme.
    switch_person(site, CASE_HANDLER)
    site.visit(reverse("admin:grants_grantscheme_add"))
    page.locator("#id_year").fill(str(year))
    page.locator("#id_name").fill(NAME)
    page.locator("#id_kind").select_option(value="formula")
    page.locator("#id_department").select_option(value=str(department.pk))
    page.locator("#id_pot").fill(str(POT))
    page.locator("#id_source").fill(f"Larvik kommune, budsjett {year}")
    page.locator("#id_base_amount").fill(str(BASE))
    page.locator("#id_rate_per_resident").fill(str(RATE))
    page.locator("#id_age_from").fill("0")
    page.locator("#id_age_to").fill("19")
    page.locator("#id_population_date").fill(f"01.01.{year}")
    page.locator("#id_over_pot_rule").select_option(value="pro_rata")
    page.locator("#id_requires_registration").check()
    page.locator("#id_payment_rule").select_option(value="advance")
    page.locator("input[name='_continue']").click()
    site.check()
    scheme = GrantScheme.objects.get(year=year, name=NAME)
    assert scheme.is_formula and (scheme.department, scheme.base_amount) == (department, BASE)
    scheme_page = reverse("admin:grants_grantscheme_change", args=[scheme.pk])

    # 2. The population figures, imported from a CSV file: checked first, then written.
    site.visit(reverse("admin:grants_populationfigure_changelist"))
    page.locator("#import-figures-link").click()
    site.check()
    page.locator("#id_file").set_input_files(figures_csv(tmp_path, year))
    page.locator("#check-import").click()
    site.check()
    report = page.locator("#import-report tbody tr")
    expect(report).to_have_count(len(FIGURES))
    expect(page.locator("#import-report tbody tr[data-outcome='new']")).to_have_count(len(FIGURES))
    assert not PopulationFigure.objects.filter(reference_date__year=year).exists()
    page.locator("#confirm-import").click()
    site.check()
    assert PopulationFigure.objects.filter(reference_date__year=year).count() == len(FIGURES)

    # 3. The allocations, worked out on the scheme's page.
    site.visit(scheme_page)
    run_admin_action(site, "nb", t("Work out allocations"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Work out the allocations"))
    page.get_by_role("button", name=t("Work out"), exact=True).click()
    site.check()
    allocations = {a.committee.slug: a for a in scheme.allocations.select_related("committee")}
    for slug in ("svarstad", "kvelde"):
        young = FIGURES[slug][1]
        assert allocations[slug].state == AllocationState.PROPOSED
        assert allocations[slug].amount == Decimal(BASE + RATE * young)
    reserved = allocations["tjollingvollen"]
    assert reserved.state == AllocationState.RESERVED
    inline = page.locator(".inline-group").filter(has_text="Tjøllingvollen")
    expect(inline).to_contain_text("Frivillighetsregisteret")

    # 4. The list approved: payments for the eligible, none for the reserved.
    run_admin_action(site, "nb", t("Approve the allocation list"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Approve the allocation list"))
    page.get_by_role("button", name=t("Approve"), exact=True).click()
    site.check()
    scheme.refresh_from_db()
    assert scheme.allocation_state == AllocationListState.APPROVED
    # The committees with older figures (the demo's 2023 ones) are on the list too.
    paid_to = set(
        scheme.allocations.filter(state=AllocationState.PAYABLE).values_list(
            "committee__slug", flat=True
        )
    )
    assert {"svarstad", "kvelde"} <= paid_to and "tjollingvollen" not in paid_to
    for slug in paid_to:
        allocation = Allocation.objects.get(scheme=scheme, committee__slug=slug)
        assert allocation.state == AllocationState.PAYABLE
        assert allocation.payment.source == PaymentSource.GRANT
        assert allocation.payment.amount == allocation.amount
    reserved.refresh_from_db()
    assert reserved.payment_id is None

    # 5. The payments marked paid in "Payments due", all at once.
    site.visit(reverse("admin:agreements_payment_changelist"))
    rows = page.locator("#result_list tbody tr").filter(has_text=f"{NAME} {year}")
    expect(rows).to_have_count(len(paid_to))
    run_admin_action(site, "nb", t("Mark paid"), rows=[rows.nth(i) for i in range(len(paid_to))])
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Mark the payments paid"))
    page.get_by_label(t("Paid on")).fill(timezone.localdate().isoformat())
    page.get_by_label(t("Voucher reference")).fill(f"BILAG-DRIFT-{year}")
    page.get_by_role("button", name=t("Mark paid"), exact=True).click()
    site.check()
    for slug in paid_to:
        allocation = Allocation.objects.get(scheme=scheme, committee__slug=slug)
        assert allocation.payment.paid_on == timezone.localdate()

    # 6. The public scheme page: the reserved committee with its reason, the others paid.
    page.context.clear_cookies()
    site.visit(scheme.get_absolute_url())
    row = page.locator("#allocations tr[data-committee='tjollingvollen']")
    expect(row).to_have_attribute("data-state", AllocationState.RESERVED)
    expect(row.locator(".allocation-reason")).to_contain_text("Frivillighetsregisteret")
    for slug in paid_to:
        paid = page.locator(f"#allocations tr[data-committee='{slug}']")
        expect(paid).to_have_attribute("data-state", AllocationState.PAYABLE)
        expect(paid.locator(".allocation-paid")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"{re.escape(scheme.get_absolute_url())}$"))
