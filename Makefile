# Two commands on a fresh machine: `make seed` and `make test`. Everything they need is
# installed into .venv from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: seed test test-slow lint bench stop-db clean-db

# uv installs what pip would, from the same index, in a third of the time; compiled, as pip
# does, so that no command compiles the libraries again (PYTHONDONTWRITEBYTECODE may be set).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev,report]'
	touch $(STAMP)

seed: $(STAMP)
	$(BIN)/alembic upgrade seed@head

# The suite without the larger profiles, with the coverage threshold.
test: $(STAMP)
	$(BIN)/pytest -n auto --dist worksteal -m "not slow" --cov --cov-report=term-missing:skip-covered

# The larger profiles (medium, large): minutes, no coverage threshold.
test-slow: $(STAMP)
	$(BIN)/pytest -n auto --dist worksteal -m slow

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The embedded PostgreSQL (used when DATABASE_URL is unset) keeps running after each
# command, so the next one starts at once. stop-db stops it and keeps its data in .pgdata/;
# clean-db stops it and deletes the data.
stop-db: $(STAMP)
	$(BIN)/python -m seed_data embedded stop

clean-db: $(STAMP)
	$(BIN)/python -m seed_data embedded delete
