"""The fuzz's machinery: every URL pattern as a template, the forms on a page, hostile values.

Kept apart from the test so the test reads as the four things it tries (every URL as every role,
hostile path values, hostile query strings, hostile form fields) and this file as how.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

from django.urls import URLPattern, URLResolver, get_resolver

# What breaks a parser, a database or a template: each goes into every field, path and query
# parameter. (A NUL byte: PostgreSQL refuses it in text; 1e309 and nan/inf: floats and Decimals
# that are not numbers; 10,000 characters: past every max_length.)
HOSTILE = [
    "\x00",
    "x" * 10_000,
    "æøå😀",
    "-1",
    "99999999999999999999",
    "1e309",
    "nan",
    "inf",
    "abc",
    " ",
]
# What breaks a redirect: tried on every query parameter and on every field that names a page.
ODD_TARGETS = ["//evil.example/", "https://evil.example/", "javascript:alert(1)", "../", "%00"]
REDIRECT_NAMES = {"next", "return_to", "fra", "_changelist_filters", "success_url"}

# Query parameters any view might read, tried on every page besides those its own forms and
# links use (pagination, search, the admin's sort/filter/popup switches, redirects).
GENERIC_QUERY_PARAMS = ["next", "side", "page", "p", "q", "o", "e", "status", "_popup", "_to_field"]


def values_for(name: str) -> list[str]:
    """Every hostile value, and the odd redirect targets too where the field names a page."""
    return HOSTILE + ODD_TARGETS if name in REDIRECT_NAMES else HOSTILE


@dataclass(frozen=True)
class Param:
    name: str


@dataclass(frozen=True)
class Route:
    """One URL pattern: its name and its path as literal text and parameters, in order."""

    name: str
    parts: tuple

    @property
    def params(self) -> list[str]:
        return [part.name for part in self.parts if isinstance(part, Param)]

    def build(self, values: dict, *, raw: frozenset = frozenset()) -> str:
        """The path with each parameter filled in (quoted, unless its name is in ``raw``)."""
        out = []
        for part in self.parts:
            if isinstance(part, Param):
                value = str(values[part.name])
                out.append(value if part.name in raw else quote(value, safe=""))
            else:
                out.append(part)
        return "/" + "".join(out)


_ROUTE_PARAM = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


def _route_parts(pattern) -> list:
    """A ``path()`` route or a ``re_path()`` regex as literal text and parameters."""
    text = str(pattern)
    if type(pattern).__name__ == "RegexPattern":
        return _regex_parts(text)
    parts, last = [], 0
    for match in _ROUTE_PARAM.finditer(text):
        parts.append(text[last : match.start()])
        parts.append(Param(match.group(1)))
        last = match.end()
    parts.append(text[last:])
    return [part for part in parts if part != ""]


def _regex_parts(text: str) -> list:
    """The simple regexes the URLconf uses: ``^literal(?P<name>…)literal$``."""
    text = text.removeprefix("^").removesuffix("$")
    parts, i, literal = [], 0, ""
    while i < len(text):
        if text.startswith("(?P<", i):
            end_name = text.index(">", i)
            name = text[i + 4 : end_name]
            depth, j = 1, end_name + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(text[j], 0)
                j += 1 if text[j] != "\\" else 2
            parts += [literal, Param(name)]
            literal, i = "", j
        else:
            literal += text[i + 1] if text[i] == "\\" else text[i]
            i += 2 if text[i] == "\\" else 1
    parts.append(literal)
    return [part for part in parts if part != ""]


def all_routes() -> list[Route]:
    """Every pattern in the project's URLconf, the admin's and allauth's included."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            parts = prefix + _route_parts(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                yield from walk(pattern.url_patterns, parts, inner)
            elif isinstance(pattern, URLPattern):
                name = ":".join(filter(None, [namespace, pattern.name or ""]))
                yield Route(name=name or "".join(map(str, parts)), parts=tuple(parts))

    return list(walk(get_resolver().url_patterns, [], ""))


# --- Forms on a page ---------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: list = field(default_factory=list)  # (name, value or None when not sent)

    def names(self) -> list[str]:
        return list(dict.fromkeys(name for name, _ in self.fields))

    def baseline(self) -> dict:
        """What the browser would send untouched (unchecked boxes and buttons left out)."""
        data: dict = {}
        for name, value in self.fields:
            if value is not None:
                data.setdefault(name, []).append(value)
        return data


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = Form(
                action=a.get("action") or "", method=(a.get("method") or "get").lower()
            )
            self.forms.append(self._form)
        form = self._form
        if form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                form.fields.append((name, (a.get("value") or "on") if "checked" in a else None))
            elif kind in ("submit", "image", "button", "file"):
                form.fields.append((name, None))
            else:
                form.fields.append((name, a.get("value") or ""))
        elif tag == "button":
            form.fields.append((name, None))
        elif tag == "select":
            self._select = {"name": name, "options": [], "multiple": "multiple" in a}
        elif tag == "textarea":
            self._textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data
        if self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._select is not None:
            option = self._option
            if option["value"] is None:
                option["value"] = option["text"].strip()
            self._select["options"].append(option)
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            options = self._select["options"]
            chosen = [o["value"] for o in options if o["selected"]]
            if not chosen and options and not self._select["multiple"]:
                chosen = [options[0]["value"]]
            name = self._select["name"]
            self._form.fields += [(name, value) for value in chosen] or [(name, None)]
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea["name"], self._textarea["text"].lstrip("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


def parse_page(html: str) -> tuple[list[Form], list[str]]:
    """The forms (with the fields a browser would send) and the link targets on a page."""
    parser = _FormParser()
    parser.feed(html)
    return parser.forms, parser.links


def local_path(url: str, page: str) -> tuple[str, str] | None:
    """(path, query) of a form action or link on ``page``, or None when it leaves the site."""
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None  # mailto:, javascript:, tel:
    if parts.netloc not in ("testserver", ""):
        return None
    path = parts.path or urlsplit(page).path
    if not path.startswith("/"):
        return None
    return path, parts.query
