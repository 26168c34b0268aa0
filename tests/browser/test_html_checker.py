"""The Nu HTML Checker behind ``html_pages``: it names the page an error is on, and under CI a
missing Java or vnu.jar fails the run instead of letting unchecked pages pass."""

import shutil

import pytest

from . import conftest
from .conftest import SavedPages

VALID = (
    '<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>Side</title></head>'
    "<body>{}</body></html>"
)


@pytest.mark.skipif(
    not conftest.IN_CI and not (shutil.which("java") and conftest.VNU_JAR.exists()),
    reason="needs java and node_modules/vnu-jar (npm ci)",
)
def test_errors_name_the_page_and_valid_pages_pass(tmp_path):
    pages = SavedPages(tmp_path)
    pages.add("http://testserver/ok/", VALID.format('<p data-hx-get="/x/">Ja</p>'), "as sent")
    pages.add("http://testserver/feil/", VALID.format('<p hx-get="/x/">Nei</p>'), "as sent")
    pages.add(
        "http://testserver/tid/",
        VALID.format('<time datetime="2026-12-01T10:13:08.717042+01:00">1. des.</time>'),
        "live DOM",
    )
    errors = pages.errors()
    assert len(errors) == 2, errors
    assert errors[0].startswith("http://testserver/feil/ (as sent)")
    assert "hx-get" in errors[0]
    assert errors[1].startswith("http://testserver/tid/ (live DOM)")


def test_the_same_html_is_checked_once(tmp_path):
    pages = SavedPages(tmp_path)
    pages.add("http://testserver/a/", VALID.format("<p>Ja</p>"), "as sent")
    pages.add("http://testserver/a/", VALID.format("<p>Ja</p>"), "live DOM")
    assert list(pages.urls.values()) == ["http://testserver/a/ (as sent)"]


def test_missing_java_fails_under_ci(tmp_path, monkeypatch):
    pages = SavedPages(tmp_path)
    pages.add("http://testserver/", VALID.format("<p>Ja</p>"), "as sent")
    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    monkeypatch.setattr(conftest, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="CI=true but cannot validate"):
        pages.errors()
    monkeypatch.setattr(conftest, "IN_CI", False)
    with pytest.warns(UserWarning, match="java"):
        assert pages.errors() == []
