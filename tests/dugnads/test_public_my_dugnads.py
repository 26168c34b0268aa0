"""Min side → My dugnads (/dugnad/mine/): the person's own sign-ups, their place on a waiting
list, cancelled dugnads, and the dugnads they organise."""

import datetime

import pytest
from django.urls import reverse

from dugnads.models import Dugnad, Signup, State
from tests.factories import DugnadFactory, NeedFactory, SignupFactory, UserFactory

from .public_helpers import (  # noqa: F401 (default_language_after: an autouse fixture)
    days,
    default_language_after,
    english,
    hrefs,
    queries,
)

pytestmark = pytest.mark.django_db

URL = reverse("dugnads:my-dugnads")


def _row(body, signup):
    start = body.index(f'data-signup="{signup.pk}"')
    return body[start : body.index("</li>", start)]


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "role", ["resident", "board_member", "leader", "other_committee_leader", "case_handler"]
)
def test_every_logged_in_person_has_the_page(client, user_in_role, role):
    client.force_login(user_in_role(role))
    response = english(client).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<h1") == 1
    assert "You are not signed up for any dugnad that is coming up." in body
    assert client.post(URL).status_code == 405


def test_the_min_side_menu_links_to_the_page(client, resident):
    client.force_login(resident)
    body = english(client).get(reverse("proposals:my-proposals")).content.decode()
    assert f'<a class="ds-link" href="{URL}">My dugnads</a>' in body
    body = english(client).get(URL).content.decode()
    assert f'<a class="ds-link" href="{URL}" aria-current="page">My dugnads</a>' in body


def test_own_sign_ups_only_with_their_state_and_waiting_list_position(
    client, committee, resident, other_resident
):
    full = DugnadFactory(committee=committee, title="Full dugnad", capacity=1)
    SignupFactory(dugnad=full, user=other_resident)
    earlier = SignupFactory(dugnad=full, state="waitlisted", confirmed_at=None)
    earlier.queued_at = days(-2)
    earlier.save()
    waiting = SignupFactory(dugnad=full, user=resident, state="waitlisted", confirmed_at=None)
    SignupFactory(dugnad=full, state="waitlisted", confirmed_at=None)  # behind: not counted
    open_one = DugnadFactory(committee=committee, title="Åpen dugnad", starts_at=days(30))
    open_one.ends_at = open_one.starts_at + datetime.timedelta(hours=2)
    open_one.save()
    need = NeedFactory(dugnad=open_one, title="Kaffe og vafler")
    confirmed = SignupFactory(dugnad=open_one, user=resident, party_size=3, need=need)
    cancelled_dugnad = DugnadFactory(committee=committee, title="Avlyst dugnad", state="cancelled")
    on_cancelled = SignupFactory(dugnad=cancelled_dugnad, user=resident)
    withdrawn = DugnadFactory(committee=committee, title="Meldt av")
    SignupFactory(dugnad=withdrawn, user=resident, state="cancelled")
    others = DugnadFactory(committee=committee, title="Andres dugnad")
    SignupFactory(dugnad=others, user=other_resident)

    client.force_login(resident)
    body = english(client).get(URL).content.decode()
    assert "On the waiting list, number 2" in _row(body, waiting)
    row = _row(body, confirmed)
    assert 'data-state="confirmed">You are signed up</span>' in row
    assert "<dt>Number of people</dt><dd>3</dd>" in row and "Kaffe og vafler" in row
    assert 'data-state="dugnad-cancelled">The dugnad is cancelled</span>' in _row(
        body, on_cancelled
    )
    assert "Meldt av" not in body and "Andres dugnad" not in body
    # Soonest first.
    assert body.index("Full dugnad") < body.index("Åpen dugnad")
    assert {full.get_absolute_url(), open_one.get_absolute_url()} <= hrefs(body)


def test_held_dugnads_are_apart_with_hours_and_the_latest_first(client, committee, resident):
    recent = DugnadFactory(
        committee=committee, title="Nylig", state=State.REPORTED, starts_at=days(-3)
    )
    recent.ends_at = recent.starts_at + datetime.timedelta(hours=3)
    recent.save()
    old = DugnadFactory(committee=committee, title="Lenge siden", state=State.COMPLETED)
    old.starts_at, old.ends_at = days(-90), days(-90, 14)
    old.save()
    coming = DugnadFactory(committee=committee, title="Kommer snart")
    with_hours = SignupFactory(dugnad=recent, user=resident, hours=4)
    SignupFactory(dugnad=old, user=resident)
    SignupFactory(dugnad=coming, user=resident)
    client.force_login(resident)
    body = english(client).get(URL).content.decode()
    past = body[body.index('id="past"') :]
    upcoming = body[body.index('id="upcoming"') : body.index('id="past"')]
    assert "Kommer snart" in upcoming and "Nylig" not in upcoming
    assert past.index("Nylig") < past.index("Lenge siden")
    assert "<dt>Hours</dt><dd>4</dd>" in _row(body, with_hours)
    # A held dugnad is history: "you had a place", not "you are signed up".
    assert "You had a place" in _row(body, with_hours) and "You are signed up" not in past


def test_only_the_latest_held_are_shown_and_it_says_so(client, committee, resident):
    from dugnads.views.public import MY_PAST_LIMIT

    _sign_up_many(resident, committee, MY_PAST_LIMIT + 1, past=True)
    client.force_login(resident)
    body = english(client).get(URL).content.decode()
    assert f"The {MY_PAST_LIMIT} latest dugnads are shown." in body
    assert body[body.index('id="past"') :].count('data-signup="') == MY_PAST_LIMIT


def test_the_dugnads_someone_organises_drafts_included(client, committee, board_member):
    draft = DugnadFactory(committee=committee, title="Mitt utkast", state=State.DRAFT)
    draft.organisers.add(board_member)
    theirs = DugnadFactory(committee=committee, title="Ikke min")
    client.force_login(board_member)
    body = english(client).get(URL).content.decode()
    organised = body[body.index('id="organised"') :]
    assert "Mitt utkast" in organised and ">Draft</span>" in organised
    assert theirs.title not in body


def test_no_organised_section_for_someone_who_organises_nothing(client, resident):
    client.force_login(resident)
    assert 'id="organised"' not in client.get(URL).content.decode()


def _sign_up_many(user, committee, n, *, past: bool, offset: int = 0):
    start = days(-200) if past else days(2)
    dugnads = Dugnad.objects.bulk_create(
        DugnadFactory.build(
            committee=committee,
            title=f"Dugnad {offset + i}",
            starts_at=start + datetime.timedelta(hours=offset + i),
            ends_at=start + datetime.timedelta(hours=offset + i + 1),
            state=State.REPORTED if past else State.PUBLISHED,
            capacity=1,
        )
        for i in range(n)
    )
    others = [UserFactory() for _ in range(2)] if not past else []
    rows = []
    for i, dugnad in enumerate(dugnads):
        waiting = not past and i % 2
        if waiting:
            rows += [Signup(dugnad=dugnad, user=other, state="confirmed") for other in others[:1]]
            rows += [Signup(dugnad=dugnad, user=others[1], state="waitlisted")]
        rows.append(
            Signup(dugnad=dugnad, user=user, state="waitlisted" if waiting else "confirmed")
        )
    Signup.objects.bulk_create(rows)
    return dugnads


def test_the_page_keeps_its_query_count_with_10_and_1000_sign_ups(client, committee, resident):
    for _ in range(3):
        DugnadFactory(committee=committee, state=State.DRAFT).organisers.add(resident)
    _sign_up_many(resident, committee, 5, past=False)
    _sign_up_many(resident, committee, 5, past=True)
    client.force_login(resident)
    small, _ = queries(client, URL)
    _sign_up_many(resident, committee, 495, past=False, offset=5)
    _sign_up_many(resident, committee, 495, past=True, offset=5)
    assert Signup.objects.filter(user=resident).count() == 1000
    large, response = queries(client, URL)
    assert small == large, (small, large)
    upcoming = response.context["upcoming"]
    assert len(upcoming) == 500
    assert {s.waitlist_position for s in upcoming if s.state == "waitlisted"} == {2}
