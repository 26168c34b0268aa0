"""No lower app names a higher one: not by import (import-linter checks that), and not as text
either - a permission string, a template tag library, an importlib path (issue 9)."""

import ast
import re
from pathlib import Path

import pytest
from django.template import engines

ROOT = Path(__file__).resolve().parents[2]
# Bottom to top, as in pyproject.toml's layers contract (dugnads and agreements come next).
LAYERS = ["core", "users", "notifications", "committees", "proposals", "dugnads", "agreements"]
TOP = "larvik_nmu"
LOWER = [(app, LAYERS[i + 1 :] + [TOP]) for i, app in enumerate(LAYERS) if (ROOT / app).is_dir()]
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")


def _strings(tree):
    """Every string constant in the module except docstrings (which may explain the layers)."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        is_string = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_string and id(node) not in docstrings:
            yield node


@pytest.mark.parametrize(("app", "higher"), LOWER, ids=[app for app, _ in LOWER])
def test_no_python_string_names_a_higher_app(app, higher):
    # As code names them: the label alone ("proposals"), a dotted path or permission
    # ("proposals.change_proposal", "proposals.urls") or a URL namespace ("proposals:list");
    # user-facing text ("Shown on proposals.") is no reference.
    apps = "|".join(higher)
    names = re.compile(rf"^({apps})$|\b({apps})[.:][a-z_]")
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        for node in _strings(ast.parse(path.read_text(), str(path))):
            if names.search(node.value):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert not found


def _library_apps():
    """Tag library name → the app (top-level package) it comes from."""
    libraries = engines["django"].engine.libraries  # name → dotted module path
    assert libraries["core_tags"] == "core.templatetags.core_tags"
    return {name: path.split(".")[0] for name, path in libraries.items()}


@pytest.mark.parametrize(("app", "higher"), LOWER, ids=[app for app, _ in LOWER])
def test_no_template_loads_a_higher_apps_tags(app, higher):
    library_app = _library_apps()
    found = []
    for path in sorted((ROOT / "templates" / app).rglob("*")):
        if not path.is_file():
            continue
        for match in LOAD.finditer(path.read_text()):
            for library in match.group(1).split():
                if library_app.get(library) in higher:
                    found.append(f"{path.relative_to(ROOT)}: {{% load {library} %}}")
    assert not found
