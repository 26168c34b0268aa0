"""Who is which party to a proposal, and who sees what (pure functions on memberships)."""

import pytest

from proposals import permissions
from proposals.models import Party, State
from tests.factories import MembershipFactory, ProposalFactory

from .roles import ROLE_PARTIES as PARTIES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", PARTIES)
def test_parties_and_what_each_sees(user_in_role, role, committee, author):
    user = user_in_role(role)
    proposal = ProposalFactory(committee=committee, author=author)
    assert permissions.parties_of(user, proposal) == PARTIES[role]
    assert permissions.can_view_proposal(user, proposal)
    assert permissions.can_view_dialogue(user, proposal) == bool(PARTIES[role])
    assert permissions.can_view_inbox(user, committee) == (Party.COMMITTEE in PARTIES[role])
    draft = ProposalFactory(committee=committee, author=author, state=State.DRAFT, reference=None)
    assert permissions.can_view_proposal(user, draft) == (role == "author")
    assert permissions.can_edit_draft(user, draft) == (role == "author")
    assert not permissions.can_view_dialogue(user, draft)


def test_followers_and_ended_terms_are_not_the_committee(committee, author):
    import datetime

    follower = MembershipFactory(committee=committee, role="member").user
    former = MembershipFactory(
        committee=committee, role="leader", term_end=datetime.date(2025, 1, 1)
    ).user
    proposal = ProposalFactory(committee=committee, author=author)
    assert permissions.parties_of(follower, proposal) == set()
    assert permissions.parties_of(former, proposal) == set()


def test_a_deactivated_case_handler_is_no_party(case_handler, committee, author):
    case_handler.is_active = False
    case_handler.save()
    assert permissions.parties_of(case_handler, ProposalFactory(committee=committee)) == set()


def test_the_author_writes_in_the_dialogue_only_if_also_on_the_board(committee, leader):
    proposal = ProposalFactory(committee=committee, author=leader, state=State.IN_REVIEW)
    assert permissions.message_party(leader, proposal) == Party.COMMITTEE
    other = ProposalFactory(committee=committee, state=State.IN_REVIEW)
    assert permissions.message_party(other.author, other) is None
