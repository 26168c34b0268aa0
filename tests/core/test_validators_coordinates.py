"""Latitude and longitude: one rule and one message per axis (``core.validators``), used by the
proposal form's coordinate fields.

The finding: ``nan`` as a latitude or longitude was a 500 (comparing a Decimal NaN raises), and
``inf`` was refused only by Django's generic check. Every value that is not a finite number in
range now gets the form back with the axis's own message.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.validators import (
    LATITUDE,
    LONGITUDE,
    coordinate_problems,
    validate_latitude,
    validate_longitude,
)
from tests.factories import proposal_form_data

NOT_NUMBERS = ["nan", "NaN", "-nan", "sNaN", "inf", "-inf", "Infinity", "1e309", "nord", "1,2,3"]
AXES = [(LATITUDE, "latitude"), (LONGITUDE, "longitude")]


@pytest.mark.parametrize(("axis", "_name"), AXES)
@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_what_is_not_a_finite_number_is_refused(axis, _name, value):
    assert coordinate_problems(value, axis=axis) == [axis.message]


@pytest.mark.parametrize(("axis", "_name"), AXES)
@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_a_decimal_that_is_not_a_number_is_refused(axis, _name, value):
    assert coordinate_problems(Decimal(value), axis=axis) == [axis.message]


@pytest.mark.parametrize(("axis", "_name"), AXES)
def test_the_range_is_inclusive_and_one_step_past_it_is_refused(axis, _name):
    limit = axis.limit
    for fine in (limit, -limit, f"{limit}.00000", "0", "-0", "1e-400", None, ""):
        assert coordinate_problems(fine, axis=axis) == [], fine
    for past in (f"{limit}.00001", f"-{limit}.00001", "99999999999999999999"):
        assert coordinate_problems(past, axis=axis) == [axis.message], past


def test_the_limits_are_those_of_the_earth():
    assert (LATITUDE.limit, LONGITUDE.limit) == (90, 180)


@pytest.mark.parametrize(
    ("validator", "axis", "code"),
    [(validate_latitude, LATITUDE, "latitude"), (validate_longitude, LONGITUDE, "longitude")],
)
def test_the_validators_raise_the_axis_message(validator, axis, code):
    validator(Decimal("59.39670"))
    with pytest.raises(ValidationError) as error:
        validator(Decimal("NaN"))
    assert error.value.code == code
    assert error.value.messages == [str(axis.message)]


def test_the_messages_in_norwegian():
    with translation.override("nb"):
        assert str(LATITUDE.message) == (
            "Breddegraden må være mellom -90 og 90, for eksempel 59.39670."
        )
        assert str(LONGITUDE.message) == (
            "Lengdegraden må være mellom -180 og 180, for eksempel 9.96810."
        )


# --- The proposal form uses the rule ----------------------------------------------------------


def _draft(committee, **fields):
    return proposal_form_data(committee, **fields)


@pytest.mark.django_db
@pytest.mark.parametrize(("axis", "name"), AXES)
@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_the_proposal_form_refuses_it_with_the_axis_message(committee, axis, name, value):
    from proposals.forms import ProposalForm

    form = ProposalForm(_draft(committee, **{name: value}), existing_count=0)
    assert not form.is_valid()
    assert form.errors[name] == [str(axis.message)]


@pytest.mark.django_db
@pytest.mark.parametrize(("_axis", "name"), AXES)
@pytest.mark.parametrize("value", ["nan", "inf", "-Infinity"])
def test_the_draft_page_comes_back_with_the_message(committee, resident, _axis, name, value):
    """Posted as a resident would: 400 with the Norwegian message next to the field, not 500."""
    client = Client(raise_request_exception=False)
    client.force_login(resident)
    with translation.override("nb"):
        response = client.post(
            reverse("proposals:proposal-create"), _draft(committee, **{name: value})
        )
    assert response.status_code == 400
    message = {
        "latitude": "Breddegraden må være mellom -90 og 90, for eksempel 59.39670.",
        "longitude": "Lengdegraden må være mellom -180 og 180, for eksempel 9.96810.",
    }[name]
    assert message in response.content.decode()


@pytest.mark.django_db
def test_a_good_position_is_still_rounded_to_five_decimals(committee):
    from proposals.forms import ProposalForm

    form = ProposalForm(
        _draft(committee, latitude="59,396701234", longitude="9.9681"), existing_count=0
    )
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["latitude"], form.cleaned_data["longitude"]) == (
        Decimal("59.39670"),
        Decimal("9.96810"),
    )
