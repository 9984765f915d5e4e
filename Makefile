# Two commands for newcomers: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-12)
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/dss

.PHONY: run test setup tools messages lint check-ci test-sqlite test-postgres bench

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"' 
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP) tools messages

# System tools the Python packages cannot bring: say exactly what is missing and how to get it.
tools:
	@$(BIN)/python scripts/check_tools.py

messages: $(STAMP)
	@$(BIN)/python scripts/i18n.py compile

run: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) media_recover
	@echo "Starting the task worker and the site on http://$(HOST):$(PORT)/ (Ctrl+C stops both)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(MANAGE) db_worker --queue-name '*' & \
	  $(MANAGE) runserver $(HOST):$(PORT)

test: setup test-sqlite test-postgres

test-sqlite:
	$(BIN)/python -m pytest

# PostgreSQL runs the database-backed tests again when reachable; CI sets REQUIRE_POSTGRES=1.
test-postgres:
	@if $(BIN)/python scripts/pg_ready.py "$(PG_TEST_URL)"; then \
	  DATABASE_URL="$(PG_TEST_URL)" $(BIN)/python -m pytest -m "not browser" tests/integration; \
	elif [ -n "$$REQUIRE_POSTGRES" ]; then echo "PostgreSQL is required but unreachable at $(PG_TEST_URL)"; exit 1; \
	else echo "PostgreSQL not reachable at $(PG_TEST_URL): skipped the PostgreSQL run."; fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-ci: setup lint
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/python scripts/i18n.py check
