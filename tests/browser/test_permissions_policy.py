"""Chromium knows every feature the Permissions-Policy header names: an unknown one costs an
"Unrecognized feature" console error on every page (issue 10: ambient-light-sensor, bluetooth)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)


def test_chromium_recognises_every_feature_in_the_policy(page, live_server):
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    for path in [reverse("home"), reverse("account_login")]:
        response = page.goto(live_server.url + path)
        assert response.status == 200 and response.headers.get("permissions-policy")
        page.wait_for_load_state("networkidle")
    assert [text for text in console if "Permissions-Policy" in text] == []
    assert [text for text in console if "Unrecognized feature" in text] == []
