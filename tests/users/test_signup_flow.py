"""Sign-up from where a resident starts, through the e-mail, back to where they started.

Issue 10: confirming the e-mail logs the person in and returns them to the committee page or the
proposal form they came from, not to a second login. Passwords are at least 12 characters.
"""

import html
import re
from urllib.parse import unquote, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "Sterkt-passord-2026"


def _href(body: str, pattern: str) -> str:
    """The (unescaped) href of the first link whose href matches ``pattern``."""
    for href in re.findall(r'href="([^"]+)"', body):
        href = html.unescape(href)
        if re.search(pattern, href):
            return href
    raise AssertionError(f"no link matching {pattern!r}")


def _main(page) -> str:
    """The page's own content, without the header's links."""
    return page.content.decode().split("<main", 1)[1]


def _form(body: str, action_prefix: str) -> tuple[str, dict]:
    """The action and hidden fields of the page's form that posts to ``action_prefix``."""
    for attrs, inner in re.findall(r"<form([^>]*)>(.*?)</form>", body, re.S):
        action = re.search(r'action="([^"]*)"', attrs)
        if action and html.unescape(action[1]).startswith(action_prefix):
            hidden = {
                name: html.unescape(value)
                for name, value in re.findall(
                    r'<input type="hidden" name="([^"]+)" value="([^"]*)"', inner
                )
                if name != "csrfmiddlewaretoken"
            }
            return html.unescape(action[1]), hidden
    raise AssertionError(f"no form posting to {action_prefix}")


def _sign_up_from(client: Client, start: str, *, email="ny@example.no") -> None:
    """Click through as a visitor: the start page's log-in link, the login page's sign-up link,
    then the sign-up form as the browser would post it (its hidden ``next``)."""
    page = client.get(start, follow=True)
    if page.redirect_chain:  # the page itself needs a login (the proposal form)
        login_url = page.redirect_chain[-1][0]
    else:
        login_url = _href(_main(page), r"^/konto/login/\?next=")
        page = client.get(login_url)
    assert page.status_code == 200, login_url
    signup_page = client.get(_href(_main(page), r"^/konto/signup/"))
    action, hidden = _form(signup_page.content.decode(), reverse("account_signup"))
    response = client.post(
        action,
        {
            **hidden,
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "Nora Ny",
            "preferred_language": "nb",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("account_email_verification_sent")


def _confirmation_link() -> str:
    assert len(mail.outbox) == 1
    link = re.search(r"https?://testserver(/konto/confirm-email/\S+)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    return link.group(1)


def _confirm(client: Client, link: str):
    """Open the link and press the confirm button (confirmation is a POST)."""
    page = client.get(link)
    assert page.status_code == 200
    action, hidden = _form(page.content.decode(), "/konto/confirm-email/")
    return client.post(action, hidden)


def _logged_in_as(client: Client, email: str) -> bool:
    user_id = client.session.get("_auth_user_id")
    return user_id is not None and get_user_model().objects.get(pk=user_id).email == email


def test_signup_from_the_committee_page_confirms_into_the_committee_page(client, committee):
    start = reverse("committees:committee-detail", args=[committee.slug])
    _sign_up_from(client, start)
    response = _confirm(client, _confirmation_link())
    assert response.status_code == 302
    assert response["Location"] == start
    assert _logged_in_as(client, "ny@example.no")


def test_signup_from_the_proposal_form_confirms_into_the_form(client, committee):
    start = reverse("proposals:proposal-create") + f"?utvalg={committee.slug}"
    _sign_up_from(client, start)
    response = _confirm(client, _confirmation_link())
    assert response.status_code == 302
    assert response["Location"] == start
    assert _logged_in_as(client, "ny@example.no")
    form = client.get(response["Location"])
    assert form.status_code == 200
    assert form.context["form"].initial["committee"] == committee


def test_header_sign_up_link_carries_the_page_the_visitor_is_on(client, committee):
    start = reverse("committees:committee-detail", args=[committee.slug])
    body = client.get(start).content.decode()
    header = body.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert unquote(_href(header, r"^/konto/signup/")) == f"/konto/signup/?next={start}"
    assert unquote(_href(header, r"^/konto/login/")) == f"/konto/login/?next={start}"


def test_header_links_on_account_pages_do_not_point_back_to_themselves(client):
    body = client.get(reverse("account_login")).content.decode()
    header = body.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert _href(header, r"^/konto/signup") == "/konto/signup/"


def test_confirming_in_another_browser_asks_for_login_once_then_returns_to_the_start(committee):
    start = reverse("committees:committee-detail", args=[committee.slug])
    _sign_up_from(Client(), start)
    phone = Client()  # the mail opened on another device: no sign-up in this session
    response = _confirm(phone, _confirmation_link())
    assert response.status_code == 302
    assert not _logged_in_as(phone, "ny@example.no")
    login_url = response["Location"]
    assert urlsplit(login_url).path == reverse("account_login")
    response = phone.post(login_url, {"login": "ny@example.no", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == start
    assert _logged_in_as(phone, "ny@example.no")


def test_confirmation_link_ignores_an_unsafe_next(client):
    response = client.post(
        reverse("account_signup") + "?next=https://evil.example/",
        {
            "email": "ny@example.no",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "Nora Ny",
            "preferred_language": "nb",
        },
    )
    assert response.status_code == 302
    assert "evil.example" not in mail.outbox[0].body
    response = _confirm(client, _confirmation_link())
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


# --- Password length (12) ---------------------------------------------------------------------


def _signup_with_password(client, password):
    return client.post(
        reverse("account_signup"),
        {
            "email": "kort@example.no",
            "password1": password,
            "password2": password,
            "full_name": "Kari Kort",
            "preferred_language": "nb",
        },
    )


def test_a_password_of_11_characters_is_refused_in_norwegian(client):
    response = _signup_with_password(client, "Bjørk-Tre-7")  # 11 characters
    assert response.status_code == 200
    errors = response.context["form"].errors["password1"]
    assert errors == ["Passordet er for kort. Det må ha minst 12 tegn."]
    assert not get_user_model().objects.filter(email="kort@example.no").exists()


def test_a_password_of_12_characters_is_accepted(client):
    response = _signup_with_password(client, "Bjørk-Tre-77")  # 12 characters
    assert response.status_code == 302
    assert get_user_model().objects.filter(email="kort@example.no").exists()


def test_the_password_change_form_also_asks_for_12(client, resident):
    from tests.factories import PASSWORD as OLD

    client.force_login(resident)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": OLD, "password1": "Bjørk-Tre-7", "password2": "Bjørk-Tre-7"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"] == [
        "Passordet er for kort. Det må ha minst 12 tegn."
    ]
