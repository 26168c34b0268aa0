"""A population import's report in words (``services.figures.ImportReport``): the outcome
labels, each row's line and the summary, written once for ``manage.py import_population`` and
the admin's "Import population figures" page, so the two always say the same."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .services.figures import CHANGED, NEW, REFUSED, UNCHANGED, ImportReport, RowResult

OUTCOME_LABELS = {
    NEW: gettext_lazy("new"),
    CHANGED: gettext_lazy("changed"),
    UNCHANGED: gettext_lazy("unchanged"),
    REFUSED: gettext_lazy("refused"),
}


def outcome_label(outcome: str) -> str:
    return str(OUTCOME_LABELS[outcome])


def row_changes_text(row: RowResult) -> str:
    """What a changed row changes, "name old → new" joined by "; " (empty for the others)."""
    return "; ".join(f"{name} {old} → {new}" for name, old, new in row.changes)


def row_problems_text(row: RowResult) -> str:
    return " ".join(row.problems)


def row_text(row: RowResult) -> str:
    """One line for a row: "Line 3, svarstad 2023-01-01 0–19: changed (residents 1100 → 1200)",
    a refused row's problems after a dash."""
    text = _("Line %(line)s, %(key)s: %(outcome)s") % {
        "line": row.line,
        "key": row.key,
        "outcome": outcome_label(row.outcome),
    }
    if row.changes:
        text += f" ({row_changes_text(row)})"
    if row.problems:
        text += f" – {row_problems_text(row)}"
    return text


def summary_counts(report: ImportReport) -> dict[str, int]:
    return {outcome: report.count(outcome) for outcome in (NEW, CHANGED, UNCHANGED, REFUSED)}


def summary_text(report: ImportReport) -> str:
    """ "2 new, 1 changed, 5 unchanged, 0 refused." """
    return _(
        "%(new)s new, %(changed)s changed, %(unchanged)s unchanged, %(refused)s refused."
    ) % summary_counts(report)


def written_text(report: ImportReport) -> str:
    """What an import that was written did (the admin's message after it)."""
    return _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged") % summary_counts(report)
