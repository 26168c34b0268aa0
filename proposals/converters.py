"""The proposal reference in a URL (``/forslag/NMU-2026-0001/``), matched exactly.

A reference is made by ``services.transitions._next_reference``: a prefix of letters and digits
(``PROPOSALS["REFERENCE_PREFIX"]``, a setting, so not spelled out here), the year and a number of
at least four digits, at most 20 characters in all (``Proposal.reference``). Anything else
(a NUL byte, which PostgreSQL refuses in a query, 10,000 characters, ``../``) is a 404 from the
URL resolver before a view or the database sees it.
"""

from core.converters import YearReferenceConverter

REFERENCE_MAX_LENGTH = 20  # Proposal.reference's max_length


class ReferenceConverter(YearReferenceConverter):
    min_digits = 4
    max_length = REFERENCE_MAX_LENGTH
