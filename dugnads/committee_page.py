"""Dugnads' sections on the committee page (``committees.sections.committee_page``)."""


def register() -> None:
    """Placeholder until the section is written."""
