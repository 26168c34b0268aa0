"""Helpers for the grants journey (test_grants_journey.py): files to upload (a receipt as a
small valid PDF, a photo), the demo's people and the payment's "Mark paid" in the admin."""

from django.utils import timezone
from playwright.sync_api import expect

from .agreements_helpers import run_admin_action

LEADER = "leder.svarstad@example.no"
CASE_HANDLER = "saksbehandler@example.no"  # Kultur og idrett's: it runs the demo's schemes


def receipt_file(tmp_path, name="kvittering.pdf") -> str:
    """A receipt: a minimal valid one-page PDF (the demo's own maker)."""
    from grants.demo import pdf

    path = tmp_path / name
    path.write_bytes(pdf(name, "Kvittering").read())
    return str(path)


def photo_file(tmp_path, name="etter.jpg") -> str:
    """A photo "after": a small JPEG with a GPS position the portal must remove."""
    from .agreements_helpers import photo_file as jpeg

    return jpeg(tmp_path, name)


def mark_paid_in_payments_due(site, t, language: str, *, reference: str, voucher: str):
    """The case handler marks the grant's payment paid from the admin's "Payments due" list
    (agreements' payment machinery): the row with ``reference``, the action, the day and the
    voucher. The pages are checked."""
    from django.urls import reverse

    page = site.page
    site.visit(reverse("admin:agreements_payment_changelist"))
    row = page.locator("#result_list tbody tr").filter(has_text=reference)
    expect(row).to_have_count(1)
    run_admin_action(site, language, t("Mark paid"), rows=[row])
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Mark the payments paid"))
    page.get_by_label(t("Paid on")).fill(timezone.localdate().isoformat())
    page.get_by_label(t("Voucher reference")).fill(voucher)
    page.get_by_role("button", name=t("Mark paid"), exact=True).click()
    site.check()
