"""The terms of an agreement as one canonical text, and its SHA-256.

A signature records the hash of exactly what the signer saw; the page shows whether the signed
terms are the current ones by comparing hashes. The text is canonical JSON (sorted keys, no
spaces, amounts as decimal strings with two places, dates ISO 8601), so the same terms always
give the same hash — whatever the language, the order of queries or Python's float formatting.

What is in the terms: the parties, title, type, the written terms, the period, the notice and
renewal, every task with its pricing, what the municipality provides, the payment plan (not
payments made from reports, not whether paid) and the report duties' due dates. What is not:
the economic estimates (the municipality's own cost, the committee's own contribution), the
state, the signatures and the timeline.
"""

import hashlib
import json
from decimal import Decimal

from .models import Agreement, PaymentSource

CENT = Decimal("0.01")


def _money(value) -> str:
    return str(Decimal(value).quantize(CENT))


def terms_of(agreement: Agreement) -> dict:
    """The terms as plain data. Reads the tasks, provisions, payments and duties (4 queries, or
    none when they were prefetched)."""
    return {
        "number": agreement.number,
        "committee": {"id": agreement.committee_id, "name": agreement.committee.name},
        "department": {"id": agreement.department_id, "name": agreement.department.name},
        "title": agreement.title,
        "kind": agreement.kind,
        "terms": agreement.terms,
        "starts_on": agreement.starts_on.isoformat(),
        "ends_on": agreement.ends_on.isoformat(),
        "notice_months": agreement.notice_months,
        "renewal": agreement.renewal,
        "tasks": [
            {
                "kind": task.kind,
                "description": task.description,
                "locations": task.location_list,
                "season": task.season,
                "frequency": task.frequency,
                "hours_per_year": str(Decimal(task.hours_per_year).quantize(Decimal("0.1"))),
                "pricing": task.pricing,
                "amount": _money(task.amount),
                "occasions_per_year": task.occasions_per_year,
            }
            for task in sorted(agreement.tasks.all(), key=lambda t: (t.position, t.pk))
        ],
        "provisions": [
            {
                "kind": provision.kind,
                "description": provision.description,
                "value_per_year": _money(provision.value_per_year),
            }
            for provision in sorted(agreement.provisions.all(), key=lambda p: p.pk)
        ],
        "payment_plan": [
            {"due_on": payment.due_on.isoformat(), "amount": _money(payment.amount)}
            for payment in sorted(agreement.payments.all(), key=lambda p: (p.due_on, p.pk))
            if payment.source == PaymentSource.PLAN and not payment.cancelled
        ],
        "report_duties": [
            {"title": duty.title, "due_on": duty.due_on.isoformat()}
            for duty in sorted(agreement.report_duties.all(), key=lambda d: (d.due_on, d.pk))
        ],
    }


def canonical_terms(agreement: Agreement) -> str:
    return json.dumps(
        terms_of(agreement), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def terms_hash(agreement: Agreement) -> str:
    """The SHA-256 (hex) of the canonical terms."""
    return hashlib.sha256(canonical_terms(agreement).encode("utf-8")).hexdigest()
