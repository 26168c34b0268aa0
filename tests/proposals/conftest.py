import pytest

from tests.factories import UserFactory


@pytest.fixture
def author(db):
    return UserFactory(email="author@example.no", full_name="Astrid Forslagsstiller")
