"""What boards write on the dugnads' pages is Norwegian: marked so on English pages (WCAG 3.1.2),
and not repeated on Norwegian ones (tests/core/test_content_lang.py's reading of the HTML)."""

import datetime

import pytest
from django.urls import reverse

from dugnads.models import State
from tests.core.test_content_lang import _langs_of
from tests.factories import DugnadFactory, NeedFactory, ResourceFactory, SignupFactory

from .public_helpers import (  # noqa: F401 (default_language_after: an autouse fixture)
    days,
    default_language_after,
)

pytestmark = pytest.mark.django_db

TITLE = "Løvraking i Bøkeskogen"
PAST_TITLE = "Strandrydding i fjor"
MEETING_POINT = "Ved hovedinngangen"
DESCRIPTION = "Vi raker løv sammen med kommunen."
NEED = "Kaffe og vafler"
DECLINE = "Ingen ledige containere den dagen."


@pytest.fixture
def pages(committee, resident):
    dugnad = DugnadFactory(
        committee=committee, title=TITLE, meeting_point=MEETING_POINT, description=DESCRIPTION
    )
    NeedFactory(dugnad=dugnad, title=NEED)
    ResourceFactory(dugnad=dugnad, state="declined", answer=DECLINE)
    SignupFactory(dugnad=dugnad, user=resident)
    DugnadFactory(
        committee=committee,
        title=PAST_TITLE,
        state=State.REPORTED,
        starts_at=days(-20),
        ends_at=days(-20) + datetime.timedelta(hours=2),
    )
    detail = dugnad.get_absolute_url()
    return [
        (reverse("dugnads:dugnad-list"), TITLE),
        (reverse("dugnads:dugnad-list"), MEETING_POINT),
        (reverse("dugnads:dugnad-list"), committee.name),
        (reverse("dugnads:dugnad-list-past"), PAST_TITLE),
        (detail, TITLE),
        (detail, MEETING_POINT),
        (detail, DESCRIPTION),
        (detail, NEED),
        (detail, DECLINE),
        (committee.get_absolute_url(), TITLE),
        (reverse("dugnads:my-dugnads"), TITLE),
    ]


def test_norwegian_texts_are_marked_on_english_pages(client, resident, pages):
    client.force_login(resident)
    for path, text in pages:
        in_force, _ = _langs_of(client, path, text, "en")
        assert set(in_force) == {"nb"}, f"{text!r} on {path} is read as {in_force}"


def test_norwegian_pages_carry_no_extra_lang(client, resident, pages):
    client.force_login(resident)
    for path, text in pages:
        in_force, own = _langs_of(client, path, text, "nb")
        assert set(in_force) == {"nb"}, (path, text, in_force)
        assert set(own) == {None}, f"{text!r} on {path} repeats lang: {own}"
