"""Parallel support requests on PostgreSQL: the unique constraint and the row lock keep the
count exact. Each thread is its own browser (test Client) with its own database connection."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from proposals.models import Proposal, Support
from tests.factories import ProposalFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PARALLEL = 20


def _post_in_parallel(url: str, users) -> list[int]:
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def post(client):
        try:
            barrier.wait()
            statuses.append(client.post(url).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_twenty_parallel_supports_from_one_user_leave_one():
    proposal = ProposalFactory()
    user = UserFactory()
    url = reverse("proposals:proposal-support", kwargs={"reference": proposal.reference})
    statuses = _post_in_parallel(url, [user] * PARALLEL)
    assert len(statuses) == PARALLEL and set(statuses) <= {200, 302}
    assert Support.objects.filter(proposal=proposal).count() == 1
    assert Proposal.objects.get(pk=proposal.pk).supports_count == 1


def test_twenty_parallel_supports_from_twenty_users_leave_twenty():
    proposal = ProposalFactory()
    users = UserFactory.create_batch(PARALLEL)
    url = reverse("proposals:proposal-support", kwargs={"reference": proposal.reference})
    statuses = _post_in_parallel(url, users)
    assert set(statuses) <= {200, 302}
    assert Support.objects.filter(proposal=proposal).count() == PARALLEL
    assert Proposal.objects.get(pk=proposal.pk).supports_count == PARALLEL


def _run_in_parallel(*calls) -> list:
    """Each call in its own thread (its own database connection); what each returned or raised."""
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test looks at what was raised
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_publishing_while_the_answer_is_saved_does_not_deadlock(
    monkeypatch, committee, case_handler
):
    """answer_publish and answer_save_draft lock the case and then its answer, in that order:
    when they meet, one waits for the other (no "deadlock detected")."""
    from django.core.exceptions import ValidationError

    from proposals import services
    from proposals.models import OfficialAnswer, State

    proposal = ProposalFactory(committee=committee, state=State.IN_REVIEW)
    services.answer_save_draft(
        proposal=proposal, actor=case_handler, outcome=State.ACCEPTED, body="Ja."
    )
    publishing = threading.Event()
    check = services.answer_check_filled_in

    def slow_check(**kwargs):
        # The publish holds its locks; the save starts now and must wait, not deadlock.
        publishing.set()
        time.sleep(1.5)  # longer than PostgreSQL's deadlock_timeout (1 s)
        return check(**kwargs)

    monkeypatch.setattr(services.answers, "answer_check_filled_in", slow_check)

    def publish():
        return services.answer_publish(proposal=proposal, actor=case_handler)

    def save():
        publishing.wait(10)
        return services.answer_save_draft(
            proposal=proposal, actor=case_handler, outcome=State.REJECTED, body="Nei."
        )

    published, saved = _run_in_parallel(publish, save)
    assert isinstance(published, OfficialAnswer), published
    assert isinstance(saved, ValidationError), saved  # "already published", not a deadlock
    answer = OfficialAnswer.objects.get(proposal=proposal)
    assert (answer.outcome, answer.body, answer.is_published) == (State.ACCEPTED, "Ja.", True)
    assert Proposal.objects.get(pk=proposal.pk).state == State.ACCEPTED


def test_two_parallel_submits_of_a_draft_give_one_reference(committee, author):
    from proposals import services
    from proposals.models import State

    draft = ProposalFactory(committee=committee, author=author, state=State.DRAFT, reference=None)
    barrier = threading.Barrier(2)

    def submit():
        barrier.wait()
        return services.proposal_submit(proposal=draft, actor=author)

    results = _run_in_parallel(submit, submit)
    assert sum(isinstance(r, Proposal) for r in results) == 1, results
    proposal = Proposal.objects.get(pk=draft.pk)
    assert proposal.state == State.SUBMITTED and proposal.reference
    assert proposal.events.count() == 1
