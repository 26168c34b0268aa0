"""Photos in the report, uploaded through the page: JPEG, PNG and WebP checked by their bytes,
the size and count limits, decoded and saved again by Pillow — **a PNG (and a JPEG, a WebP)
with an EXIF GPS position comes back without it** — and hostile files refused with the form
given back and nothing saved."""

import io

import pytest
from PIL import ExifTags, Image

from dugnads.models import Photo, State
from tests.factories import DugnadFactory
from tests.photo_files import (
    bomb_png,
    has_gps_or_exif,
    jpeg_with_gps,
    picture,
    png_with_gps,
    truncated_jpeg,
    webp_with_gps,
)

from .report_helpers import (  # noqa: F401 (fixtures)
    form_data,
    held_fixture,
    report_url,
    reporter_fixture,
    site_language_after_fixture,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_reporter(client, reporter):
    client.force_login(reporter)
    client.cookies["nmu_language"] = "en"
    return client


def post_photos(client, dugnad, *photos, **data):
    files = {}
    for index, (name, content, description) in enumerate(photos, start=1):
        files[f"photo_{index}"] = upload(name, content)
        files[f"description_{index}"] = description
    return client.post(report_url(dugnad), {**form_data(**data), **files})


def stored(photo: Photo) -> bytes:
    with photo.image.open("rb") as handle:
        return handle.read()


@pytest.mark.parametrize(
    ("name", "make", "fmt", "content_type"),
    [
        ("hage.png", png_with_gps, "PNG", "image/png"),
        ("IMG_0001.JPG", jpeg_with_gps, "JPEG", "image/jpeg"),
        ("foto.webp", webp_with_gps, "WEBP", "image/webp"),
    ],
)
def test_a_photo_with_an_exif_gps_position_comes_back_without_it(
    as_reporter, held, name, make, fmt, content_type
):
    original = make()
    with Image.open(io.BytesIO(original)) as image:  # it did carry the position
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    response = post_photos(as_reporter, held, (name, original, "Løv i sekker ved skolen"))
    assert response.status_code == 302
    photo = Photo.objects.get(dugnad=held)
    assert (photo.content_type, photo.extension) == (
        content_type,
        fmt.lower().replace("jpeg", "jpg"),
    )
    assert photo.description == "Løv i sekker ved skolen"
    assert (photo.width, photo.height) == (40, 30)
    content = stored(photo)
    assert content != original
    assert not has_gps_or_exif(content)
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == fmt
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "exif" not in image.info
    # Served back the same: what the browser gets has no position either.
    served = b"".join(as_reporter.get(photo.get_absolute_url()).streaming_content)
    assert served == content


def test_the_stored_name_is_random_not_the_uploaders(as_reporter, held):
    post_photos(as_reporter, held, ("Ingrids hage i Kirkegata 3.png", png_with_gps(), "Hagen"))
    photo = Photo.objects.get()
    assert "Ingrid" not in photo.image.name and photo.token in photo.image.name


def test_a_large_photo_is_shrunk_to_the_limit(as_reporter, held, settings):
    settings.DUGNADS = {**settings.DUGNADS, "PHOTO_MAX_PIXELS": 100}
    buffer = io.BytesIO()
    picture((400, 200)).save(buffer, "JPEG")
    post_photos(as_reporter, held, ("stor.jpg", buffer.getvalue(), "Stort bilde"))
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (100, 50)
    with Image.open(io.BytesIO(stored(photo))) as image:
        assert image.size == (100, 50)


def test_an_upright_photo_from_a_turned_camera(as_reporter, held):
    post_photos(as_reporter, held, ("snudd.jpg", jpeg_with_gps(orientation=6), "Snudd"))
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (30, 40)


def test_several_photos_at_once(as_reporter, held):
    response = post_photos(
        as_reporter,
        held,
        ("a.jpg", jpeg_with_gps(), "Før"),
        ("b.png", png_with_gps(), "Under"),
        ("c.webp", webp_with_gps(), "Etter"),
    )
    assert response.status_code == 302
    assert list(Photo.objects.values_list("description", flat=True)) == ["Før", "Under", "Etter"]


def refused(client, dugnad, *photos, **data):
    response = post_photos(client, dugnad, *photos, **data)
    assert response.status_code == 400
    assert 'id="error-summary-heading"' in response.content.decode()
    dugnad.refresh_from_db()
    assert dugnad.state == State.COMPLETED and dugnad.hours_total is None
    assert not Photo.objects.filter(dugnad=dugnad).exists()
    return response.content.decode()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bilde.jpg", png_with_gps()),  # a PNG renamed .jpg
        ("bilde.png", b"GIF89a" + b"\x00" * 40),  # a GIF renamed .png
        ("bilde.webp", b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 40),  # a WAV renamed .webp
        ("dokument.pdf", b"%PDF-1.4 ..."),
        ("bilde.gif", b"GIF89a" + b"\x00" * 40),
        ("tom.jpg", b""),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(as_reporter, held, name, content):
    refused(as_reporter, held, (name, content, "Noe"))


def test_a_photo_over_the_size_limit_is_refused(as_reporter, held, settings):
    photo = jpeg_with_gps((200, 200))
    settings.DUGNADS = {**settings.DUGNADS, "PHOTO_MAX_BYTES": len(photo) - 1}
    body = refused(as_reporter, held, ("stor.jpg", photo, "Stort"))
    assert "too large" in body


def test_more_photos_than_the_limit_are_refused_even_in_one_go(held, reporter, settings):
    """The service's own check (the form offers only as many fields as the limit leaves, but
    two organisers may add photos at the same time)."""
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    from dugnads.services.reports import dugnad_report

    settings.DUGNADS = {**settings.DUGNADS, "PHOTO_MAX_COUNT": 2}
    photos = [(SimpleUploadedFile(f"{n}.jpg", jpeg_with_gps()), n) for n in "abc"]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        dugnad_report(
            dugnad=held,
            actor=reporter,
            participant_count=3,
            hours_total=6,
            report="Ferdig.",
            photos=photos,
        )
    assert error.value.error_dict["photos"][0].messages == [
        "A dugnad's report can have at most 2 photos."
    ]
    assert not Photo.objects.exists()
    held.refresh_from_db()
    assert held.state == State.COMPLETED


def test_the_form_offers_only_as_many_photos_as_the_limit_leaves(as_reporter, held, settings):
    settings.DUGNADS = {**settings.DUGNADS, "PHOTO_MAX_COUNT": 2}
    body = as_reporter.get(report_url(held)).content.decode()
    assert 'name="photo_2"' in body and 'name="photo_3"' not in body
    post_photos(
        as_reporter,
        held,
        ("a.jpg", jpeg_with_gps(), "A"),
        ("b.jpg", jpeg_with_gps(), "B"),
        ("c.jpg", jpeg_with_gps(), "C"),
    )
    assert Photo.objects.filter(dugnad=held).count() == 2


def test_the_count_limit_counts_the_photos_already_there(as_reporter, held, settings):
    settings.DUGNADS = {**settings.DUGNADS, "PHOTO_MAX_COUNT": 2}
    assert post_photos(as_reporter, held, ("a.jpg", jpeg_with_gps(), "A")).status_code == 302
    assert post_photos(as_reporter, held, ("b.jpg", jpeg_with_gps(), "B")).status_code == 302
    body = as_reporter.get(report_url(held)).content.decode()
    assert 'id="no-more-photos"' in body and 'name="photo_1"' not in body
    # A forged post with a third photo is not taken either (the form has no field for it).
    as_reporter.post(
        report_url(held),
        {**form_data(), "photo_1": upload("c.jpg", jpeg_with_gps()), "description_1": "C"},
    )
    assert Photo.objects.filter(dugnad=held).count() == 2


def test_a_decompression_bomb_is_refused(as_reporter, held):
    body = refused(as_reporter, held, ("bombe.png", bomb_png(), "Bombe"))
    assert "bombe.png" in body


@pytest.mark.parametrize(
    "content", [truncated_jpeg(), b"\xff\xd8\xff\xe0" + b"\x00" * 64], ids=["truncated", "fake"]
)
def test_a_broken_picture_is_refused(as_reporter, held, content):
    refused(as_reporter, held, ("ødelagt.jpg", content, "Ødelagt"))


def test_a_bad_photo_among_good_ones_saves_none(as_reporter, held):
    refused(
        as_reporter,
        held,
        ("a.jpg", jpeg_with_gps(), "God"),
        ("bombe.png", bomb_png(), "Bombe"),
        ("c.webp", webp_with_gps(), "God"),
    )


@pytest.mark.parametrize("description", ["", "   ", "x" * 201, "null\x00byte"])
def test_each_photo_needs_a_description_for_those_who_cannot_see_it(as_reporter, held, description):
    refused(as_reporter, held, ("a.jpg", jpeg_with_gps(), description))


def test_a_correction_removes_a_photo(as_reporter, held):
    post_photos(as_reporter, held, ("a.jpg", jpeg_with_gps(), "Feil bilde"))
    photo = Photo.objects.get()
    response = as_reporter.post(report_url(held), {**form_data(), "remove_photos": [photo.pk]})
    assert response.status_code == 302
    assert not Photo.objects.exists()


def test_a_photo_is_shown_on_the_page_with_its_description_as_alt_text(client, held, reporter):
    client.force_login(reporter)
    post_photos(client, held, ("a.jpg", jpeg_with_gps(), "Barn som raker løv"))
    photo = Photo.objects.get()
    client.logout()
    body = client.get(held.get_absolute_url()).content.decode()
    assert (
        f'<img src="{photo.get_absolute_url()}" alt="Barn som raker løv" width="40" height="30"'
        in body
    )


def test_photos_on_a_dugnad_elsewhere_do_not_count(as_reporter, held, settings, committee):
    settings.DUGNADS = {**settings.DUGNADS, "PHOTO_MAX_COUNT": 1}
    other = DugnadFactory(committee=committee)
    Photo.objects.create(
        dugnad=other, token="x", extension="jpg", content_type="image/jpeg", description="Annen"
    )
    assert post_photos(as_reporter, held, ("a.jpg", jpeg_with_gps(), "A")).status_code == 302
