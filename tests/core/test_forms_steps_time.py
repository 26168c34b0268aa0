"""core.forms' time input, coordinate field and step message form, and core.steps'
step_page_texts: the pieces a step page and a form with a time and a position share (the
proposals' case pages and the dugnads' organiser pages)."""

import datetime
from decimal import Decimal

from django import forms
from django.utils import translation

from core.forms import CoordinateField, StepMessageForm, TimeInput
from core.steps import Step, StepTable, step_page_texts
from core.validators import LATITUDE
from proposals.models import State


class _TimeForm(forms.Form):
    at = forms.TimeField(widget=TimeInput())


def test_the_time_input_is_the_browsers_24_hour_picker():
    form = _TimeForm(initial={"at": datetime.time(9, 5)})
    html = str(form["at"])
    assert 'type="time"' in html and 'value="09:05"' in html
    bound = _TimeForm({"at": "18:30"})
    assert bound.is_valid() and bound.cleaned_data["at"] == datetime.time(18, 30)
    assert not _TimeForm({"at": "25:00"}).is_valid()
    assert not _TimeForm({"at": "\x00"}).is_valid()


class _PlaceForm(forms.Form):
    latitude = CoordinateField(axis=LATITUDE)


def test_the_coordinate_field_rounds_accepts_a_comma_and_refuses_nan():
    form = _PlaceForm({"latitude": "59,0396123"})
    assert form.is_valid() and form.cleaned_data["latitude"] == Decimal("59.03961")
    for bad in ("nan", "inf", "91", "abc", "\x00"):
        form = _PlaceForm({"latitude": bad})
        assert not form.is_valid()
        assert form.errors["latitude"] == [str(LATITUDE.message)]


def test_the_step_message_form_takes_the_steps_label_requirement_and_limit():
    class Short(StepMessageForm):
        message_max_length = 10

    form = Short({"message": ""}, label="Why", required=True, required_message="Say why.")
    assert not form.is_valid() and form.errors["message"] == ["Say why."]
    assert form.fields["message"].label == "Why"
    assert 'maxlength="10"' in str(form["message"])
    assert not Short({"message": "x" * 11}).is_valid()
    assert Short({"message": ""}).is_valid()  # not required unless the step says so


def test_step_page_texts_fill_in_values_and_the_new_states_label():
    table = StepTable(
        [
            Step(
                State.SUBMITTED,
                State.DECLINED,
                frozenset({"board"}),
                message_required=True,
                title="Decline",
                explanation="Answer by %(date)s.",
                done="Now “%(state)s”.",
                danger=True,
            )
        ],
        states=State,
        party_order=["board"],
        message_missing="Write a reason.",
    )
    with translation.override("en"):
        texts = step_page_texts(table, table[(State.SUBMITTED, State.DECLINED)], date="1 May")
    assert texts["title"] == "Decline"
    assert texts["explanation"] == "Answer by 1 May."
    assert texts["done"] == "Now “Declined by the committee”."
    assert texts["required_message"] == "Write a reason."  # the table's, when the step has none
    assert texts["danger"] is True and texts["label"] is None
