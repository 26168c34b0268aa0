"""The case handlers' review queue in the admin: who gets in, the queue and its filters, every
action through the admin's own POST (intermediate page, then ``apply``), the change page, CSV
export, and constant query counts however many cases and timeline entries there are."""

import csv
import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.staff import CASE_HANDLER, group_name
from notifications.models import Notification
from proposals import selectors, services
from proposals.models import (
    AnswerTemplate,
    EventKind,
    Follow,
    Message,
    OfficialAnswer,
    Proposal,
    ProposalEvent,
    State,
)
from tests.factories import (
    CommitteeFactory,
    DepartmentFactory,
    DepartmentStaffFactory,
    ProposalFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:proposals_proposal_changelist")
# The queue opens on the cases at the municipality; this is the list with every case.
ALL_CASES = CHANGELIST + "?status_group=all"
CHANGE_FORM_ACTION = "CHANGE_FORM-action"


def change_url(proposal):
    return reverse("admin:proposals_proposal_change", args=[proposal.pk])


@pytest.fixture
def staff_client(client, case_handler):
    client.cookies["nmu_language"] = "en"
    client.force_login(case_handler)
    return client


def forwarded(committee, leader, **kwargs):
    """A proposal the committee has forwarded, its author following it (as after submitting)."""
    proposal = ProposalFactory(committee=committee, **kwargs)
    Follow.objects.create(proposal=proposal, user=proposal.author)
    return services.proposal_transition(proposal=proposal, actor=leader, to_state=State.FORWARDED)


def received(committee, leader, case_handler, **kwargs):
    proposal = forwarded(committee, leader, **kwargs)
    return services.proposal_transition(
        proposal=proposal, actor=case_handler, to_state=State.RECEIVED, message="Mottatt."
    )


def run_action(client, action, proposals, url=ALL_CASES, **data):
    """The admin's own two steps: choose the action, then confirm the intermediate page (from
    the list of all cases, so that cases in any state can be chosen)."""
    return client.post(
        url,
        {
            "action": action,
            "_selected_action": [p.pk for p in proposals],
            "apply": "yes",
            **data,
        },
    )


def notified(user, kind) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


def publish_action(client, action, proposals, url=ALL_CASES, **data):
    """An action that publishes: its form, then the preview's "Publish"."""
    preview = run_action(client, action, proposals, url=url, **data)
    assert preview.status_code == 200 and preview.context["preview"], preview.context.get("form")
    return run_action(client, action, proposals, url=url, _confirm="Publish", **data)


def result_pks(response) -> list[int]:
    return [p.pk for p in response.context["cl"].result_list]


def shown_messages(client) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in client.get(CHANGELIST).context["messages"]]


# --- Who gets in ----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_admin_login(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_residents_and_staff_without_the_group_are_kept_out(client, resident):
    client.force_login(resident)
    assert client.get(CHANGELIST).status_code == 302  # not staff: sent to the login page
    client.force_login(UserFactory(is_staff=True))
    assert client.get(CHANGELIST).status_code == 403


def test_the_case_handler_group_may_do_the_work(case_handler):
    for perm in [
        "proposals.view_proposal",
        "proposals.change_proposal",
        "proposals.view_proposalevent",
        "proposals.add_officialanswer",
        "proposals.change_answertemplate",
    ]:
        assert case_handler.has_perm(perm)


# --- The queue ------------------------------------------------------------------------------------


def test_queue_shows_cases_but_never_drafts(staff_client, committee):
    ProposalFactory(committee=committee, title="Benker i parken")
    draft = ProposalFactory(
        committee=committee, title="Hemmelig utkast", state=State.DRAFT, reference=None
    )
    response = staff_client.get(ALL_CASES)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Benker i parken" in body and "Hemmelig utkast" not in body
    # Nor can a draft be opened by its address.
    assert staff_client.get(change_url(draft)).status_code == 302


def test_queue_is_ordered_by_next_deadline_then_submission(staff_client, committee):
    today = timezone.localdate()
    now = timezone.now()
    later = ProposalFactory(committee=committee, next_due=today + datetime.timedelta(days=9))
    none_old = ProposalFactory(
        committee=committee, next_due=None, submitted_at=now - datetime.timedelta(days=5)
    )
    soon = ProposalFactory(committee=committee, next_due=today + datetime.timedelta(days=1))
    none_new = ProposalFactory(committee=committee, next_due=None, submitted_at=now)
    response = staff_client.get(ALL_CASES)
    assert result_pks(response) == [soon.pk, later.pk, none_old.pk, none_new.pk]


def test_overdue_deadline_is_marked_in_words(staff_client, committee):
    ProposalFactory(
        committee=committee,
        state=State.RECEIVED,
        next_due=timezone.localdate() - datetime.timedelta(days=2),
    )
    body = staff_client.get(CHANGELIST).content.decode()
    assert 'class="proposal-overdue"' in body and "Overdue" in body
    assert "css/admin-proposals.css" in body


def test_filters_mine_unassigned_overdue_and_state(staff_client, case_handler, committee):
    today = timezone.localdate()
    mine = ProposalFactory(committee=committee, handler=case_handler, state=State.RECEIVED)
    someone_elses = ProposalFactory(
        committee=committee,
        state=State.IN_REVIEW,
        handler=DepartmentStaffFactory().user,
        next_due=today - datetime.timedelta(days=1),
    )
    nobodys = ProposalFactory(
        committee=committee, state=State.FORWARDED, next_due=today + datetime.timedelta(days=3)
    )

    assert result_pks(staff_client.get(CHANGELIST, {"assigned": "mine"})) == [mine.pk]
    assert result_pks(staff_client.get(CHANGELIST, {"assigned": "unassigned"})) == [nobodys.pk]
    assert result_pks(staff_client.get(CHANGELIST, {"overdue": "yes"})) == [someone_elses.pk]
    # "Not overdue" is a running deadline that has not passed, not a case without one.
    assert mine.next_due is None
    assert result_pks(staff_client.get(CHANGELIST, {"overdue": "no"})) == [nobodys.pk]
    assert result_pks(staff_client.get(CHANGELIST, {"state": "received"})) == [mine.pk]
    for params in [
        {"handler__id__exact": case_handler.pk},
        {"committee__id__exact": committee.pk},
        {"kind__exact": "idea"},
        {"category__exact": "meeting_places"},
        {"citizen": "yes"},
        {"_facets": "True"},
        {"status_group": "all", "_facets": "True"},
    ]:
        assert staff_client.get(CHANGELIST, params).status_code == 200


def test_queue_opens_on_the_cases_at_the_municipality(staff_client, committee):
    cases = {
        state: ProposalFactory(committee=committee, state=state, title=f"Sak {state}")
        for state in State
        if state != State.DRAFT
    }

    def listed(**params):
        return {p.state for p in staff_client.get(CHANGELIST, params).context["cl"].result_list}

    assert listed() == {State.FORWARDED, State.RECEIVED, State.IN_REVIEW, State.INFO_REQUESTED}
    assert listed(status_group="municipality") == listed()
    assert listed(status_group="committee") == {State.SUBMITTED, State.COMMITTEE_REVIEW}
    assert listed(status_group="decided") == {
        State.ACCEPTED,
        State.PARTLY_ACCEPTED,
        State.REJECTED,
        State.IN_PROGRESS,
    }
    assert listed(status_group="closed") == {State.COMPLETED, State.DECLINED, State.WITHDRAWN}
    assert listed(status_group="all") == set(cases)
    # A status chosen in the status filter is looked for among all cases...
    assert listed(state=State.SUBMITTED) == {State.SUBMITTED}
    # ... unless a group is chosen as well.
    assert listed(state=State.SUBMITTED, status_group="municipality") == set()

    response = staff_client.get(CHANGELIST)
    spec = next(
        f for f in response.context["cl"].filter_specs if f.parameter_name == "status_group"
    )
    choices = list(spec.choices(response.context["cl"]))
    assert [c["display"] for c in choices] == [
        "At the municipality",
        "With the committee",
        "Decided / in progress",
        "Closed",
        "All",
    ]
    assert [c["selected"] for c in choices] == [True, False, False, False, False]
    assert all("status_group=" in c["query_string"] for c in choices)
    # A chosen status shows the group as "All", which is what is searched.
    response = staff_client.get(CHANGELIST, {"state": State.SUBMITTED})
    spec = next(
        f for f in response.context["cl"].filter_specs if f.parameter_name == "status_group"
    )
    assert [c["selected"] for c in spec.choices(response.context["cl"])][-1] is True


def test_queue_columns_stay_compact(staff_client, committee):
    today = timezone.localdate()
    ProposalFactory(
        committee=committee,
        state=State.RECEIVED,
        next_due=today - datetime.timedelta(days=3),
        citizen_proposal_at=timezone.now(),
    )
    body = staff_client.get(CHANGELIST).content.decode()
    cell = re.search(r'<td class="field-next_deadline">(.*?)</td>', body).group(1)
    day = f"{today - datetime.timedelta(days=3):%d.%m.%Y}"  # the site's short date
    assert cell == f'<span class="proposal-overdue">{day} <strong>Overdue</strong></span>'
    citizen = re.search(r'<td class="field-is_citizen_proposal">(.*?)</td>', body).group(1)
    assert 'src="/static/admin/img/icon-yes.svg"' in citizen and 'alt="True"' in citizen
    assert "§ 12-1" in re.search(
        r"<th[^>]*column-is_citizen_proposal[^>]*>(.*?)</th>", body, re.S
    ).group(1)


def test_search_finds_by_reference_and_author(staff_client, committee):
    wanted = ProposalFactory(
        committee=committee, reference="NMU-2000-4242", author__email="finn.meg@example.no"
    )
    ProposalFactory(committee=committee)
    for term in ("NMU-2000-4242", "finn.meg"):
        found = staff_client.get(CHANGELIST, {"q": term, "status_group": "all"})
        assert result_pks(found) == [wanted.pk]


def test_changelist_query_count_is_constant(client, case_handler, committee):
    client.force_login(case_handler)
    department = DepartmentFactory()
    authors = UserFactory.create_batch(3)
    today = timezone.localdate()

    def add(n, start):
        Proposal.objects.bulk_create(
            ProposalFactory.build(
                committee=committee,
                author=authors[i % 3],
                department=department,
                handler=case_handler,
                next_due=today + datetime.timedelta(days=i % 20 - 10),
                reference=f"NMU-1999-{start + i:05d}",
            )
            for i in range(n)
        )

    add(10, 0)
    client.get(ALL_CASES)  # warm the caches a first request fills
    with CaptureQueriesContext(connection) as small:
        assert client.get(ALL_CASES).status_code == 200
    add(990, 10)
    with CaptureQueriesContext(connection) as large:
        assert client.get(ALL_CASES).status_code == 200
    assert len(large) == len(small)


# --- The change page ------------------------------------------------------------------------------


def _change_form_data(proposal, **overrides):
    data = {
        "department": proposal.department_id or "",
        "handler": proposal.handler_id or "",
        "internal_note": "",
        "_save": "Save",
    }
    for prefix in ("events", "messages", "attachments"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "0",
            }
        )
    data.update(overrides)
    return data


def test_change_page_shows_the_case_read_only(staff_client, committee, leader, case_handler):
    proposal = forwarded(committee, leader, title="Flaggheising", body="Vi heiser flagget.")
    services.internal_note_add(proposal=proposal, actor=case_handler, text="Ring leder.")
    response = staff_client.get(change_url(proposal))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Vi heiser flagget." in body
    assert 'name="title"' not in body and 'name="state"' not in body  # read-only
    assert "Preliminary answer from the municipality" in body  # the running deadlines
    assert "Ring leder." in body and "proposal-internal" in body  # the note, marked internal
    assert 'name="internal_note"' in body
    assert 'name="CHANGE_FORM-action"' in body  # the actions run from the case too
    assert 'name="_save"' in body


def test_internal_note_is_added_through_the_service(staff_client, committee, leader):
    proposal = forwarded(committee, leader)
    response = staff_client.post(
        change_url(proposal), _change_form_data(proposal, internal_note="Sjekk budsjettet.")
    )
    assert response.status_code == 302
    note = ProposalEvent.objects.get(proposal=proposal, kind=EventKind.NOTE)
    assert note.is_internal and note.message == "Sjekk budsjettet."
    assert not note.proposal.events.filter(kind=EventKind.ASSIGNED).exists()  # nothing else


def test_saving_the_page_as_the_browser_posts_it(staff_client, committee, leader):
    """The read-only inlines' rows come back with the form and change nothing."""
    proposal = forwarded(committee, leader)
    Message.objects.create(proposal=proposal, sender=leader, party="committee", body="Hei")
    page = staff_client.get(change_url(proposal)).content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert hidden["events-TOTAL_FORMS"] == "1" and hidden["messages-TOTAL_FORMS"] == "1"
    data = {
        **hidden,
        CHANGE_FORM_ACTION: "",  # the actions' select, left alone
        "department": "",
        "handler": "",
        "internal_note": "Notat",
        "_save": "Save",
    }
    assert staff_client.post(change_url(proposal), data).status_code == 302
    assert list(proposal.events.values_list("kind", flat=True)) == ["transition", "note"]
    assert Message.objects.filter(proposal=proposal).count() == 1


def test_internal_note_never_reaches_the_public(client, case_handler, committee, leader):
    proposal = forwarded(committee, leader)
    services.internal_note_add(proposal=proposal, actor=case_handler, text="Bare for oss.")
    page = selectors.proposal_get_for_page(
        reference=proposal.reference, user=case_handler, internal=False
    )
    assert "Bare for oss." not in [e.message for e in page.events.all()]
    assert [e.is_internal for e in page.events.all()] == [False]
    # Nor on the public page, for anyone who is not staff.
    for viewer in (None, proposal.author, leader):
        if viewer is not None:
            client.force_login(viewer)
        response = client.get(reverse("proposals:proposal-detail", args=[proposal.reference]))
        assert response.status_code == 200
        assert "Bare for oss." not in response.content.decode()


def test_assigning_on_the_change_page_goes_through_the_service(
    staff_client, case_handler, committee, leader
):
    colleague = DepartmentStaffFactory(user__full_name="Per Kollega").user
    colleague.groups.add(Group.objects.get(name=group_name(CASE_HANDLER)))
    proposal = forwarded(committee, leader)
    response = staff_client.post(
        change_url(proposal), _change_form_data(proposal, handler=colleague.pk)
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.handler == colleague
    assert proposal.department == colleague.department_staff.department
    assert proposal.events.filter(kind=EventKind.ASSIGNED).exists()
    assert notified(colleague, "proposal.assigned") == 1


def test_change_page_cannot_unassign_a_case(staff_client, case_handler, committee, leader):
    proposal = forwarded(committee, leader)
    services.proposal_assign(proposal=proposal, actor=case_handler, handler=case_handler)
    proposal.refresh_from_db()
    response = staff_client.post(change_url(proposal), _change_form_data(proposal, handler=""))
    assert response.status_code == 200 and "errornote" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.handler == case_handler


def test_change_page_writes_to_the_committee_through_the_service(
    staff_client, case_handler, committee, leader
):
    proposal = received(committee, leader, case_handler)
    page = staff_client.get(change_url(proposal)).content.decode()
    assert 'name="committee_message"' in page and 'name="answer_by"' in page
    assert "Message to the committee" in page and "Ask for an answer by" in page
    due = timezone.localdate() + datetime.timedelta(days=7)
    response = staff_client.post(
        change_url(proposal),
        _change_form_data(
            proposal, committee_message="  Kan dere sende en skisse?  ", answer_by=due.isoformat()
        ),
    )
    assert response.status_code == 302
    message = Message.objects.get(proposal=proposal)
    assert (message.party, message.sender, message.body, message.answer_by) == (
        "municipality",
        case_handler,
        "Kan dere sende en skisse?",
        due,
    )
    proposal.refresh_from_db()
    assert proposal.next_due == min(d for d in (proposal.preliminary_due, due) if d)
    assert notified(leader, "proposal.message") == 1
    assert ("success", "The message was sent to the committee.") in shown_messages(staff_client)
    # The committee's reply answers the request.
    services.message_send(proposal=proposal, actor=leader, body="Ja, her kommer den.")
    message.refresh_from_db()
    assert message.answered_at is not None


def test_change_page_shows_service_refusals_as_form_errors(
    staff_client, case_handler, committee, leader, monkeypatch
):
    """All or nothing: a refused message keeps the note and the assignment from being saved
    too, and the page says why (never a server error)."""
    proposal = received(committee, leader, case_handler)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = staff_client.post(
        change_url(proposal),
        _change_form_data(
            proposal,
            handler=case_handler.pk,
            internal_note="Ikke lagre meg.",
            committee_message="Svar innen i går?",
            answer_by=yesterday.isoformat(),
        ),
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {"answer_by": ["The date cannot be in the past."]}
    assert "errornote" in response.content.decode()
    assert not Message.objects.filter(proposal=proposal).exists()
    assert not proposal.events.filter(kind__in=[EventKind.NOTE, EventKind.ASSIGNED]).exists()
    assert not any(level == "success" for level, _ in shown_messages(staff_client))

    def refuse(**kwargs):
        raise ValidationError("Dialogen er stengt.")

    monkeypatch.setattr(services, "message_send", refuse)
    response = staff_client.post(
        change_url(proposal), _change_form_data(proposal, committee_message="Hei")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == ["Dialogen er stengt."]

    # A date without a message is asked about before anything is sent.
    response = staff_client.post(
        change_url(proposal),
        _change_form_data(proposal, answer_by=timezone.localdate().isoformat()),
    )
    assert response.context["adminform"].form.errors == {
        "committee_message": ["Write the message that asks the committee for an answer."]
    }


@pytest.mark.parametrize(
    ("state", "why"),
    [
        (State.SUBMITTED, "The case is still with the committee."),
        (State.COMPLETED, "The case is closed (“Completed”), and so is the dialogue."),
    ],
)
def test_change_page_says_why_no_message_can_be_written(staff_client, committee, state, why):
    proposal = ProposalFactory(committee=committee, state=state)
    page = staff_client.get(change_url(proposal)).content.decode()
    assert 'name="committee_message"' not in page and 'name="answer_by"' not in page
    assert why in page
    # Posted anyway, it is not sent.
    response = staff_client.post(
        change_url(proposal), _change_form_data(proposal, committee_message="Hei")
    )
    assert response.status_code == 302
    assert not Message.objects.filter(proposal=proposal).exists()


def test_change_page_query_count_is_constant(client, case_handler, committee, leader):
    client.force_login(case_handler)
    proposal = forwarded(committee, leader)

    def add(n):
        ProposalEvent.objects.bulk_create(
            ProposalEvent(proposal=proposal, actor=case_handler, message=f"Notat {i}")
            for i in range(n)
        )
        Message.objects.bulk_create(
            Message(proposal=proposal, sender=leader, party="committee", body=f"Melding {i}")
            for i in range(n)
        )

    add(10)
    client.get(change_url(proposal))
    with CaptureQueriesContext(connection) as small:
        assert client.get(change_url(proposal)).status_code == 200
    add(1000)
    with CaptureQueriesContext(connection) as large:
        assert client.get(change_url(proposal)).status_code == 200
    assert len(large) == len(small)


# --- Actions --------------------------------------------------------------------------------------


def test_action_first_shows_the_intermediate_page(staff_client, committee, leader):
    proposal = forwarded(committee, leader, title="Lekeplass")
    response = staff_client.post(
        ALL_CASES, {"action": "acknowledge", "_selected_action": [proposal.pk], "index": "0"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lekeplass" in body
    assert f'name="_selected_action" value="{proposal.pk}"' in body
    assert 'name="action" value="acknowledge"' in body and 'name="apply"' in body
    proposal.refresh_from_db()
    assert proposal.state == State.FORWARDED


def test_acknowledge_sends_the_preliminary_answer(staff_client, case_handler, committee, leader):
    proposal = forwarded(committee, leader)
    not_forwarded = ProposalFactory(committee=committee)
    before = notified(proposal.author, "proposal.status_changed")
    response = run_action(
        staff_client,
        "acknowledge",
        [proposal, not_forwarded],
        message="Vi svarer innen tre måneder.",
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.RECEIVED and proposal.first_response_at is not None
    event = proposal.events.get(to_state=State.RECEIVED)
    assert event.message == "Vi svarer innen tre måneder." and event.actor == case_handler
    assert notified(proposal.author, "proposal.status_changed") == before + 1
    not_forwarded.refresh_from_db()
    assert not_forwarded.state == State.SUBMITTED
    shown = [str(m) for m in staff_client.get(CHANGELIST).context["messages"]]
    assert any("Skipped" in m and not_forwarded.reference in m for m in shown)
    assert any("1 proposal acknowledged" in m for m in shown)


def test_acknowledge_without_a_message_asks_again(staff_client, committee, leader):
    proposal = forwarded(committee, leader)
    response = run_action(staff_client, "acknowledge", [proposal], message="  ")
    assert response.status_code == 200
    assert "Write the preliminary answer." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == State.FORWARDED


def test_request_information_asks_the_committee(staff_client, case_handler, committee, leader):
    proposal = received(committee, leader, case_handler)
    due = timezone.localdate() + datetime.timedelta(days=10)
    response = run_action(
        staff_client,
        "request_information",
        [proposal],
        question="Hvor mange frivillige?",
        due=due.isoformat(),
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.INFO_REQUESTED and proposal.info_due == due
    assert proposal.events.filter(
        to_state=State.INFO_REQUESTED, message="Hvor mange frivillige?"
    ).exists()
    assert (
        Message.objects.get(proposal=proposal, party="municipality").body
        == "Hvor mange frivillige?"
    )
    assert notified(leader, "proposal.info_requested") == 1


def test_request_information_form_defaults_and_checks(
    staff_client, case_handler, committee, leader, settings
):
    proposal = received(committee, leader, case_handler)
    first = staff_client.post(
        CHANGELIST,
        {"action": "request_information", "_selected_action": [proposal.pk], "index": "0"},
    )
    default = timezone.localdate() + datetime.timedelta(
        days=settings.PROPOSALS["INFO_REQUEST_DAYS"]
    )
    assert f'value="{default.isoformat()}"' in first.content.decode()

    missing = run_action(
        staff_client, "request_information", [proposal], question="", due=default.isoformat()
    )
    assert missing.status_code == 200
    assert "Write the question to the committee." in missing.content.decode()
    past = run_action(
        staff_client,
        "request_information",
        [proposal],
        question="Når?",
        due=(timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
    )
    assert "The date cannot be in the past." in past.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == State.RECEIVED
    assert not Message.objects.filter(proposal=proposal).exists()


def test_start_review_reports_the_wrong_state_and_does_the_others(
    staff_client, case_handler, committee, leader
):
    ready = received(committee, leader, case_handler)
    too_early = forwarded(committee, leader)
    before = notified(ready.author, "proposal.status_changed")
    response = run_action(staff_client, "start_review", [ready, too_early])
    assert response.status_code == 302
    ready.refresh_from_db()
    too_early.refresh_from_db()
    assert ready.state == State.IN_REVIEW and too_early.state == State.FORWARDED
    assert ready.events.filter(to_state=State.IN_REVIEW).exists()
    assert notified(ready.author, "proposal.status_changed") == before + 1
    shown = [(m.level_tag, str(m)) for m in staff_client.get(CHANGELIST).context["messages"]]
    assert (
        "error",
        f"{too_early}: A proposal cannot go from “Forwarded to the municipality” "
        "to “Being considered by the municipality”.",
    ) in shown
    assert ("success", "The review of 1 proposal has started.") in shown


def test_decide_one_case_from_its_page(staff_client, case_handler, committee, leader):
    """The journey: the handler opens the case, writes the answer, sees the text exactly as it
    will be published, and publishes it."""
    proposal = received(committee, leader, case_handler, title="Flaggheising")
    url = change_url(proposal)
    page = staff_client.post(
        url,
        {CHANGE_FORM_ACTION: "decide", "_selected_action": [proposal.pk], "index": "0"},
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert f'name="{CHANGE_FORM_ACTION}" value="decide"' in body
    assert "as it is" not in body  # no hint that an empty answer takes the template as it is
    data = {
        CHANGE_FORM_ACTION: "decide",
        "_selected_action": [proposal.pk],
        "apply": "yes",
        "outcome": State.ACCEPTED,
        "template": "",
        "body": "Kommunen sier ja til «{title}».",
    }
    preview = staff_client.post(url, data)
    assert preview.status_code == 200
    assert [(i["label"], i["text"], i["problem"]) for i in preview.context["preview"]] == [
        (
            f"{proposal.reference} – Flaggheising (Received by the municipality)",
            "Kommunen sier ja til «Flaggheising».",
            "",
        )
    ]
    assert preview.context["preview_outcome"] == "Accepted"
    html = preview.content.decode()
    assert 'name="_confirm" class="default" value="Publish"' in html
    assert 'name="_back" value="Back"' in html
    # The form's data goes back in hidden fields, the placeholders still in it.
    assert '<input type="hidden" name="body" value="Kommunen sier ja til «{title}»."' in html
    proposal.refresh_from_db()
    assert proposal.state == State.RECEIVED  # nothing is published before "Publish"
    assert not OfficialAnswer.objects.filter(proposal=proposal).exists()

    response = staff_client.post(url, {**data, "_confirm": "Publish"})
    assert response.status_code == 302 and response.url == url
    proposal.refresh_from_db()
    assert proposal.state == State.ACCEPTED and proposal.decided_at is not None
    answer = OfficialAnswer.objects.get(proposal=proposal)
    assert answer.is_published and answer.body == "Kommunen sier ja til «Flaggheising»."
    assert answer.author == case_handler
    assert proposal.events.filter(to_state=State.ACCEPTED).exists()
    assert notified(proposal.author, "proposal.answer_published") == 1
    assert notified(leader, "proposal.answer_published") == 1


def test_decide_back_returns_to_the_form_as_it_was(staff_client, case_handler, committee, leader):
    proposal = received(committee, leader, case_handler)
    response = run_action(
        staff_client,
        "decide",
        [proposal],
        outcome=State.REJECTED,
        template="",
        body="Nei til {title}.",
        _back="Back",
    )
    assert response.status_code == 200 and "preview" not in response.context
    form = response.context["form"]
    assert (form["body"].value(), form["outcome"].value()) == ("Nei til {title}.", State.REJECTED)
    html = response.content.decode()
    assert "Nei til {title}.</textarea>" in html
    assert f'<option value="{State.REJECTED}" selected>' in html
    proposal.refresh_from_db()
    assert proposal.state == State.RECEIVED


def test_decide_refuses_a_template_for_another_decision(
    staff_client, case_handler, committee, leader
):
    """A rejection must not be published with the text of an acceptance."""
    template = AnswerTemplate.objects.create(
        name="Ja takk", outcome=State.ACCEPTED, body="Kommunen sier ja til {title}."
    )
    proposal = received(committee, leader, case_handler)
    for step in ({}, {"_confirm": "Publish"}, {"_prefill": "1"}):
        response = run_action(
            staff_client,
            "decide",
            [proposal],
            outcome=State.REJECTED,
            template=template.pk,
            body="Kommunen sier ja til {title}.",
            **step,
        )
        assert response.status_code == 200 and "preview" not in response.context
        assert response.context["form"].errors["template"] == [
            "The template “Ja takk” is for the decision “Accepted”, not “Rejected”. Choose a "
            "template for the same decision, or change the decision."
        ]
    proposal.refresh_from_db()
    assert proposal.state == State.RECEIVED
    assert not OfficialAnswer.objects.filter(proposal=proposal).exists()


def test_decide_with_a_template_needs_the_text_filled_in(
    staff_client, case_handler, committee, leader
):
    """An empty answer is not the template's text: "Fill in the template" puts it in the answer
    to edit, with the template's decision."""
    template = AnswerTemplate.objects.create(
        name="Nei takk", outcome=State.REJECTED, body="{reference}: {title} fra {committee}."
    )
    proposal = received(committee, leader, case_handler, title="Ny bro")
    response = run_action(
        staff_client, "decide", [proposal], outcome="", template=template.pk, body=""
    )
    assert response.status_code == 200 and "preview" not in response.context
    assert response.context["form"].errors["body"] == [
        "Write the official answer. To start from a template, choose it and press "
        "“Fill in the template”."
    ]
    filled = run_action(
        staff_client, "decide", [proposal], outcome="", template=template.pk, _prefill="1"
    )
    assert filled.context["form"].initial == {
        "outcome": State.REJECTED,
        "template": template.pk,
        "body": f"{proposal.reference}: Ny bro fra Svarstad.",
    }
    response = publish_action(
        staff_client, "decide", [proposal], outcome="", template=template.pk, body="Ja, {title}."
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.REJECTED  # the template's decision
    assert proposal.answer.body == "Ja, Ny bro."


def test_decide_can_fill_in_the_template_first(staff_client, case_handler, committee, leader):
    template = AnswerTemplate.objects.create(
        name="Ja", outcome=State.ACCEPTED, body="Vi sier ja til {title}."
    )
    proposal = received(committee, leader, case_handler, title="Benker")
    response = run_action(
        staff_client, "decide", [proposal], template=template.pk, body="", _prefill="1"
    )
    assert response.status_code == 200
    assert "Vi sier ja til Benker." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == State.RECEIVED
    nothing = run_action(staff_client, "decide", [proposal], template="", _prefill="1")
    assert nothing.context["form"].errors["template"] == ["Choose a template to fill in."]


def test_decide_refuses_text_left_in_brackets(staff_client, case_handler, committee, leader):
    proposal = received(committee, leader, case_handler, title="Blomster")
    body = "Kommunen sier ja til deler av «{title}»: [skriv hvilke deler og hvorfor]."
    for step in ({}, {"_confirm": "Publish"}):  # the preview, and a "Publish" sent directly
        response = run_action(
            staff_client,
            "decide",
            [proposal],
            outcome=State.PARTLY_ACCEPTED,
            template="",
            body=body,
            **step,
        )
        assert response.status_code == 200 and "preview" not in response.context
        assert response.context["form"].errors["body"] == [
            "The answer still has text in [brackets] to fill in."
        ]
    proposal.refresh_from_db()
    assert proposal.state == State.RECEIVED
    assert not OfficialAnswer.objects.filter(proposal=proposal).exists()


def test_brackets_in_the_proposals_own_title_are_not_left_to_fill_in(
    staff_client, case_handler, committee, leader
):
    proposal = received(committee, leader, case_handler, title="Benker [oppdatert]")
    response = publish_action(
        staff_client,
        "decide",
        [proposal],
        outcome=State.ACCEPTED,
        template="",
        body="Ja til «{title}».",
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.ACCEPTED
    assert proposal.answer.body == "Ja til «Benker [oppdatert]»."


def test_decide_several_shows_each_text_and_the_cases_that_cannot_be_decided(
    staff_client, case_handler, committee, leader
):
    first = received(committee, leader, case_handler, title="Første")
    second = forwarded(committee, leader, title="Andre")
    at_committee = ProposalFactory(committee=committee, title="Hos utvalget")
    data = {"outcome": State.ACCEPTED, "template": "", "body": "Ja til {title} ({reference})."}
    preview = run_action(staff_client, "decide", [first, second, at_committee], **data)
    items = {i["label"].split(" – ")[0]: i for i in preview.context["preview"]}
    assert items[first.reference]["text"] == f"Ja til Første ({first.reference})."
    assert items[second.reference]["text"] == f"Ja til Andre ({second.reference})."
    assert items[first.reference]["problem"] == items[second.reference]["problem"] == ""
    assert items[at_committee.reference]["problem"] == (
        "Only a case at the municipality can be answered."
    )
    html = preview.content.decode()
    assert "The answers that will be published" in html and "Not answered:" in html

    response = run_action(
        staff_client, "decide", [first, second, at_committee], _confirm="Publish", **data
    )
    assert response.status_code == 302
    for proposal in (first, second):
        proposal.refresh_from_db()
        assert proposal.state == State.ACCEPTED
    at_committee.refresh_from_db()
    assert at_committee.state == State.SUBMITTED
    shown = shown_messages(staff_client)
    assert ("success", "2 proposals decided and their answers published.") in shown
    assert (
        "error",
        f"{at_committee}: Only a case at the municipality can be answered.",
    ) in shown


def test_a_failed_decision_leaves_no_draft_behind(staff_client, committee):
    submitted = ProposalFactory(committee=committee)
    run_action(
        staff_client,
        "decide",
        [submitted],
        outcome=State.ACCEPTED,
        body="Ja.",
        _confirm="Publish",
    )
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED
    assert not OfficialAnswer.objects.filter(proposal=submitted).exists()


def test_answer_with_template_shows_each_text_then_answers_several(
    staff_client, case_handler, committee, leader
):
    template = AnswerTemplate.objects.create(
        name="Takk", outcome=State.PARTLY_ACCEPTED, body="Svar på {reference} «{title}»."
    )
    first = received(committee, leader, case_handler, title="Første")
    second = forwarded(committee, leader, title="Andre")
    not_ours = ProposalFactory(committee=committee, title="Hos utvalget")
    cases = [first, second, not_ours]
    preview = run_action(staff_client, "answer_with_template", cases, template=template.pk)
    assert preview.status_code == 200
    assert sorted(i["text"] for i in preview.context["preview"]) == [
        f"Svar på {first.reference} «Første».",
        f"Svar på {second.reference} «Andre».",
        f"Svar på {not_ours.reference} «Hos utvalget».",
    ]
    assert preview.context["preview_outcome"] == "Partly accepted"
    first.refresh_from_db()
    assert first.state == State.RECEIVED  # nothing published yet

    back = run_action(
        staff_client, "answer_with_template", cases, template=template.pk, _back="Back"
    )
    assert "preview" not in back.context
    assert back.context["form"]["template"].value() == str(template.pk)

    response = run_action(
        staff_client, "answer_with_template", cases, template=template.pk, _confirm="Publish"
    )
    assert response.status_code == 302
    for proposal, title in [(first, "Første"), (second, "Andre")]:
        proposal.refresh_from_db()
        assert proposal.state == State.PARTLY_ACCEPTED
        assert proposal.answer.body == f"Svar på {proposal.reference} «{title}»."
        assert proposal.events.filter(to_state=State.PARTLY_ACCEPTED).exists()
        assert notified(proposal.author, "proposal.answer_published") == 1
    not_ours.refresh_from_db()
    assert not_ours.state == State.SUBMITTED
    shown = shown_messages(staff_client)
    assert ("success", "2 proposals answered.") in shown
    assert any(level == "error" and not_ours.reference in text for level, text in shown)


def test_answer_with_template_refuses_a_template_to_fill_in(
    staff_client, case_handler, committee, leader
):
    template = AnswerTemplate.objects.create(
        name="Delvis ja",
        outcome=State.PARTLY_ACCEPTED,
        body="Ja til deler av {title}: [skriv hvilke deler og hvorfor].",
    )
    proposal = received(committee, leader, case_handler)
    for step in ({}, {"_confirm": "Publish"}):
        response = run_action(
            staff_client, "answer_with_template", [proposal], template=template.pk, **step
        )
        assert response.status_code == 200 and "preview" not in response.context
        assert response.context["form"].errors["template"] == [
            "“Delvis ja” has text in [brackets] that must be written for each proposal. Use "
            "“Decide with an official answer” to fill it in and edit it for each proposal."
        ]
    proposal.refresh_from_db()
    assert proposal.state == State.RECEIVED


def test_answer_with_template_needs_a_template(staff_client, case_handler, committee, leader):
    proposal = received(committee, leader, case_handler)
    response = run_action(staff_client, "answer_with_template", [proposal], template="")
    assert response.status_code == 200
    assert "Choose the template to answer with." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == State.RECEIVED


def test_assign_action_gives_the_case_to_a_handler(staff_client, case_handler, committee, leader):
    colleague = DepartmentStaffFactory(user__full_name="Per Kollega").user
    colleague.groups.add(Group.objects.get(name=group_name(CASE_HANDLER)))
    department = DepartmentFactory(name="Kultur og idrett")
    cases = [forwarded(committee, leader), forwarded(committee, leader)]
    response = run_action(
        staff_client, "assign", cases, handler=colleague.pk, department=department.pk
    )
    assert response.status_code == 302
    for proposal in cases:
        proposal.refresh_from_db()
        assert (proposal.handler, proposal.department) == (colleague, department)
        assert proposal.events.filter(kind=EventKind.ASSIGNED).exists()
    assert notified(colleague, "proposal.assigned") == 2


def test_assign_action_refuses_a_resident_as_handler(staff_client, resident, committee, leader):
    proposal = forwarded(committee, leader)
    response = run_action(staff_client, "assign", [proposal], handler=resident.pk, department="")
    assert response.status_code == 200  # not a choice: the form comes back
    proposal.refresh_from_db()
    assert proposal.handler is None


def test_staff_without_change_permission_get_no_actions(client, committee, leader):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_proposal"))
    forwarded(committee, leader)
    client.force_login(viewer)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert 'value="acknowledge"' not in response.content.decode()
    proposal = Proposal.objects.get()
    page = client.get(change_url(proposal))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert 'name="internal_note"' not in page.content.decode()
    refused = run_action(client, "start_review", [proposal])
    proposal.refresh_from_db()
    assert refused.status_code in (200, 302) and proposal.state == State.FORWARDED


# --- CSV export -----------------------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")  # spreadsheet programs read it as UTF-8
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


def test_export_csv_has_one_row_per_case_with_local_times(
    staff_client, case_handler, committee, leader
):
    proposal = forwarded(committee, leader, title="Benker")
    services.proposal_assign(proposal=proposal, actor=case_handler, handler=case_handler)
    overdue = ProposalFactory(
        committee=committee,
        title="Gammel",
        next_due=timezone.localdate() - datetime.timedelta(days=1),
    )
    response = run_action(staff_client, "export_csv", [proposal, overdue])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _csv_rows(response)
    assert header[:3] == ["Reference", "Title", "Committee"] and header[-1] == "Overdue"
    assert len(header) == 16
    by_ref = {row[0]: row for row in rows}
    assert set(by_ref) == {proposal.reference, overdue.reference}
    row = by_ref[proposal.reference]
    proposal.refresh_from_db()
    assert row[1:4] == ["Benker", "Svarstad", "Idea or initiative"]
    assert row[5] == "Forwarded to the municipality"
    assert row[7] == "Kari Saksbehandler"
    # Norwegian wall-clock time to the minute: no seconds, microseconds or offset.
    oslo = proposal.forwarded_at.astimezone(ZoneInfo("Europe/Oslo"))
    assert row[10] == oslo.strftime("%Y-%m-%d %H:%M")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[9])
    assert row[14] == proposal.next_due.isoformat() and row[15] == "No"
    assert by_ref[overdue.reference][15] == "Yes"
    assert by_ref[overdue.reference][12] == ""  # not decided


def test_export_csv_is_in_norwegian_for_norwegian_users(client, case_handler, committee):
    client.cookies["nmu_language"] = "nb"
    client.force_login(case_handler)
    late = ProposalFactory(
        committee=committee, next_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    on_time = ProposalFactory(committee=committee, title="Tekst; med semikolon")
    header, *rows = _csv_rows(run_action(client, "export_csv", [late, on_time]))
    assert header[0] == "Saksnummer" and header[6] == "Kommunal enhet"
    by_ref = {row[0]: row for row in rows}
    assert (by_ref[late.reference][15], by_ref[on_time.reference][15]) == ("Ja", "Nei")
    assert by_ref[on_time.reference][1] == "Tekst; med semikolon"  # quoted, kept whole


def test_export_csv_defuses_formulas(staff_client, committee):
    attack = ProposalFactory(committee=committee, title='=HYPERLINK("http://x";"klikk")')
    plus = ProposalFactory(committee=committee, title="+47 123")
    minus = ProposalFactory(committee=committee, title="-1+1")
    at = ProposalFactory(committee=committee, title="@SUM(A1)")
    safe = ProposalFactory(committee=committee, title="Helt vanlig")
    response = run_action(staff_client, "export_csv", [attack, plus, minus, at, safe])
    titles = {row[0]: row[1] for row in _csv_rows(response)[1:]}
    assert titles[attack.reference] == '\'=HYPERLINK("http://x";"klikk")'
    assert titles[plus.reference] == "'+47 123"
    assert titles[minus.reference] == "'-1+1"
    assert titles[at.reference] == "'@SUM(A1)"
    assert titles[safe.reference] == "Helt vanlig"


def test_export_csv_query_count_is_constant(client, case_handler, committee):
    client.force_login(case_handler)
    authors = UserFactory.create_batch(2)
    department = DepartmentFactory()

    def export():
        pks = list(Proposal.objects.values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as queries:
            response = run_action(client, "export_csv", [Proposal(pk=pk) for pk in pks])
            rows = _csv_rows(response)
        return len(queries), len(rows)

    Proposal.objects.bulk_create(
        ProposalFactory.build(
            committee=committee, author=authors[i % 2], department=department, handler=case_handler
        )
        for i in range(10)
    )
    small, small_rows = export()
    Proposal.objects.bulk_create(
        ProposalFactory.build(
            committee=CommitteeFactory(), author=authors[i % 2], handler=case_handler
        )
        for i in range(200)
    )
    large, large_rows = export()
    assert (small_rows, large_rows) == (11, 211)
    assert small == large


# --- Official answers, templates, supports --------------------------------------------------------


def test_official_answer_draft_is_saved_through_the_service_and_published_by_action(
    staff_client, case_handler, committee, leader
):
    proposal = received(committee, leader, case_handler)
    response = staff_client.post(
        reverse("admin:proposals_officialanswer_add"),
        {"proposal": proposal.pk, "outcome": State.ACCEPTED, "body": "  Ja, gjerne.  "},
    )
    assert response.status_code == 302
    answer = OfficialAnswer.objects.get(proposal=proposal)
    assert answer.author == case_handler and answer.body == "Ja, gjerne."
    assert not answer.is_published
    proposal.refresh_from_db()
    assert proposal.state == State.RECEIVED  # a draft decides nothing

    changelist = reverse("admin:proposals_officialanswer_changelist")
    staff_client.post(
        changelist, {"action": "publish", "_selected_action": [answer.pk], "apply": "yes"}
    )
    answer.refresh_from_db()
    proposal.refresh_from_db()
    assert answer.is_published and proposal.state == State.ACCEPTED
    assert notified(proposal.author, "proposal.answer_published") == 1

    # The answer's case picker offers only cases that can still be answered.
    waiting = received(committee, leader, case_handler, title="Venter")
    at_committee = ProposalFactory(committee=committee, title="Venter ikke")
    found = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "proposals",
            "model_name": "officialanswer",
            "field_name": "proposal",
            "term": "Venter",
        },
    ).json()
    assert [int(r["id"]) for r in found["results"]] == [waiting.pk]
    assert at_committee.pk not in [int(r["id"]) for r in found["results"]]

    # Published: part of the record, no longer editable.
    page = staff_client.get(reverse("admin:proposals_officialanswer_change", args=[answer.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()


def test_official_answer_only_for_cases_at_the_municipality(staff_client, committee):
    proposal = ProposalFactory(committee=committee)
    response = staff_client.post(
        reverse("admin:proposals_officialanswer_add"),
        {"proposal": proposal.pk, "outcome": State.ACCEPTED, "body": "Ja."},
    )
    assert response.status_code == 200
    assert not OfficialAnswer.objects.exists()


def test_answer_templates_and_supports_for_the_case_handler(staff_client):
    response = staff_client.post(
        reverse("admin:proposals_answertemplate_add"),
        {
            "name": "Avslag",
            "outcome": State.REJECTED,
            "body": "Nei til {title}.",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert AnswerTemplate.objects.get(name="Avslag").outcome == State.REJECTED
    for name in [
        "admin:proposals_answertemplate_changelist",
        "admin:proposals_officialanswer_changelist",
        "admin:proposals_support_changelist",
    ]:
        assert staff_client.get(reverse(name)).status_code == 200


def test_publishing_refuses_text_left_in_brackets(staff_client, case_handler, committee, leader):
    """The services' rule, so the official answers' own publish action obeys it too."""
    proposal = received(committee, leader, case_handler)
    response = staff_client.post(
        reverse("admin:proposals_officialanswer_add"),
        {"proposal": proposal.pk, "outcome": State.PARTLY_ACCEPTED, "body": "Ja til [hva]."},
    )
    assert response.status_code == 302  # a draft may still have text to fill in
    answer = OfficialAnswer.objects.get(proposal=proposal)
    with pytest.raises(ValidationError) as refused:
        services.answer_publish(proposal=proposal, actor=case_handler)
    assert refused.value.message_dict == {
        "body": ["The answer still has text in [brackets] to fill in."]
    }
    changelist = reverse("admin:proposals_officialanswer_changelist")
    staff_client.post(
        changelist, {"action": "publish", "_selected_action": [answer.pk], "apply": "yes"}
    )
    answer.refresh_from_db()
    proposal.refresh_from_db()
    assert not answer.is_published and proposal.state == State.RECEIVED
    shown = [(m.level_tag, str(m)) for m in staff_client.get(changelist).context["messages"]]
    assert ("error", f"{answer}: The answer still has text in [brackets] to fill in.") in shown


def test_official_answers_published_filter_and_publishing_twice(
    staff_client, case_handler, committee, leader
):
    draft_case = received(committee, leader, case_handler, title="Utkast")
    done_case = received(committee, leader, case_handler, title="Ferdig")
    for proposal in (draft_case, done_case):
        services.answer_save_draft(
            proposal=proposal, actor=case_handler, outcome=State.ACCEPTED, body="Ja."
        )
    services.answer_publish(proposal=done_case, actor=case_handler)
    draft, done = draft_case.answer, OfficialAnswer.objects.get(proposal=done_case)
    changelist = reverse("admin:proposals_officialanswer_changelist")

    page = staff_client.get(changelist)
    spec = next(f for f in page.context["cl"].filter_specs if f.title == "published")
    assert [c["display"] for c in spec.choices(page.context["cl"])] == ["All", "Yes", "No"]
    for value, expected in (("yes", [done.pk]), ("no", [draft.pk])):
        listed = staff_client.get(changelist, {"published": value}).context["cl"].result_list
        assert [a.pk for a in listed] == expected

    response = staff_client.post(
        changelist,
        {"action": "publish", "_selected_action": [draft.pk, done.pk], "apply": "yes"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    shown = [(m.level_tag, str(m)) for m in staff_client.get(changelist).context["messages"]]
    assert ("warning", f"Skipped, because they are already published: {done}") in shown
    assert ("success", "1 answer published.") in shown
    assert not any(level == "error" for level, _ in shown)


def test_answer_template_placeholders_are_checked(staff_client):
    add = reverse("admin:proposals_answertemplate_add")
    page = staff_client.get(add).content.decode()
    assert "{title}, {reference} and {committee}" in page and "[square brackets]" in page
    response = staff_client.post(
        add,
        {
            "name": "Feil",
            "outcome": State.REJECTED,
            "body": "Hei {navn}, nei til {title} ({tittel}, {navn}).",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"] == [
        "Unknown placeholders: {navn}, {tittel}. "
        "Only {title}, {reference}, {committee} can be used."
    ]
    assert not AnswerTemplate.objects.filter(name="Feil").exists()
    response = staff_client.post(
        add,
        {
            "name": "Riktig",
            "outcome": State.REJECTED,
            "body": "Nei til {title} ({reference}) fra {committee}: [skriv hvorfor].",
            "is_active": "on",
        },
    )
    assert response.status_code == 302


def test_a_search_looks_among_all_cases(client, case_handler, committee):
    decided = ProposalFactory(committee=committee, state=State.ACCEPTED)
    client.force_login(case_handler)
    response = client.get(reverse("admin:proposals_proposal_changelist"), {"q": decided.reference})
    assert list(response.context["cl"].result_list) == [decided]
    assert (
        decided
        not in client.get(reverse("admin:proposals_proposal_changelist")).context["cl"].result_list
    )
