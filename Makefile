# Tilannekuva. `make run` serves the demo; `make test` runs the whole suite; `make test-fast` all but the browser.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= $(or $(DASHBOARD_DB),data/dashboard.duckdb)
PYTEST := $(BIN)/python -m pytest
# Two pytest-xdist workers (the machine has 2 cores); XDIST= runs the tests in one process.
XDIST ?= -n 2
# Python keeps each module's compiled bytecode (__pycache__, in .venv and beside the sources): a shell
# that sets PYTHONDONTWRITEBYTECODE would make every process compile pandas, Dash and plotly again
# (importing the app: ~5 s of CPU instead of ~2 s; the suite starts dozens of Python processes).
unexport PYTHONDONTWRITEBYTECODE
# xstatic-bootstrap is an sdist that still imports pkg_resources at build time.
# --no-compile: Python compiles a module when it is first imported (pip would compile every file of
# every package, most of which no test or page imports).
PIP_INSTALL := PIP_CONSTRAINT=$(CURDIR)/build-constraints.txt $(BIN)/pip install --disable-pip-version-check --no-compile -q

# The UI messages' compiled catalogues (dashboard/locale/*/LC_MESSAGES/messages.mo; README "Adding a string").
MO := $(foreach lang,fi sv en,dashboard/locale/$(lang)/LC_MESSAGES/messages.mo)

.PHONY: run test test-fast typecheck demo national bench install install-test chromium lint clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-installed: requirements.txt build-constraints.txt pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -r requirements.txt
	$(PIP_INSTALL) --no-deps -e .  # dashboard and queries, importable from anywhere
	$(BIN)/python -m dashboard.core.lemmas  # the lemma dictionaries' tries, built once
	touch $@

# The lemma tries (~11 s of one core) are built while pip installs the rest (one core each): their
# three packages first, then the build in the background beside the big install.
$(VENV)/.test-installed: requirements.txt requirements-dev.txt build-constraints.txt pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) $$(grep -E '^(simplemma|marisa-trie|platformdirs)==' requirements.txt)
	@$(BIN)/python -m dashboard.core.lemmas & lemmas=$$!; \
	echo "$(BIN)/python -m dashboard.core.lemmas  (the lemma dictionaries' tries, beside pip)"; \
	$(PIP_INSTALL) -r requirements-dev.txt && $(PIP_INSTALL) --no-deps -e .; installed=$$?; \
	wait $$lemmas; built=$$?; [ $$installed -eq 0 ] && [ $$built -eq 0 ]
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

# The benchmark table of README "Performance" (reuses data/national.duckdb; ~10 minutes), after
# checking that the script still works (its --quick run on the demo, ~1 minute).
bench: $(VENV)/.test-installed chromium
	$(PYTEST) -m bench
	$(BIN)/python benchmarks/bench.py

run: $(VENV)/.run-installed $(MO) $(DB)
	$(BIN)/python -m dashboard serve

# Debian's chromium for the browser tests (never `playwright install`).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; \
	fi

# Everything: lint, types, and every test. Two xdist workers share out the browser modules (each
# module's tests in order on one worker, which starts its own Chromium and servers) and the rest.
# Where Chromium is missing and we are root (CI, a fresh machine), apt-get installs it beside pip's
# install (it mostly waits on the network; the install mostly computes); otherwise first (sudo may ask).
# mypy runs beside the tests (niced: its cold run fills the cores the browser tests leave idle while
# they wait on pages) and its output follows theirs; either failing fails the target.
test:
	@if [ -x /usr/bin/chromium ] || [ "$$(id -u)" != 0 ]; then \
		$(MAKE) --no-print-directory chromium && $(MAKE) --no-print-directory lint $(MO); \
	else \
		echo "make chromium  (apt-get, beside the install; its output follows)"; \
		apt_log=$$(mktemp); $(MAKE) --no-print-directory chromium > $$apt_log 2>&1 & apt=$$!; \
		$(MAKE) --no-print-directory lint $(MO); prepared=$$?; \
		wait $$apt; installed=$$?; cat $$apt_log; rm -f $$apt_log; \
		[ $$prepared -eq 0 ] && [ $$installed -eq 0 ]; \
	fi
	@types=$$(mktemp); nice $(BIN)/mypy > $$types 2>&1 & mypy=$$!; \
	echo "$(PYTEST) $(XDIST) --dist loadgroup  (mypy beside it)"; \
	$(PYTEST) $(XDIST) --dist loadgroup; tests=$$?; \
	wait $$mypy; typed=$$?; echo "$(BIN)/mypy"; cat $$types; rm -f $$types; \
	[ $$tests -eq 0 ] && [ $$typed -eq 0 ]

# The loop while you work: lint, types, and every test that needs no browser, is no load test and no
# whole-app fuzz sweep (`load`: the few that race threads, servers and killed workers; `fuzz`: the two
# hostile-input sweeps over every route and callback; README "Tests" names them; make test runs all).
test-fast: lint typecheck $(MO)
	$(PYTEST) -m "not browser and not load and not fuzz" $(XDIST) --dist loadgroup

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.test-installed
	$(BIN)/mypy

clean:
	rm -rf $(VENV) data/demo .pytest_cache .mypy_cache $(MO)
