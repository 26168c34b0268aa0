"""The "add board member" form does not reveal whether an address has an account (issue 10).

Whatever the address — a resident's, one nobody has, one already on the board — the leader gets
the same status, the same redirect and the same message. Behind it, a person with an account is
added and told; an address without one gets an invitation e-mail (a ``BoardInvitation`` row,
sent by a task) asking them to create an account. Rules that do not depend on the address (one
leader, the term's order) still give the form back, for every address alike.
"""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from committees import invitations
from committees.models import BoardInvitation, Membership, Role
from notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SAME_MESSAGE_NB = "Hvis ny@example.no har en konto på portalen, er personen nå med i styret"


def _form(email, **overrides):
    data = {
        "email": email,
        "role": Role.TREASURER,
        "represents": "elderly",
        "term_start": "2026-01-01",
        "term_end": "2028-01-01",
    }
    data.update(overrides)
    return data


def _post(client, committee, data):
    return client.post(
        reverse("committees:membership-add", kwargs={"slug": committee.slug}), data, follow=True
    )


def _shape(response):
    """What the leader can tell apart: statuses on the way, where they end, the messages."""
    return (
        [(status, url) for url, status in response.redirect_chain],
        response.status_code,
        [str(m) for m in response.context["messages"]],
    )


def _new_email(address):
    """The same message for every address: compare with the address itself replaced."""
    return lambda shape: (
        shape[0],
        shape[1],
        [m.replace(address, "ny@example.no") for m in shape[2]],
    )


def test_existing_and_unknown_addresses_get_the_same_answer(client, committee, leader):
    person = UserFactory(email="ny@example.no")
    client.force_login(leader)
    existing = _shape(_post(client, committee, _form("ny@example.no")))
    unknown = _shape(_post(client, committee, _form("ukjent@example.no")))
    assert _new_email("ukjent@example.no")(unknown) == existing
    assert existing[0] == [(302, committee.get_absolute_url())]
    assert existing[1] == 200
    assert len(existing[2]) == 1 and SAME_MESSAGE_NB in existing[2][0]
    # Behind the same answer: the person was added and told, the address was invited.
    assert Membership.objects.filter(committee=committee, user=person, role=Role.TREASURER).exists()
    assert Notification.objects.filter(recipient=person).count() == 1
    invitation = BoardInvitation.objects.get()
    assert (invitation.email, invitation.committee, invitation.role) == (
        "ukjent@example.no",
        committee,
        Role.TREASURER,
    )


def test_someone_already_on_the_board_gets_the_same_answer_and_nothing_changes(
    client, committee, leader, board_member
):
    client.force_login(leader)
    unknown = _shape(_post(client, committee, _form("ukjent@example.no")))
    already = _shape(_post(client, committee, _form(board_member.email)))
    assert _new_email(board_member.email)(already) == _new_email("ukjent@example.no")(unknown)
    assert already[0] == [(302, committee.get_absolute_url())]
    assert Membership.objects.get(user=board_member).role == Role.BOARD_MEMBER
    assert not Notification.objects.filter(recipient=board_member).exists()


def test_rules_that_do_not_depend_on_the_address_refuse_every_address_alike(
    client, committee, leader
):
    UserFactory(email="ny@example.no")
    client.force_login(leader)
    for field, value in (("role", Role.LEADER), ("term_end", "2025-01-01")):
        answers = []
        for address in ("ny@example.no", "ukjent@example.no"):
            response = _post(client, committee, _form(address, **{field: value}))
            assert response.status_code == 200 and not response.redirect_chain
            errors = response.context["form"].errors
            answers.append({name: list(messages) for name, messages in errors.items()})
        assert answers[0] == answers[1], field
    assert not BoardInvitation.objects.exists()
    assert not Membership.objects.filter(user__email="ny@example.no").exists()


def test_municipal_contact_error_is_the_same_without_an_account(client, committee, leader):
    UserFactory(email="ny@example.no")
    client.force_login(leader)
    answers = []
    for address in ("ny@example.no", "ukjent@example.no"):
        response = _post(client, committee, _form(address, role=Role.MUNICIPAL_CONTACT))
        assert response.status_code == 200
        answers.append(response.context["form"].errors.get("role"))
    assert answers[0] == answers[1] and answers[0]
    assert not BoardInvitation.objects.exists()


def test_the_invitation_is_sent_once_by_the_task(committee, leader):
    invitation = BoardInvitation.objects.create(
        committee=committee, email="ukjent@example.no", role=Role.SECRETARY, invited_by=leader
    )
    assert invitations.board_invitations_send() == {"sent": 1, "failed": 0, "deleted": 0}
    assert invitations.board_invitations_send() == {"sent": 0, "failed": 0, "deleted": 0}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ukjent@example.no"]
    assert "Svarstad" in message.subject
    assert "sekretær" in message.body
    assert "Sverre Leder" in message.body
    assert "leader@example.no" not in message.body  # the leader's address is not given out
    assert reverse("account_signup") in message.body
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_a_second_invitation_to_the_same_address_within_a_day_is_not_sent(
    client, committee, leader
):
    client.force_login(leader)
    first = _shape(_post(client, committee, _form("ukjent@example.no")))
    second = _shape(_post(client, committee, _form("ukjent@example.no")))
    assert first == second
    assert BoardInvitation.objects.count() == 1


def test_invitations_are_forgotten_after_the_keep_period(committee, leader):
    old = BoardInvitation.objects.create(
        committee=committee, email="gammel@example.no", role=Role.SECRETARY, invited_by=leader
    )
    BoardInvitation.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=invitations.KEEP_DAYS + 1),
        sent_at=timezone.now() - datetime.timedelta(days=invitations.KEEP_DAYS + 1),
    )
    assert invitations.board_invitations_send()["deleted"] == 1
    assert not BoardInvitation.objects.exists()


def test_anonymous_and_outsider_cannot_invite(client, committee, resident, other_committee_leader):
    url = reverse("committees:membership-add", kwargs={"slug": committee.slug})
    assert client.post(url, _form("ukjent@example.no")).status_code == 302
    for outsider in (resident, other_committee_leader):
        client.force_login(outsider)
        assert client.post(url, _form("ukjent@example.no")).status_code == 403
    assert not BoardInvitation.objects.exists()


def test_a_follower_added_by_address_is_added_without_a_second_invitation(
    client, committee, leader, resident
):
    MembershipFactory(committee=committee, user=resident, role=Role.MEMBER)
    client.force_login(leader)
    _post(client, committee, _form(resident.email))
    assert Membership.objects.current().get(committee=committee, user=resident).role == (
        Role.TREASURER
    )
    assert not BoardInvitation.objects.exists()


def test_a_failed_send_is_tried_again_later(committee, leader, monkeypatch):
    invitation = BoardInvitation.objects.create(
        committee=committee, email="ukjent@example.no", role=Role.SECRETARY, invited_by=leader
    )

    def refuse(self, *args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(invitations.EmailMessage, "send", refuse)
    assert invitations.board_invitations_send()["failed"] == 1
    invitation.refresh_from_db()
    assert (invitation.sent_at, invitation.attempts) == (None, 1)
    monkeypatch.undo()
    # Not before its back-off has run out; then it goes.
    assert invitations.board_invitations_send()["sent"] == 0
    later = invitation.available_at + datetime.timedelta(seconds=1)
    assert invitations.board_invitations_send(now=later)["sent"] == 1
    assert len(mail.outbox) == 1


def test_beat_sends_invitations_every_minute():
    from django.conf import settings

    from larvik_nmu.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["committees-board-invitations"]
    assert entry["task"] == "committees.send_board_invitations"
    assert entry["schedule"] <= 60
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
