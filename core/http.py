"""Where to send a person back to: the one rule for every ``next`` a view reads.

A ``next`` value comes from the request, so it is the visitor's to choose: it may be another site
(an open redirect), a bare word that ``redirect()`` would try as a URL name and crash on
(``next=abc``), or carry a NUL byte. Only a path on this site is used; anything else falls back
to the view's default. Views read ``next`` through :func:`safe_next` and never pass request data
to ``redirect()`` themselves.
"""

from urllib.parse import urlsplit

from django.http import Http404, HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_url(request: HttpRequest, url: str | None) -> str | None:
    """``url`` as a path on this site (``/…`` with its query), or None when it is anything else.

    An absolute URL (htmx's ``HX-Current-URL``) counts when it names this host; what is kept is
    its path and query, so the answer is always a local path.
    """
    if not url or any(ord(char) < 32 or ord(char) == 127 for char in url):
        return None
    if not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(url)
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def safe_next(request: HttpRequest, default: str) -> str:
    """The request's ``next`` (POST, then GET) when it is safe, else ``default`` (a URL name or
    a path, as ``redirect()`` takes)."""
    for source in (request.POST, request.GET):
        url = safe_url(request, source.get("next"))
        if url:
            return url
    return resolve_url(default)


def current_page(request: HttpRequest, default: str) -> str:
    """The page the person is looking at, for a form that should bring them back to it.

    A plain request is on its own page; an htmx request is made from the page htmx names in
    ``HX-Current-URL`` (the request's own URL is only the endpoint it posted to, often POST-only,
    so sending someone back there ends on 405).
    """
    if request.headers.get("HX-Request"):
        return safe_url(request, request.headers.get("HX-Current-URL")) or resolve_url(default)
    return safe_url(request, request.get_full_path()) or resolve_url(default)


class NulByteQueryMiddleware:
    """A query string with a NUL byte (``?status=%00``) is answered 404 before any view runs.

    No page on the site takes a NUL byte, and PostgreSQL refuses one in text (a filter with it
    was a 500 in every admin list filter and on ``/forslag/ny/?utvalg=%00``). Refusing it once
    here keeps every view, filter and form from having to. Form fields are not checked here:
    Django's forms refuse a NUL byte with a message next to the field.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise Http404("NUL byte in the query string")
        return self.get_response(request)
