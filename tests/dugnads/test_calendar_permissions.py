"""Who gets a dugnad's calendar file and the feeds: the file follows the page
(``permissions.can_view_dugnad``: a draft only for the committee's board, its organisers
included), the feeds are public and hold public dugnads only, whoever asks."""

import pytest

from dugnads.models import State
from tests.factories import DugnadFactory

from .calendar_helpers import dugnad_uid_of, events, feed_url, ics_url, the_event

ROLES = [
    "anonymous",
    "resident",
    "organiser",
    "leader",
    "board_member",
    "other_committee_leader",
    "case_handler",
]


@pytest.fixture
def organiser(committee):
    """A board member who organises the dugnads below (not the leader)."""
    from committees.models import Role
    from tests.factories import MembershipFactory

    return MembershipFactory(
        committee=committee, role=Role.BOARD_MEMBER, user__full_name="Olga Organiser"
    ).user


@pytest.fixture
def draft(committee, organiser):
    dugnad = DugnadFactory(committee=committee, state=State.DRAFT, published_at=None)
    dugnad.organisers.add(organiser)
    return dugnad


@pytest.fixture
def published(committee, organiser):
    dugnad = DugnadFactory(committee=committee)
    dugnad.organisers.add(organiser)
    return dugnad


def _log_in(client, user_in_role, role):
    user = user_in_role(role)
    if user.is_authenticated:
        client.force_login(user)


@pytest.mark.parametrize("role", ROLES)
def test_a_published_dugnad_is_everyones(client, user_in_role, role, published):
    _log_in(client, user_in_role, role)
    event = the_event(client.get(ics_url(published)))
    assert str(event["UID"]) == dugnad_uid_of(published)


# A draft is the board's: its organiser, the leader and the other board members see its page
# and so its file; nobody else learns that it exists.
DRAFT_STATUS = {
    "anonymous": 404,
    "resident": 404,
    "organiser": 200,
    "leader": 200,
    "board_member": 200,
    "other_committee_leader": 404,
    "case_handler": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_only_for_the_board(client, user_in_role, role, draft):
    _log_in(client, user_in_role, role)
    response = client.get(ics_url(draft))
    assert response.status_code == DRAFT_STATUS[role]
    if response.status_code == 200:
        # Only the board sees it: no shared cache may keep it.
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert str(the_event(response)["UID"]) == dugnad_uid_of(draft)


@pytest.mark.parametrize("role", ROLES)
def test_feeds_are_public_and_never_hold_a_draft(
    client, user_in_role, role, committee, draft, published
):
    _log_in(client, user_in_role, role)
    for url in (feed_url(), feed_url(committee)):
        found = events(client.get(url))
        assert dugnad_uid_of(published) in found
        assert dugnad_uid_of(draft) not in found
