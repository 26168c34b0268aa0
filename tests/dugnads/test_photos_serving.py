"""/dugnad/bilde/<id>/: a report's photo is shown (inline, its stored type, nosniff, never
cached publicly) to anyone who may see its dugnad — everyone once it is held or reported — and
is not found for anyone else, or when the file is gone."""

import pytest
from django.core.files.base import ContentFile

from dugnads.models import Photo, State
from tests.photo_files import jpeg_with_gps

from .report_helpers import (  # noqa: F401 (fixtures)
    ROLES,
    held_dugnad,
    login,
    reporter_fixture,
    site_language_after_fixture,
)

pytestmark = pytest.mark.django_db


def photo_of(dugnad) -> Photo:
    photo = Photo(
        dugnad=dugnad,
        token="a" * 32,
        extension="jpg",
        content_type="image/jpeg",
        width=40,
        height=30,
        description="Løv i sekker",
    )
    photo.image.save("x.jpg", ContentFile(jpeg_with_gps()), save=False)
    photo.save()
    return photo


@pytest.mark.parametrize("state", [State.REPORTED, State.COMPLETED])
@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_the_photos_of_a_held_dugnad(
    client, user_in_role, committee, role, state, reporter
):
    photo = photo_of(held_dugnad(committee, state=state))
    login(client, user_in_role(role))
    response = client.get(photo.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


BOARD = {"reporter", "board_member", "leader"}


@pytest.mark.parametrize("role", ROLES)
def test_a_drafts_photo_only_for_the_board(client, user_in_role, committee, role, reporter):
    """A photo on a dugnad nobody may see yet (made by hand: the report needs a held dugnad)."""
    photo = photo_of(held_dugnad(committee, state=State.DRAFT))
    login(client, user_in_role(role))
    assert client.get(photo.get_absolute_url()).status_code == (200 if role in BOARD else 404)


def test_no_such_photo(client):
    assert client.get("/dugnad/bilde/999999/").status_code == 404


def test_a_missing_file_is_not_found(client, committee):
    photo = photo_of(held_dugnad(committee, state=State.REPORTED))
    photo.image.storage.delete(photo.image.name)
    assert client.get(photo.get_absolute_url()).status_code == 404


def test_only_get_and_head(client, committee):
    photo = photo_of(held_dugnad(committee, state=State.REPORTED))
    assert client.post(photo.get_absolute_url()).status_code == 405
