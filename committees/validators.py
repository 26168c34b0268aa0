"""Norwegian organisation numbers (organisasjonsnummer) and their MOD11 check digit."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ORGANISATION_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def organisation_number_check_digit(first_eight: str) -> int | None:
    """The MOD11 check digit for eight digits, or None when no valid digit exists (remainder 1)."""
    if len(first_eight) != 8 or not first_eight.isdigit():
        raise ValueError("Eight digits are needed.")
    remainder = (
        sum(int(d) * w for d, w in zip(first_eight, ORGANISATION_NUMBER_WEIGHTS, strict=True)) % 11
    )
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def is_valid_organisation_number(value: str) -> bool:
    if len(value) != 9 or not value.isdigit():
        return False
    return organisation_number_check_digit(value[:8]) == int(value[8])


def validate_organisation_number(value: str) -> None:
    if not is_valid_organisation_number(value):
        raise ValidationError(
            _("Enter a valid 9-digit organisation number (the check digit does not match)."),
            code="invalid_organisation_number",
        )
