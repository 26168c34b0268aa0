"""The static gates are written once (scripts/check.sh): make check, .ci/run and pre-commit only
call them, so a gate cannot drift between what a developer runs and what CI runs."""

import re
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "scripts" / "check.sh"


def _gates() -> set[str]:
    return set(re.findall(r"^gate_(\w+)\(\)", CHECK.read_text(), flags=re.MULTILINE))


def _list(name: str) -> list[str]:
    """A bash array of gate names in check.sh; ``"${FAST[@]}"`` inside it stands for FAST's."""
    match = re.search(rf"^{name}=\((.*)\)$", CHECK.read_text(), flags=re.MULTILINE)
    words = match.group(1).split()
    return [gate for word in words for gate in (_list("FAST") if "FAST" in word else [word])]


def test_make_check_runs_every_gate_and_make_lint_the_fast_ones():
    assert set(_list("ALL")) == _gates()
    assert set(_list("FAST")) < _gates()
    makefile = (ROOT / "Makefile").read_text()
    assert "check: setup\n\t@bash scripts/check.sh\n" in makefile
    assert "lint: setup\n\t@bash scripts/check.sh --fast\n" in makefile


def test_ci_calls_make_check_instead_of_repeating_the_gates():
    lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert "make check" in lines
    repeated = ("ruff", "lint-imports", "makemigrations", "compilemessages", "--deploy", "djlint")
    assert not [line for line in lines if any(word in line for word in repeated)]


def test_every_pre_commit_hook_is_local_and_runs_a_fast_gate():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {repo["repo"] for repo in config["repos"]} == {"local"}, "nothing to download"
    assert {hook["language"] for hook in hooks} == {"system"}
    gates = [hook["entry"].removeprefix("scripts/check.sh ") for hook in hooks]
    assert sorted(gates) == sorted(_list("FAST"))


def test_an_unknown_gate_is_refused():
    result = subprocess.run(
        ["bash", str(CHECK), "no-such-gate"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "unknown gate 'no-such-gate'" in result.stderr
