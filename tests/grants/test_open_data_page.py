"""The "Åpne data" page (/apne-data/): open to everyone, it lists every dataset with its
description, its fields as the files have them (the same declaration), the CSV and JSON links
and the licence."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from grants import open_data

from .open_data_helpers import ENGLISH, download, read_json, url

PAGE = "/apne-data/"


def page(client):
    client.cookies.load(ENGLISH)
    response = client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, slug: str) -> str:
    match = re.search(rf'<section[^>]*data-dataset="{slug}".*?</section>', html, re.S)
    assert match, slug
    return match.group(0)


def test_the_address_is_the_wired_one():
    assert reverse("opendata:open-data") == PAGE
    assert url("committees", "csv") == "/apne-data/committees.csv"


@pytest.mark.parametrize("role", ["anonymous", "resident", "leader", "case_handler"])
def test_everyone_sees_the_page(client, user_in_role, role):
    user = user_in_role(role)
    if role != "anonymous":
        client.force_login(user)
    html = page(client)
    assert "<h1" in html and "Open data" in html


def test_the_page_names_the_licence_and_the_schema_version(client, db):
    html = page(client)
    assert 'href="https://data.norge.no/nlod/no/2.0"' in html
    assert "NLOD 2.0" in html
    assert "schema version 1" in html


def test_the_page_lists_every_dataset_with_its_links(client, db):
    html = page(client)
    for slug, dataset in open_data.DATASETS.items():
        part = section(html, slug)
        assert escape(str(dataset.title)) in part
        assert escape(str(dataset.description)) in part
        for fmt in open_data.FORMATS:
            assert f'href="{url(slug, fmt)}"' in part


@pytest.mark.parametrize("slug", list(open_data.DATASETS))
def test_the_page_and_the_json_describe_the_same_fields(client, db, slug):
    """One declaration: the page's table, the JSON's ``fields`` and the CSV's header agree."""
    part = section(page(client), slug)
    on_page = re.findall(r'<tr data-field="([^"]+)" data-type="([^"]+)">', part)
    document = read_json(download(client, slug, "json")[1])
    in_json = [(f["name"], f["type"]) for f in document["fields"]]
    declared = [(f.name, f.type) for f in open_data.DATASETS[slug].fields]
    assert on_page == in_json == declared
    for f in document["fields"]:
        assert escape(f["description"]) in part
        for code, label in f.get("values", {}).items():
            assert f"<code>{code}</code>: {escape(label)}" in part


def test_the_page_is_read_only(client, db):
    assert client.post(PAGE).status_code == 405


def test_the_page_is_the_same_queries_whatever_the_rows(client, db, django_assert_num_queries):
    """It shows the schema, not the rows: no query at all."""
    with django_assert_num_queries(0):
        client.get(PAGE)
