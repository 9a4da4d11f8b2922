# Tilannekuva. `make run` serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= $(or $(DASHBOARD_DB),data/dashboard.duckdb)
# xstatic-bootstrap is an sdist that still imports pkg_resources at build time.
PIP_INSTALL := PIP_CONSTRAINT=$(CURDIR)/build-constraints.txt $(BIN)/pip install --disable-pip-version-check -q

# The UI messages' compiled catalogues (dashboard/locale/*/LC_MESSAGES/messages.mo; README "Adding a string").
MO := $(foreach lang,fi sv en,dashboard/locale/$(lang)/LC_MESSAGES/messages.mo)

.PHONY: run test demo national bench install install-test chromium lint clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-installed: requirements.txt build-constraints.txt pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -r requirements.txt
	$(PIP_INSTALL) --no-deps -e .  # dashboard and queries, importable from anywhere
	$(BIN)/python -m dashboard.core.lemmas  # the lemma dictionaries' tries, built once
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-dev.txt build-constraints.txt pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -r requirements-dev.txt
	$(PIP_INSTALL) --no-deps -e .  # dashboard and queries, importable from anywhere
	$(BIN)/python -m dashboard.core.lemmas  # the lemma dictionaries' tries, built once
	touch $@ $(VENV)/.run-installed

install: $(VENV)/.run-installed $(MO)
install-test: $(VENV)/.test-installed $(MO)

# Compiled at install and whenever a .po changes; the app compiles a missing or older .mo in memory.
$(MO): dashboard/locale/%/LC_MESSAGES/messages.mo: dashboard/locale/%/LC_MESSAGES/messages.po | $(VENV)/.run-installed
	$(BIN)/python -m dashboard messages compile

messages: $(MO)

# Build the demo database only when there is none: never overwrite loaded data.
$(DB): | $(VENV)/.run-installed
	$(BIN)/python -m dashboard build-demo --db $(DB)

demo: $(VENV)/.run-installed
	$(BIN)/python -m dashboard build-demo --db $(DB)

# Every county and Helsinki: 100 000 reports, five million indicator values (~35 s).
national: $(VENV)/.run-installed
	$(BIN)/python -m dashboard build-demo --scale national --db data/national.duckdb

# The benchmark table of README "Performance" (reuses data/national.duckdb; ~10 minutes).
bench: $(VENV)/.test-installed chromium
	$(BIN)/python benchmarks/bench.py

run: $(VENV)/.run-installed $(MO) $(DB)
	$(BIN)/python -m dashboard serve

# Debian's chromium for the browser tests (never `playwright install`).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; \
	fi

test: $(VENV)/.test-installed $(MO) chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) data/demo .pytest_cache $(MO)
