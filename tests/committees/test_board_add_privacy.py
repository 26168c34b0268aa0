"""The "add board member" form does not reveal whether an address has an account (issue 10).

Whatever the address — a resident's, one nobody has, one already on the board — the leader's
request makes a ``BoardInvitation`` and nothing else: the same status, the same redirect, the same
page after it, the same message and the same queries. Nobody is on the board before they accept
(test_board_invitation_accept.py). The sending task, after the request, decides how the
invitation goes: a notification to an account with that confirmed address, a framed e-mail to
sign up otherwise.
"""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from committees import invitation_services, invitations, services
from committees.forms import MembershipAddForm
from committees.models import BoardInvitation, InvitationStatus, Membership, Role
from notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SAME_MESSAGE_NB = (
    "Invitasjonen er sendt til ny@example.no. Personen blir med i styret når hen godtar den."
)
# What differs between any two responses: CSRF tokens, CSP nonces, the new invitation's number.
PER_RESPONSE = re.compile(
    r'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"|nonce="[^"]*"'
    r"|/invitasjoner/\d+/"
)


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


def _url(committee):
    return reverse("committees:membership-add", kwargs={"slug": committee.slug})


def _post(client, committee, data):
    return client.post(_url(committee), data, follow=True)


def _shape(response, address):
    """What the leader can tell apart: statuses on the way, where they end, the messages and
    the page they land on (the address itself, which they typed, replaced; ``PER_RESPONSE`` out)."""

    def same(text):
        return PER_RESPONSE.sub("", text).replace(address, "ny@example.no")

    return (
        [(status, url) for url, status in response.redirect_chain],
        response.status_code,
        [same(str(m)) for m in response.context["messages"]],
        same(response.content.decode()),
    )


def test_existing_and_unknown_addresses_get_the_same_answer_and_page(client, committee, leader):
    person = UserFactory(email="ny@example.no", full_name="Nina Ny")
    client.force_login(leader)
    existing = _shape(_post(client, committee, _form("ny@example.no")), "ny@example.no")
    BoardInvitation.objects.all().delete()  # the page lists waiting invitations: one each
    unknown = _shape(_post(client, committee, _form("ukjent@example.no")), "ukjent@example.no")
    assert unknown == existing
    assert existing[0] == [(302, committee.get_absolute_url())]
    assert existing[1] == 200
    assert existing[2] == [SAME_MESSAGE_NB]
    # The account holder is not on the board (and not on the page) until they accept.
    assert "Nina Ny" not in existing[3]
    assert not Membership.objects.filter(user=person).exists()
    assert not Notification.objects.filter(recipient=person).exists()


def test_existing_and_unknown_addresses_take_the_same_queries(client, committee, leader):
    UserFactory(email="ny@example.no")
    client.force_login(leader)
    counts = []
    for address in ("ny@example.no", "ukjent@example.no"):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(_url(committee), _form(address))
        assert response.status_code == 302
        counts.append([q["sql"].replace(address, "?") for q in queries.captured_queries])
    assert len(counts[0]) == len(counts[1])
    # Same statements, apart from the values (the address, the new row's token and times).
    strip = re.compile(r"'[^']*'|\b\d+\b|\"s\d+_x\d+\"")
    assert [strip.sub("?", q) for q in counts[0]] == [strip.sub("?", q) for q in counts[1]]


def test_the_request_makes_an_invitation_with_the_whole_membership(client, committee, leader):
    person = UserFactory(email="ny@example.no")
    client.force_login(leader)
    _post(client, committee, _form("NY@example.no "))
    invitation = BoardInvitation.objects.get()
    assert (
        invitation.email,
        invitation.role,
        invitation.represents,
        invitation.term_start,
        invitation.term_end,
        invitation.invited_by,
        invitation.status,
    ) == (
        "NY@example.no",
        Role.TREASURER,
        "elderly",
        datetime.date(2026, 1, 1),
        datetime.date(2028, 1, 1),
        leader,
        InvitationStatus.PENDING,
    )
    assert not Membership.objects.filter(user=person).exists()


def test_someone_already_on_the_board_gets_the_same_answer_and_nothing_changes(
    client, committee, leader, board_member
):
    client.force_login(leader)
    already = _shape(_post(client, committee, _form(board_member.email)), board_member.email)
    assert already[0] == [(302, committee.get_absolute_url())]
    assert already[2] == [SAME_MESSAGE_NB]
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


def test_a_second_invitation_while_one_waits_is_refused_alike(client, committee, leader):
    UserFactory(email="ny@example.no")
    client.force_login(leader)
    codes = []
    for address in ("ny@example.no", "ukjent@example.no"):
        _post(client, committee, _form(address))
        response = _post(client, committee, _form(address))
        assert response.status_code == 200 and not response.redirect_chain
        codes.append([e.code for e in response.context["form"].errors.as_data()["email"]])
    assert codes == [[invitation_services.ALREADY_INVITED]] * 2
    assert BoardInvitation.objects.count() == 2


# --- The municipal contact is the municipality's to choose ---------------------------------------


def test_the_form_does_not_offer_the_municipal_contact_role():
    roles = [value for value, _label in MembershipAddForm().fields["role"].choices]
    assert Role.MUNICIPAL_CONTACT not in roles
    assert Role.TREASURER in roles


def test_the_municipal_contact_posted_anyway_is_refused_alike_with_its_code(
    client, committee, leader, staff_without_group
):
    client.force_login(leader)
    for address in (staff_without_group.email, "ukjent@example.no"):
        response = _post(client, committee, _form(address, role=Role.MUNICIPAL_CONTACT))
        assert response.status_code == 200 and not response.redirect_chain
    with pytest.raises(Exception) as refused:
        invitation_services.board_invitation_create(
            committee=committee,
            actor=leader,
            email=staff_without_group.email,
            role=Role.MUNICIPAL_CONTACT,
            represents="individual",
            term_start=datetime.date(2026, 1, 1),
        )
    assert refused.value.error_dict["role"][0].code == services.MUNICIPAL_CONTACT_REFUSED
    assert not BoardInvitation.objects.exists()
    assert not Membership.objects.filter(user=staff_without_group).exists()


def test_a_leader_cannot_make_a_board_member_the_municipal_contact(
    committee, leader, staff_without_group
):
    membership = MembershipFactory(committee=committee, user=staff_without_group)
    with pytest.raises(Exception) as refused:
        services.membership_update(
            membership=membership,
            actor=leader,
            role=Role.MUNICIPAL_CONTACT,
            represents=membership.represents,
            term_start=membership.term_start,
            term_end=None,
        )
    assert refused.value.error_dict["role"][0].code == services.MUNICIPAL_CONTACT_REFUSED


# --- The leader's list of waiting invitations ----------------------------------------------------


def _invite(committee, leader, email="ny@example.no", **overrides):
    values = {
        "committee": committee,
        "actor": leader,
        "email": email,
        "role": Role.SECRETARY,
        "represents": "youth",
        "term_start": datetime.date(2026, 1, 1),
        "term_end": None,
        **overrides,
    }
    return invitation_services.board_invitation_create(**values)


def test_only_the_leader_sees_waiting_invitations_and_withdraws_one(
    client, committee, leader, board_member, resident
):
    invitation = _invite(committee, leader)
    withdraw = reverse(
        "committees:invitation-withdraw", kwargs={"slug": committee.slug, "pk": invitation.pk}
    )
    assert "ny@example.no" not in client.get(committee.get_absolute_url()).content.decode()
    for someone in (resident, board_member):
        client.force_login(someone)
        assert "ny@example.no" not in client.get(committee.get_absolute_url()).content.decode()
        assert client.post(withdraw).status_code == 403
    client.force_login(leader)
    page = client.get(committee.get_absolute_url()).content.decode()
    assert "ny@example.no" in page and withdraw in page
    assert "Invitasjoner som venter på svar" in page
    response = client.post(withdraw, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Invitasjonen til ny@example.no er trukket tilbake."
    ]
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.WITHDRAWN
    assert withdraw not in response.content.decode()  # no longer listed


def test_anonymous_and_outsider_cannot_invite(client, committee, resident, other_committee_leader):
    assert client.post(_url(committee), _form("ukjent@example.no")).status_code == 302
    for outsider in (resident, other_committee_leader):
        client.force_login(outsider)
        assert client.post(_url(committee), _form("ukjent@example.no")).status_code == 403
    assert not BoardInvitation.objects.exists()


# --- The sending task decides, after the request ------------------------------------------------


def test_an_account_with_the_address_gets_a_bell_notification_not_an_email(committee, leader):
    person = UserFactory(email="ny@example.no")
    invitation = _invite(committee, leader, email="Ny@Example.no")
    assert invitations.board_invitations_send() == {"sent": 1, "failed": 0, "deleted": 0}
    assert invitations.board_invitations_send() == {"sent": 0, "failed": 0, "deleted": 0}
    notification = Notification.objects.get(recipient=person)
    assert notification.kind == "committee.board_invitation"
    assert notification.target_url == invitation.get_absolute_url()
    assert "Svarstad" in notification.subject
    assert "Sverre Leder" in notification.body and "sekretær" in notification.body
    assert mail.outbox == []  # the notification engine e-mails it, as the person has chosen
    assert not Membership.objects.filter(user=person).exists()


def test_an_unconfirmed_address_is_not_an_account_for_the_invitation(committee, leader):
    from allauth.account.models import EmailAddress

    person = UserFactory(email="ny@example.no")
    EmailAddress.objects.filter(user=person).update(verified=False)
    _invite(committee, leader)
    invitations.board_invitations_send()
    assert not Notification.objects.filter(recipient=person).exists()
    assert [m.to for m in mail.outbox] == [["ny@example.no"]]


def test_an_unknown_address_gets_a_framed_email_with_html_and_text(committee, leader):
    invitation = _invite(committee, leader, email="ukjent@example.no")
    assert invitations.board_invitations_send()["sent"] == 1
    (message,) = mail.outbox
    assert message.to == ["ukjent@example.no"]
    assert message.reply_to == [committee.contact_email]
    assert message.subject == "[Nærmiljøutvalg] Svarstad inviterer deg til styret"
    signup = f"{reverse('account_signup')}?next=%2Fnmu%2Fsvarstad%2Finvitasjon%2F"
    assert signup + invitation.token in message.body
    assert "Sverre Leder" in message.body and "sekretær" in message.body
    assert "leader@example.no" not in message.body  # the leader's address is not given out
    assert message.body.startswith("Hei")  # the frame's greeting
    assert "Nærmiljøutvalg, Larvik kommune" in message.body  # the frame's signature
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert "<h1" in html and "Svarstad inviterer deg til styret" in html
    assert signup.replace("&", "&amp;") + invitation.token in html
    assert "Opprett konto og svar" in html  # the frame's button
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_withdrawn_and_expired_invitations_are_not_sent(committee, leader):
    withdrawn = _invite(committee, leader, email="a@example.no")
    invitation_services.board_invitation_withdraw(invitation=withdrawn, actor=leader)
    old = _invite(committee, leader, email="b@example.no")
    BoardInvitation.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=invitations.KEEP_DAYS, seconds=1)
    )
    assert invitations.board_invitations_send()["sent"] == 0
    assert mail.outbox == []


def test_invitations_are_forgotten_after_the_forget_period(committee, leader):
    old = _invite(committee, leader, email="gammel@example.no")
    kept = _invite(committee, leader, email="nyere@example.no")
    BoardInvitation.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=invitations.FORGET_DAYS, seconds=1)
    )
    BoardInvitation.objects.filter(pk=kept.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=invitations.FORGET_DAYS - 1)
    )
    assert invitations.board_invitations_send()["deleted"] == 1
    assert list(BoardInvitation.objects.values_list("email", flat=True)) == ["nyere@example.no"]


def test_a_failed_send_is_tried_again_later(committee, leader, monkeypatch):
    invitation = _invite(committee, leader, email="ukjent@example.no")

    def refuse(self, *args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(invitations.EmailMultiAlternatives, "send", refuse)
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
