"""A year-numbered reference in a URL (``NMU-2026-0001``, ``AVT-2026-001``), matched exactly.

References are made from ``core.models.YearCounter``: a prefix of letters and digits, the year,
and a number of at least ``min_digits`` digits, at most ``max_length`` characters in all.
Anything else (a NUL byte, which PostgreSQL refuses in a query, 10,000 characters, ``../``) is a
404 from the URL resolver before a view or the database sees it. An app subclasses it with its
own limits and registers it under its own name.
"""


class YearReferenceConverter:
    min_digits = 4
    max_length = 20

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.regex = rf"[A-Za-z0-9]+-[0-9]{{4}}-[0-9]{{{cls.min_digits},}}"

    regex = r"[A-Za-z0-9]+-[0-9]{4}-[0-9]{4,}"

    def to_python(self, value: str) -> str:
        if len(value) > self.max_length:
            raise ValueError("too long for a reference")  # the resolver answers 404
        return value

    def to_url(self, value: str) -> str:
        return value
