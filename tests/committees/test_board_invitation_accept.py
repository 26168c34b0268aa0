"""The accept page: an invitee joins a board only by saying yes, once (issue 10).

Only the person whose confirmed address the invitation was sent to may answer; accepting adds
them under the board's rules as they are then, once however often it is posted, and tells the
leader; declining changes nothing but the invitation, and tells the leader too.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from committees import invitation_services
from committees.models import BoardInvitation, InvitationStatus, Membership, Role
from notifications.models import Notification
from tests.factories import CommitteeFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitee(db):
    return UserFactory(email="ny@example.no", full_name="Nina Ny")


def _invite(committee, actor, *, email="ny@example.no", role=Role.TREASURER):
    return invitation_services.board_invitation_create(
        committee=committee,
        actor=actor,
        email=email,
        role=role,
        represents="elderly",
        term_start=datetime.date(2026, 1, 1),
        term_end=datetime.date(2028, 1, 1),
    )


@pytest.fixture
def invitation(committee, leader):
    return _invite(committee, leader)


def _page(invitation):
    return invitation.get_absolute_url()


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_the_address_is_the_accept_page_under_the_committee(invitation):
    assert _page(invitation) == f"/nmu/svarstad/invitasjon/{invitation.token}/"
    assert len(invitation.token) >= 32


def test_anonymous_is_sent_to_log_in_and_back(client, invitation):
    response = client.get(_page(invitation))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={_page(invitation)}"


def test_someone_else_logged_in_gets_403_with_a_clear_message(client, invitation, resident):
    client.force_login(resident)
    for response in (
        client.get(_page(invitation)),
        client.post(_page(invitation), {"answer": "accept"}),
    ):
        assert response.status_code == 403
        assert response.context["refusal"] == invitation_services.NOT_YOURS_MESSAGE
        assert "Godta" not in response.content.decode()
    assert not Membership.objects.filter(user=resident, committee=invitation.committee).exists()


def test_an_unconfirmed_address_is_not_enough(client, invitation, invitee):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=invitee).update(verified=False)
    client.force_login(invitee)
    assert client.get(_page(invitation)).status_code == 403


def test_a_wrong_or_other_committees_token_is_404(client, invitation, invitee):
    client.force_login(invitee)
    assert client.get("/nmu/svarstad/invitasjon/finnes-ikke/").status_code == 404
    CommitteeFactory(slug="stavern")
    assert client.get(f"/nmu/stavern/invitasjon/{invitation.token}/").status_code == 404


def test_the_invitee_sees_what_joining_means(client, invitation, invitee):
    client.force_login(invitee)
    response = client.get(_page(invitation))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Svarstad" in page
    assert "Sverre Leder, leder i Svarstad, inviterer deg til styret som kasserer." in page
    assert "navnet og rollen din vises på utvalgets offentlige side" in page
    assert 'value="accept"' in page and 'value="decline"' in page
    # Nothing changes by looking.
    assert not Membership.objects.filter(user=invitee).exists()


def test_accept_adds_the_invitee_and_tells_the_leader(
    client, committee, invitation, invitee, leader
):
    client.force_login(invitee)
    response = client.post(_page(invitation), {"answer": "accept"}, follow=True)
    assert response.redirect_chain == [(committee.get_absolute_url(), 302)]
    assert _messages(response) == ["Velkommen i styret i Svarstad. Du er nå kasserer."]
    membership = Membership.objects.current().get(committee=committee, user=invitee)
    assert (membership.role, membership.represents, membership.term_start, membership.term_end) == (
        Role.TREASURER,
        "elderly",
        datetime.date(2026, 1, 1),
        datetime.date(2028, 1, 1),
    )
    assert "Nina Ny" in response.content.decode()  # now on the public page, having said yes
    invitation.refresh_from_db()
    assert (invitation.status, invitation.membership) == (InvitationStatus.ACCEPTED, membership)
    told = Notification.objects.get(recipient=leader)
    assert told.kind == "committee.board_invitation_answered"
    assert told.subject == "Nina Ny er med i styret i Svarstad"
    # The invitee chose this themselves: no "you have been added".
    assert not Notification.objects.filter(recipient=invitee).exists()


def test_a_second_post_adds_no_second_membership(client, committee, invitation, invitee, leader):
    client.force_login(invitee)
    client.post(_page(invitation), {"answer": "accept"}, follow=True)
    response = client.post(_page(invitation), {"answer": "accept"}, follow=True)
    assert _messages(response) == ["Du har allerede godtatt denne invitasjonen."]
    assert Membership.objects.filter(committee=committee, user=invitee).count() == 1
    assert Notification.objects.filter(recipient=leader).count() == 1
    # And the service itself refuses a second yes with its code.
    with pytest.raises(Exception) as again:
        invitation_services.board_invitation_accept(invitation=invitation, user=invitee)
    assert again.value.code == invitation_services.NOT_PENDING


def test_the_accept_service_locks_the_invitation_row(invitation, invitee, monkeypatch):
    """Two tabs: the second waits on the row lock, then finds the invitation answered."""
    locked = []
    original = BoardInvitation.objects.select_for_update

    def spy(*args, **kwargs):
        locked.append(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(BoardInvitation.objects, "select_for_update", spy)
    invitation_services.board_invitation_accept(invitation=invitation, user=invitee)
    assert locked == [{"of": ("self",)}]


def test_an_expired_invitation_says_so_and_adds_nobody(client, invitation, invitee):
    from committees import invitations

    BoardInvitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=invitations.KEEP_DAYS, seconds=1)
    )
    client.force_login(invitee)
    page = client.get(_page(invitation))
    assert page.status_code == 200
    assert page.context["closed"] == invitation_services.EXPIRED_MESSAGE
    assert 'value="accept"' not in page.content.decode()
    response = client.post(_page(invitation), {"answer": "accept"})
    assert response.status_code == 400
    assert response.context["errors"] == [invitation_services.EXPIRED_MESSAGE]
    assert not Membership.objects.filter(user=invitee).exists()


def test_a_withdrawn_invitation_says_so_and_adds_nobody(client, invitation, invitee, leader):
    invitation_services.board_invitation_withdraw(invitation=invitation, actor=leader)
    client.force_login(invitee)
    page = client.get(_page(invitation))
    assert "Lederen i utvalget har trukket tilbake denne invitasjonen." in page.content.decode()
    response = client.post(_page(invitation), {"answer": "accept"})
    assert response.status_code == 400
    assert not Membership.objects.filter(user=invitee).exists()


def test_decline_changes_nothing_but_tells_the_leader(
    client, committee, invitation, invitee, leader
):
    client.force_login(invitee)
    response = client.post(_page(invitation), {"answer": "decline"}, follow=True)
    assert _messages(response) == ["Du har takket nei til invitasjonen til styret i Svarstad."]
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert not Membership.objects.filter(user=invitee).exists()
    told = Notification.objects.get(recipient=leader)
    assert told.subject == "Nina Ny har takket nei til styret i Svarstad"
    # A decline is final: accepting afterwards adds nobody.
    assert client.post(_page(invitation), {"answer": "accept"}).status_code == 400
    assert not Membership.objects.filter(user=invitee).exists()


def test_no_answer_gives_the_page_back(client, invitation, invitee):
    client.force_login(invitee)
    response = client.post(_page(invitation), {"answer": "kanskje"})
    assert response.status_code == 400
    assert response.context["errors"] == ["Velg om du godtar eller takker nei til invitasjonen."]


def test_board_rules_are_checked_again_when_accepting(client, committee, invitee):
    """Invited as leader while there was none; someone became leader meanwhile."""
    invitation = _invite(committee, None, role=Role.LEADER)
    MembershipFactory(committee=committee, role=Role.LEADER)
    client.force_login(invitee)
    response = client.post(_page(invitation), {"answer": "accept"})
    assert response.status_code == 400
    assert response.context["errors"] == ["Utvalget har allerede en leder."]
    assert not Membership.objects.filter(user=invitee).exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_someone_already_on_the_board_cannot_take_a_second_role(
    client, committee, leader, board_member
):
    invitation = _invite(committee, leader, email=board_member.email)
    client.force_login(board_member)
    response = client.post(_page(invitation), {"answer": "accept"})
    assert response.status_code == 400
    assert response.context["errors"] == ["Denne personen har allerede en rolle i utvalget."]
    assert Membership.objects.get(user=board_member).role == Role.BOARD_MEMBER


def test_a_follower_who_accepts_stops_following(client, committee, invitation, invitee):
    MembershipFactory(committee=committee, user=invitee, role=Role.MEMBER)
    client.force_login(invitee)
    client.post(_page(invitation), {"answer": "accept"})
    assert list(
        Membership.objects.current()
        .filter(committee=committee, user=invitee)
        .values_list("role", flat=True)
    ) == [Role.TREASURER]


def test_the_services_refuse_someone_else_with_their_code(invitation, resident):
    for service in (
        invitation_services.board_invitation_accept,
        invitation_services.board_invitation_decline,
    ):
        with pytest.raises(Exception) as refused:
            service(invitation=invitation, user=resident)
        assert refused.value.code == invitation_services.NOT_YOURS
    assert not Membership.objects.filter(user=resident).exists()


def test_the_accept_page_is_in_english_for_someone_who_chose_english(client, invitation, invitee):
    """Every string on the page goes through the catalogue: in English nothing Norwegian is
    left over (the language switcher's "Norsk" is the one Norwegian word meant to be there)."""
    from django.conf import settings

    client.force_login(invitee)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(_page(invitation))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en"' in page
    assert '<h1 class="ds-heading" data-size="lg">Invitation to the board</h1>' in page
    text = " ".join(page.split())  # the sentence is wrapped in the template
    assert (
        "Sverre Leder, the leader of Svarstad, invites you to join the committee's board as "
        "treasurer." in text
    )
    for english in ("What it means", "Accept and join the board", "Decline", "Open until"):
        assert english in page
    for norwegian in (
        "Invitasjon til styret",
        "inviterer deg",
        "Hva det betyr",
        "Godta",
        "Avslå",
        "Kasserer",
        "Eldre",
        "Åpen til",
        "offentlige side",
    ):
        assert norwegian not in page, norwegian
