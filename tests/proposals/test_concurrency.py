"""Parallel support requests on PostgreSQL: the unique constraint and the row lock keep the
count exact. Each thread is its own browser (test Client) with its own database connection."""

import threading

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
