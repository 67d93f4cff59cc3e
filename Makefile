# Two commands for a fresh machine: `make run` (serve the demo) and `make test` (lint, types, docs, all tests).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The PostgreSQL run uses TEST_DATABASE_URL, or this machine's local server when it answers.
LOCAL_PG := postgres://postgres@127.0.0.1:5432/test
CHROMIUM := /usr/bin/chromium
# Pango for WeasyPrint (order sheet PDFs): the shared libraries and the Debian packages that hold them.
PANGO_LIBS := libpango-1.0.so.0 libpangoft2-1.0.so.0
PANGO_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0

.PHONY: run worker test install dev lint typecheck docs pytest pytest-sqlite pytest-postgres chromium pango bench bench-load clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --editable .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --editable '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

# The demo runs as development (debug pages on); unset IVIG_ENV runs without debug.
run worker: export IVIG_ENV ?= development
run: $(VENV)/.installed pango
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --print-logins
	@echo
	@echo "ivig is starting at http://127.0.0.1:$(PORT)/ with its background worker (Ctrl-C stops both)."
	@$(BIN)/python manage.py db_worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The background worker alone (FHIR bulk export and other background tasks), e.g. beside another server.
worker: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py db_worker --no-reload

test: $(VENV)/.dev-installed chromium pango lint typecheck docs pytest

# The documentation site (mkdocs.yml): --strict fails on a broken link or anchor, or a page left out of the nav.
docs: $(VENV)/.dev-installed
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir var/site

# lint-imports: the layers and the pure core ([tool.importlinter] in pyproject.toml).
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests bench deploy
	$(BIN)/ruff format --check src tests bench deploy
	$(BIN)/lint-imports --no-cache --no-logo

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

# The two passes run side by side (each pytest uses about one of the machine's two cores): the PostgreSQL
# pass writes to var/pytest-postgres.log, printed when both have finished. Either failing fails the target.
pytest: $(VENV)/.dev-installed
	@mkdir -p var; \
	IVIG_VAR_DIR=$(CURDIR)/var/pg $(MAKE) --no-print-directory pytest-postgres > var/pytest-postgres.log 2>&1 & pg=$$!; \
	$(MAKE) --no-print-directory pytest-sqlite; sqlite=$$?; \
	wait $$pg; postgres=$$?; \
	echo "pytest: SQLite pass exit $$sqlite, PostgreSQL pass exit $$postgres (its output follows)"; \
	cat var/pytest-postgres.log; \
	[ $$sqlite -eq 0 ] && [ $$postgres -eq 0 ]

# pytest exits 5 when it collected no tests: not a failure of the suite itself.
define run_pytest
	$(BIN)/pytest $(PYTEST_ARGS); status=$$?; if [ $$status -eq 5 ]; then echo "pytest collected no tests"; status=0; fi; exit $$status
endef

# The PostgreSQL pass: the integration tests, which are the ones that use the database. The unit tests use
# none, and the browser tests drive the same code through a page; both ran in the SQLite pass. This keeps CI
# under 20 minutes on the 2-core machine.
define run_pytest_db
	$(BIN)/pytest $(or $(PYTEST_ARGS),tests/integration); status=$$?; if [ $$status -eq 5 ]; then echo "pytest collected no tests"; status=0; fi; exit $$status
endef

pytest-sqlite: $(VENV)/.dev-installed
	@echo "== pytest on SQLite"
	@env -u DATABASE_URL bash -c '$(run_pytest)'

pytest-postgres: $(VENV)/.dev-installed
	@mkdir -p $${IVIG_VAR_DIR:-var}; url="$${TEST_DATABASE_URL:-$(LOCAL_PG)}"; \
	if $(BIN)/python -c "import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$$url" 2>/dev/null; then \
		echo "== pytest on PostgreSQL ($$url): the integration tests (unit and browser tests ran on SQLite)"; \
		DATABASE_URL="$$url" bash -c '$(run_pytest_db)'; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI=true: PostgreSQL at $$url does not answer, and the PostgreSQL run must not be skipped"; exit 1; \
	else \
		echo "== PostgreSQL at $$url does not answer: PostgreSQL run skipped"; \
	fi

chromium:
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif command -v apt-get >/dev/null && command -v sudo >/dev/null; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi; \
	if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$CI" = "true" ]; then echo "CI=true: Chromium could not be installed"; exit 1; fi; \
		echo "No Chromium: browser tests will be skipped"; \
	fi

# WeasyPrint needs Pango; Debian's python image lacks it. Without it the order sheet PDF link says to print
# from the browser instead (and its tests skip), unless CI=true, where a missing Pango fails the build.
define pango_missing
libs="$$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null)"; missing=""; \
	for lib in $(PANGO_LIBS); do case "$$libs" in *"$$lib"*) ;; *) missing="$$missing $$lib" ;; esac; done
endef

pango:
	@$(pango_missing); if [ -z "$$missing" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian's Pango for order sheet PDFs (WeasyPrint)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PANGO_PACKAGES) >/dev/null; \
	elif command -v apt-get >/dev/null && command -v sudo >/dev/null; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PANGO_PACKAGES) >/dev/null; \
	fi; \
	$(pango_missing); if [ -n "$$missing" ]; then \
		if [ "$$CI" = "true" ]; then echo "CI=true: Pango could not be installed (missing:$$missing)"; exit 1; fi; \
		echo "No Pango (missing:$$missing): order sheet PDFs fall back to the browser's print; their tests skip"; \
	fi

# Spanish for patient pages (src/ivig/locale). The compiled .mo is committed, so a machine without gettext
# still runs; with msgfmt (Debian's gettext) this rebuilds it from the .po after an edit.
messages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null; then \
		cd src/ivig && DJANGO_SETTINGS_MODULE=ivig.config.settings ../../$(BIN)/django-admin compilemessages; \
	else echo "No msgfmt (gettext): using the committed .mo files"; fi

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/clinical_plan.py
	$(BIN)/python bench/pk.py
	$(BIN)/python bench/schedule.py --seeds 1
	$(BIN)/python bench/routes.py

# Needs PostgreSQL on 127.0.0.1:5432 (user postgres); builds the database ivig_load (about 4 GB at full scale).
# Quicker: make bench-load LOAD_ARGS="--scale 0.05 --users 20 --minutes 1"
bench-load: $(VENV)/.dev-installed
	$(BIN)/python bench/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
