"""Where "Mark as read" and "Mark all as read" send the person afterwards (``next``).

Two findings: ``next=abc`` on "mark all read" was a 500 (``redirect()`` took the word for a URL
name), and "Mark all as read" after "Mark as read" on one item (htmx) ended on a 405 page, since
the fragment's hidden ``next`` was the POST-only mark-read URL.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from notifications.models import Notification

from ..factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
MARK_ALL = reverse("notifications:mark-all-read")
ODD_NEXT = [
    "abc",
    "//evil.example/",
    "https://evil.example/min-side/",
    "javascript:alert(1)",
    "../",
    "/min-side/\x00",
    "\\\\evil.example",
    "",
]


def _mark_read(pk: int) -> str:
    return reverse("notifications:mark-read", args=[pk])


def _hidden_next(html: str, action: str) -> str:
    """The hidden ``next`` of the form that posts to ``action``."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}".*?</form>', html, re.S)
    assert form, f"no form posts to {action}"
    return re.search(r'name="next" value="([^"]*)"', form.group(0)).group(1)


@pytest.fixture
def signed_in(resident):
    client = Client(raise_request_exception=False)
    client.force_login(resident)
    return client


@pytest.mark.parametrize("next_url", ODD_NEXT)
def test_mark_all_read_with_an_odd_next_goes_to_the_list(signed_in, resident, next_url):
    NotificationFactory(recipient=resident)
    response = signed_in.post(MARK_ALL, {"next": next_url})
    assert (response.status_code, response["Location"]) == (302, LIST)
    assert not Notification.objects.unread().exists()


@pytest.mark.parametrize("next_url", ODD_NEXT)
def test_mark_read_with_an_odd_next_goes_to_the_list(signed_in, resident, next_url):
    row = NotificationFactory(recipient=resident)
    response = signed_in.post(_mark_read(row.pk), {"next": next_url})
    assert (response.status_code, response["Location"]) == (302, LIST)


def test_a_page_on_this_site_is_kept(signed_in, resident):
    NotificationFactory(recipient=resident)
    response = signed_in.post(MARK_ALL, {"next": LIST + "?side=2"})
    assert response["Location"] == LIST + "?side=2"


def test_without_javascript_the_forms_come_back_to_the_page(signed_in, resident):
    row = NotificationFactory(recipient=resident)
    NotificationFactory(recipient=resident)
    html = signed_in.get(LIST + "?side=1").content.decode()
    assert _hidden_next(html, MARK_ALL) == LIST + "?side=1"
    assert _hidden_next(html, _mark_read(row.pk)) == LIST + "?side=1"


def test_mark_all_after_marking_one_with_htmx_ends_on_the_list(signed_in, resident):
    """The accessibility finding's journey: mark one as read (htmx), then press "Mark all as
    read" in the fragment htmx swapped in. It ends on the list with the message, not on 405."""
    first, _second = NotificationFactory.create_batch(2, recipient=resident)
    fragment = signed_in.post(
        _mark_read(first.pk),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver" + LIST},
    ).content.decode()
    next_url = _hidden_next(fragment, MARK_ALL)
    assert next_url == LIST
    response = signed_in.post(MARK_ALL, {"next": next_url}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(LIST, 302)]
    assert "Alle varsler er merket som lest." in response.content.decode()


def test_htmx_keeps_the_page_the_person_is_on(signed_in, resident):
    first, _second = NotificationFactory.create_batch(2, recipient=resident)
    fragment = signed_in.post(
        _mark_read(first.pk),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver" + LIST + "?side=1"},
    ).content.decode()
    assert _hidden_next(fragment, MARK_ALL) == LIST + "?side=1"


@pytest.mark.parametrize("current", [None, "https://evil.example/min-side/varsler/", "abc"])
def test_htmx_without_a_usable_current_page_falls_back_to_the_list(signed_in, resident, current):
    first, _second = NotificationFactory.create_batch(2, recipient=resident)
    headers = {"HX-Request": "true"} | ({"HX-Current-URL": current} if current else {})
    fragment = signed_in.post(_mark_read(first.pk), headers=headers).content.decode()
    assert _hidden_next(fragment, MARK_ALL) == LIST


def test_opening_a_notification_with_a_foreign_target_goes_to_the_list(signed_in, resident):
    row = NotificationFactory(recipient=resident, target_url="https://evil.example/")
    response = signed_in.get(reverse("notifications:open", args=[row.pk]))
    assert (response.status_code, response["Location"]) == (302, LIST)
