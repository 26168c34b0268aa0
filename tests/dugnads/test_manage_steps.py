"""The step page (/dugnad/<pk>/steg/<to_state>/): the step table's texts, its message when the
step needs one (a published dugnad's cancellation needs a reason), one service call."""

# ruff: noqa: F811 - the fixtures imported from manage_helpers are the tests' arguments

import pytest
from django.urls import reverse

from dugnads.models import DugnadEvent, GuestMail, State
from notifications.models import Notification
from tests.factories import ResourceFactory, SignupFactory

from .manage_helpers import draft, organiser, published  # noqa: F401 (fixtures)


def _url(dugnad, to_state):
    return reverse("dugnads:dugnad-transition", kwargs={"pk": dugnad.pk, "to_state": to_state})


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_publishing_takes_one_click_and_asks_the_municipality(
    client, english, draft, organiser, case_handler
):
    ResourceFactory(
        dugnad=draft, department=case_handler.department_staff.department, requested_at=None
    )
    client.force_login(organiser)
    page = client.get(_url(draft, State.PUBLISHED)).content.decode()
    assert "<h1" in page and "Publish the dugnad" in page
    assert "the municipality is asked for the resources" in page  # the step's explanation
    assert 'name="message"' not in page  # nothing to write for this step
    response = client.post(_url(draft, State.PUBLISHED))
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED
    assert DugnadEvent.objects.filter(dugnad=draft, to_state=State.PUBLISHED, actor=organiser)
    assert Notification.objects.filter(recipient=case_handler, kind="dugnad.resource_requested")
    follow = client.get(response["Location"])
    assert "The dugnad has been published." in follow.content.decode()


def test_cancelling_a_published_dugnad_needs_a_reason(client, english, published, organiser):
    resident = SignupFactory(dugnad=published).user
    guest = SignupFactory(
        dugnad=published, user=None, guest_name="Gina Gjest", guest_email="gina@example.no"
    )
    client.force_login(organiser)
    page = client.get(_url(published, State.CANCELLED)).content.decode()
    assert 'name="message"' in page and "Reason for cancelling" in page
    assert 'data-color="danger"' in page  # a destructive step's button
    for empty in ("", "   "):
        response = client.post(_url(published, State.CANCELLED), {"message": empty})
        assert response.status_code == 400
        assert response.context["form"].errors["message"] == ["Write why the dugnad is cancelled."]
    response = client.post(_url(published, State.CANCELLED), {"message": "x" * 2_001})
    assert response.status_code == 400
    response = client.post(_url(published, State.CANCELLED), {"message": "Rik\x00tig"})
    assert response.status_code == 400
    published.refresh_from_db()
    assert published.state == State.PUBLISHED and not DugnadEvent.objects.exists()

    response = client.post(_url(published, State.CANCELLED), {"message": "Storm er varslet."})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.state == State.CANCELLED
    event = DugnadEvent.objects.get(dugnad=published)
    assert event.message == "Storm er varslet."
    told = Notification.objects.get(recipient=resident, kind="dugnad.cancelled")
    assert "Storm er varslet." in told.body
    mail = GuestMail.objects.get(signup=guest, kind="dugnad.cancelled")
    assert mail.context["reason"] == "Storm er varslet."


def test_a_draft_is_cancelled_without_a_reason(client, draft, organiser):
    client.force_login(organiser)
    assert 'name="message"' not in client.get(_url(draft, State.CANCELLED)).content.decode()
    assert client.post(_url(draft, State.CANCELLED)).status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.CANCELLED


@pytest.mark.parametrize(
    ("state", "to_state"),
    [
        (State.PUBLISHED, State.PUBLISHED),  # taken already (a second tab)
        (State.DRAFT, State.COMPLETED),  # no such step from here
        (State.CANCELLED, State.PUBLISHED),
    ],
)
def test_a_step_not_possible_now_says_where_the_dugnad_stands(
    client, published, organiser, state, to_state
):
    type(published).objects.filter(pk=published.pk).update(state=state)
    client.force_login(organiser)
    for response in (client.get(_url(published, to_state)), client.post(_url(published, to_state))):
        assert response.status_code == 302 and response["Location"] == published.get_absolute_url()
    published.refresh_from_db()
    assert published.state == state and not DugnadEvent.objects.exists()


def test_marking_as_held_before_the_end_gives_the_page_back(client, english, published, organiser):
    client.force_login(organiser)
    response = client.post(_url(published, State.COMPLETED))
    assert response.status_code == 400
    assert "A dugnad can be marked as held once it has ended." in response.content.decode()
    published.refresh_from_db()
    assert published.state == State.PUBLISHED


def test_reporting_has_its_own_page(client, published, organiser):
    client.force_login(organiser)
    response = client.get(_url(published, State.REPORTED))
    assert response.status_code == 302
    assert response["Location"] == reverse("dugnads:dugnad-report", kwargs={"pk": published.pk})
