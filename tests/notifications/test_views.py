"""Min side → Varsler: permissions, marking read, the bell, preferences, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.notifications import CATEGORY as COMMITTEE
from notifications import categories
from notifications.models import Frequency, Notification, NotificationPreference
from proposals.notifications import CATEGORY as PROPOSALS

from ..factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
PREFERENCES = reverse("notifications:preferences")
BELL = reverse("notifications:bell")
MARK_ALL = reverse("notifications:mark-all-read")


@pytest.mark.parametrize("url", [LIST, PREFERENCES, BELL])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_expired_session_bell_poll_leaves_the_page_alone(client, db):
    response = client.get(BELL, headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.content == b""


def test_anonymous_cannot_mark_anything(client, resident):
    row = NotificationFactory(recipient=resident)
    for url in (reverse("notifications:mark-read", args=[row.pk]), MARK_ALL):
        assert client.post(url).status_code == 302
    assert Notification.objects.get().read_at is None


def test_list_shows_own_notifications_newest_first(client, resident, other_resident):
    NotificationFactory(recipient=resident, subject="Eldre")
    NotificationFactory(recipient=resident, subject="Nyere")
    NotificationFactory(recipient=other_resident, subject="Andres varsel")
    client.force_login(resident)
    response = client.get(LIST)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.index("Nyere") < content.index("Eldre")
    assert "Andres varsel" not in content
    assert "Merk alle som lest" in content


def test_list_is_paginated(client, resident):
    NotificationFactory.create_batch(25, recipient=resident)
    client.force_login(resident)
    first = client.get(LIST)
    assert len(first.context["page"].object_list) == 20
    assert "Side 1 av 2" in first.content.decode()
    second = client.get(LIST, {"side": 2})
    assert len(second.context["page"].object_list) == 5


def test_outsider_cannot_open_or_mark_someone_elses(client, resident, other_resident):
    row = NotificationFactory(recipient=resident)
    client.force_login(other_resident)
    assert client.get(reverse("notifications:open", args=[row.pk])).status_code == 404
    assert client.post(reverse("notifications:mark-read", args=[row.pk])).status_code == 404
    client.post(MARK_ALL)
    assert Notification.objects.get().read_at is None


def test_opening_marks_read_and_goes_to_the_target(client, resident):
    row = NotificationFactory(recipient=resident, target_url="/nmu/svarstad/")
    client.force_login(resident)
    response = client.get(reverse("notifications:open", args=[row.pk]))
    assert response.status_code == 302 and response["Location"] == "/nmu/svarstad/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_opening_never_redirects_off_site(client, resident):
    row = NotificationFactory(recipient=resident, target_url="https://evil.example/phish")
    client.force_login(resident)
    response = client.get(reverse("notifications:open", args=[row.pk]))
    assert response["Location"] == LIST


def test_mark_read_without_javascript_redirects_back(client, resident):
    row = NotificationFactory(recipient=resident)
    client.force_login(resident)
    response = client.post(
        reverse("notifications:mark-read", args=[row.pk]), {"next": LIST + "?side=1"}
    )
    assert response.status_code == 302 and response["Location"] == LIST + "?side=1"
    assert Notification.objects.get().read_at is not None


def test_mark_read_refuses_get(client, resident):
    row = NotificationFactory(recipient=resident)
    client.force_login(resident)
    assert client.get(reverse("notifications:mark-read", args=[row.pk])).status_code == 405


def test_mark_read_with_htmx_returns_the_item_and_the_new_bell(client, resident):
    row = NotificationFactory(recipient=resident, subject="Styremøte")
    NotificationFactory(recipient=resident)
    client.force_login(resident)
    response = client.post(
        reverse("notifications:mark-read", args=[row.pk]), headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{row.pk}"' in content
    assert "Merk som lest" not in content.split('id="notification-status"')[0]
    assert "Merket som lest: <span>Styremøte</span>" in content
    assert 'data-hx-swap-oob="outerHTML"' in content and "1<span" in content  # one unread left
    # The new bell keeps polling, and still marks the list as the current page.
    bell = content[content.index('<li id="notification-bell"') :]
    assert 'data-hx-trigger="every 60s"' in bell and 'aria-current="page"' in bell
    assert "data-focus-after-swap" in content  # keyboard focus stays on the notification
    assert 'id="mark-all"' in content and "Merk alle som lest" in content


def test_mark_all_button_goes_when_the_last_is_read(client, resident):
    row = NotificationFactory(recipient=resident)
    client.force_login(resident)
    content = client.post(
        reverse("notifications:mark-read", args=[row.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    mark_all = content[content.index('<div id="mark-all"') :]
    assert "Merk alle som lest" not in mark_all.split("</div>")[0]


def test_text_in_another_language_is_marked_with_lang(client, resident):
    NotificationFactory(recipient=resident, subject="Your term ends", language="en")
    NotificationFactory(recipient=resident, subject="Perioden går ut", language="nb")
    client.force_login(resident)
    content = client.get(LIST).content.decode()
    assert content.count('class="notification__text" lang="en"') == 1
    assert content.count('class="notification__text" lang=') == 1


def test_mark_all_read(client, resident):
    NotificationFactory.create_batch(3, recipient=resident)
    client.force_login(resident)
    response = client.post(MARK_ALL, follow=True)
    assert "Alle varsler er merket som lest." in response.content.decode()
    assert not Notification.objects.unread().exists()


def test_bell_shows_unread_count_on_every_page(client, resident):
    NotificationFactory.create_batch(3, recipient=resident)
    NotificationFactory(recipient=resident, read_at="2026-01-01T10:00:00Z")
    client.force_login(resident)
    content = client.get(reverse("home")).content.decode()
    assert 'id="notification-bell"' in content
    assert '<span class="bell__count">3<span class="ds-sr-only"> uleste</span>' in content
    fragment = client.get(BELL, headers={"HX-Request": "true"}).content.decode()
    assert fragment.strip().startswith('<li id="notification-bell"')
    assert 'bell__count">3<' in fragment


def test_bell_polled_from_the_list_page_keeps_it_current(client, resident):
    client.force_login(resident)
    on_list = client.get(
        BELL, headers={"HX-Request": "true", "HX-Current-URL": "http://testserver" + LIST}
    ).content.decode()
    assert 'aria-current="page"' in on_list
    elsewhere = client.get(
        BELL, headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/nmu/"}
    ).content.decode()
    assert 'aria-current="page"' not in elsewhere


def test_bell_without_unread_has_no_count(client, resident):
    client.force_login(resident)
    assert "bell__count" not in client.get(reverse("home")).content.decode()


def test_no_bell_for_anonymous(client, db):
    assert "notification-bell" not in client.get(reverse("home")).content.decode()


def test_preferences_show_defaults_and_save(client, resident):
    client.force_login(resident)
    response = client.get(PREFERENCES)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Daglig oppsummering" in content and "Bare på nettsiden" in content
    assert "Varsler og e-poster skrives på språket du har valgt på" in content
    # Only topics something is sent about are offered.
    assert list(response.context["form"].fields) == [
        PROPOSALS,
        "dugnads",
        "agreements",
        "grants",
        "committee_following",
        COMMITTEE,
    ]
    data = {category.value: Frequency.IMMEDIATE for category in categories.categories()}
    data[COMMITTEE] = Frequency.WEEKLY
    response = client.post(PREFERENCES, data, follow=True)
    assert "Varselinnstillingene dine er lagret." in response.content.decode()
    assert (
        NotificationPreference.objects.get(user=resident, category=COMMITTEE).frequency
        == Frequency.WEEKLY
    )
    assert client.get(PREFERENCES).context["form"]["committee"].value() == Frequency.WEEKLY


def test_preferences_bad_input_gives_the_form_back_in_norwegian(client, resident):
    client.force_login(resident)
    data = {category.value: Frequency.IMMEDIATE for category in categories.categories()}
    data[COMMITTEE] = "hver time"
    response = client.post(PREFERENCES, data)
    assert response.status_code == 200
    assert response.context["form"].has_error(COMMITTEE, code="invalid_choice")
    assert "Velg et gyldig valg" in response.content.decode()  # in Norwegian
    assert not NotificationPreference.objects.exists()


def test_text_is_escaped_on_the_page(client, resident):
    NotificationFactory(recipient=resident, subject="<script>alert(1)</script>", body="<b>x</b>")
    client.force_login(resident)
    content = client.get(LIST).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content and "&lt;b&gt;x&lt;/b&gt;" in content


def _rows(user, count):
    Notification.objects.bulk_create(
        NotificationFactory.build(recipient=user, dedupe_key=f"q:{n}") for n in range(count)
    )


@pytest.mark.parametrize("url", [LIST, PREFERENCES, BELL])
def test_query_count_does_not_grow_with_rows(client, resident, url):
    client.force_login(resident)
    _rows(resident, 10)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    Notification.objects.bulk_create(
        NotificationFactory.build(recipient=resident, dedupe_key=f"r:{n}") for n in range(990)
    )
    assert Notification.objects.count() == 1000
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)
