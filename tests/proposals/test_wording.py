"""One word for a case's number in Norwegian: "saksnummer", as on the page after submitting and
as Norwegian public services say it; the receipt once said "referanse" (issue 10)."""

import re
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "nb" / "LC_MESSAGES" / "django.po"


def _norwegian_texts() -> list[str]:
    """Every msgstr of the portal's own Norwegian catalogue, its lines joined."""
    entry = re.compile(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', re.M)
    return [
        "".join(re.findall(r'"(.*)"', block))
        for block in entry.findall(CATALOGUE.read_text(encoding="utf-8"))
    ]


def test_no_norwegian_text_calls_the_case_number_a_reference():
    # "Referansedato" (the population figures' reference date, as SSB says it) is another word.
    offending = [text for text in _norwegian_texts() if re.search(r"referanse(?!dato)", text, re.I)]
    assert offending == []


def test_the_receipt_and_the_news_say_saksnummer():
    texts = _norwegian_texts()
    assert any("nærmiljøutvalget %(committee)s med saksnummer %(ref)s." in t for t in texts)
    assert any(t.startswith("Oppgi saksnummeret når du kontakter") for t in texts)
