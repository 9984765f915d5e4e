# Two commands for newcomers: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock requirements-nodeps.lock pyproject.toml | sha256sum | cut -c1-12)
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
export PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/dss

.PHONY: run test setup system-run system-test messages lint check-ci bench

$(STAMP): requirements.lock requirements-nodeps.lock pyproject.toml | system-run
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -r requirements-nodeps.lock
	rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP) messages

# System packages pip cannot bring (venv, ffmpeg, bubblewrap, poppler; Chromium for tests):
# installed with apt-get as root or `sudo -n`, else one sentence says what to run.
system-run:
	@PYTHON=$(PYTHON) bash scripts/system_deps.sh run

system-test:
	@PYTHON=$(PYTHON) bash scripts/system_deps.sh test

messages: $(STAMP)
	@$(BIN)/python scripts/i18n.py compile

run: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) media_recover
	$(MANAGE) schedule_publishing
	@echo "Starting the task worker and the site on http://$(HOST):$(PORT)/ (Ctrl+C stops both)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(MANAGE) db_worker --queue-name '*' & \
	  $(MANAGE) runserver $(HOST):$(PORT)

# Every pass (SQLite, browser, PostgreSQL when it answers, OpenSearch when a node answers);
# the last lines say what ran, what did not and why.
test: system-test setup
	$(BIN)/python scripts/run_tests.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-ci: setup lint
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/python scripts/i18n.py check

# A local OpenSearch node on 127.0.0.1:9200 (jars fetched with Maven into ~/.cache/di-san-so).
.PHONY: opensearch-start opensearch-stop
opensearch-start:
	bash scripts/opensearch.sh start

opensearch-stop:
	bash scripts/opensearch.sh stop

# The production stack on this machine, for a trial (nginx on http://127.0.0.1:8080, gunicorn,
# two task workers, Redis, PostgreSQL; scripts/stack.sh, README "Running in production").
.PHONY: stack-start stack-stop
stack-start: setup
	bash scripts/stack.sh start

stack-stop:
	bash scripts/stack.sh stop
