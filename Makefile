# Larvik NMU portal. `make run` sets up and starts site + worker; `make test` runs the suite.
# See README.md "Kom i gang / Quick start".

PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

# A Python >= 3.12: python3.13/python3.12 on the PATH, else the newest under $(pyenv root)/versions.
PYTHON ?= $(shell for p in python3.13 python3.12; do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$p; exit 0; fi; done; \
	root=$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv); \
	for p in $$(ls -d $$root/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  if $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$p; exit 0; fi; done; \
	if command -v python3 >/dev/null 2>&1 && python3 -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v python3; fi)

VENDOR := static/vendor
DS_CSS := node_modules/@digdir/designsystemet-css/dist/src/index.css
DS_THEME := node_modules/@digdir/designsystemet-theme/brand/digdir.css
# Inter, Designsystemet's typeface, self-hosted: variable weight, Latin and Latin Extended (æøå,
# Sámi letters), upright and italic. static/css/site.css declares the @font-face rules.
INTER_DIR := node_modules/@fontsource-variable/inter/files
INTER_FILES := $(foreach subset,latin latin-ext,$(foreach style,normal italic,inter-$(subset)-wght-$(style).woff2))
# Chart.js 4, for the agreements' economic charts only (static/js/agreement-chart.js): the UMD
# bundle (its one dependency, @kurkle/color, inside), which injects no <style> element — its
# canvas sizing goes through the CSSOM, which the strict CSP allows.
CHARTJS_DIR := node_modules/chart.js

.PHONY: setup run test check lint bench messages clean help tools vendor

help:
	@echo "make run    - set up (first time) and start site + Celery worker on http://127.0.0.1:$(PORT)"
	@echo "make setup  - install Python and npm packages, static files, compiled messages"
	@echo "make test   - run the whole test suite"
	@echo "make check  - every static gate CI runs: ruff, format, djLint, django-upgrade, migrations,"
	@echo "              import-linter, translations complete, check --deploy, docker-compose config"
	@echo "make lint   - the fast gates of make check (also the pre-commit hooks)"
	@echo "make bench  - page render time and query counts with 10 and 1,000 rows"

$(PY): | tools
	@if [ -z "$(PYTHON)" ]; then \
	  echo "ERROR: Python 3.12 or newer is needed (Django 6.1). Install python3.13 (e.g. 'pyenv install 3.13')" >&2; \
	  echo "       or run: make setup PYTHON=/path/to/python3.12" >&2; exit 1; fi
	"$(PYTHON)" -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Say clearly what is missing instead of failing half-way.
tools:
	@command -v npm >/dev/null || { echo "ERROR: Node.js >= 20 with npm is needed (https://nodejs.org, or apt-get install nodejs npm)" >&2; exit 1; }
	@command -v msgfmt >/dev/null || { echo "ERROR: gettext's msgfmt is needed (apt-get install gettext / brew install gettext)" >&2; exit 1; }

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[dev]"
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(VENDOR)/designsystemet/designsystemet.css: node_modules/.package-lock.json
	mkdir -p $(VENDOR)/designsystemet
	cp $(DS_CSS) $(VENDOR)/designsystemet/designsystemet.css
	cp $(DS_THEME) $(VENDOR)/designsystemet/theme.css

$(VENDOR)/inter/inter-latin-wght-normal.woff2: node_modules/.package-lock.json
	mkdir -p $(VENDOR)/inter
	cp $(INTER_DIR)/../LICENSE $(VENDOR)/inter/LICENSE.txt
	cp $(addprefix $(INTER_DIR)/,$(INTER_FILES)) $(VENDOR)/inter/

$(VENDOR)/chartjs/chart.umd.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)/chartjs
	cp $(CHARTJS_DIR)/LICENSE.md $(VENDOR)/chartjs/LICENSE.md
	cp $(CHARTJS_DIR)/dist/chart.umd.min.js $(VENDOR)/chartjs/chart.umd.min.js

# The front-end files the pages load, copied from node_modules into static/vendor.
vendor: $(VENDOR)/designsystemet/designsystemet.css $(VENDOR)/inter/inter-latin-wght-normal.woff2 \
	$(VENDOR)/chartjs/chart.umd.min.js

MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
locale/%.mo: locale/%.po
	msgfmt --check -o $@ $<

setup: $(VENV)/.installed vendor $(MO_FILES)

messages: | $(PY)
	$(PY) manage.py makemessages -l nb --no-obsolete --ignore=.venv --ignore=node_modules --ignore=staticfiles

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Starting site on http://127.0.0.1:$(PORT) and a Celery worker with embedded beat. Ctrl-C stops both."
	@bash scripts/run-dev.sh $(PORT)

# In CI (CI=true) the run measures branch coverage ([tool.coverage] in pyproject.toml), prints the
# report and fails below its floor.
COV_ARGS := $(if $(filter true,$(CI)),--cov --cov-report=term,)

test: setup
	$(PY) -m pytest --ds=larvik_nmu.settings.test $(COV_ARGS) $(PYTEST_ARGS)

# The gates are written once, in scripts/check.sh; .ci/run and pre-commit call it too.
check: setup
	@bash scripts/check.sh

lint: setup
	@bash scripts/check.sh --fast

bench: setup
	$(PY) bench/pages.py
	$(PY) bench/notifications.py
	$(PY) bench/proposals.py
	$(PY) bench/dugnads.py
	$(PY) bench/agreements.py
	$(PY) bench/agreements_economics.py
	$(PY) bench/key_figures.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles .celery
