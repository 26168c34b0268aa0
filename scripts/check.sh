#!/usr/bin/env bash
# Every static gate CI runs, written once: `make check` runs them all (and .ci/run calls it),
# `make lint` the fast ones, pre-commit one at a time on the files being committed.
#
#   scripts/check.sh                 every gate
#   scripts/check.sh --fast          ruff, format, templates, upgrade, migrations, imports
#   scripts/check.sh GATE [FILE...]  one gate, on these files where the gate takes files
#
# Gates: ruff format templates upgrade migrations imports translations deploy compose.
# Each runs even when an earlier one failed; the summary names the ones that failed.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
BIN=$(dirname "$PY")
FAST=(ruff format templates upgrade migrations imports)
ALL=("${FAST[@]}" translations deploy compose)

# Tracked and new Python files that exist (a deleted file may still be in git's index).
python_files() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files --cached --others --exclude-standard -- '*.py' | while read -r f; do
      if [ -f "$f" ]; then echo "$f"; fi
    done
  else
    find . -name '*.py' -not -path './.venv/*' -not -path './node_modules/*'
  fi
}

gate_ruff() { "$BIN/ruff" check --force-exclude "${@:-.}"; }

gate_format() { "$BIN/ruff" format --check --force-exclude "${@:-.}"; }

# djLint in lint mode; its rules and per-file exceptions are in pyproject.toml [tool.djlint].
gate_templates() {
  if [ $# -eq 0 ]; then set -- .; fi
  "$BIN/djlint" --lint "$@"
}

# django-upgrade finds the Django version in pyproject.toml.
gate_upgrade() {
  local files=("$@")
  if [ ${#files[@]} -eq 0 ]; then mapfile -t files < <(python_files); fi
  [ ${#files[@]} -gt 0 ] || return 0
  "$BIN/django-upgrade" --check "${files[@]}" || {
    echo "Apply the rewrites with: $BIN/django-upgrade FILE..." >&2
    return 1
  }
}

gate_migrations() { "$PY" manage.py makemigrations --check --dry-run; }

gate_imports() { "$BIN/lint-imports"; }

# Compiled and complete: no untranslated or fuzzy entry in the Norwegian catalogue.
gate_translations() {
  "$PY" manage.py compilemessages --ignore=.venv --ignore=node_modules || return 1
  local stats
  stats=$(msgfmt --statistics -o /dev/null locale/nb/LC_MESSAGES/django.po 2>&1)
  echo "$stats"
  case "$stats" in *untranslated* | *fuzzy*) echo "locale/nb is incomplete" >&2; return 1 ;; esac
}

# Django's deployment checklist on the production settings, with throw-away secrets.
gate_deploy() {
  DJANGO_SETTINGS_MODULE=larvik_nmu.settings.production \
  DJANGO_SECRET_KEY="ci-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  DJANGO_ALLOWED_HOSTS=nmu.larvik.kommune.no \
  DATABASE_URL="${DATABASE_URL:-postgres://nmu:nmu@127.0.0.1:5432/nmu}" \
  EMAIL_URL=smtp://127.0.0.1:1025 \
    "$PY" manage.py check --deploy --fail-level WARNING
}

gate_compose() {
  if command -v docker-compose >/dev/null; then
    docker-compose -f docker-compose.yml config -q && echo "docker-compose.yml is valid"
  else
    echo "docker-compose not available: skipped"
  fi
}

run_gates() {
  local failed=() started gate
  for gate in "$@"; do
    started=$(date +%s)
    printf -- '--> %s\n' "$gate"
    if ! "gate_$gate"; then failed+=("$gate"); fi
    printf -- '    %s: %ss\n' "$gate" "$(($(date +%s) - started))"
  done
  if [ ${#failed[@]} -gt 0 ]; then
    echo "check failed: ${failed[*]}" >&2
    return 1
  fi
  echo "check passed: $*"
}

case "${1:-}" in
  "") run_gates "${ALL[@]}" ;;
  --fast) run_gates "${FAST[@]}" ;;
  -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' ;;
  *)
    gate=$1
    shift
    if ! declare -F "gate_$gate" >/dev/null; then
      echo "unknown gate '$gate'; gates: ${ALL[*]}" >&2
      exit 2
    fi
    "gate_$gate" "$@"
    ;;
esac
