"""Following a committee tells you of its new proposals, and the author gets a receipt (issue 10).

A committee's followers hear of a new public proposal there (``proposal.new_in_committee``, in
the committees' "committees you follow" category, so their own choice of how often applies);
the author gets a receipt with the reference and the committee's deadline
(``proposal.submitted_receipt``), on the site and by e-mail.
"""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.models import Membership, Role
from committees.notifications import FOLLOWING
from notifications import delivery
from notifications.models import EmailStatus, Frequency, Notification, NotificationPreference
from proposals import notifications as kinds
from proposals import services
from proposals.models import Kind, State
from proposals.notifications import CATEGORY as PROPOSALS
from proposals.selectors import committee_follower_recipients

from ..factories import CommitteeFactory, MembershipFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
# The committee's deadline from a submission on 31.01.2027 (COMMITTEE_DAYS = 21).
SUBMITTED_ON = datetime.datetime(2027, 1, 31, 12, tzinfo=datetime.UTC)


def _follow(committee, user=None):
    user = user or UserFactory()
    MembershipFactory(committee=committee, user=user, role=Role.MEMBER)
    return user


def _draft(committee, author, **fields):
    return services.proposal_create_draft(
        author=author,
        committee=committee,
        title=fields.pop("title", "Benker ved badeplassen"),
        summary="Tre nye benker ved Svarstad badeplass.",
        body="Vi ønsker oss benker der folk sitter og ser på vannet.",
        kind=Kind.IDEA,
        category="meeting_places",
        **fields,
    )


def _submit(committee, author, **fields):
    return services.proposal_submit(proposal=_draft(committee, author, **fields), actor=author)


def _news(**filters):
    return Notification.objects.filter(kind=kinds.NEW_IN_COMMITTEE, **filters)


# --- Followers --------------------------------------------------------------------------------


def test_a_follower_is_told_of_a_new_proposal_in_the_committee(committee, author):
    follower = _follow(committee)
    proposal = _submit(committee, author)
    told = _news().get()
    assert told.recipient == follower
    assert told.category == FOLLOWING  # their choice for "committees you follow" applies
    assert told.subject == "Nytt forslag i Svarstad: Benker ved badeplassen"
    assert "Astrid Forslagsstiller har sendt et forslag til nærmiljøutvalget Svarstad" in told.body
    assert proposal.reference in told.body
    assert "Tre nye benker ved Svarstad badeplass." in told.body
    assert "fordi du følger Svarstad" in told.body
    assert told.target_url == f"/forslag/{proposal.reference}/"
    assert told.email_status == EmailStatus.PENDING  # no choice made: e-mail at once


def test_the_follower_gets_the_news_by_email(committee, author):
    follower = _follow(committee)
    _submit(committee, author)
    delivery.deliver_pending()
    [message] = [m for m in mail.outbox if m.to == [follower.email]]
    assert message.subject == "[Nærmiljøutvalg] Nytt forslag i Svarstad: Benker ved badeplassen"


def test_a_follower_who_chose_only_the_website_gets_no_email(committee, author):
    follower = _follow(committee)
    NotificationPreference.objects.create(
        user=follower, category=FOLLOWING, frequency=Frequency.IN_APP
    )
    _submit(committee, author)
    told = _news(recipient=follower).get()  # still in the bell
    assert told.email_status == EmailStatus.SKIPPED
    delivery.deliver_pending()
    assert [m for m in mail.outbox if m.to == [follower.email]] == []


def test_a_follower_who_chose_a_weekly_summary_waits_for_it(committee, author):
    follower = _follow(committee)
    NotificationPreference.objects.create(
        user=follower, category=FOLLOWING, frequency=Frequency.WEEKLY
    )
    _submit(committee, author)
    assert _news(recipient=follower).get().channel == Frequency.WEEKLY
    delivery.deliver_pending()
    assert [m for m in mail.outbox if m.to == [follower.email]] == []


def test_the_choice_for_proposals_does_not_silence_committee_news(committee, author):
    """The two are separate settings: "proposals you follow" is not "committees you follow"."""
    follower = _follow(committee)
    NotificationPreference.objects.create(
        user=follower, category=PROPOSALS, frequency=Frequency.IN_APP
    )
    _submit(committee, author)
    assert _news(recipient=follower).get().email_status == EmailStatus.PENDING


def test_a_follower_of_another_committee_is_not_told(committee, other_committee, author):
    _follow(other_committee)
    _submit(committee, author)
    assert not _news().exists()


def test_followers_of_the_committee_above_hear_of_its_sub_committees(committee, author):
    """Larvik sentrum's page shows Nanset's proposals, so its followers hear of them."""
    nanset = CommitteeFactory(name="Nanset", parent=committee)
    of_parent = _follow(committee)
    _submit(nanset, author)
    told = _news().get()
    assert told.recipient == of_parent and told.subject.startswith("Nytt forslag i Nanset:")


def test_a_stopped_follow_hears_nothing(committee, author):
    follower = _follow(committee)
    Membership.objects.filter(user=follower).update(term_end=datetime.date(2024, 6, 1))
    _submit(committee, author)
    assert not _news().exists()


def test_the_author_is_not_told_as_a_follower_of_their_own_proposal(committee, author):
    _follow(committee, author)
    _submit(committee, author)
    assert not _news().exists()
    assert Notification.objects.filter(recipient=author).get().kind == kinds.SUBMITTED_RECEIPT


def test_a_board_member_who_follows_hears_once_through_the_inbox(committee, author):
    """A sub-committee's board member who follows the committee above gets the inbox notice,
    not the same news twice."""
    nanset = CommitteeFactory(name="Nanset", parent=committee)
    board = MembershipFactory(committee=nanset, role=Role.LEADER).user
    _follow(committee, board)
    _submit(nanset, author)
    assert list(Notification.objects.filter(recipient=board).values_list("kind", flat=True)) == [
        kinds.NEW_IN_INBOX
    ]


def test_a_draft_is_news_to_nobody(committee, author):
    """Only a public proposal is news: a draft is the author's alone."""
    _follow(committee)
    draft = _draft(committee, author)
    services.proposal_update_draft(proposal=draft, actor=author, title="Fire benker")
    assert committee_follower_recipients(draft) == []
    assert not Notification.objects.exists()


def test_the_public_rule_decides(committee, author, monkeypatch):
    """Who may see a proposal (``can_view_proposal``) decides whether followers hear of it."""
    _follow(committee)
    proposal = ProposalFactory(committee=committee, author=author)
    assert len(committee_follower_recipients(proposal)) == 1
    monkeypatch.setattr(
        "proposals.selectors.can_view_proposal", lambda user, proposal: user.is_authenticated
    )
    assert committee_follower_recipients(proposal) == []


def test_later_steps_are_not_news_again(committee, author, leader):
    _follow(committee)
    proposal = _submit(committee, author)
    services.proposal_transition(proposal=proposal, actor=leader, to_state=State.COMMITTEE_REVIEW)
    services.proposal_transition(proposal=proposal, actor=leader, to_state=State.FORWARDED)
    assert _news().count() == 1


def test_the_follower_is_not_told_the_authors_email_address(committee):
    author = UserFactory(email="navnlos@example.no", full_name="")
    _follow(committee)
    _submit(committee, author)
    told = _news().get()
    assert "navnlos" not in told.subject + told.body
    assert "En innbygger har sendt et forslag" in told.body


def test_the_news_is_in_the_followers_language(committee, author):
    _follow(committee, UserFactory(preferred_language="en"))
    _submit(committee, author)
    told = _news().get()
    assert told.subject == "New proposal in Svarstad: Benker ved badeplassen"
    assert "because you follow Svarstad" in told.body


# --- The author's receipt ---------------------------------------------------------------------


@time_machine.travel(SUBMITTED_ON)
def test_the_author_gets_a_receipt_with_the_reference_and_the_deadline(committee, author):
    proposal = _submit(committee, author)
    receipt = Notification.objects.get(recipient=author, kind=kinds.SUBMITTED_RECEIPT)
    assert receipt.category == PROPOSALS
    assert receipt.subject == f"Kvittering: Forslaget ditt {proposal.reference} er sendt inn"
    assert "«Benker ved badeplassen»" in receipt.body
    assert f"nærmiljøutvalget Svarstad med saksnummer {proposal.reference}" in receipt.body
    assert "innen 21.02.2027" in receipt.body
    assert receipt.target_url == f"/forslag/{proposal.reference}/"
    assert receipt.read_at is None  # in the bell


@time_machine.travel(SUBMITTED_ON)
def test_the_receipt_arrives_by_email(committee, author):
    proposal = _submit(committee, author)
    delivery.deliver_pending()
    [message] = [m for m in mail.outbox if m.to == [author.email]]
    assert (
        message.subject
        == f"[Nærmiljøutvalg] Kvittering: Forslaget ditt {proposal.reference} er sendt inn"
    )
    assert proposal.reference in message.body and "21.02.2027" in message.body
    assert f"http://127.0.0.1:8000/forslag/{proposal.reference}/" in message.body
    html, _mimetype = message.alternatives[0]
    assert "21.02.2027" in html and proposal.reference in html


def test_the_receipt_follows_the_authors_choice_for_proposals(committee, author):
    """A receipt is e-mail about one's own proposal: someone who chose only the website for
    proposals gets it in the bell (the page said the same when they submitted)."""
    NotificationPreference.objects.create(
        user=author, category=PROPOSALS, frequency=Frequency.IN_APP
    )
    _submit(committee, author)
    receipt = Notification.objects.get(recipient=author, kind=kinds.SUBMITTED_RECEIPT)
    assert receipt.email_status == EmailStatus.SKIPPED


def test_submitting_through_the_page_gives_one_receipt(client, committee, author):
    draft = _draft(committee, author)
    client.force_login(author)
    url = reverse("proposals:draft-submit", kwargs={"pk": draft.pk})
    client.post(url)
    client.post(url)  # a second click
    assert Notification.objects.filter(recipient=author, kind=kinds.SUBMITTED_RECEIPT).count() == 1


def test_the_receipt_is_in_the_authors_language(committee):
    author = UserFactory(preferred_language="en")
    proposal = _submit(committee, author)
    receipt = Notification.objects.get(recipient=author, kind=kinds.SUBMITTED_RECEIPT)
    assert receipt.subject == f"Receipt: your proposal {proposal.reference} has been submitted"


# --- However many follow ----------------------------------------------------------------------


def _followers(committee, count):
    users = User.objects.bulk_create(
        User(email=f"{committee.slug}-{i}@example.no", full_name=f"Følger {i}")
        for i in range(count)
    )
    Membership.objects.bulk_create(
        Membership(
            committee=committee, user=user, role=Role.MEMBER, term_start=datetime.date(2024, 1, 1)
        )
        for user in users
    )


def _queries_to_submit(committee, author):
    draft = _draft(committee, author)
    with CaptureQueriesContext(connection) as queries:
        services.proposal_submit(proposal=draft, actor=author)
    return len(queries)


def test_submitting_takes_as_many_queries_for_1000_followers_as_for_10(author):
    few, many = CommitteeFactory(), CommitteeFactory()
    MembershipFactory(committee=few, role=Role.LEADER)
    MembershipFactory(committee=many, role=Role.LEADER)
    _followers(few, 10)
    _followers(many, 1000)
    small = _queries_to_submit(few, author)
    large = _queries_to_submit(many, author)
    assert _news(recipient__committee_memberships__committee=many).count() == 1000
    assert large == small


# --- Min side → Varsler → Innstillinger ---------------------------------------------------------


def test_the_settings_page_offers_committees_you_follow_and_it_applies(client, committee, author):
    follower = _follow(committee)
    client.force_login(follower)
    page = reverse("notifications:preferences")
    content = client.get(page).content.decode()
    assert "Nærmiljøutvalg du følger" in content
    assert "Nytt fra nærmiljøutvalgene du følger, for eksempel nye forslag." in content
    data = dict.fromkeys(client.get(page).context["form"].fields, Frequency.IMMEDIATE)
    data[FOLLOWING] = Frequency.DAILY
    client.post(page, data)
    _submit(committee, author)
    assert _news(recipient=follower).get().channel == Frequency.DAILY


def test_the_demo_has_a_follower_who_was_told():
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    told = _news(recipient__email="leder.stavern@example.no")
    assert told.count() == 3  # Svarstad's three demo proposals
    assert all(n.subject.startswith("Nytt forslag i Svarstad:") for n in told)
    receipts = Notification.objects.filter(kind=kinds.SUBMITTED_RECEIPT)
    assert receipts.filter(recipient__email="innbygger@example.no").count() >= 13
