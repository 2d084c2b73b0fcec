# citydiplo: `make demo` and `make test` do all the set-up on a fresh machine.
# `make help` lists the targets. CI runs `bash .ci/run`, which is `CI=true make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
VENDOR := citydiplo/static/vendor/VERSIONS.txt
RESULTS := test-results
LINT_PATHS := citydiplo tests scripts bench

# Extra pytest arguments for any test target, e.g. make test-sqlite PYTEST_ARGS="-k demo -x".
PYTEST_ARGS ?=
# pytest-xdist workers for the SQLite and PostgreSQL suites. Measured on 2 cores with 687 tests: -n 2 took
# 23-25 s in a fresh-clone CI run, while one process needs 30 s of CPU (so at least ~32 s); -n 2 costs
# 42 s of CPU in all. On a machine busy with other work one process was faster (41-51 s against 64-76 s):
# run with XDIST= there.
XDIST ?= -n 2
PYTEST := $(PY) -m pytest
SUITE := $(PYTEST) -m "not browser" $(XDIST)
# The throw-away cluster lives in a temporary directory (-t) even as root, so parallel runs never meet
# in /etc/postgresql; durability is pointless for a cluster deleted at the end.
PG_VIRTUALENV := pg_virtualenv -t -o fsync=off -o synchronous_commit=off -o full_page_writes=off

.DEFAULT_GOAL := help
.PHONY: help demo install assets test test-sqlite test-postgres test-browser lint ruff-check typecheck clean

help: ## list the targets
	@echo "citydiplo make targets:"
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@py=$(PYTHON); command -v $$py >/dev/null || py=python3; \
	  if [ ! -x $(PY) ]; then echo "== Creating $(VENV) with $$py"; $$py -m venv $(VENV); fi
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## create the virtualenv and install citydiplo with its dev tools (again only when pyproject.toml changed)

# The vendored front-end assets are committed; rebuild them from package-lock.json only if missing.
$(VENDOR):
	scripts/vendor_assets.sh

assets: $(VENDOR) ## make sure the vendored front-end assets exist (citydiplo/static/vendor)

demo: install assets ## migrate, load reference + illustrative demo data, run the worker and the server on 127.0.0.1 (PORT=8000)
	$(PY) manage.py migrate --noinput
	$(VENV)/bin/citydiplo load-reference
	$(VENV)/bin/citydiplo load_demo
	@PY=$(PY) scripts/demo_serve.sh $(PORT)

test: install ## everything CI runs: ruff check, suite on SQLite, suite on PostgreSQL, browser tests
	@MAKE="$(MAKE)" PY=$(PY) RESULTS=$(RESULTS) scripts/test_all.sh

test-sqlite: install ## the whole suite (not the browser tests) on SQLite
	@mkdir -p $(RESULTS) && rm -f $(RESULTS)/sqlite.*
	env -u DATABASE_URL $(SUITE) --junitxml=$(RESULTS)/sqlite.xml $(PYTEST_ARGS)

# DATABASE_URL=postgres://... uses that server; otherwise a throw-away cluster from Debian's
# pg_virtualenv, which the pg_virtualenv command starts and deletes around the run.
test-postgres: install ## the same suite on PostgreSQL (DATABASE_URL=postgres://... or a throw-away cluster)
	@mkdir -p $(RESULTS) && rm -f $(RESULTS)/postgres.*
	@if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
	  echo "== PostgreSQL suite on the server named by DATABASE_URL"; \
	  $(SUITE) --junitxml=$(RESULTS)/postgres.xml $(PYTEST_ARGS); \
	else \
	  rc=0; scripts/system_deps.sh postgresql || rc=$$?; \
	  if [ $$rc = 3 ]; then echo "no pg_virtualenv (Debian's postgresql-common) and no root to install it" > $(RESULTS)/postgres.skipped; exit 0; fi; \
	  [ $$rc = 0 ] || exit $$rc; \
	  echo "== PostgreSQL suite in a throw-away pg_virtualenv cluster"; \
	  $(PG_VIRTUALENV) sh -c 'DATABASE_URL="postgres://$$PGUSER:$$PGPASSWORD@$$PGHOST:$$PGPORT/$$PGDATABASE" \
	    exec $(SUITE) --junitxml=$(RESULTS)/postgres.xml $(PYTEST_ARGS)'; \
	fi

test-browser: install assets ## browser tests: Playwright drives Debian's Chromium against a live server (SQLite)
	@mkdir -p $(RESULTS) && rm -f $(RESULTS)/browser.*
	@rc=0; scripts/system_deps.sh chromium || rc=$$?; \
	if [ $$rc = 3 ]; then echo "no /usr/bin/chromium (Debian's chromium) and no root to install it" > $(RESULTS)/browser.skipped; exit 0; fi; \
	[ $$rc = 0 ] || exit $$rc; \
	env -u DATABASE_URL $(PYTEST) -m browser --junitxml=$(RESULTS)/browser.xml $(PYTEST_ARGS)

ruff-check: install ## ruff check only (the lint step of make test)
	$(VENV)/bin/ruff check $(LINT_PATHS)

lint: install ## ruff check + ruff format --check
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)

typecheck: install ## mypy with django-stubs (not yet clean, so not part of lint or test)
	$(VENV)/bin/mypy citydiplo

clean: ## remove test results and caches (keeps the virtualenv and var/ with the demo database)
	rm -rf $(RESULTS) .pytest_cache .mypy_cache .ruff_cache

include bench/Makefile.inc
