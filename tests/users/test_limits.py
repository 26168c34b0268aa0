"""The name a person gives (sign-up and their profile) at its limit and one past it (issue 10)."""

import pytest

from users import forms
from users.models import User

pytestmark = pytest.mark.django_db

LIMIT = 150


def test_the_name_limit_is_the_models():
    assert User._meta.get_field("full_name").max_length == LIMIT


@pytest.mark.parametrize("form_class", [forms.SignupForm, forms.ProfileForm])
def test_a_name_of_the_limit_is_accepted_and_one_more_character_is_not(form_class):
    at_limit = form_class({"full_name": "x" * LIMIT, "preferred_language": "nb"})
    assert at_limit.is_valid(), at_limit.errors
    assert f'maxlength="{LIMIT}"' in str(at_limit["full_name"])
    over = form_class({"full_name": "x" * (LIMIT + 1), "preferred_language": "nb"})
    assert over.has_error("full_name", code="max_length")
