"""Grants and the committees' year: schemes with their rules as data, population figures,
formula allocations, applications (paid in advance or afterwards against documentation) and the
associations' annual reports.

Money is paid through the agreements' payment machinery (``agreements.Payment`` with source
``grant``): one work list, one overdue rule, one reminder path for the municipality. A grant's
payment names its committee and department itself (it has no agreement); the allocation or the
application that created it points to it.

Every rule of a scheme — base amount, rate per resident in an age range, eligibility, payment
rule, what to do above the pot, deadlines — is a field here, entered in the admin with its
source, never a literal in code (another municipality runs its own schemes by data alone).
"""

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
from .annual_reports import (
    AnnualReport,
    AnnualReportDocument,
    AnnualReportEvent,
    ElectedBoardMember,
    annual_report_due,
    may_open_annual_report,
)
from .applications import (
    Application,
    ApplicationCounter,
    ApplicationEvent,
    ApplicationPhoto,
    BudgetLine,
)
from .base import (
    MAX_AGE,
    MAX_BUDGET_LINES,
    MAX_COST_LINES,
    MAX_RESIDENTS,
    document_path,
    photo_path,
    receipt_path,
)
from .schemes import Allocation, GrantScheme, PopulationFigure

__all__ = [
    "MAX_AGE",
    "MAX_BUDGET_LINES",
    "MAX_COST_LINES",
    "MAX_RESIDENTS",
    "Allocation",
    "AnnualReport",
    "AnnualReportDocument",
    "AnnualReportEvent",
    "Application",
    "ApplicationCounter",
    "ApplicationEvent",
    "ApplicationPhoto",
    "BudgetLine",
    "ElectedBoardMember",
    "GrantScheme",
    "PopulationFigure",
    "annual_report_due",
    "may_open_annual_report",
    "document_path",
    "photo_path",
    "receipt_path",
]
