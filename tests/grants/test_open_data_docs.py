"""docs/open-data.md documents the schema the files have: every dataset, every field in order,
with its type, its decimals and its codes (the declaration in grants/open_data.py)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from grants import open_data

DOC = Path(settings.BASE_DIR) / "docs" / "open-data.md"


def documented(slug: str) -> list[tuple[str, str, str]]:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"^### `{slug}` .*?(?=^### |\Z)", text, re.S | re.M)
    assert match, f"{slug} is not documented"
    return re.findall(r"^\| `([a-z0-9_]+)` \| ([^|]+) \| (.*) \|$", match.group(0), re.M)


@pytest.mark.parametrize("slug", list(open_data.DATASETS))
def test_every_field_is_documented_in_order_with_its_type(slug):
    rows = documented(slug)
    fields = open_data.DATASETS[slug].fields
    assert [name for name, _, _ in rows] == [f.name for f in fields]
    with translation.override("en"):
        for (name, kind, description), f in zip(rows, fields, strict=True):
            assert kind.split(" ")[0] == f.type, name
            if f.places is not None:
                assert f"({f.places} decimal" in kind, name
            assert description.startswith(str(f.description)), name
            for code, _ in f.choices:
                assert f"`{code}`" in description, (name, code)


def test_the_doc_names_the_licence_and_the_schema_version():
    text = DOC.read_text(encoding="utf-8")
    assert open_data.LICENCE["url"] in text
    assert "NLOD 2.0" in text
    assert f"schema version {open_data.SCHEMA_VERSION}**" in text
