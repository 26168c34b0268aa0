"""'Stop e-mails like this one': a signed link that works from the e-mail, without logging in."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from committees.notifications import CATEGORY as COMMITTEE
from notifications import delivery
from notifications.models import (
    EmailStatus,
    Frequency,
    Notification,
    NotificationPreference,
)
from notifications.unsubscribe import make_token
from proposals.notifications import CATEGORY as PROPOSALS

from ..factories import NotificationFactory

pytestmark = pytest.mark.django_db


def _url(user, categories=(COMMITTEE,)):
    return reverse(
        "notifications:unsubscribe", args=[make_token(user_id=user.pk, categories=categories)]
    )


def test_link_in_the_email_leads_to_a_confirmation_that_changes_nothing(client, resident):
    NotificationFactory(recipient=resident, category=COMMITTEE)
    delivery.deliver_pending()
    path = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>").split("8000", 1)[1]
    response = client.get(path)  # anonymous: the e-mail link must work without logging in
    assert response.status_code == 200
    content = response.content.decode()
    assert "Vil du stoppe e-post om «Utvalg og styreverv»?" in content
    assert not NotificationPreference.objects.exists()  # a link checker's GET changes nothing


def test_confirming_stops_the_emails_and_the_waiting_ones(client, resident):
    waiting = NotificationFactory(recipient=resident, category=COMMITTEE, channel=Frequency.DAILY)
    response = client.post(_url(resident))
    assert response.status_code == 200
    assert "Du får ikke flere e-poster om dette" in response.content.decode()
    assert NotificationPreference.objects.get(user=resident).frequency == Frequency.IN_APP
    waiting.refresh_from_db()
    assert waiting.email_status == EmailStatus.SKIPPED


def test_mail_programs_one_click_post_needs_no_csrf_token(resident):
    client = Client(enforce_csrf_checks=True)
    response = client.post(_url(resident), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=resident).frequency == Frequency.IN_APP


def test_a_digest_link_covers_every_topic_in_it(client, resident):
    client.post(_url(resident, categories=[COMMITTEE, PROPOSALS]))
    assert set(
        NotificationPreference.objects.filter(user=resident).values_list("category", flat=True)
    ) == {COMMITTEE, PROPOSALS}


def test_another_persons_settings_stay_untouched(client, resident, other_resident):
    client.force_login(other_resident)  # the token decides whose e-mail stops, not the session
    client.post(_url(resident))
    assert not NotificationPreference.objects.filter(user=other_resident).exists()


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxfQ:forged:signature"])
def test_a_forged_or_broken_link_is_refused(client, resident, token):
    response = client.post(reverse("notifications:unsubscribe", args=[token]))
    assert response.status_code == 404
    assert "Lenken virker ikke" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_changed_category_breaks_the_signature(client, resident):
    from django.core import signing

    token = make_token(user_id=resident.pk, categories=[COMMITTEE])
    _payload, signature = token.split(":", 1)
    other = signing.b64_encode(b'{"u":%d,"c":["proposals"]}' % resident.pk).decode()
    tampered = f"{other}:{signature}"
    assert client.post(reverse("notifications:unsubscribe", args=[tampered])).status_code == 404


def test_link_for_a_deactivated_account_is_refused(client, resident):
    url = _url(resident)
    resident.is_active = False
    resident.save()
    assert client.get(url).status_code == 404
    assert Notification.objects.count() == 0


def test_page_speaks_the_emails_language_unless_the_visitor_chose_one(client, resident):
    resident.preferred_language = "en"
    resident.save()
    assert (
        "Stop e-mails about «Committees and board roles»?"
        in client.get(_url(resident)).content.decode()
    )
    client.cookies["nmu_language"] = "nb"
    assert "Vil du stoppe e-post om" in client.get(_url(resident)).content.decode()


def test_opening_the_link_again_says_it_is_already_done(client, resident):
    client.post(_url(resident))
    content = client.get(_url(resident)).content.decode()
    assert "Du får ikke flere e-poster om dette" in content
    assert "Stopp disse e-postene" not in content
