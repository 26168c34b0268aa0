"""Signing up on a dugnad's page (views/signups.py): every role, a draft, a closed sign-up, the
form's limits (nothing saved, the form again with the message), htmx in place and the page
without JavaScript, cancelling one's own, and the panel's query count with 10 and 1,000 sign-ups."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from dugnads.models import GuestMail, Signup, SignupState, State
from dugnads.views.signups import signup_panel_context
from notifications.models import Notification
from tests.factories import DugnadFactory, NeedFactory, SignupFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_language_after():
    """A request in English leaves English active in this thread (the language middleware
    activates it): put the site's language back for the tests after this one."""
    yield
    translation.deactivate()


ROLES = [
    "anonymous",
    "resident",
    "leader",
    "board_member",
    "other_committee_leader",
    "case_handler",
    "superuser",
]
GUEST = {"guest_name": "Gro Gjest", "guest_email": "gro@example.no"}
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def english(client):
    """The pages in English: the tests read the new texts before they are translated."""
    client.cookies["nmu_language"] = "en"


@pytest.fixture
def dugnad(committee, leader):
    """The leader organises it (the organiser); the board member is on its committee's board."""
    dugnad = DugnadFactory(committee=committee, capacity=5, title="Vårrydding")
    dugnad.organisers.add(leader)
    return dugnad


def _as(client, user_in_role, role):
    user = user_in_role(role)
    if role != "anonymous":
        client.force_login(user)
    return user


def _sign_up(client, dugnad, data=None, **headers):
    return client.post(
        reverse("dugnads:signup-create", args=[dugnad.pk]),
        data if data is not None else {"party_size": "1"},
        headers=headers,
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_panel_with_the_right_form(client, user_in_role, dugnad, role):
    _as(client, user_in_role, role)
    content = client.get(dugnad.get_absolute_url()).content.decode()
    assert 'id="signup"' in content and 'id="signup-button"' in content
    assert ('name="guest_email"' in content) == (role == "anonymous")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_signs_up_a_resident_with_the_account_anyone_else_as_a_guest(
    client, user_in_role, dugnad, role
):
    user = _as(client, user_in_role, role)
    data = {"party_size": "2", **(GUEST if role == "anonymous" else {})}
    response = _sign_up(client, dugnad, data)
    assert response.status_code == 302
    # A resident back to the panel (their sign-up is there), a guest to the page's top (the
    # message about the e-mail is there).
    panel = "" if role == "anonymous" else "#signup"
    assert response["Location"] == f"{dugnad.get_absolute_url()}{panel}"
    signup = Signup.objects.get(dugnad=dugnad)
    if role == "anonymous":
        assert signup.is_guest and signup.state == SignupState.UNCONFIRMED
        assert GuestMail.objects.filter(signup=signup, kind="confirm").exists()
    else:
        assert signup.user == user and signup.state == SignupState.CONFIRMED
        assert signup.party_size == 2
        assert Notification.objects.filter(recipient=user, kind="dugnad.signed_up").exists()
        page = client.get(dugnad.get_absolute_url()).content.decode()
        assert "You are signed up for Vårrydding." in page  # the message after the redirect
        assert 'id="my-signup-state"' in page and 'id="signup-cancel-button"' in page


def test_an_anonymous_post_without_name_and_address_is_the_guest_form_again(client, dugnad):
    response = _sign_up(client, dugnad, {"party_size": "1"})
    assert response.status_code == 200
    assert b'name="guest_email"' in response.content and b"error-summary" in response.content
    assert not Signup.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "resident", "leader", "board_member", "superuser"])
def test_a_draft_has_no_sign_up(client, user_in_role, committee, leader, role):
    draft = DugnadFactory(committee=committee, state=State.DRAFT, published_at=None)
    draft.organisers.add(leader)
    _as(client, user_in_role, role)
    assert _sign_up(client, draft, {"party_size": "1", **GUEST}).status_code == 404
    cancel = client.post(reverse("dugnads:signup-cancel", args=[draft.pk]))
    assert cancel.status_code == (302 if role == "anonymous" else 404)  # log in first
    assert not Signup.objects.exists()


def test_an_unknown_dugnad_is_404(client, resident):
    client.force_login(resident)
    assert client.post(reverse("dugnads:signup-create", args=[999_999])).status_code == 404
    assert client.post(reverse("dugnads:signup-cancel", args=[999_999])).status_code == 404


def test_get_is_not_allowed(client, resident, dugnad):
    client.force_login(resident)
    assert client.get(reverse("dugnads:signup-create", args=[dugnad.pk])).status_code == 405
    assert client.get(reverse("dugnads:signup-cancel", args=[dugnad.pk])).status_code == 405


@pytest.mark.parametrize(
    "when",
    [
        {"signup_deadline": -1},  # the deadline passed an hour ago
        {"starts_at": -1},  # it started an hour ago
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_after_the_deadline_or_the_start_the_form_says_so_and_nothing_is_saved(
    client, resident, committee, when, htmx
):
    now = timezone.now()
    fields = {}
    if "signup_deadline" in when:
        fields["signup_deadline"] = now - datetime.timedelta(hours=1)
    else:
        fields["starts_at"] = now - datetime.timedelta(hours=1)
        fields["ends_at"] = now + datetime.timedelta(hours=3)
    dugnad = DugnadFactory(committee=committee, **fields)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the English words are checked
    for user in (None, resident):
        client.logout()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        if user:
            client.force_login(user)
        response = _sign_up(client, dugnad, {"party_size": "1", **GUEST}, **(HTMX if htmx else {}))
        assert response.status_code == 200
        content = response.content.decode()
        assert 'id="signup-closed"' in content
        assert ("deadline has passed" in content) or ("has started" in content)
    assert not Signup.objects.exists()
    assert not GuestMail.objects.exists()


BAD_INPUT = [
    ({"party_size": "0"}, "party_size"),
    ({"party_size": "11"}, "party_size"),
    ({"party_size": "-1"}, "party_size"),
    ({"party_size": "abc"}, "party_size"),
    ({"party_size": "1e9"}, "party_size"),
    ({"party_size": "\x00"}, "party_size"),
    ({"party_size": "1", "comment": "x" * 501}, "comment"),
    ({"party_size": "1", "comment": "Hei\x00"}, "comment"),
    ({"party_size": "1", "need": "\x00"}, "need"),
    ({"party_size": "1", "need": "999999"}, "need"),
    ({"party_size": "1", "need": "abc"}, "need"),
]


@pytest.mark.parametrize(("data", "field"), BAD_INPUT)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_input_gives_the_form_again_and_saves_nothing(
    client, resident, dugnad, data, field, htmx
):
    NeedFactory(dugnad=dugnad)
    client.force_login(resident)
    response = _sign_up(client, dugnad, data, **(HTMX if htmx else {}))
    assert response.status_code == 200
    content = response.content.decode()
    assert "error-summary" in content and f'href="#id_{field}"' in content
    assert f'id="id_{field}_error"' in content
    assert content.lstrip().startswith("<section") == htmx
    assert not Signup.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"guest_name": "Gro\x00", "guest_email": "gro@example.no"}, "guest_name"),
        ({"guest_name": "Gro", "guest_email": "gro\x00@example.no"}, "guest_email"),
        ({"guest_name": "Gro", "guest_email": "not an address"}, "guest_email"),
        ({"guest_name": "x" * 101, "guest_email": "gro@example.no"}, "guest_name"),
        ({"guest_name": "", "guest_email": "gro@example.no"}, "guest_name"),
        ({"guest_name": "Gro", "guest_email": ("x" * 250) + "@example.no"}, "guest_email"),
    ],
)
def test_bad_guest_input_gives_the_form_again_and_saves_nothing(client, dugnad, data, field):
    response = _sign_up(client, dugnad, {"party_size": "1", **data})
    assert response.status_code == 200
    assert f'id="id_{field}_error"'.encode() in response.content
    assert not Signup.objects.exists() and not GuestMail.objects.exists()


def test_a_need_of_another_dugnad_is_refused(client, resident, dugnad):
    NeedFactory(dugnad=dugnad)
    elsewhere = NeedFactory()
    client.force_login(resident)
    response = _sign_up(client, dugnad, {"party_size": "1", "need": str(elsewhere.pk)})
    assert response.status_code == 200 and b'id="id_need_error"' in response.content
    assert not Signup.objects.exists()


def test_the_chosen_need_and_comment_are_kept(client, resident, dugnad):
    need = NeedFactory(dugnad=dugnad, title="Kaffe og vafler")
    client.force_login(resident)
    _sign_up(client, dugnad, {"party_size": "3", "need": str(need.pk), "comment": " Tar med "})
    signup = Signup.objects.get()
    assert (signup.need, signup.comment, signup.party_size) == (need, "Tar med", 3)


def test_signing_up_twice_says_so_and_keeps_one(client, resident, dugnad):
    client.force_login(resident)
    _sign_up(client, dugnad)
    again = _sign_up(client, dugnad, **HTMX)
    assert again.status_code == 200
    assert b"You are already signed up for this dugnad." in again.content
    assert Signup.objects.filter(user=resident).count() == 1


def test_with_htmx_signing_up_and_cancelling_swap_the_panel(client, resident, dugnad):
    client.force_login(resident)
    signed = _sign_up(client, dugnad, **HTMX)
    assert signed.status_code == 200
    content = signed.content.decode()
    assert content.lstrip().startswith("<section") and 'id="signup"' in content
    assert "You are signed up for Vårrydding." in content and 'id="my-signup-state"' in content
    assert "4 places left of 5." in content
    # Keyboard focus goes to what happened (htmx honours autofocus in what it swaps in).
    assert 'id="signup-message" tabindex="-1" autofocus' in content
    page = client.get(dugnad.get_absolute_url()).content.decode()
    panel = page[page.index('id="signup"') :]
    assert "autofocus" not in panel[: panel.index("</section>")]

    cancelled = client.post(reverse("dugnads:signup-cancel", args=[dugnad.pk]), headers=HTMX)
    content = cancelled.content.decode()
    assert "Your sign-up for Vårrydding is cancelled." in content
    assert 'id="signup-button"' in content and "5 places left of 5." in content
    assert Signup.objects.get().state == SignupState.CANCELLED


def test_a_full_dugnad_puts_the_resident_on_the_waiting_list_with_the_position(
    client, resident, dugnad
):
    for _ in range(5):
        SignupFactory(dugnad=dugnad)
    client.force_login(resident)
    panel = client.get(dugnad.get_absolute_url()).content.decode()
    assert "The dugnad is full." in panel and "Sign up for the waiting list" in panel
    response = _sign_up(client, dugnad, **HTMX)
    content = response.content.decode()
    assert "waiting list (number 1)" in content
    assert "You are on the waiting list, number 1." in content
    assert "Leave the waiting list" in content


def test_cancel_without_js_redirects_with_a_message(client, resident, dugnad):
    client.force_login(resident)
    _sign_up(client, dugnad)
    response = client.post(reverse("dugnads:signup-cancel", args=[dugnad.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{dugnad.get_absolute_url()}#signup"
    page = client.get(dugnad.get_absolute_url()).content.decode()
    assert "Your sign-up for Vårrydding is cancelled." in page
    assert Signup.objects.get().state == SignupState.CANCELLED


@pytest.mark.parametrize(
    "role", ["resident", "leader", "board_member", "other_committee_leader", "case_handler"]
)
def test_cancel_only_ever_cancels_ones_own(client, user_in_role, dugnad, other_resident, role):
    others = SignupFactory(dugnad=dugnad, user=other_resident)
    _as(client, user_in_role, role)
    response = client.post(reverse("dugnads:signup-cancel", args=[dugnad.pk]))
    assert response.status_code == 302
    page = client.get(dugnad.get_absolute_url()).content.decode()
    assert "You are not signed up for this dugnad." in page
    others.refresh_from_db()
    assert others.state == SignupState.CONFIRMED


def test_anonymous_cancel_goes_to_log_in(client, dugnad):
    SignupFactory(dugnad=dugnad)
    response = client.post(reverse("dugnads:signup-cancel", args=[dugnad.pk]))
    assert (
        response.status_code == 302
        and "/login" in response["Location"].lower()
        or ("konto" in response["Location"])
    )
    assert Signup.objects.get().state == SignupState.CONFIRMED


def test_cancelling_after_the_start_says_so(client, resident, committee):
    now = timezone.now()
    started = DugnadFactory(
        committee=committee,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=2),
    )
    SignupFactory(dugnad=started, user=resident)
    client.force_login(resident)
    response = client.post(reverse("dugnads:signup-cancel", args=[started.pk]), headers=HTMX)
    assert b"can no longer be cancelled" in response.content
    assert Signup.objects.get().state == SignupState.CONFIRMED


@pytest.mark.parametrize("state", [State.CANCELLED, State.COMPLETED])
def test_a_cancelled_or_held_dugnad_says_sign_up_is_closed(client, resident, committee, state):
    dugnad = DugnadFactory(committee=committee, state=state)
    client.force_login(resident)
    response = _sign_up(client, dugnad, **HTMX)
    assert response.status_code == 200 and b'id="signup-closed"' in response.content
    assert not Signup.objects.exists()


# --- The panel's query count --------------------------------------------------------------------


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _panel_queries(dugnad, user) -> int:
    request = _request(user)
    with CaptureQueriesContext(connection) as captured:
        html = render_to_string(
            "dugnads/_signup.html", signup_panel_context(request, dugnad), request=request
        )
    assert 'id="signup"' in html
    return len(captured)


def _sign_ups(dugnad, count: int) -> None:
    """``count`` guests with a place, then as many waiting (no accounts needed)."""
    now = timezone.now()
    Signup.objects.bulk_create(
        Signup(
            dugnad=dugnad,
            guest_name=f"G{n}",
            guest_email=f"g{n}@example.no",
            state=SignupState.CONFIRMED if n < 5 else SignupState.WAITLISTED,
            queued_at=now - datetime.timedelta(minutes=count - n),
        )
        for n in range(count)
    )


@pytest.mark.parametrize("who", ["anonymous", "resident", "waiting resident"])
def test_the_panel_has_the_same_queries_with_10_and_1000_sign_ups(committee, who):
    counts = []
    for count in (10, 1000):
        dugnad = DugnadFactory(committee=committee, capacity=5)
        NeedFactory(dugnad=dugnad)
        _sign_ups(dugnad, count)
        user = AnonymousUser()
        if who != "anonymous":
            user = UserFactory()
        if who == "waiting resident":
            SignupFactory(dugnad=dugnad, user=user, state=SignupState.WAITLISTED, confirmed_at=None)
        counts.append(_panel_queries(dugnad, user))
    assert counts[0] == counts[1], counts
    print(who, counts)


def test_the_panel_on_the_dugnads_page_counts_the_places_from_the_pages_own_sums(
    client, dugnad, resident
):
    SignupFactory(dugnad=dugnad, party_size=2)
    SignupFactory(dugnad=dugnad, party_size=3, state=SignupState.WAITLISTED, confirmed_at=None)
    client.force_login(resident)
    content = client.get(dugnad.get_absolute_url()).content.decode()
    assert "3 places left of 5." in content


def test_the_annotated_dugnad_saves_the_panel_a_query(committee):
    from dugnads.selectors import dugnad_get_for_page

    dugnad = DugnadFactory(committee=committee, capacity=5)
    _sign_ups(dugnad, 10)
    plain = _panel_queries(dugnad, AnonymousUser())
    annotated = _panel_queries(dugnad_get_for_page(pk=dugnad.pk), AnonymousUser())
    assert annotated == plain - 1


@pytest.mark.parametrize("role", ROLES)
def test_the_guest_link_is_the_key_whoever_holds_it(client, user_in_role, dugnad, role):
    """The guest's page opens with its link for anyone (a guest may be logged in on another
    device's browser); without a valid link it is 404 for every role, the organiser's too."""
    from dugnads import guest_links, services

    signup = services.signup_create(dugnad=dugnad, guest_name="Gro", guest_email="g@example.no")
    _as(client, user_in_role, role)
    assert client.get(guest_links.signup_path(signup)).status_code == 200
    wrong = reverse("dugnads:guest-signup", args=[f"{signup.pk}"])
    assert client.get(wrong).status_code == 404
    assert client.post(wrong, {"action": "cancel"}).status_code == 404
    signup.refresh_from_db()
    assert signup.state == SignupState.UNCONFIRMED


def test_with_a_party_waiting_the_panel_says_a_new_sign_up_waits_too(client, dugnad, resident):
    for _ in range(4):
        SignupFactory(dugnad=dugnad)
    SignupFactory(dugnad=dugnad, party_size=3, state=SignupState.WAITLISTED, confirmed_at=None)
    client.force_login(resident)
    content = client.get(dugnad.get_absolute_url()).content.decode()
    assert (
        "1 place left of 5." in content
        and "Someone on the waiting list needs more places" in content
    )
    assert "Sign up for the waiting list" in content
    response = _sign_up(client, dugnad, **HTMX)
    assert "waiting list (number 2)" in response.content.decode()
