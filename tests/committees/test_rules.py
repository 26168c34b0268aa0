"""What a current membership is: one rule (``committees.models.current_membership_q``), and every
read that asks "who is on the board today" gives the same answer."""

import datetime

import pytest
import time_machine

from committees import permissions, selectors
from committees.models import Committee, Membership, Role, current_membership_q
from committees.services import board_terms_follow_up
from notifications.models import Notification
from tests.factories import CommitteeFactory, MembershipFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
DAY = datetime.timedelta(days=1)
# (term_start, term_end, current on TODAY?): the start counts, the end date does not.
TERMS = [
    (TODAY - 30 * DAY, None, True),
    (TODAY, None, True),
    (TODAY + DAY, None, False),
    (TODAY - 30 * DAY, TODAY + DAY, True),
    (TODAY - 30 * DAY, TODAY, False),
    (TODAY - 30 * DAY, TODAY - DAY, False),
    (TODAY, TODAY + DAY, True),
]


@pytest.mark.parametrize(("start", "end", "current"), TERMS)
def test_a_membership_counts_from_its_first_day_until_the_day_its_term_ends(start, end, current):
    membership = MembershipFactory(term_start=start, term_end=end)
    assert membership.is_current(on=TODAY) is current
    assert Membership.objects.current(on=TODAY).filter(pk=membership.pk).exists() is current
    assert (
        Membership.objects.filter(current_membership_q(on=TODAY), pk=membership.pk).exists()
        is current
    )


def test_an_unsaved_membership_is_not_current():
    assert not MembershipFactory.build(term_start=TODAY - DAY).is_current(on=TODAY)


@time_machine.travel(datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_every_read_of_the_board_applies_the_same_rule():
    """Counts, the leader's name, the page's board list, the board's users and the leader's
    permission all drop a leader whose term ended today, and all count one who starts today."""
    committee = CommitteeFactory()
    old = MembershipFactory(
        committee=committee, role=Role.LEADER, term_start=TODAY - 30 * DAY, term_end=TODAY
    )
    new = MembershipFactory(committee=committee, role=Role.LEADER, term_start=TODAY)
    MembershipFactory(committee=committee, role=Role.MEMBER, term_start=TODAY + DAY)

    annotated = selectors.committee_annotate_board(Committee.objects.filter(pk=committee.pk)).get()
    assert annotated.board_count == 1
    assert annotated.leader_name == new.user.full_name
    top = next(c for c in selectors.committee_list_top_level() if c.pk == committee.pk)
    assert top.member_count == 1
    page = selectors.committee_get_for_page(slug=committee.slug)
    assert [m.pk for m in page.current_board] == [new.pk]
    assert selectors.committee_board_users(committee=committee) == [new.user]
    assert selectors.committee_leader(committee=committee) == new
    assert permissions.is_leader(new.user, committee)
    assert not permissions.is_leader(old.user, committee)


def test_the_term_reminder_goes_only_to_members_whose_term_is_running():
    committee = CommitteeFactory()
    running = MembershipFactory(
        committee=committee,
        role=Role.BOARD_MEMBER,
        term_start=TODAY - 30 * DAY,
        term_end=TODAY + 10 * DAY,
    )
    MembershipFactory(  # not started yet: nothing to remind of
        committee=committee,
        role=Role.BOARD_MEMBER,
        term_start=TODAY + DAY,
        term_end=TODAY + 10 * DAY,
    )
    sent = board_terms_follow_up(today=TODAY)
    assert sent["reminders"] == 1
    assert Notification.objects.filter(recipient=running.user).count() == 1


def test_the_term_rule_is_the_models_and_the_form_says_it_once():
    """'The term cannot end before it starts': Membership.clean, which the board form runs."""
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from committees.forms import MembershipForm

    data = {
        "role": Role.BOARD_MEMBER,
        "represents": "individual",
        "term_start": "2026-06-01",
        "term_end": "2026-05-31",
    }
    with translation.override("en"):
        form = MembershipForm(data, instance=Membership(committee=CommitteeFactory()))
        assert form.errors == {"term_end": ["The term cannot end before it starts."]}
        membership = MembershipFactory.build(term_start=TODAY, term_end=TODAY - DAY)
        with pytest.raises(ValidationError) as error:
            membership.clean()
        assert error.value.message_dict == form.errors
    assert MembershipForm({**data, "term_end": "2026-06-01"}, instance=Membership()).is_valid()
