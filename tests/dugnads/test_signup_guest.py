"""A guest signs up without an account: the form, the e-mail with the link (sent by
guest_mail_send, in the portal's frame), the link's page that confirms and cancels; the link is
signed for this alone and stops working when the dugnad has ended; the guest's e-mails for what
residents hear, and forgetting the address after the dugnad."""

import datetime
import re
import threading
from unittest import mock

import pytest
from django.core import mail, signing
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from dugnads import guest_links, guest_mail, services
from dugnads.models import GuestMail, Signup, SignupState
from dugnads.services.participants import guest_mail_queue, tell_participants
from tests.factories import DugnadFactory, NeedFactory, SignupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_language_after():
    """A request in English leaves English active in this thread (the language middleware
    activates it): put the site's language back for the tests after this one."""
    yield
    translation.deactivate()


GUEST = {"guest_name": "Gro Gjest", "guest_email": "gro.gjest@example.no", "party_size": "2"}


@pytest.fixture
def dugnad(committee, leader):
    dugnad = DugnadFactory(committee=committee, capacity=3, title="Vårrydding i parken")
    dugnad.organisers.add(leader)
    return dugnad


def _guest_signs_up(client, dugnad, **data):
    return client.post(reverse("dugnads:signup-create", args=[dugnad.pk]), {**GUEST, **data})


def _link_in(message) -> str:
    match = re.search(r"https?://\S+/dugnad/pamelding/[^/\s]+/", message.body)
    assert match, message.body
    return match.group(0)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_the_whole_guest_flow_sign_up_mail_link_confirm(client, dugnad):
    need = NeedFactory(dugnad=dugnad, title="Raking")
    response = _guest_signs_up(client, dugnad, need=need.pk, comment="Vi tar med rive")
    assert response.status_code == 302
    # To the page's top, where the message says to look in the e-mail (not to an empty form).
    assert response["Location"] == dugnad.get_absolute_url()
    signup = Signup.objects.get(dugnad=dugnad)
    assert signup.is_guest and signup.state == SignupState.UNCONFIRMED
    assert (signup.guest_name, signup.guest_email, signup.party_size) == (
        "Gro Gjest",
        "gro.gjest@example.no",
        2,
    )
    row = GuestMail.objects.get(signup=signup)
    assert row.kind == "confirm" and row.sent_at is None

    assert guest_mail.guest_mail_send()["sent"] == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["gro.gjest@example.no"]
    assert "Vårrydding i parken" in message.subject
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    link = _link_in(message)
    html = message.alternatives[0][0]
    assert link in html
    row.refresh_from_db()
    assert row.sent_at is not None
    assert guest_mail.guest_mail_send()["sent"] == 0  # sent once
    assert len(mail.outbox) == 1

    page = client.get(_path(link))
    assert page.status_code == 200
    assert b'data-state="unconfirmed"' in page.content
    assert b'id="guest-confirm-button"' in page.content
    assert b"noindex" in page.content
    assert "no-cache" in page["Cache-Control"] or "no-store" in page["Cache-Control"]
    signup.refresh_from_db()
    assert signup.state == SignupState.UNCONFIRMED  # opening the link changes nothing

    confirmed = client.post(_path(link), {"action": "confirm"})
    assert confirmed.status_code == 302 and confirmed["Location"] == _path(link)
    signup.refresh_from_db()
    assert signup.state == SignupState.CONFIRMED
    page = client.get(_path(link))
    assert b'data-state="confirmed"' in page.content
    assert b'id="guest-confirm-button"' not in page.content
    assert b'id="guest-cancel-button"' in page.content

    # Confirming again changes nothing.
    client.post(_path(link), {"action": "confirm"})
    signup.refresh_from_db()
    assert signup.state == SignupState.CONFIRMED

    # The same link cancels.
    client.post(_path(link), {"action": "cancel"})
    signup.refresh_from_db()
    assert signup.state == SignupState.CANCELLED
    page = client.get(_path(link))
    assert b'data-state="cancelled"' in page.content
    assert b'id="guest-cancel-button"' not in page.content


def test_a_guest_confirming_on_a_full_dugnad_waits_and_sees_the_position(client, dugnad):
    for _ in range(3):
        SignupFactory(dugnad=dugnad)
    signup = services.signup_create(dugnad=dugnad, guest_name="Gro", guest_email="g@example.no")
    path = guest_links.signup_path(signup)
    client.post(path, {"action": "confirm"})
    signup.refresh_from_db()
    assert signup.state == SignupState.WAITLISTED
    page = client.get(path)
    assert b'data-state="waitlisted"' in page.content
    with_english = client.get(path, headers={"Cookie": "nmu_language=en"})
    assert "number 1" in with_english.content.decode()


def test_a_cancelled_guest_place_goes_to_the_first_waiting(client, dugnad):
    signup = services.signup_create(
        dugnad=dugnad, guest_name="Gro", guest_email="g@example.no", party_size=3
    )
    services.signup_guest_confirm(signup=signup)
    waiting = SignupFactory(dugnad=dugnad, state=SignupState.WAITLISTED, confirmed_at=None)
    client.post(guest_links.signup_path(signup), {"action": "cancel"})
    waiting.refresh_from_db()
    assert waiting.state == SignupState.CONFIRMED


def test_an_unknown_action_changes_nothing(client, dugnad):
    signup = services.signup_create(dugnad=dugnad, guest_name="Gro", guest_email="g@example.no")
    for action in ("", "delete", "confirm\x00", "x" * 10_000):
        response = client.post(guest_links.signup_path(signup), {"action": action})
        assert response.status_code == 302
    signup.refresh_from_db()
    assert signup.state == SignupState.UNCONFIRMED


@pytest.mark.parametrize(
    "token",
    [
        "tampered",
        "MTIz:1abc:zzzz",
        "%00",
        "x" * 5000,
    ],
)
def test_a_bad_token_is_404(client, dugnad, token):
    services.signup_create(dugnad=dugnad, guest_name="Gro", guest_email="g@example.no")
    assert client.get(f"/dugnad/pamelding/{token}/").status_code == 404
    assert client.post(f"/dugnad/pamelding/{token}/", {"action": "cancel"}).status_code == 404


def test_a_tampered_token_another_salt_and_another_sign_up_are_404(client, dugnad, resident):
    signup = services.signup_create(dugnad=dugnad, guest_name="Gro", guest_email="g@example.no")
    good = guest_links.make_token(signup)
    value, _, signature = good.rpartition(":")
    tampered = f"{value}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}"
    other_salt = signing.dumps(signup.pk, salt="notifications.unsubscribe")
    no_salt = signing.dumps(signup.pk)
    resident_signup = services.signup_create(dugnad=dugnad, user=resident)
    for_a_resident = signing.dumps(resident_signup.pk, salt=guest_links.SALT)
    missing = signing.dumps(999_999, salt=guest_links.SALT)
    not_an_id = signing.dumps({"pk": signup.pk}, salt=guest_links.SALT)
    for token in (tampered, other_salt, no_salt, for_a_resident, missing, not_an_id):
        path = reverse("dugnads:guest-signup", args=[token])
        assert client.get(path).status_code == 404, token
        assert client.post(path, {"action": "cancel"}).status_code == 404, token
    signup.refresh_from_db()
    assert signup.state == SignupState.UNCONFIRMED
    assert client.get(reverse("dugnads:guest-signup", args=[good])).status_code == 200


def test_the_link_stops_working_when_the_dugnad_has_ended(client, dugnad):
    signup = services.signup_create(dugnad=dugnad, guest_name="Gro", guest_email="g@example.no")
    services.signup_guest_confirm(signup=signup)
    path = guest_links.signup_path(signup)
    past_the_end = dugnad.ends_at + datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=past_the_end):
        page = client.get(path)
        assert page.status_code == 410
        assert b'id="link-expired"' in page.content
        assert client.post(path, {"action": "cancel"}).status_code == 410
    signup.refresh_from_db()
    assert signup.state == SignupState.CONFIRMED


def test_the_guest_is_never_on_the_public_pages(client, dugnad, resident, other_committee_leader):
    signup = services.signup_create(
        dugnad=dugnad,
        guest_name="Gro Hemmelig",
        guest_email="gro.hemmelig@example.no",
        comment="Kommentar fra gjest",
    )
    services.signup_guest_confirm(signup=signup)
    for viewer in (None, resident, other_committee_leader):
        client.logout()
        if viewer:
            client.force_login(viewer)
        for url in (dugnad.get_absolute_url(), reverse("dugnads:dugnad-list")):
            content = client.get(url).content.decode()
            assert "gro.hemmelig" not in content
            assert "Gro Hemmelig" not in content
            assert "Kommentar fra gjest" not in content


def test_a_guest_in_english_gets_the_mail_in_english(client, dugnad):
    client.cookies["nmu_language"] = "en"
    _guest_signs_up(client, dugnad)
    guest_mail.guest_mail_send()
    message = mail.outbox[0]
    assert message.extra_headers["Content-Language"] == "en"
    assert "Confirm your sign-up" in message.subject
    assert "Open the link to confirm the sign-up" in message.body


def test_the_same_address_again_gets_the_link_again_and_learns_nothing(client, dugnad):
    first = _guest_signs_up(client, dugnad)
    again = _guest_signs_up(client, dugnad, guest_email="GRO.GJEST@example.no", party_size="1")
    assert first.status_code == again.status_code == 302
    assert Signup.objects.filter(dugnad=dugnad).count() == 1
    assert Signup.objects.get(dugnad=dugnad).party_size == 2  # the first sign-up stands
    third = _guest_signs_up(client, dugnad)
    assert third.status_code == 302
    assert GuestMail.objects.filter(kind="confirm").count() == 2  # the second once an hour
    guest_mail.guest_mail_send()
    assert len(mail.outbox) == 2
    assert _link_in(mail.outbox[0]) == _link_in(mail.outbox[1])


def test_with_htmx_the_panel_says_check_your_e_mail(client, dugnad):
    response = client.post(
        reverse("dugnads:signup-create", args=[dugnad.pk]),
        GUEST,
        headers={"HX-Request": "true", "Cookie": "nmu_language=en"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith("<section") and 'id="signup"' in content
    assert 'id="guest-sent"' in content and "gro.gjest@example.no" in content
    assert Signup.objects.filter(state=SignupState.UNCONFIRMED).count() == 1


# --- The guests' e-mails for what residents hear ---------------------------------------------


def _confirmed_guest(dugnad, email="g@example.no"):
    signup = services.signup_create(dugnad=dugnad, guest_name="Gro", guest_email=email)
    return services.signup_guest_confirm(signup=signup)


def test_a_guest_hears_of_a_change_with_the_link_and_not_of_signed_up(dugnad, leader):
    signup = _confirmed_guest(dugnad)
    assert guest_mail_queue(signups=[signup], kind="dugnad.signed_up", dedupe_key="x") == 0
    services.dugnad_update(
        dugnad=dugnad,
        actor=leader,
        starts_at=dugnad.starts_at + datetime.timedelta(hours=1),
        ends_at=dugnad.ends_at + datetime.timedelta(hours=1),
    )
    assert GuestMail.objects.filter(signup=signup, kind="dugnad.changed").count() == 1
    mail.outbox.clear()
    result = guest_mail.guest_mail_send()
    assert result["sent"] == 2  # the confirmation and the change
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert _path(_link_in(message)) == guest_links.signup_path(signup)


@pytest.mark.parametrize(
    ("kind", "context", "words"),
    [
        ("dugnad.promoted", {}, "A place became free"),
        ("dugnad.cancelled", {"reason": "Storm"}, "Storm"),
        ("dugnad.reminder", {}, "You are signed up for the dugnad"),
        ("dugnad.message", {"body": "Husk hansker"}, "Husk hansker"),
    ],
)
def test_every_guest_kind_is_rendered_with_the_link(dugnad, kind, context, words):
    signup = _confirmed_guest(dugnad)
    GuestMail.objects.all().delete()
    tell_participants(dugnad=dugnad, kind=kind, dedupe_key=f"test:{kind}", context=context)
    row = GuestMail.objects.get(signup=signup)
    message = guest_mail.build_message(row, language="en")
    assert words in message.body
    assert message.body.count(guest_links.signup_path(signup)) == 1
    html = message.alternatives[0][0]
    assert guest_links.signup_path(signup) in html and "<html" in html
    assert message.subject.startswith("[")


def test_a_cancelled_guest_or_an_ended_dugnad_is_sent_nothing(dugnad):
    cancelled = _confirmed_guest(dugnad, "a@example.no")
    services.signup_cancel(signup=cancelled)
    assert guest_mail.guest_mail_send() == {
        "sent": 0,
        "failed": 0,
        "skipped": 1,
        "deleted": 0,
        "forgotten": 0,
    }
    ended = DugnadFactory(
        starts_at=timezone.now() - datetime.timedelta(hours=5),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    signup = SignupFactory(dugnad=ended, user=None, guest_name="G", guest_email="b@example.no")
    GuestMail.objects.create(signup=signup, kind="dugnad.message", dedupe_key="m")
    assert guest_mail.guest_mail_send()["skipped"] == 1
    assert mail.outbox == []


def test_a_failed_mail_is_tried_again_later_a_few_times(dugnad):
    _confirmed_guest(dugnad)
    with mock.patch.object(guest_mail.EmailMultiAlternatives, "send", side_effect=OSError("down")):
        assert guest_mail.guest_mail_send()["failed"] == 1
    row = GuestMail.objects.get()
    assert row.attempts == 1 and row.sent_at is None and row.available_at > timezone.now()
    assert guest_mail.guest_mail_send()["sent"] == 0  # not due yet
    GuestMail.objects.update(available_at=timezone.now(), attempts=guest_mail.MAX_ATTEMPTS)
    assert guest_mail.guest_mail_send()["sent"] == 0  # given up
    GuestMail.objects.update(attempts=1)
    assert guest_mail.guest_mail_send()["sent"] == 1


def test_the_address_is_forgotten_some_days_after_the_dugnad(dugnad):
    kept = _confirmed_guest(dugnad, "kept@example.no")
    never_confirmed = services.signup_create(
        dugnad=dugnad, guest_name="N", guest_email="n@example.no"
    )
    resident = SignupFactory(dugnad=dugnad)
    later = dugnad.ends_at + datetime.timedelta(days=guest_mail.FORGET_DAYS - 1)
    assert guest_mail.guest_mail_send(now=later)["forgotten"] == 0
    much_later = dugnad.ends_at + datetime.timedelta(days=guest_mail.FORGET_DAYS, minutes=1)
    result = guest_mail.guest_mail_send(now=much_later)
    assert result["forgotten"] == 1 and result["deleted"] == 2
    assert not GuestMail.objects.exists()
    assert not Signup.objects.filter(pk=never_confirmed.pk).exists()
    kept.refresh_from_db()
    assert kept.guest_name == "Gro" and kept.guest_email.endswith("@forgotten.invalid")
    assert Signup.objects.filter(pk=resident.pk).exists()
    assert guest_mail.guest_mail_send(now=much_later)["forgotten"] == 0  # safe to re-run


def test_claimed_rows_are_leased_to_one_sender(dugnad):
    _confirmed_guest(dugnad)
    now = timezone.now()
    assert len(guest_mail._claim(now)) == 1
    assert guest_mail._claim(now) == []  # leased
    assert len(guest_mail._claim(now + guest_mail.LEASE + datetime.timedelta(seconds=1))) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_mail_once():
    dugnad = DugnadFactory(capacity=100)
    for n in range(30):
        services.signup_create(dugnad=dugnad, guest_name="G", guest_email=f"g{n}@example.no")
    barrier = threading.Barrier(2)
    results = []

    def send():
        try:
            barrier.wait(timeout=30)
            results.append(guest_mail.guest_mail_send())
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(result["sent"] for result in results) == 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"g{n}@example.no" for n in range(30))


def test_the_task_sends_and_beat_runs_it_every_few_minutes(dugnad, settings):
    from dugnads.tasks import send_guest_mail

    entry = settings.CELERY_BEAT_SCHEDULE["dugnads-guest-mail"]
    assert entry["task"] == send_guest_mail.name == "dugnads.send_guest_mail"
    assert entry["schedule"] <= 5 * 60
    _confirmed_guest(dugnad)
    assert send_guest_mail.apply().get()["sent"] == 1
    assert len(mail.outbox) == 1
