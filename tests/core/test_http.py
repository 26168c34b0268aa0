"""``core.http``: the one rule for where a ``next`` may send someone."""

import pytest
from django.test import RequestFactory

from core.http import current_page, safe_next, safe_url

rf = RequestFactory()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/min-side/varsler/", "/min-side/varsler/"),
        ("/forslag/?side=2&q=benk", "/forslag/?side=2&q=benk"),
        ("http://testserver/nmu/?side=2", "/nmu/?side=2"),  # htmx's HX-Current-URL
        ("abc", None),  # redirect() would take it for a URL name and crash
        ("../", None),
        ("nmu/", None),
        ("//evil.example/", None),
        ("///evil.example/", None),
        ("/\\evil.example/", None),
        ("https://evil.example/", None),
        ("http://testserver.evil.example/", None),
        ("javascript:alert(1)", None),
        ("/min-side/\x00", None),
        ("/min-side/\n", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url(url, expected):
    assert safe_url(rf.get("/"), url) == expected


def test_safe_url_on_https_refuses_a_plain_http_url():
    request = rf.get("/", secure=True)
    assert safe_url(request, "http://testserver/nmu/") is None
    assert safe_url(request, "https://testserver/nmu/") == "/nmu/"


def test_safe_next_reads_post_then_get_and_falls_back_to_the_default():
    assert safe_next(rf.post("/", {"next": "/a/"}), "home") == "/a/"
    assert safe_next(rf.get("/", {"next": "/b/"}), "home") == "/b/"
    assert safe_next(rf.post("/?next=/b/", {"next": "abc"}), "home") == "/b/"
    assert safe_next(rf.post("/", {"next": "abc"}), "notifications:list") == "/min-side/varsler/"
    assert safe_next(rf.get("/"), "/nmu/") == "/nmu/"


def test_current_page_of_a_plain_request_is_its_own():
    assert current_page(rf.get("/forslag/?side=3"), "home") == "/forslag/?side=3"


def test_current_page_of_an_htmx_request_is_the_page_it_came_from():
    request = rf.post(
        "/min-side/varsler/5/lest/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/min-side/varsler/"},
    )
    assert current_page(request, "home") == "/min-side/varsler/"


@pytest.mark.parametrize("header", [None, "https://evil.example/", "abc"])
def test_current_page_of_htmx_without_a_usable_url_is_the_default(header):
    headers = {"HX-Request": "true"} | ({"HX-Current-URL": header} if header else {})
    request = rf.post("/min-side/varsler/5/lest/", headers=headers)
    assert current_page(request, "notifications:list") == "/min-side/varsler/"


# --- NulByteQueryMiddleware --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/forslag/ny/?utvalg=%00", "/forslag/?q=a%00b", "/nmu/?%00=1", "/forslag/?status=open&q=%00"],
)
def test_a_nul_byte_in_the_query_string_is_404(resident, url):
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(resident)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_nul_byte_in_an_admin_list_filter_is_404(superuser):
    """Was a 500 in every admin list filter on a text field (PostgreSQL refuses NUL)."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    assert client.get("/admin/proposals/proposal/?kind__exact=%00").status_code == 404
    assert client.get("/admin/proposals/proposal/?kind__exact=idea").status_code == 200


@pytest.mark.django_db
def test_a_query_without_a_nul_byte_passes(client):
    assert client.get("/forslag/?q=%C3%A6%C3%B8%C3%A5&side=2").status_code == 200
