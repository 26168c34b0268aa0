"""Every text handed to gettext is a literal, so ``makemessages`` puts it in the catalogue.

``ngettext(singular, plural, n)`` with variables is valid Python and runs, but the extractor
never sees the words: the message stays English on a Norwegian page (the admin's "1 annual
report approved." was, until ``core.admin.counted``). A value translated at run time from a
variable is the same gap. Read from the source, so it covers every branch, not only those a test
happens to reach."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "core",
    "users",
    "notifications",
    "committees",
    "proposals",
    "dugnads",
    "agreements",
    "grants",
    "larvik_nmu",
]
# How many leading arguments of each function are the words (the context included).
WORDS = {
    "_": 1,
    "gettext": 1,
    "gettext_lazy": 1,
    "gettext_noop": 1,
    "ngettext": 2,
    "ngettext_lazy": 2,
    "pgettext": 2,
    "pgettext_lazy": 2,
    "npgettext": 3,
    "npgettext_lazy": 3,
}


def not_literal_calls(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        count = WORDS.get(name)
        if count is None or not node.args:
            continue
        words = node.args[:count]
        if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in words):
            found.append((node.lineno, ast.unparse(node)[:120]))
    return found


def sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_the_check_finds_a_plural_passed_as_variables():
    source = "def done(s, p):\n    return lambda n: ngettext(s, p, n) % {'count': n}\n"
    assert not_literal_calls(source) == [(2, "ngettext(s, p, n)")]
    assert not_literal_calls("_('Saved.')\nngettext_lazy('%d a', '%d b', 'count')\n") == []


def test_every_translated_text_is_a_literal():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {call}"
        for path in sources()
        for line, call in not_literal_calls(path.read_text(encoding="utf-8"))
    ]
    assert found == []
