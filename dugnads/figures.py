"""This year's dugnads, hours and their value (committee page and front page)."""


def register() -> None:
    """Placeholder until the figures are written."""
