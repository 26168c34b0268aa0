"""The organisers' participant list, its CSV, and the message to everyone signed up."""

# ruff: noqa: F811 - the fixtures imported from manage_helpers are the tests' arguments

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dugnads.models import DugnadEvent, GuestMail, Signup, SignupState, State
from notifications.models import Notification
from tests.factories import NeedFactory, SignupFactory, UserFactory

from .manage_helpers import draft, organiser, published  # noqa: F401 (fixtures)


def _list_url(dugnad):
    return reverse("dugnads:participant-list", kwargs={"pk": dugnad.pk})


def _csv_url(dugnad):
    return reverse("dugnads:participant-csv", kwargs={"pk": dugnad.pk})


def _message_url(dugnad):
    return reverse("dugnads:participant-message", kwargs={"pk": dugnad.pk})


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def people(published):
    """Two with a place (a resident with a need, a guest of three), two waiting, and two who
    are not on the list (cancelled, a guest who has not confirmed the e-mail)."""
    raking = NeedFactory(dugnad=published, title="Raking", people=10)
    now = timezone.now()
    at = [now - timezone.timedelta(minutes=60 - i) for i in range(6)]
    return {
        "anna": SignupFactory(
            dugnad=published,
            user=UserFactory(full_name="Anna Aas", email="anna@example.no"),
            need=raking,
            comment="Jeg tar med rive.",
            queued_at=at[0],
        ),
        "gina": SignupFactory(
            dugnad=published,
            user=None,
            guest_name="Gina Gjest",
            guest_email="gina@example.no",
            party_size=3,
            queued_at=at[1],
        ),
        "wenche": SignupFactory(
            dugnad=published,
            user=UserFactory(full_name="Wenche Venter", email="wenche@example.no"),
            state=SignupState.WAITLISTED,
            confirmed_at=None,
            queued_at=at[2],
        ),
        "gustav": SignupFactory(
            dugnad=published,
            user=None,
            guest_name="Gustav Gjest",
            guest_email="gustav@example.no",
            state=SignupState.WAITLISTED,
            confirmed_at=None,
            queued_at=at[3],
        ),
        "cancelled": SignupFactory(
            dugnad=published,
            user=UserFactory(full_name="Kari Kansellert", email="kari@example.no"),
            state=SignupState.CANCELLED,
            queued_at=at[4],
        ),
        "unconfirmed": SignupFactory(
            dugnad=published,
            user=None,
            guest_name="Ulrik Ubekreftet",
            guest_email="ulrik@example.no",
            state=SignupState.UNCONFIRMED,
            confirmed_at=None,
            queued_at=at[5],
        ),
    }


def test_the_list_shows_who_comes_and_who_waits_with_their_addresses(
    client, english, published, organiser, people
):
    client.force_login(organiser)
    response = client.get(_list_url(published))
    page = response.content.decode()
    assert [s.pk for s in response.context["confirmed"]] == [people["anna"].pk, people["gina"].pk]
    assert [(s.pk, s.waitlist_position) for s in response.context["waiting"]] == [
        (people["wenche"].pk, 1),
        (people["gustav"].pk, 2),
    ]
    assert response.context["people_confirmed"] == 4 and response.context["people_waiting"] == 2
    assert response.context["places_left"] == 16
    for text in ("Anna Aas", "Gina Gjest", "Wenche Venter", "Gustav Gjest", "Jeg tar med rive."):
        assert text in page
    assert "guest</span>" in page
    # The organisers see the addresses (here only); those not on the list are not there.
    for address in ("anna@example.no", "gina@example.no", "wenche@example.no"):
        assert f"mailto:{address}" in page
    for absent in ("Kari Kansellert", "kari@example.no", "Ulrik", "ulrik@example.no"):
        assert absent not in page
    assert 'id="participant-csv"' in page and 'id="participant-message"' in page


def _bulk(dugnad, n: int) -> None:
    """``n`` sign-ups quickly (a third guests, the rest residents, a need on some)."""
    need = NeedFactory(dugnad=dugnad, title="Kaffe", people=5)
    User = get_user_model()
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(email=f"bulk{start + i}@example.no", full_name=f"Bulk {i}", password="!")
        for i in range(n)
    )
    now = timezone.now()
    Signup.objects.bulk_create(
        Signup(
            dugnad=dugnad,
            user=None if i % 3 == 0 else users[i],
            guest_name=f"Gjest {i}" if i % 3 == 0 else "",
            guest_email=f"gjest{start + i}@example.no" if i % 3 == 0 else "",
            need=need if i % 2 else None,
            state=SignupState.CONFIRMED if i % 4 else SignupState.WAITLISTED,
            queued_at=now,
        )
        for i in range(n)
    )


def _queries(client, url) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    return len(queries), body


@pytest.mark.parametrize("page", [_list_url, _csv_url], ids=["list", "csv"])
def test_the_same_queries_with_10_and_1000_sign_ups(client, committee, organiser, page):
    from tests.factories import DugnadFactory

    small, large = DugnadFactory(committee=committee), DugnadFactory(committee=committee)
    for dugnad in (small, large):
        dugnad.organisers.add(organiser)
    _bulk(small, 10)
    _bulk(large, 1_000)
    client.force_login(organiser)
    _queries(client, page(small))  # warm up (session, sites)
    n_small, _ = _queries(client, page(small))
    n_large, body = _queries(client, page(large))
    assert n_small == n_large, (n_small, n_large)
    if page is _csv_url:
        assert body.decode("utf-8-sig").count("\n") == 1_001  # the header and every sign-up


def test_the_csv_has_a_row_per_participant_and_no_formula(
    client, english, published, organiser, people
):
    people["anna"].comment = '=HYPERLINK("https://evil.example","klikk")'
    people["anna"].save()
    client.force_login(organiser)
    response = client.get(_csv_url(published))
    assert response["Content-Type"].startswith("text/csv")
    assert f"dugnad-{published.pk}-deltakere-" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "Name",
        "Guest",
        "E-mail",
        "Number of people",
        "Will help with",
        "Comment",
        "Status",
        "Place on the waiting list",
        "Signed up",
    ]
    body = {row[0]: row for row in rows[1:]}
    assert list(body) == ["Anna Aas", "Gina Gjest", "Wenche Venter", "Gustav Gjest"]
    assert body["Anna Aas"][1:6] == [
        "No",
        "anna@example.no",
        "1",
        "Raking",
        '\'=HYPERLINK("https://evil.example","klikk")',
    ]
    assert body["Gina Gjest"][1:4] == ["Yes", "gina@example.no", "3"]
    assert body["Wenche Venter"][6:8] == ["On the waiting list", "1"]
    assert body["Gustav Gjest"][7] == "2"


# --- the message to everyone signed up ----------------------------------------------------------


def test_a_message_reaches_each_participant_once(client, published, organiser, people):
    client.force_login(organiser)
    assert client.get(_message_url(published)).status_code == 200
    body = "Husk hansker og godt humør! Vi møtes ved flaggstanga."
    response = client.post(_message_url(published), {"body": body})
    assert response.status_code == 302 and response["Location"] == _list_url(published)
    told = Notification.objects.filter(kind="dugnad.message")
    assert sorted(told.values_list("recipient__full_name", flat=True)) == [
        "Anna Aas",
        "Wenche Venter",
    ]
    assert all(body in n.body for n in told)
    mails = GuestMail.objects.filter(kind="dugnad.message")
    assert sorted(m.signup.guest_name for m in mails) == ["Gina Gjest", "Gustav Gjest"]
    assert all(m.context == {"body": body} for m in mails)
    event = DugnadEvent.objects.get(dugnad=published, kind=DugnadEvent.Kind.MESSAGE)
    assert (event.actor, event.message) == (organiser, body)
    # A second message is a second notification each (its own dedupe key).
    client.post(_message_url(published), {"body": "Vi starter presis kl. 10."})
    assert Notification.objects.filter(kind="dugnad.message").count() == 4
    assert GuestMail.objects.filter(kind="dugnad.message").count() == 4


@pytest.mark.parametrize("body", ["", "   ", "x" * 2_001, "Hei\x00"])
def test_a_bad_message_gives_the_form_back_and_sends_nothing(
    client, published, organiser, people, body
):
    client.force_login(organiser)
    response = client.post(_message_url(published), {"body": body})
    assert response.status_code == 400 and response.context["form"].errors["body"]
    assert not Notification.objects.filter(kind="dugnad.message").exists()
    assert not GuestMail.objects.filter(kind="dugnad.message").exists()
    assert not DugnadEvent.objects.filter(kind=DugnadEvent.Kind.MESSAGE).exists()


def test_no_message_for_a_draft_or_with_nobody_signed_up(client, english, draft, organiser):
    client.force_login(organiser)
    response = client.post(_message_url(draft), {"body": "Hei"})
    assert response.status_code == 400
    assert "Messages can be sent once the dugnad is published." in response.content.decode()
    type(draft).objects.filter(pk=draft.pk).update(state=State.PUBLISHED)
    response = client.post(_message_url(draft), {"body": "Hei"})
    assert response.status_code == 400
    assert "Nobody has signed up yet" in response.content.decode()
    assert not DugnadEvent.objects.exists()
