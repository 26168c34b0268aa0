"""Who may open the organisers' pages: every view as every role the issue names.

A board member creates; the organisers and the leader manage; anyone else gets 403 for a dugnad
they may see and 404 for a draft (whose existence is the board's); anonymous visitors are sent
to the login page. POSTs are refused the same way and change nothing.
"""

# ruff: noqa: F811 - the fixtures imported from manage_helpers are the tests' arguments

import pytest
from django.urls import reverse

from dugnads.models import Dugnad, DugnadEvent, State
from notifications.models import Notification

from .manage_helpers import (  # noqa: F401 (fixtures)
    MANAGERS,
    ROLES,
    department,
    draft,
    form_data,
    login,
    organiser,
    published,
)

PAGES = [
    ("dugnads:dugnad-edit", {}),
    ("dugnads:dugnad-transition", {"to_state": State.CANCELLED}),
    ("dugnads:participant-list", {}),
    ("dugnads:participant-csv", {}),
    ("dugnads:participant-message", {}),
]


def _url(name, dugnad, extra):
    return reverse(name, kwargs={"pk": dugnad.pk, **extra})


@pytest.mark.parametrize("role", ROLES)
def test_the_create_page_is_the_boards(client, committee, role, user_in_role, organiser):
    login(client, user_in_role(role))
    response = client.get(reverse("dugnads:dugnad-create", kwargs={"slug": committee.slug}))
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    elif role in {"organiser", "board_member", "leader"}:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_creating_is_refused_to_all_but_the_board(client, committee, role, user_in_role):
    user = user_in_role(role)
    login(client, user)
    if role in {"organiser", "board_member", "leader"}:
        return  # tests/dugnads/test_manage_form.py creates as the board
    data = form_data(organisers=[] if role == "anonymous" else [user])
    response = client.post(reverse("dugnads:dugnad-create", kwargs={"slug": committee.slug}), data)
    assert response.status_code in (302, 403)
    assert not Dugnad.objects.exists()


def test_an_unknown_committee_is_404(client, leader):
    client.force_login(leader)
    response = client.get(reverse("dugnads:dugnad-create", kwargs={"slug": "finnes-ikke"}))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "extra"), PAGES, ids=[name for name, _ in PAGES])
def test_a_published_dugnads_pages_are_its_managers(
    client, published, role, user_in_role, name, extra
):
    login(client, user_in_role(role))
    response = client.get(_url(name, published, extra))
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    elif role in MANAGERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "extra"), PAGES, ids=[name for name, _ in PAGES])
def test_a_drafts_pages_are_404_to_those_who_may_not_see_it(
    client, draft, role, user_in_role, name, extra
):
    login(client, user_in_role(role))
    response = client.get(_url(name, draft, extra))
    if role == "anonymous":
        assert response.status_code == 302
    elif role in MANAGERS:
        # A draft's cancel step exists; its participant pages are empty but open.
        assert response.status_code == 200
    elif role == "board_member":
        assert response.status_code == 403  # the board sees drafts, but this one is not theirs
    else:
        assert response.status_code == 404


@pytest.mark.parametrize(
    "role", ["resident", "board_member", "other_committee_leader", "case_handler"]
)
def test_posts_by_others_change_nothing(client, published, role, user_in_role, resident):
    from tests.factories import SignupFactory

    SignupFactory(dugnad=published, user=resident)
    user = user_in_role(role)
    login(client, user)
    posts = [
        (_url("dugnads:dugnad-edit", published, {}), form_data(organisers=[user], title="Kapret")),
        (
            _url("dugnads:dugnad-transition", published, {"to_state": State.CANCELLED}),
            {"message": "Avlyst av en uvedkommende"},
        ),
        (_url("dugnads:participant-message", published, {}), {"body": "Hei alle sammen"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403
    published.refresh_from_db()
    assert published.title == "Vårdugnad i parken" and published.state == State.PUBLISHED
    assert not DugnadEvent.objects.filter(dugnad=published).exists()
    assert not Notification.objects.filter(kind="dugnad.message").exists()


def test_a_missing_dugnad_and_an_unknown_step_are_404(client, published, organiser):
    client.force_login(organiser)
    assert client.get(reverse("dugnads:dugnad-edit", kwargs={"pk": 999_999})).status_code == 404
    url = reverse("dugnads:dugnad-transition", kwargs={"pk": published.pk, "to_state": "flying"})
    assert client.get(url).status_code == 404


def test_an_organiser_who_left_the_board_no_longer_manages(client, published, organiser):
    from datetime import date

    from committees.models import Membership

    Membership.objects.filter(user=organiser).update(term_end=date(2025, 1, 1))
    client.force_login(organiser)
    assert client.get(_url("dugnads:participant-list", published, {})).status_code == 403
