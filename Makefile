# The two commands of the README:
#   make demo   installs everything, migrates, loads demo data, serves http://127.0.0.1:8000
#   make test   installs everything the tests need and runs the whole suite
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Tests talk to the real PostgreSQL and Redis; these are the local services of a development
# machine (CI sets the same explicitly in .ci/run).
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/safecommunity)
TEST_REDIS_URL ?= $(or $(REDIS_URL),redis://127.0.0.1:6379/0)
PYTEST_ARGS ?=

.PHONY: demo test install messages check-services

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

messages: $(STAMP)
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

demo:
	bash scripts/install-system-deps.sh runtime
	$(MAKE) messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

check-services:
	@$(BIN)/python scripts/check_services.py "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"

test:
	bash scripts/install-system-deps.sh test
	$(MAKE) messages
	$(MAKE) check-services
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" $(BIN)/pytest $(PYTEST_ARGS)
