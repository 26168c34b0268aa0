"""The sign-up form's "Preferred language" starts as the language the page is shown in: someone
signing up on the English page gets English e-mails unless they choose otherwise (issue 10).

English is not a URL prefix: the language menu sets the language cookie (``set_language``)."""

import html
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "Sterkt-passord-2026"


def _selected_language(body: str) -> list[str]:
    """The values of the selected options of the page's ``preferred_language`` select."""
    select = re.search(r'<select[^>]*name="preferred_language"[^>]*>(.*?)</select>', body, re.S)
    assert select, "no preferred_language field"
    return [
        html.unescape(value)
        for attrs in re.findall(r"<option([^>]*)>", select[1])
        if " selected" in attrs
        for value in re.findall(r'value="([^"]*)"', attrs)
    ]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_signup_form_starts_in_the_pages_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("account_signup"))
    assert page.status_code == 200
    assert f'lang="{language}"' in page.content.decode().split(">", 2)[1]  # <html lang=…>
    assert _selected_language(page.content.decode()) == [language]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_signing_up_without_changing_it_keeps_the_pages_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    (shown,) = _selected_language(client.get(reverse("account_signup")).content.decode())
    response = client.post(
        reverse("account_signup"),
        {
            "email": "ny@example.no",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "Nora Ny",
            "preferred_language": shown,  # what the browser posts when nobody touched it
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert get_user_model().objects.get(email="ny@example.no").preferred_language == language
