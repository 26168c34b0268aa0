import pytest
from django.core.exceptions import ValidationError

from committees.validators import (
    is_valid_organisation_number,
    organisation_number_check_digit,
    validate_organisation_number,
)


@pytest.mark.parametrize(
    "number",
    [
        "974760673",  # Brønnøysundregistrene
        "923609016",  # Equinor
        "940192226",
    ],
)
def test_real_organisation_numbers_are_valid(number):
    assert is_valid_organisation_number(number)
    validate_organisation_number(number)


@pytest.mark.parametrize(
    "number",
    ["974760674", "12345678", "1234567890", "97476067a", "", "         "],
)
def test_wrong_check_digit_length_or_characters_are_invalid(number):
    assert not is_valid_organisation_number(number)
    with pytest.raises(ValidationError):
        validate_organisation_number(number)


def test_remainder_zero_gives_check_digit_zero():
    # 3*1 + 2*0 + 7*0 + 6*0 + 5*0 + 4*0 + 3*0 + 2*4 = 11 -> remainder 0 -> 0
    assert organisation_number_check_digit("10000004") == 0
    assert is_valid_organisation_number("100000040")


def test_remainder_one_has_no_valid_check_digit():
    # 3*4 = 12 -> remainder 1: no number with these eight digits is valid
    assert organisation_number_check_digit("40000000") is None
    assert not any(is_valid_organisation_number(f"40000000{d}") for d in range(10))


def test_other_remainders_give_eleven_minus_remainder():
    # 2*1 (last weight) = 2 -> 11 - 2 = 9
    assert organisation_number_check_digit("00000001") == 9
