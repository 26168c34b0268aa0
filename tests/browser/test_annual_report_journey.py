"""The committees' year (issue 13, annual reporting), on the demo's data (grants.demo):

1. the Kvelde leader, whose report for last year is still open and overdue, finds it from the
   committee's page, tries to send it empty (the page says what is missing), uploads the four
   documents of the checklist (minutes of the annual meeting, annual report, accounts, budget),
   writes the day of the annual meeting and the board it elected for two years (the leader
   re-elected and a new board member without an account), and sends it;
2. the case handler approves it in the admin;
3. the leader sees the offer to apply the elected board, opens the preview (what changes,
   person by person), confirms it: the new member is invited by e-mail, the leader stays
   leader with the new term.

Then, in English, the Stavern leader's returned report shows the municipality's comment.

axe-core, the CSP and the 320 px reflow are checked on every page visited (``site.check``).
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from .agreements_helpers import run_admin_action
from .conftest import switch_person
from .grants_helpers import CASE_HANDLER, receipt_file
from .test_dugnads_journey import Words, in_language

pytestmark = [pytest.mark.browser]

LEADER = "leder.kvelde@example.no"
LEADER_NAME = "Kjell Kvelde"
NEW_MEMBER = ("Nora Nyvalgt", "nora.nyvalgt@example.no")


def test_annual_report_journey_in_norwegian(site, tmp_path):
    from committees.models import BoardInvitation, Role
    from grants.models import AnnualReport, AnnualReportState, DocumentKind

    t = Words("nb")
    page = site.page
    year = timezone.localdate().year - 1
    report = AnnualReport.objects.get(committee__slug="kvelde", year=year)
    assert report.state == AnnualReportState.OPEN

    # 1. The leader finds the report from the committee's page.
    switch_person(site, LEADER)
    site.visit(report.committee.get_absolute_url())
    section = page.locator(f"#annual-report-section [data-year='{year}']")
    expect(section).to_have_attribute("data-state", AnnualReportState.OPEN)
    section.get_by_role("link").click()
    site.check()
    expect(page).to_have_url(re.compile(rf"{re.escape(report.get_absolute_url())}$"))
    expect(page.locator("#annual-report-state")).to_have_attribute(
        "data-state", AnnualReportState.OPEN
    )

    # Sending it empty: refused, and the page says what is missing.
    page.locator("#submit-report").click()
    site.check()
    expect(page.locator(".error-summary")).to_be_visible()
    report.refresh_from_db()
    assert report.state == AnnualReportState.OPEN

    # The four documents, one at a time.
    for kind in DocumentKind:
        page.locator("#id_kind").select_option(value=kind.value)
        page.locator("#id_file").set_input_files(receipt_file(tmp_path, f"{kind.value}.pdf"))
        page.locator("#upload-document").click()
        site.check()
        expect(page.locator(f"#checklist tr[data-kind='{kind.value}']")).to_contain_text(
            f"{kind.value}.pdf"
        )
    assert report.documents.count() == len(DocumentKind)

    # The annual meeting and the board it elected.
    meeting_on = timezone.localdate() - datetime.timedelta(days=20)
    term_ends_on = datetime.date(meeting_on.year + 2, 3, 31)
    page.locator("#id_meeting_on").fill(meeting_on.isoformat())
    rows = [(LEADER_NAME, LEADER, Role.LEADER), (*NEW_MEMBER, Role.BOARD_MEMBER)]
    for index, (name, email, role) in enumerate(rows):
        page.locator(f"#id_elected-{index}-name").fill(name)
        page.locator(f"#id_elected-{index}-email").fill(email)
        page.locator(f"#id_elected-{index}-role").select_option(value=role)
        page.locator(f"#id_elected-{index}-term_ends_on").fill(term_ends_on.isoformat())
    page.locator("#save-board").click()
    site.check()
    report.refresh_from_db()
    assert report.meeting_on == meeting_on
    assert sorted(report.elected.values_list("name", "role")) == sorted(
        (name, role) for name, _email, role in rows
    )

    # Everything is there: send it.
    expect(page.locator("#missing")).to_have_count(0)
    page.locator("#submit-report").click()
    site.check()
    expect(page.locator("#annual-report-state")).to_have_attribute(
        "data-state", AnnualReportState.SUBMITTED
    )
    expect(page.locator("#upload-form")).to_have_count(0)  # read-only once sent

    # 2. The case handler approves it in the admin.
    switch_person(site, CASE_HANDLER)
    site.visit(reverse("admin:grants_annualreport_change", args=[report.pk]))
    run_admin_action(site, "nb", t("Approve annual report"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Approve the annual reports"))
    page.get_by_role("button", name=t.p("annual report", "Approve"), exact=True).click()
    site.check()
    report.refresh_from_db()
    assert report.state == AnnualReportState.APPROVED

    # 3. The leader applies the elected board: the preview, then the confirmation.
    switch_person(site, LEADER)
    site.visit(report.get_absolute_url())
    page.locator("#apply-board-link").click()
    site.check()
    changes = page.locator("#board-changes tbody tr")
    # The leader is re-elected with a new term; the new member has no account yet.
    expect(changes.filter(has_text=LEADER_NAME)).to_have_attribute("data-action", "change")
    expect(changes.filter(has_text=NEW_MEMBER[0])).to_have_attribute("data-action", "invite")
    page.locator("#confirm-apply-board").click()
    site.check()
    expect(page).to_have_url(re.compile(rf"{re.escape(report.get_absolute_url())}$"))
    expect(page.locator("#board-applied")).to_be_visible()
    expect(page.locator("#apply-board-link")).to_have_count(0)
    report.refresh_from_db()
    assert report.board_applied_at is not None
    invitation = BoardInvitation.objects.get(
        committee=report.committee, email__iexact=NEW_MEMBER[1]
    )
    assert invitation.role == Role.BOARD_MEMBER
    leader = report.committee.memberships.current().get(user__email=LEADER)
    assert (leader.role, leader.term_end) == (Role.LEADER, term_ends_on)


def test_returned_annual_report_in_english(site):
    """The Stavern leader, in English: the returned report with the municipality's comment,
    and the documents still there to correct."""
    from grants.demo import RETURN_COMMENT
    from grants.models import AnnualReport, AnnualReportState

    t = Words("en")
    page = site.page
    report = AnnualReport.objects.get(committee__slug="stavern", year=timezone.localdate().year - 1)
    assert report.state == AnnualReportState.RETURNED
    switch_person(site, "leder.stavern@example.no")
    site.visit(report.get_absolute_url())
    in_language(site, t)  # the header's switch
    expect(page.locator("#return-comment")).to_contain_text(RETURN_COMMENT)
    expect(page.locator("#upload-form")).to_be_visible()
    expect(page.locator("#submit-report")).to_be_visible()
