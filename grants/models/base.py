"""Limits and upload paths the grants' models share."""

from ..states import (  # noqa: F401 (the vocabulary, importable from here)
    ANNUAL_REPORT_OWED,
    APPLICATION_EDITABLE,
    PUBLIC_APPLICATION_STATES,
    REPORT_EDITABLE,
    AllocationListState,
    AllocationState,
    AnnualReportState,
    ApplicationState,
    DocumentKind,
    OverPotRule,
    Party,
    PaymentRule,
    PhotoKind,
    SchemeKind,
)

MAX_AGE = 120
MAX_BUDGET_LINES = 30
MAX_COST_LINES = 50
MAX_RESIDENTS = 10_000_000


def _stored_name(folder: str, instance) -> str:
    """Uploads are stored under a random token, never the uploader's file name."""
    return f"grants/{folder}/{instance.token}{instance.extension}"


def receipt_path(instance, filename):
    return _stored_name("receipts", instance)


def photo_path(instance, filename):
    return _stored_name("photos", instance)


def document_path(instance, filename):
    return _stored_name("annual-reports", instance)
