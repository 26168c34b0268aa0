"""The read-only record lists in the admin: supports, followers, dialogue messages, timeline."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from proposals.models import Follow, Message, ProposalEvent, State, Support
from tests.factories import ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db

RECORDS = ["support", "follow", "message", "proposalevent"]


def changelist(model):
    return reverse(f"admin:proposals_{model}_changelist")


@pytest.mark.parametrize("model", RECORDS)
def test_anonymous_and_residents_are_kept_out(client, resident, model):
    assert client.get(changelist(model)).status_code == 302
    client.force_login(resident)
    assert client.get(changelist(model)).status_code == 302


@pytest.mark.parametrize("model", RECORDS)
def test_case_handler_reads_but_cannot_add(client, case_handler, committee, model):
    proposal = ProposalFactory(committee=committee, state=State.IN_REVIEW)
    Support.objects.create(proposal=proposal, user=UserFactory())
    Follow.objects.create(proposal=proposal, user=UserFactory())
    Message.objects.create(proposal=proposal, party="committee", body="Når?")
    ProposalEvent.objects.create(proposal=proposal, to_state=State.IN_REVIEW)
    client.force_login(case_handler)
    response = client.get(changelist(model))
    assert response.status_code == 200
    assert proposal.reference in response.content.decode()
    assert client.get(reverse(f"admin:proposals_{model}_add")).status_code == 403


def test_messages_waiting_for_an_answer(client, case_handler, committee):
    proposal = ProposalFactory(committee=committee, state=State.IN_REVIEW)
    waiting = Message.objects.create(
        proposal=proposal, party="committee", body="Når?", answer_by=datetime.date(2099, 1, 1)
    )
    Message.objects.create(proposal=proposal, party="municipality", body="Takk.")
    client.force_login(case_handler)
    response = client.get(changelist("message"), {"waiting": "yes"})
    assert list(response.context["cl"].result_list) == [waiting]


def test_message_list_query_count_does_not_grow(client, case_handler, committee):
    proposals = [ProposalFactory(committee=committee, state=State.IN_REVIEW) for _ in range(10)]
    client.force_login(case_handler)

    def count(total):
        Message.objects.bulk_create(
            [
                Message(proposal=proposals[i % 10], party="committee", body="x")
                for i in range(total - Message.objects.count())
            ]
        )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(changelist("message")).status_code == 200
        return len(ctx.captured_queries)

    assert count(10) == count(1000)
