"""notify() renders a kind's words once per language unless the kind is personal."""

from pathlib import Path

import pytest
from django.conf import settings

from notifications import kinds, rendering, services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_template_that_reads_the_recipient_is_registered_personal():
    """A template that says "your term" to one person and "X's term" to another must be rendered
    per person; shared words would tell everyone the first recipient's version."""
    templates_dir = Path(settings.BASE_DIR) / "templates"
    reads_recipient = []
    for kind in kinds.all_kinds():
        path = templates_dir / kind.template_name
        if path.exists() and "recipient" in path.read_text(encoding="utf-8"):
            reads_recipient.append(kind.key)
    assert reads_recipient, "the term notices read the recipient"
    assert [key for key in reads_recipient if not kinds.get(key).personal] == []


def _count_renders(monkeypatch):
    calls = []
    real = rendering.render_kind

    def counting(kind, *, recipient, context):
        calls.append(recipient.pk)
        return real(kind, recipient=recipient, context=context)

    monkeypatch.setattr(services, "render_kind", counting)
    return calls


def test_shared_words_are_rendered_once_per_language(monkeypatch):
    calls = _count_renders(monkeypatch)
    people = UserFactory.create_batch(5, preferred_language="nb") + UserFactory.create_batch(
        3, preferred_language="en"
    )
    written = services.notify(
        recipients=people, kind="proposal.message", context={}, dedupe_key="test:shared"
    )
    assert written == 8
    assert len(calls) == 2


def test_personal_words_are_rendered_for_each_person(monkeypatch):
    calls = _count_renders(monkeypatch)
    people = UserFactory.create_batch(4, preferred_language="nb")
    assert kinds.get("committee.term_ending").personal
    services.notify(
        recipients=people, kind="committee.term_ending", context={}, dedupe_key="test:personal"
    )
    assert len(calls) == 4
