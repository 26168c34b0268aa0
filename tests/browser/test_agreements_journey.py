"""The agreements journey (issue 12, "Prove it"): the case handler of Kultur og idrett turns
Svarstad's accepted proposal to raise the flag into a draft agreement from the proposal's page,
gives it its period, a payment plan and a yearly report duty in the admin, and sends it for
signing; the Svarstad leader signs, re-entering the password; the case handler signs for the
municipality in the admin; the public agreement page shows the economic picture with its chart
and table; the leader reports the hours with a photo; the case handler approves the report and
marks the first instalment paid; the committee page and the proposal's own page show it all.
The whole journey runs twice: in Norwegian, and in English (the two people prefer English, the
visitor chooses it with the header's switch; the amounts are "NOK 6,000").

axe-core runs on every page visited, the admin's included (``site.check``). The demo's own draft
from the same proposal is deleted first, so the case handler drafts it afresh.

The agreements' words are new and translated at the end of the issue, so the test finds them by
their English text run through gettext in the page's language (``Words``), as the dugnads
journey does.
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from core.formatting import money_exact

from .agreements_helpers import (
    admin_date,
    django_words,
    expect_admin_message,
    expect_chart_drawn,
    known_reflow_gap,
    photo_file,
    run_admin_action,
)
from .conftest import switch_person
from .test_dugnads_journey import Words, in_language, kroner

pytestmark = [pytest.mark.browser]

LEADER = "leder.svarstad@example.no"
CASE_HANDLER = "saksbehandler@example.no"  # Kultur og idrett's, who may sign for it (the demo)
PASSWORD = "demo-nmu-2026"
DEPARTMENT = "Kultur og idrett"
PROPOSAL_TITLE = "Kan ikke vi ta over noen av kommunens oppgaver? Flaggheising i Svarstad"
TITLE = "Flaggheising i Svarstad"
COMPENSATION = 6_000  # the proposal's yearly compensation, the draft's fixed yearly sum
MUNICIPAL_COST = 9_000
REPORT_TITLE = "Årsrapport"
HOURS = 7
VOUCHER = "BILAG-2026-0999"
CAPTION = "Flagget til topps på flaggstanga ved Svarstad sentrum"

# KNOWN GAP (a bug in others' files, reported; the exemption is strict, see known_reflow_gap):
# the municipality's signing page in the admin (/admin/agreements/agreement/<pk>/signer/) is
# 745 px wide at 320 px: the terms' and signatures' tables and the SHA-256 do not reflow in the
# admin's frame as they do on the committee's signing page (WCAG 1.4.10).


@pytest.fixture
def people_in(site, request):
    """The journey's language: the case handler and the leader prefer it (their pages are in it
    once they are logged in, the admin's too); the visitor chooses it with the header's switch."""
    from django.contrib.auth import get_user_model

    language = request.param
    get_user_model().objects.filter(email__in=[LEADER, CASE_HANDLER]).update(
        preferred_language=language
    )
    return language


@pytest.mark.parametrize("people_in", ["nb", "en"], indirect=True)
def test_agreement_from_proposal_to_signed_reported_and_paid(site, people_in, tmp_path):
    from agreements.models import Agreement, DutyState, Payment, State
    from core.deadlines import add_months
    from proposals.models import Proposal
    from proposals.states import State as ProposalState

    language = people_in
    t = Words(language)
    page = site.page
    proposal = Proposal.objects.get(title=PROPOSAL_TITLE)
    # The demo drafted and half signed this one: the case handler drafts it afresh.
    Agreement.objects.filter(origin_proposal=proposal).delete()
    today = timezone.localdate()
    starts = today - datetime.timedelta(days=30)
    ends = add_months(starts, 12) - datetime.timedelta(days=1)
    report_due = today + datetime.timedelta(days=60)

    # 1. The case handler drafts the agreement from the proposal's page ("Lag avtaleutkast").
    switch_person(site, CASE_HANDLER)
    expect(page.locator("html")).to_have_attribute("lang", language)
    site.visit(proposal.get_absolute_url())
    draft_form = page.locator("#proposal-agreement")
    department = draft_form.get_by_label(t("Municipal department"))
    if department.count():  # the proposal has no department of its own: the form asks
        department.select_option(label=DEPARTMENT)
    draft_form.get_by_role("button", name=t("Make a draft agreement")).click()
    site.check()
    agreement = Agreement.objects.get(origin_proposal=proposal)
    expect(page).to_have_url(re.compile(rf"/admin/agreements/agreement/{agreement.pk}/change/$"))
    assert agreement.state == State.DRAFT
    task = agreement.tasks.get()
    assert task.amount == COMPENSATION  # pre-filled from the proposal
    expect(page.locator("#id_tasks-0-amount")).to_have_value(f"{COMPENSATION}.00")

    # Its title, period and the municipality's own cost; a yearly report duty.
    page.get_by_label(t("Title")).fill(TITLE)
    page.locator("#id_starts_on").fill(admin_date(starts, language))
    page.locator("#id_ends_on").fill(admin_date(ends, language))
    page.locator("#id_municipal_cost_per_year").fill(str(MUNICIPAL_COST))
    page.locator("#id_municipal_cost_basis").fill(
        "20 flaggdager × 1 time × 450 kr, kjøring fra Larvik"
    )
    duties = page.locator("#report_duties-group")
    duties.locator("a.addlink").click()
    duties.locator("#id_report_duties-0-title").fill(REPORT_TITLE)
    duties.locator("#id_report_duties-0-due_on").fill(admin_date(report_due, language))
    page.get_by_role("button", name=django_words(language, "Save and continue editing")).click()
    site.check()
    agreement.refresh_from_db()
    assert (agreement.title, agreement.starts_on, agreement.ends_on) == (TITLE, starts, ends)
    duty = agreement.report_duties.get()
    assert (duty.title, duty.due_on) == (REPORT_TITLE, report_due)

    # The payment plan from the task's pricing: the yearly sum over the period's years.
    run_admin_action(site, language, t("Generate the payment plan"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Generate the payment plan"))
    page.get_by_label(t("Instalments per year")).select_option(label=t("One (yearly)"))
    page.get_by_role("button", name=t("Generate"), exact=True).click()
    site.check()
    expect(page).to_have_url(re.compile(rf"/admin/agreements/agreement/{agreement.pk}/change/$"))
    expect_admin_message(page, t("A payment plan was generated for %(count)d agreement.", count=1))
    plan = list(agreement.payments.order_by("due_on"))
    assert plan and sum(p.amount for p in plan) == COMPENSATION
    expect(page.locator("#payments-group tbody tr.has_original")).to_have_count(len(plan))

    # Sent for signing.
    run_admin_action(site, language, t("Send for signing"))
    expect_admin_message(page, t("%(count)d agreement sent for signing.", count=1))
    agreement.refresh_from_db()
    assert agreement.state == State.SENT
    number = agreement.number
    agreement_path = agreement.get_absolute_url()
    assert agreement_path == f"/avtaler/{number}/"

    # 2. The Svarstad leader signs for the committee, re-entering the password.
    switch_person(site, LEADER)
    site.visit(agreement_path)
    expect(page.locator("#unsigned-notice")).to_be_visible()
    page.get_by_role("link", name=t("Sign for the committee")).click()
    site.check()
    expect(page).to_have_url(re.compile(rf"{agreement_path}signer/$"))
    shown_hash = page.locator("#shown-hash").inner_text()
    sign(site, t, party="committee")
    expect(page).to_have_url(re.compile(rf"{agreement_path}$"))
    expect(
        page.get_by_text(t("You have signed agreement %(number)s.", number=number))
    ).to_be_visible()
    agreement.refresh_from_db()
    assert agreement.state == State.SIGNED_COMMITTEE
    signature = agreement.signatures.get(party="committee", voided_at=None)
    assert signature.terms_sha256 == shown_hash

    # 3. The case handler signs for the municipality, from the agreement's page in the admin.
    switch_person(site, CASE_HANDLER)
    site.visit(reverse("admin:agreements_agreement_change", args=[agreement.pk]))
    with known_reflow_gap(site):
        page.locator("#sign-for-municipality").click()
        site.check()
        expect(page.locator("#shown-hash")).to_have_text(shown_hash)  # the same terms
        sign(site, t, party="municipality", check=False)
    site.check()
    expect(page).to_have_url(re.compile(rf"/admin/agreements/agreement/{agreement.pk}/change/$"))
    expect_admin_message(page, t("You have signed agreement %(number)s.", number=number))
    agreement.refresh_from_db()
    # Both have signed and its first day has come: in force at once.
    assert agreement.state == State.ACTIVE
    assert agreement.signed_at is not None

    # 4. The public page, logged out: the economic picture as a table and a chart.
    page.context.clear_cookies()
    site.visit(agreement_path)
    in_language(site, t)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#agreement-state")).to_have_text(label(State.ACTIVE, language))
    expect(page.locator("#unsigned-notice")).to_have_count(0)
    economics = page.get_by_role("region", name=t("The economic picture"))
    money = economics.get_by_role("table", name=t("Money per year"))
    expect(money.locator("#economics-compensation td").last).to_have_text(
        kroner(COMPENSATION, language)
    )
    expect(money.locator("#economics-cost td").last).to_have_text(kroner(MUNICIPAL_COST, language))
    expect(money.locator("#economics-net td").last).to_have_text(
        kroner(MUNICIPAL_COST - COMPENSATION, language)
    )
    expect(economics.get_by_role("table", name=t("Hours per year"))).to_be_visible()
    expect_chart_drawn(page, "canvas[data-economics-chart=money]")
    expect_chart_drawn(page, "canvas[data-economics-chart=hours]")
    hours_reported = economics.locator("#economics-hours-reported td").last
    expect(hours_reported).to_have_text("0")

    # 5. The leader reports the hours, with a photo.
    switch_person(site, LEADER)
    site.visit(agreement_path)
    reports = page.get_by_role("region", name=t("Reports"))
    reports.get_by_role("link", name=t("Write the report")).click()
    site.check()
    expect(page).to_have_url(re.compile(rf"{agreement_path}rapport/{duty.pk}/$"))
    page.get_by_label(t("What was done"), exact=True).fill(
        "Flagget er heist og tatt ned på alle flaggdagene siden avtalen startet."
    )
    line = page.get_by_role("group", name=t("Line %(n)d", n=1))
    line.get_by_label(t("Task"), exact=True).select_option(index=1)
    line.get_by_label(t("Date"), exact=True).fill((today - datetime.timedelta(days=3)).isoformat())
    line.get_by_label(t("Hours"), exact=True).fill(str(HOURS))
    page.get_by_label(starting(t("Photo %(n)d", n=1))).set_input_files(photo_file(tmp_path))
    page.get_by_label(starting(t("What photo %(n)d shows", n=1))).fill(CAPTION)
    page.get_by_role("button", name=t("Send the report")).click()
    site.check()
    expect(page).to_have_url(re.compile(rf"{agreement_path}#report-duties$"))
    expect(
        page.get_by_text(t("Thank you! The report has been sent to the municipality."))
    ).to_be_visible()
    duty.refresh_from_db()
    assert duty.state == DutyState.SUBMITTED
    assert duty.photos.count() == 1

    # 6. The case handler approves the report, then marks the first instalment paid.
    switch_person(site, CASE_HANDLER)
    site.visit(reverse("admin:agreements_reportduty_changelist"))
    row = page.locator("#result_list tbody tr").filter(has_text=number)
    expect(row).to_have_count(1)
    run_admin_action(site, language, t("Approve report"), rows=[row])
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Approve the reports"))
    page.get_by_role("button", name=t("Approve"), exact=True).click()
    site.check()
    expect_admin_message(page, t("%(count)d report approved.", count=1))
    duty.refresh_from_db()
    assert duty.state == DutyState.APPROVED

    first = Payment.objects.filter(agreement=agreement).order_by("due_on", "pk").first()
    site.visit(reverse("admin:agreements_payment_changelist"))
    row = page.locator("#result_list tbody tr").filter(has_text=number)
    row = row.filter(has_text=first.description) if first.description else row
    expect(row.first).to_be_visible()
    run_admin_action(site, language, t("Mark paid"), rows=[row.first])
    page.get_by_label(t("Paid on")).fill(today.isoformat())
    page.get_by_label(t("Voucher reference")).fill(VOUCHER)
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Mark the payments paid"))
    page.get_by_role("button", name=t("Mark paid"), exact=True).click()
    site.check()
    expect_admin_message(page, t("%(count)d payment marked paid.", count=1))
    first.refresh_from_db()
    assert (first.paid_on, first.voucher) == (today, VOUCHER)

    # The agreement's page: the hours approved, the instalment paid.
    site.visit(agreement_path)
    economics = page.get_by_role("region", name=t("The economic picture"))
    expect(economics.locator("#economics-hours-reported td").last).to_have_text(str(HOURS))
    paid = kroner(first.amount.quantize(Decimal(1), rounding=ROUND_HALF_UP), language)
    expect(economics.locator("#economics-paid td").last).to_have_text(paid)
    # The approved report, with its hours and its photo (the photo is public from now on).
    reports = page.get_by_role("region", name=t("Reports"))
    expect(reports.locator(f"[data-duty='{duty.pk}']")).to_have_attribute(
        "data-state", DutyState.APPROVED
    )
    reports.get_by_role("link", name=REPORT_TITLE).click()
    site.check()
    expect(page.locator("#report-state")).to_have_attribute("data-state", DutyState.APPROVED)
    expect(page.locator("#report-hours-total")).to_have_text(str(HOURS))
    photo = page.locator("#report-photos img")
    expect(photo).to_have_attribute("alt", CAPTION)
    photo_url = photo.get_attribute("src")

    # 7. The committee page: the leader's workspace has the agreement in force, its report
    # approved (none due), the next instalment expected; everyone sees it there, signed.
    second = Payment.objects.filter(agreement=agreement, paid_on=None).order_by("due_on").first()
    switch_person(site, LEADER)
    site.visit(agreement.committee.get_absolute_url())
    listed = committee_row(page, t, number)
    expect(listed.locator(".agreement-state")).to_have_text(label(State.ACTIVE, language))
    expect(listed.locator("[data-deadline=report]")).to_have_count(0)
    # The instalment itself, to the øre (core.formatting.money_exact): what will be paid.
    with translation.override(language):
        expected = money_exact(second.amount)
    expect(listed.locator("[data-deadline=payment]")).to_contain_text(expected)
    page.context.clear_cookies()
    shown = page.request.get(site.base_url + photo_url)
    assert shown.status == 200 and shown.headers["content-type"] == "image/jpeg"
    site.visit(agreement_path)
    in_language(site, t)
    public_photo = page.locator(f"#report-duties ul[aria-labelledby='report-photos-{duty.pk}'] img")
    expect(public_photo).to_have_attribute("alt", CAPTION)
    expect(public_photo).to_have_attribute("src", photo_url)
    site.visit(agreement.committee.get_absolute_url())
    listed = committee_row(page, t, number)
    expect(listed.locator(".agreement-state")).to_have_text(label(State.ACTIVE, language))

    # The committee's figures: its signed agreements rolled up (this is Svarstad's only one).
    page.locator("#committee-agreements-all").click()
    site.check()
    expect(page).to_have_url(re.compile(r"/avtaler/\?utvalg=svarstad$"))
    rollup = page.locator("#list-rollup")
    expect(rollup.locator("#list-rollup-agreements td").last).to_have_text("1")
    expect(rollup.locator("#list-rollup-compensation td").last).to_have_text(
        kroner(COMPENSATION, language)
    )
    expect(rollup.locator("#list-rollup-paid td").last).to_have_text(paid)
    expect(rollup.locator("#list-rollup-hours-reported td").last).to_have_text(str(HOURS))
    expect_chart_drawn(page, "#list-rollup canvas[data-economics-chart=money]")

    # From the agreement to the proposal it came from.
    page.locator(f"[data-number='{number}']").get_by_role("link", name=TITLE).click()
    site.check()
    expect(page).to_have_url(re.compile(rf"{agreement_path}$"))
    page.get_by_role("link", name=proposal.reference).click()
    site.check()
    expect(page).to_have_url(re.compile(rf"/forslag/{proposal.reference}/$"))
    became = page.locator("#proposal-agreement")
    expect(became).to_contain_text(t("This proposal became the agreement"))
    expect(became.get_by_role("link")).to_have_attribute("href", agreement_path)
    timeline = page.locator("section[aria-labelledby=timeline-heading]")
    expect(timeline).to_contain_text(
        t(
            "Agreement %(number)s “%(title)s” has been signed by both parties.",
            number=number,
            title=TITLE,
        )
    )
    # The agreement is in force: the proposal's case is done.
    expect(page.locator(".page-head .proposal-state")).to_have_text(
        label(ProposalState.COMPLETED, language)
    )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.COMPLETED


def committee_row(page, t, number):
    """The agreement's row in the committee page's "Agreements" section."""
    section = page.get_by_role("region", name=t("Agreements"), exact=True)
    listed = section.locator(f"[data-number='{number}']")
    expect(listed).to_contain_text(TITLE)
    return listed


def starting(text: str) -> re.Pattern:
    """A label that starts with ``text`` (a note after it: "(optional)", "(required with…)")."""
    return re.compile(rf"^{re.escape(text)}\b")


def label(choice, language: str) -> str:
    """A choice's label (a state's name) in ``language``."""
    with translation.override(language):
        return str(choice.label)


def sign(site, t, *, party: str, check: bool = True):
    """The signing form (the committee's page or the admin's): the role as offered, the
    password again, the box ticked, "Sign"."""
    page = site.page
    form = page.locator("#sign-form")
    confirm = {
        "committee": "I have read the terms and sign on behalf of the committee",
        "municipality": "I have read the terms and sign on behalf of the municipality",
    }[party]
    form.get_by_label(t("Your password")).fill(PASSWORD)
    form.get_by_label(t(confirm)).check()
    form.get_by_role("button", name=t("Sign"), exact=True).click()
    if check:
        site.check()
