"""Withdrawing a proposal is a secondary, confirmed action (issue 10).

On a just-submitted proposal the author's only step is "Trekk tilbake forslaget"; it must not be
the page's primary button, and it leads to the step page (``proposals:proposal-transition`` with
``?til=withdrawn``), which says what withdrawing means before anything happens. Only POST from
that page withdraws, through ``services.proposal_transition``."""

import re

import pytest
from django.urls import reverse

from proposals.models import ProposalEvent, State
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(committee, resident):
    return ProposalFactory(committee=committee, author=resident, state=State.SUBMITTED)


def confirm_url(proposal) -> str:
    path = reverse("proposals:proposal-transition", kwargs={"reference": proposal.reference})
    return f"{path}?til={State.WITHDRAWN}"


def withdraw_control(body: str, proposal) -> str:
    """The detail page's element that links to the withdraw step."""
    href = re.escape(confirm_url(proposal).replace("&", "&amp;"))
    match = re.search(rf'<a [^>]*href="{href}"[^>]*>', body)
    assert match, "the detail page has no link to the withdraw step"
    return match.group(0)


def test_withdraw_on_the_detail_page_is_a_secondary_danger_button(client, submitted, resident):
    client.force_login(resident)
    body = client.get(submitted.get_absolute_url()).content.decode()
    control = withdraw_control(body, submitted)
    assert 'class="ds-button"' in control
    assert 'data-variant="secondary"' in control
    assert 'data-color="danger"' in control
    # The author's only step is no longer a primary button.
    actions = body[body.index("proposal-actions") :]
    actions = actions[: actions.index("</div>")]
    assert 'data-variant="primary"' not in actions


def test_a_step_that_moves_the_case_on_stays_primary(client, committee, leader):
    """The rule is about destructive steps only: the committee's forward is still primary."""
    proposal = ProposalFactory(committee=committee, state=State.SUBMITTED)
    client.force_login(leader)
    body = client.get(proposal.get_absolute_url()).content.decode()
    forward = reverse("proposals:proposal-transition", kwargs={"reference": proposal.reference})
    match = re.search(rf'<a [^>]*href="{re.escape(forward)}\?til=forwarded"[^>]*>', body)
    assert match and 'data-variant="primary"' in match.group(0)


def test_confirm_page_for_the_author_explains_and_changes_nothing(client, submitted, resident):
    client.force_login(resident)
    response = client.get(confirm_url(submitted))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1" in body and "Trekk tilbake forslaget</h1>" in body
    assert "Dette kan ikke angres." in body
    # The confirming button is the page's one primary action, marked as destructive; Cancel
    # goes back to the proposal.
    assert re.search(
        r'<button class="ds-button" data-variant="primary" data-color="danger" type="submit">'
        r"Trekk tilbake forslaget</button>",
        body,
    )
    assert f'href="{submitted.get_absolute_url()}">Avbryt</a>' in body
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_confirm_page_for_an_outsider_is_forbidden(client, submitted, other_resident):
    client.force_login(other_resident)
    assert client.get(confirm_url(submitted)).status_code == 403
    assert client.post(confirm_url(submitted)).status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_confirm_page_for_the_committee_leader_is_forbidden(client, submitted, leader):
    """Only the author withdraws; the board declines instead."""
    client.force_login(leader)
    assert client.get(confirm_url(submitted)).status_code == 403


def test_confirm_page_for_anonymous_goes_to_login(client, submitted):
    response = client.get(confirm_url(submitted))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")
    response = client.post(confirm_url(submitted))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_post_from_the_confirm_page_withdraws(client, submitted, resident):
    client.force_login(resident)
    response = client.post(confirm_url(submitted), {"message": ""}, follow=True)
    assert response.redirect_chain[-1][0] == submitted.get_absolute_url()
    assert "Forslaget er trukket tilbake." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == State.WITHDRAWN
    event = ProposalEvent.objects.get(proposal=submitted, to_state=State.WITHDRAWN)
    assert event.actor == resident
    # The withdrawn proposal offers no step any more.
    assert f"?til={State.WITHDRAWN}" not in response.content.decode()
