"""The proposal reference in a URL (``/forslag/NMU-2026-0001/``), matched exactly.

A reference is made by ``services.transitions._next_reference``: a prefix of letters and digits
(``PROPOSALS["REFERENCE_PREFIX"]``, a setting, so not spelled out here), the year and a number of
at least four digits, at most 20 characters in all (``Proposal.reference``). Anything else
(a NUL byte, which PostgreSQL refuses in a query, 10,000 characters, ``../``) is a 404 from the
URL resolver before a view or the database sees it.
"""

REFERENCE_MAX_LENGTH = 20  # Proposal.reference's max_length


class ReferenceConverter:
    regex = r"[A-Za-z0-9]+-[0-9]{4}-[0-9]{4,}"

    def to_python(self, value: str) -> str:
        if len(value) > REFERENCE_MAX_LENGTH:
            raise ValueError("too long for a reference")  # the resolver answers 404
        return value

    def to_url(self, value: str) -> str:
        return value
