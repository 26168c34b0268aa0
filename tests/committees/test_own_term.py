"""A leader cannot change or end their own term on the site (docs/committees.md, "Memberships"):
the municipality does that in the admin. The rule is ``committees.rules``; the service refuses
with its code, the form shows the fields read-only and gives itself back if they are posted anyway.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from committees import rules, services
from committees.models import Membership, Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

OWN_TERM_NB = "Du kan ikke endre eller avslutte din egen periode som leder her"


def _edit_url(membership):
    return reverse(
        "committees:membership-edit",
        kwargs={"slug": membership.committee.slug, "pk": membership.pk},
    )


def _post(membership, **overrides):
    data = {
        "role": membership.role,
        "represents": membership.represents,
        "term_start": membership.term_start.isoformat(),
        "term_end": membership.term_end.isoformat() if membership.term_end else "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def own(leader):
    return Membership.objects.get(user=leader)


@pytest.mark.parametrize(
    "term_end",
    ["2099-12-31", "today"],
    ids=["extend-to-2099", "end-today"],
)
def test_leader_posting_a_new_own_term_is_refused(client, leader, own, term_end):
    if term_end == "today":
        term_end = timezone.localdate().isoformat()
    client.force_login(leader)
    response = client.post(_edit_url(own), _post(own, term_end=term_end))
    assert response.status_code == 200
    page = response.content.decode()
    assert OWN_TERM_NB in page
    # The read-only field shows the stored term again, not the refused value.
    assert f'value="{term_end}"' not in page
    stored = Membership.objects.get(pk=own.pk)
    assert (stored.term_start, stored.term_end, stored.role) == (own.term_start, None, Role.LEADER)
    assert stored.is_current()


def test_leader_cannot_move_own_term_start(client, leader, own):
    client.force_login(leader)
    response = client.post(_edit_url(own), _post(own, term_start="2030-01-01"))
    assert response.status_code == 200
    assert OWN_TERM_NB in response.content.decode()
    assert Membership.objects.get(pk=own.pk).term_start == own.term_start


def test_leader_may_still_change_whom_they_represent(client, leader, own):
    client.force_login(leader)
    response = client.post(_edit_url(own), _post(own, represents="business"))
    assert response.status_code == 302
    assert Membership.objects.get(pk=own.pk).represents == "business"


def test_own_term_fields_are_shown_read_only(client, leader, own):
    client.force_login(leader)
    page = client.get(_edit_url(own)).content.decode()
    assert page.count("readonly") >= 2
    # The role select offers only the role the leader has.
    assert 'value="treasurer"' not in page


def test_leader_changes_another_members_term(client, leader, board_member):
    other = Membership.objects.get(user=board_member)
    client.force_login(leader)
    response = client.post(_edit_url(other), _post(other, term_end="2099-12-31"))
    assert response.status_code == 302
    assert Membership.objects.get(pk=other.pk).term_end == datetime.date(2099, 12, 31)


def test_outsider_and_anonymous_cannot_edit_the_leaders_term(
    client, leader, own, other_committee_leader, resident
):
    url = _edit_url(own)
    response = client.post(url, _post(own, term_end="2099-12-31"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    for outsider in (resident, other_committee_leader):
        client.force_login(outsider)
        assert client.post(url, _post(own, term_end="2099-12-31")).status_code == 403
    assert Membership.objects.get(pk=own.pk).term_end is None


def test_service_refuses_with_the_rules_code(leader, own):
    with pytest.raises(ValidationError) as refused:
        services.membership_update(
            membership=own,
            actor=leader,
            role=Role.LEADER,
            represents=own.represents,
            term_start=own.term_start,
            term_end=datetime.date(2099, 12, 31),
        )
    assert [e.code for e in refused.value.error_dict["term_end"]] == [rules.OWN_TERM]
    assert Membership.objects.get(pk=own.pk).term_end is None


def test_service_compares_with_the_stored_term_not_the_callers_copy(leader, own):
    """A caller's instance already carrying the new term (a ModelForm changes its instance while
    validating) is still refused: the service reads the stored row."""
    own.term_end = datetime.date(2099, 12, 31)
    with pytest.raises(ValidationError):
        services.membership_update(
            membership=own,
            actor=leader,
            role=Role.LEADER,
            represents=own.represents,
            term_start=own.term_start,
            term_end=datetime.date(2099, 12, 31),
        )
    assert Membership.objects.get(pk=own.pk).term_end is None


def test_the_municipality_may_change_a_leaders_term(leader, own, superuser):
    """Without a site actor who is the member (the admin, a script), the term may change."""
    services.membership_update(
        membership=own,
        actor=superuser,
        role=Role.LEADER,
        represents=own.represents,
        term_start=own.term_start,
        term_end=datetime.date(2099, 12, 31),
    )
    assert Membership.objects.get(pk=own.pk).term_end == datetime.date(2099, 12, 31)


def test_a_new_leader_may_change_the_former_leaders_old_term(committee, leader):
    former = MembershipFactory(
        committee=committee,
        role=Role.BOARD_MEMBER,
        term_start=datetime.date(2022, 1, 1),
        term_end=datetime.date(2023, 1, 1),
    )
    assert rules.own_membership_locked_fields(membership=former, actor=leader) == set()
