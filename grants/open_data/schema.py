"""The files' form: the licence, the field types and how values are written, a field and a
dataset declaration (one serves the CSV, the JSON and the schema page), the JSON stream."""

import datetime
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.export import Column, csv_response, in_language
from core.formatting import local_zone

SCHEMA_VERSION = 1
LICENCE = {"name": "NLOD 2.0", "url": "https://data.norge.no/nlod/no/2.0"}
FORMATS = ("csv", "json")
CHUNK = 500

STRING, INTEGER, DECIMAL, DATE, DATETIME = "string", "integer", "decimal", "date", "datetime"
# Decimals with a fixed number of decimals (the field's type is "decimal").
MONEY_KRONER, HOURS_TENTHS = "money", "hours"
DECIMAL_PLACES = {MONEY_KRONER: 2, HOURS_TENTHS: 1}
TYPES = {
    STRING: _("text"),
    INTEGER: _("whole number"),
    DECIMAL: _("number with a decimal point: 12000.00"),
    DATE: _("date: 2026-05-02"),
    DATETIME: _("date and time with the offset from UTC: 2026-05-02T10:00:00+02:00"),
}


def encode(kind: str, value, places: int | None = None):
    """A value as both files hold it: ``None`` for nothing (an empty text too), an ``int``, or
    text — a decimal with a dot (``places`` decimals, rounded half up: kroner to the øre, hours
    to the tenth), a date ISO, a time ISO with its offset, in local time."""
    if value is None or value == "":
        return None
    if kind == INTEGER:
        return int(value)
    if kind == DECIMAL:
        value = Decimal(value)
        if places is not None:
            value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        return format(value, "f")
    if kind == DATE:
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value, local_zone()).date()
        return value.isoformat()
    if kind == DATETIME:
        return timezone.localtime(value, local_zone()).isoformat(timespec="seconds")
    return str(value)


@dataclass(frozen=True)
class Field(Column):
    """One field of a dataset: ``header`` is its stable name (never translated), ``value`` gives
    the encoded value of a row (``encode``). ``choices``: the codes it may hold, and their
    meaning, for the schema."""

    type: str = STRING
    description: str = ""
    choices: tuple = ()
    places: int | None = None  # a decimal's fixed number of decimals (kroner 2, hours 1)

    @property
    def name(self) -> str:
        return self.header

    @property
    def name_html(self) -> str:
        """The name for a page, with a line-break opportunity after each underscore (a long
        name must wrap on a 320 px screen)."""
        return mark_safe(escape(self.name).replace("_", "_<wbr>"))  # noqa: S308 (escaped)

    @property
    def type_label(self) -> str:
        return TYPES[self.type]

    def schema(self) -> dict:
        """The field as the JSON's ``fields`` and the page describe it."""
        out = {"name": self.name, "type": self.type, "description": str(self.description)}
        if self.places is not None:
            out["decimals"] = self.places
        if self.choices:
            out["values"] = {str(code): str(label) for code, label in self.choices}
        return out


def field_of(
    name: str, kind: str, description, get: Callable, *, choices=(), places: int | None = None
) -> Field:
    if kind in DECIMAL_PLACES:  # kroner to the øre, hours to the tenth: decimals with places
        kind, places = DECIMAL, DECIMAL_PLACES[kind]
    return Field(
        header=name,
        value=lambda row: encode(kind, get(row), places),
        type=kind,
        description=description,
        choices=tuple(getattr(choices, "choices", choices)),
        places=places,
    )


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    rows: Callable[[], Iterable]  # the public rows, streamed (a fixed number of queries)
    fields: tuple[Field, ...] = field(default=())

    def filename(self, fmt: str) -> str:
        """Stable: the same name every day, as the address."""
        return f"{self.slug}.{fmt}"

    def schema(self) -> list[dict]:
        return [f.schema() for f in self.fields]

    def record(self, row) -> dict:
        return {f.name: f.value(row) for f in self.fields}

    def csv_response(self):
        return csv_response(self.rows(), self.fields, filename=self.filename("csv"))

    def json_response(self):
        response = StreamingHttpResponse(
            json_lines(self), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.filename("json")}"'
        return response


def json_lines(dataset: Dataset) -> Iterator[str]:
    """The JSON document in pieces: its head (licence, schema, time), then a row at a time. The
    descriptions are in the language active now, whenever the pieces are read."""
    language = translation.get_language()

    def pieces():
        head = {
            "dataset": dataset.slug,
            "title": str(dataset.title),
            "licence": LICENCE,
            "schema_version": SCHEMA_VERSION,
            "generated_at": timezone.localtime(timezone.now(), local_zone()).isoformat(
                timespec="seconds"
            ),
            "fields": dataset.schema(),
        }
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": ['
        separator = ""
        for row in dataset.rows():
            yield separator + json.dumps(dataset.record(row), ensure_ascii=False)
            separator = ","
        yield "]}"

    return in_language(language, pieces())
