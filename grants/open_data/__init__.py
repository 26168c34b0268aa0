"""Open data: the figures and the public registers as CSV and JSON anyone may download and reuse
under the Norwegian Licence for Open Government Data (NLOD 2.0). The schema is docs/open-data.md.

Each dataset is declared once here — its slug, title, description, the public rows (the owning
app's own rule for what is public: ``Proposal.objects.published`` through the public list's
selector, ``Dugnad.objects.public``, ``Agreement.objects.public``; a grant's payment once paid)
and its fields. A field is a ``core.export.Column`` with a stable ``name``, a ``type`` and a
``description``, so one declaration makes the CSV (``core.export.csv_response``, streamed), the
JSON (streamed too) and the schema on the "Åpne data" page, and they cannot disagree.

What a field holds is the same in both files: codes, never translated labels (``status`` is
``active``, not "Aktiv"; the page lists each code's meaning); decimals as text with a dot
(``12000.00``, exact); dates ``YYYY-MM-DD``; times ISO 8601 with the offset, in the portal's time
zone; nothing (JSON ``null``, an empty CSV cell) when there is no value.

No personal data: no field names a person, an address or a phone number, and no row is one that
is not public. Free text written by residents (a proposal's title and description) is left out,
as it may name people. A download is a fixed number of queries however many rows, read with a
server-side cursor (``iterator``), so memory does not grow with the rows.
"""

from .datasets import (
    AGREEMENTS,
    COMMITTEES,
    DATASETS,
    DUGNADS,
    GRANTS_PAID,
    KEY_FIGURES,
    PROPOSALS,
    dataset_get,
)
from .rows import committee_rows, proposal_outcome
from .schema import (
    CHUNK,
    FORMATS,
    LICENCE,
    SCHEMA_VERSION,
    TYPES,
    Dataset,
    Field,
    encode,
    field_of,
    json_lines,
)

__all__ = [
    "AGREEMENTS",
    "CHUNK",
    "COMMITTEES",
    "DATASETS",
    "DUGNADS",
    "FORMATS",
    "GRANTS_PAID",
    "KEY_FIGURES",
    "LICENCE",
    "PROPOSALS",
    "SCHEMA_VERSION",
    "TYPES",
    "Dataset",
    "Field",
    "committee_rows",
    "dataset_get",
    "encode",
    "field_of",
    "json_lines",
    "proposal_outcome",
]
