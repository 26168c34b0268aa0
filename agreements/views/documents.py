"""An agreement as a document: a printable page and a PDF, from the same template.

/avtaler/<number>/utskrift/ is the page the browser prints (A4 print CSS); /avtaler/<number>/
avtale.pdf is that template rendered by WeasyPrint (A4, Norwegian, "Side N av M" in the page's
margin boxes). The same rule as the agreement's page decides who gets it (``agreement_for``): a
signed agreement's document for anyone, without the personal fields; a draft's only for the two
parties. WeasyPrint fetches nothing from the network: ``StaticFetcher`` serves our own static
files (the stylesheet and the Inter font) and refuses every other address.
"""

import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.http import require_safe

from .public import agreement_context, agreement_for

TEMPLATE = "agreements/agreement_print.html"


@require_safe
def agreement_print(request, number: str):
    agreement = agreement_for(request, number)
    return render(request, TEMPLATE, {**agreement_context(request, agreement), "pdf": False})


def static_path(url: str) -> str | None:
    """The file on disk behind one of our static URLs, or None for any other address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "file", "") or not parts.path.startswith(
        settings.STATIC_URL
    ):
        return None
    name = unquote(parts.path.removeprefix(settings.STATIC_URL))
    if not name or ".." in name.split("/"):
        return None
    try:
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
    except (
        ImproperlyConfigured,
        NotImplementedError,
        ValueError,
    ):  # no STATIC_ROOT, or no local files
        pass
    return finders.find(name)


def static_fetcher():
    """A WeasyPrint URL fetcher that serves only the site's static files (``static_path``)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_path(url)
            if path is None:
                raise ValueError(f"Not one of the site's static files: {url[:100]}")
            with open(path, "rb") as file:
                body = file.read()
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, headers={"Content-Type": content_type})

    return StaticFetcher()


def render_pdf(html: str, *, base_url: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url, url_fetcher=static_fetcher()).write_pdf()


@require_safe
def agreement_pdf(request, number: str):
    agreement = agreement_for(request, number)
    # The document is Norwegian whatever language the reader browses in (the agreement is made
    # in Norwegian; its terms are the parties' own words).
    with translation.override(settings.LANGUAGE_CODE):
        context = {**agreement_context(request, agreement), "pdf": True}
        html = render_to_string(TEMPLATE, context, request=request)
    pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{agreement.number}.pdf"'
    if not agreement.is_public or context["show_personal"]:
        # A draft, or a party's copy with the personal fields: no shared cache keeps it.
        response["Cache-Control"] = "private, no-store"
    return response
