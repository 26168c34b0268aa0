import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


def test_email_is_the_login_and_is_normalised():
    user = get_user_model().objects.create_user(email="Kari@Example.NO", password="pw-12345678")
    assert user.email == "kari@example.no"
    assert user.USERNAME_FIELD == "email"
    assert user.preferred_language == "nb"
    assert str(user) == "kari@example.no"


def test_superuser():
    admin = get_user_model().objects.create_superuser(email="a@example.no", password="x")
    assert admin.is_staff and admin.is_superuser
