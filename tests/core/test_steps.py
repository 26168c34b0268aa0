"""core.steps: the step-table engine (a tiny fake table over a real model), and the proposal's
table as the one source of its steps' labels."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from core.steps import Notice, Step, StepTable, steps, take_step, tell
from proposals.models import OUTCOMES, Proposal, ProposalEvent, State
from proposals.steps import TRANSITIONS
from tests.factories import CommitteeFactory, ProposalFactory, UserFactory

S = State
BOARD, CLERK = "board", "clerk"

# A tiny machine over the proposal's states: the board takes it up; the clerk (or the board)
# declines it with a reason, which only the parties read.
FAKE = StepTable(
    [
        Step(S.SUBMITTED, S.COMMITTEE_REVIEW, frozenset({BOARD}), title="Take up"),
        *steps(
            [S.SUBMITTED, S.COMMITTEE_REVIEW],
            S.DECLINED,
            by=[BOARD, CLERK],
            message_required=True,
            message_private=True,
            message_missing="Say why.",
            notices=(
                Notice("told.parties", to=("board",), key=":parties", message_as="reason"),
                Notice(
                    "told.public",
                    to=("everyone",),
                    not_to=("board",),
                    message_as="reason",
                    public=True,
                    context={"extra": 1},
                ),
            ),
        ),
    ],
    states=State,
    party_order=(CLERK, BOARD),
    impossible="Cannot go from %(old)s to %(new)s.",
    refused="Not yours.",
)


def _take(proposal, to_state, *, parties, message="", notify=None, change=None, actor=None):
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    return take_step(
        table=FAKE,
        obj=proposal,
        to_state=to_state,
        actor=actor,
        parties=parties,
        message=message,
        change=change,
        record=lambda **fields: ProposalEvent.objects.create(proposal=proposal, **fields),
        notify=notify,
    )


@pytest.fixture
def proposal(committee):
    return ProposalFactory(committee=committee, state=S.SUBMITTED)


def _unchanged(proposal):
    assert Proposal.objects.get(pk=proposal.pk).state == S.SUBMITTED
    assert not ProposalEvent.objects.filter(proposal=proposal).exists()


def test_a_party_the_step_does_not_name_is_refused(proposal):
    with pytest.raises(ValidationError) as refused:
        _take(proposal, S.COMMITTEE_REVIEW, parties={CLERK, "author"})
    assert refused.value.messages == ["Not yours."]
    _unchanged(proposal)


def test_a_step_not_in_the_table_is_refused(proposal):
    with pytest.raises(ValidationError) as refused:
        _take(proposal, S.FORWARDED, parties={BOARD})
    assert refused.value.messages == [f"Cannot go from {S.SUBMITTED.label} to {S.FORWARDED.label}."]
    _unchanged(proposal)


def test_a_step_to_the_state_it_is_in_says_so(proposal):
    """A second approval (two case handlers, a list with rows done already) is "already",
    not an impossible step from a state to itself."""
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _take(proposal, S.SUBMITTED, parties={BOARD})
    with translation.override("en"):
        assert refused.value.messages == [f"This is already “{S.SUBMITTED.label}”."]
    _unchanged(proposal)


def test_a_required_reason_must_be_written(proposal):
    with pytest.raises(ValidationError) as missing:
        _take(proposal, S.DECLINED, parties={BOARD}, message="   ")
    assert missing.value.message_dict == {"message": ["Say why."]}
    _unchanged(proposal)


def test_a_step_changes_the_state_writes_the_timeline_and_notifies_once(proposal):
    actor = UserFactory()
    calls = []
    event = _take(
        proposal,
        S.DECLINED,
        parties={BOARD, CLERK},
        message="  Not ours.  ",
        actor=actor,
        notify=lambda **kw: calls.append(kw),
    )
    assert Proposal.objects.get(pk=proposal.pk).state == S.DECLINED
    (row,) = ProposalEvent.objects.filter(proposal=proposal)
    assert row == event
    # The acting party is the first of the table's party_order the actor is and the step allows.
    assert (row.actor, row.actor_party, row.from_state, row.to_state, row.message) == (
        actor,
        CLERK,
        S.SUBMITTED,
        S.DECLINED,
        "Not ours.",
    )
    assert calls == [{"step": FAKE[(S.SUBMITTED, S.DECLINED)], "event": row}]


def test_the_change_hook_sees_the_new_state_and_may_refuse(proposal):
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    seen = []

    def change(*, step, party, message):
        seen.append((locked.state, party))
        raise ValidationError("The app says no.")

    with pytest.raises(ValidationError):
        take_step(
            table=FAKE,
            obj=locked,
            to_state=S.COMMITTEE_REVIEW,
            actor=None,
            parties={BOARD},
            change=change,
            record=lambda **fields: ProposalEvent.objects.create(proposal=locked, **fields),
        )
    assert seen == [(S.COMMITTEE_REVIEW, BOARD)]
    _unchanged(proposal)


def test_a_failing_notify_hook_leaves_nothing_behind(proposal):
    def notify(**kwargs):
        raise RuntimeError("the mail system is down")

    with pytest.raises(RuntimeError):
        _take(proposal, S.COMMITTEE_REVIEW, parties={BOARD}, notify=notify)
    _unchanged(proposal)


def test_tell_is_one_loop_over_the_steps_notices(proposal):
    actor, board_member, follower, both = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    audiences = {
        "board": lambda obj, event: [actor, board_member, both],
        "everyone": lambda obj, event: [actor, follower, both],
    }
    sent = []

    def send(**kwargs):
        sent.append(kwargs)
        return len(kwargs["recipients"])

    event = ProposalEvent(proposal=proposal, message="Not ours.")
    told = tell(
        step=FAKE[(S.SUBMITTED, S.DECLINED)],
        obj=proposal,
        event=event,
        actor=actor,
        audiences=audiences,
        send=send,
        context={"proposal": proposal},
        key="k",
    )
    assert told == 3
    parties, public = sent
    # The actor is never told of their own step; an audience another notice tells is left out.
    assert parties["recipients"] == [board_member, both]
    assert public["recipients"] == [follower]
    assert (parties["kind"], parties["dedupe_key"], public["dedupe_key"]) == (
        "told.parties",
        "k:parties",
        "k",
    )
    # A private message goes to the parties, never to a public audience.
    assert parties["context"] == {"proposal": proposal, "reason": "Not ours."}
    assert public["context"] == {"proposal": proposal, "reason": "", "extra": 1}
    assert parties["target"] is proposal


def test_a_table_refuses_two_rows_for_one_step():
    row = Step(S.SUBMITTED, S.DECLINED, frozenset({BOARD}))
    with pytest.raises(ValueError, match="Two steps"):
        StepTable([row, row], states=State, party_order=(BOARD,))


def test_targets_and_could_take_read_the_table():
    assert FAKE.targets(S.SUBMITTED, {BOARD}) == [S.COMMITTEE_REVIEW, S.DECLINED]
    assert FAKE.targets(S.SUBMITTED, {CLERK}) == [S.DECLINED]
    assert FAKE.could_take(S.DECLINED, {CLERK})
    assert not FAKE.could_take(S.COMMITTEE_REVIEW, {CLERK})


# --- The proposal's table is the one source of its steps' labels ---------------------------------

# Steps with a page of their own: decisions are made in the admin, submitting from the preview.
PAGE_STEPS = [
    key
    for key, step in TRANSITIONS.items()
    if step.target not in [*OUTCOMES, S.SUBMITTED] and not step.by_service
]


def test_a_step_by_service_is_no_button_and_no_page_but_the_service_takes_it():
    """``by_service``: the committee's review → in progress when it makes a dugnad of the wish;
    no party is offered it (targets, could_take), yet take_step takes it for the committee."""
    assert TRANSITIONS[(S.COMMITTEE_REVIEW, S.IN_PROGRESS)].by_service
    assert S.IN_PROGRESS not in TRANSITIONS.targets(S.COMMITTEE_REVIEW, {"committee"})
    assert S.IN_PROGRESS in TRANSITIONS.targets(S.ACCEPTED, {"committee"})  # a button there
    table = StepTable(
        [Step(S.DRAFT, S.SUBMITTED, frozenset({"author"}), by_service=True)],
        states=S,
        party_order=("author",),
    )
    assert table.targets(S.DRAFT, {"author"}) == []
    assert not table.could_take(S.SUBMITTED, {"author"})


@pytest.mark.parametrize("key", PAGE_STEPS)
def test_every_step_page_has_its_labels_in_the_table(key):
    step = TRANSITIONS[key]
    for language in ("nb", "en"):
        with translation.override(language):
            assert str(step.title) and str(step.button_label) and str(step.short_label)
            assert str(step.explanation) and str(step.done)
            if step.message_required:
                assert str(step.message_label) and str(step.message_missing)
    assert step.notices, "who hears of the step"


def test_every_step_tells_someone():
    assert all(step.notices for step in TRANSITIONS.values())


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_step_page_and_the_proposal_page_show_the_tables_labels(
    client, committee, leader, language
):
    proposal = ProposalFactory(committee=committee, state=S.SUBMITTED)
    client.force_login(leader)
    client.cookies["nmu_language"] = language
    step = TRANSITIONS[(S.SUBMITTED, S.FORWARDED)]
    url = reverse("proposals:proposal-transition", kwargs={"reference": proposal.reference})
    page = html.unescape(client.get(url + "?til=forwarded").content.decode())
    detail = html.unescape(client.get(proposal.get_absolute_url()).content.decode())
    with translation.override(language):
        title, button = str(step.title), str(step.button_label)
        done = str(step.done)
    assert f">{title}</h1>" in page
    assert f">{title}</button>" in page
    assert f">{button}</a>" in detail
    answer = client.post(url + "?til=forwarded", {"message": ""}, follow=True)
    assert done in html.unescape(answer.content.decode())


def test_the_inbox_links_name_their_steps_as_the_table_does(client, committee, leader):
    ProposalFactory(committee=committee, state=S.SUBMITTED)
    client.force_login(leader)
    client.cookies["nmu_language"] = "en"
    body = client.get(
        reverse("proposals:committee-inbox", kwargs={"slug": committee.slug})
    ).content.decode()
    with translation.override("en"):
        for key in [(S.SUBMITTED, S.COMMITTEE_REVIEW), (S.SUBMITTED, S.FORWARDED)]:
            assert f">{TRANSITIONS[key].short_label}<span" in body


def test_the_draft_preview_submits_with_the_tables_labels(client, committee, resident):
    from proposals.steps import SUBMIT

    draft = ProposalFactory(committee=committee, author=resident, state=S.DRAFT, reference=None)
    client.force_login(resident)
    client.cookies["nmu_language"] = "nb"
    preview = client.get(reverse("proposals:draft-preview", kwargs={"pk": draft.pk}))
    with translation.override("nb"):
        button, done = str(SUBMIT.button_label), str(SUBMIT.done)
    assert f">{button}</button>" in html.unescape(preview.content.decode())
    page = client.post(reverse("proposals:draft-submit", kwargs={"pk": draft.pk}), follow=True)
    draft.refresh_from_db()
    said = done % {"committee": committee.name, "reference": draft.reference}
    assert said in html.unescape(page.content.decode())


# --- Committees' status runs on the same engine ---------------------------------------------------


def test_a_committee_status_step_is_recorded_in_its_history(case_handler):
    from committees import services as committee_services
    from committees.models import CommitteeStatus, CommitteeStatusChange

    committee = CommitteeFactory(status=CommitteeStatus.FORMING, organisation_number="")
    committee_services.committee_set_status(
        committee=committee, status=CommitteeStatus.CONSTITUTED, actor=case_handler
    )
    (row,) = CommitteeStatusChange.objects.filter(committee=committee)
    assert (row.actor, row.actor_party, row.from_state, row.to_state) == (
        case_handler,
        "municipality",
        CommitteeStatus.FORMING,
        CommitteeStatus.CONSTITUTED,
    )
    # Setting the status it already has is no step.
    committee_services.committee_set_status(
        committee=committee, status=CommitteeStatus.CONSTITUTED, actor=case_handler
    )
    assert CommitteeStatusChange.objects.filter(committee=committee).count() == 1


def test_a_committee_status_step_starts_from_the_status_in_the_database(case_handler):
    """Two staff members on the same committee: the second one's page is stale. The service
    locks the row and reads the status again, so the step is not taken twice."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from committees import services as committee_services
    from committees.models import Committee, CommitteeStatus, CommitteeStatusChange

    committee = CommitteeFactory(status=CommitteeStatus.FORMING, organisation_number="")
    stale = Committee.objects.get(pk=committee.pk)
    committee_services.committee_set_status(
        committee=committee, status=CommitteeStatus.CONSTITUTED, actor=case_handler
    )
    with CaptureQueriesContext(connection) as queries:
        committee_services.committee_set_status(
            committee=stale, status=CommitteeStatus.CONSTITUTED, actor=case_handler
        )
    assert CommitteeStatusChange.objects.filter(committee=committee).count() == 1
    assert stale.status == CommitteeStatus.CONSTITUTED
    if connection.vendor == "postgresql":
        assert any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)


def test_only_the_municipality_sets_a_committees_status(committee, leader):
    from committees import services as committee_services
    from committees.models import CommitteeStatus, CommitteeStatusChange

    committee.status = CommitteeStatus.FORMING
    committee.save()
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        committee_services.committee_set_status(
            committee=committee, status=CommitteeStatus.CONSTITUTED, actor=leader
        )
    assert refused.value.messages == ["Bare kommunen kan endre statusen til et nærmiljøutvalg."]
    committee.refresh_from_db()
    assert committee.status == CommitteeStatus.FORMING
    assert not CommitteeStatusChange.objects.exists()


def test_the_committee_admin_shows_the_status_history(client, superuser):
    from committees import services as committee_services
    from committees.models import CommitteeStatus

    committee = CommitteeFactory(status=CommitteeStatus.FORMING, organisation_number="")
    committee_services.committee_set_status(
        committee=committee, status=CommitteeStatus.CONSTITUTED, actor=superuser
    )
    client.force_login(superuser)
    page = client.get(reverse("admin:committees_committeestatuschange_changelist"))
    assert page.status_code == 200
    assert committee.name in page.content.decode()
    # A record of what the service did: looked at, never added or changed here.
    assert client.get(reverse("admin:committees_committeestatuschange_add")).status_code == 403
