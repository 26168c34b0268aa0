"""The committee page's and the board form's limits at the limit (accepted) and one past it
(refused with the field's error code), table-driven (issue 10, "boundary tests for every numeric
limit")."""

import pytest

from committees.forms import CommitteeDetailsForm, MembershipAddForm
from committees.models import Committee

pytestmark = pytest.mark.django_db


def email_of_length(length: int) -> str:
    """A valid address of exactly ``length`` characters (64-character local part, labels of at
    most 63)."""
    local = "a" * 64
    rest = length - len(local) - 1 - len(".no")
    labels = []
    while rest > 0:
        label = min(63, rest)
        if rest - label == 1:  # a label cannot be empty: leave room for "x."
            label -= 1
        labels.append("b" * label)
        rest -= label + 1
    address = f"{local}@{'.'.join(labels)}.no"
    assert len(address) == length
    return address


def _details(**overrides):
    return {
        "description": "Et nærmiljøutvalg.",
        "area_description": "",
        "contact_email": "",
        "support_goal": "",
        **overrides,
    }


DETAIL_TEXT_LIMITS = [("description", 5000), ("area_description", 2000)]


@pytest.mark.parametrize(("field", "limit"), DETAIL_TEXT_LIMITS)
def test_committee_page_text_at_its_limit(committee, field, limit):
    assert Committee._meta.get_field(field).max_length == limit
    at_limit = CommitteeDetailsForm(_details(**{field: "x" * limit}), instance=committee)
    assert at_limit.is_valid(), at_limit.errors
    assert f'maxlength="{limit}"' in str(at_limit[field])
    over = CommitteeDetailsForm(_details(**{field: "x" * (limit + 1)}), instance=committee)
    assert over.has_error(field, code="max_length")


def test_support_goal_at_its_limits(committee):
    for accepted in ("0", "100000"):
        form = CommitteeDetailsForm(_details(support_goal=accepted), instance=committee)
        assert form.is_valid(), (accepted, form.errors)
    for refused, code in (("-1", "min_value"), ("100001", "max_value")):
        form = CommitteeDetailsForm(_details(support_goal=refused), instance=committee)
        assert form.has_error("support_goal", code=code), (refused, form.errors.as_data())


def test_contact_email_at_its_limit(committee):
    form = CommitteeDetailsForm(_details(contact_email=email_of_length(254)), instance=committee)
    assert form.is_valid(), form.errors
    form = CommitteeDetailsForm(_details(contact_email=email_of_length(255)), instance=committee)
    assert form.has_error("contact_email", code="max_length")


def test_the_add_board_member_address_at_its_limit():
    data = {
        "role": "board_member",
        "represents": "youth",
        "term_start": "2026-01-01",
        "term_end": "",
    }
    form = MembershipAddForm({**data, "email": email_of_length(254)})
    form.is_valid()
    assert not form.has_error("email"), form.errors
    form = MembershipAddForm({**data, "email": email_of_length(255)})
    assert form.has_error("email", code="max_length")
