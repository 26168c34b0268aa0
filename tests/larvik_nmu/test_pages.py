import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["home", "accessibility", "privacy", "committees:committee-list"])
def test_public_pages_render_in_norwegian_with_frame(client, name):
    response = client.get(reverse(name))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nb"' in body
    assert "Hopp til hovedinnhold" in body
    assert reverse("accessibility") in body and reverse("privacy") in body
    assert "Larvik kommune" in body


def test_front_page_explains_and_lists_committees(client, committee):
    body = client.get("/").content.decode()
    assert "Svarstad" in body
    assert "nærmiljøutvalg" in body.lower()


def test_language_switch_keeps_the_page(client, committee):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": committee.get_absolute_url()}
    )
    assert response.status_code == 302
    assert response["Location"] == committee.get_absolute_url()
    body = client.get(committee.get_absolute_url()).content.decode()
    assert '<html lang="en"' in body
    assert "Skip to main content" in body
    client.post(reverse("set_language"), {"language": "nb", "next": "/"})
    assert '<html lang="nb"' in client.get("/").content.decode()


def test_strict_content_security_policy_header(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_no_inline_scripts_or_event_handlers(client, committee, leader):
    import re

    client.force_login(leader)
    for path in ["/", "/nmu/", committee.get_absolute_url(), f"/nmu/{committee.slug}/rediger/"]:
        body = client.get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), path
        assert not re.search(r"\son[a-z]+=", body), path


def test_404_page_is_norwegian(client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert "Vi finner ikke siden" in response.content.decode()


def test_500_page_renders_without_context():
    from larvik_nmu.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Noe gikk galt" in response.content.decode()


def test_403_page_is_norwegian(rf):
    from larvik_nmu.views import permission_denied

    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = permission_denied(request)
    assert response.status_code == 403
    assert "Du har ikke tilgang" in response.content.decode()


def test_browser_language_is_ignored_norwegian_is_default(client):
    body = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="nb"' in body


def test_logged_in_users_preferred_language_applies(client, resident):
    resident.preferred_language = "en"
    resident.save()
    client.force_login(resident)
    assert '<html lang="en"' in client.get("/").content.decode()


def test_english_account_pages_use_the_menus_words(client):
    client.cookies["nmu_language"] = "en"
    body = client.get("/konto/signup/").content.decode()
    assert "Create account" in body and "Sign Up" not in body
    body = client.get("/konto/login/").content.decode()
    assert "Log in" in body and "Sign In" not in body


@pytest.mark.parametrize("language", ["nb", "en"])
def test_dates_are_day_month_year_in_both_languages(language):
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    with translation.override(language):
        rendered = Template("{{ d|date:'SHORT_DATE_FORMAT' }} {{ t|time }}").render(
            Context({"d": datetime.date(2027, 3, 12), "t": datetime.time(14, 5)})
        )
    assert rendered == "12.03.2027 14:05"


def test_norwegian_number_grouping():
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import translation

    with translation.override("nb"):
        assert intcomma(48246) == "48\xa0246"
