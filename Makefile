# The two commands a newcomer needs: `make generate` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
# The embedded default database; override with TURSO_DATABASE_URL=... make generate
export TURSO_DATABASE_URL ?= file:./data/local.db

.PHONY: install generate push check-generated lint typecheck test bench clean

$(INSTALLED): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[codegen,dev]'
	@touch $@

install: $(INSTALLED)

## generate: write generated/ from schema.yaml, then create the schema in TURSO_DATABASE_URL
generate: $(INSTALLED)
	$(PY) -m codegen generate
	$(PY) -m codegen push

## push: create the schema in an empty database at TURSO_DATABASE_URL
push: $(INSTALLED)
	$(PY) -m codegen push

## check-generated: fail if generated/ is not what schema.yaml gives
check-generated: $(INSTALLED)
	$(PY) -m codegen check

lint: $(INSTALLED)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check libsqlkit codegen tests bench

typecheck: $(INSTALLED)
	$(PY) -m mypy

## test: lint, mypy --strict, the generated/ check, then the test suite
test: lint typecheck check-generated
	$(PY) -m pytest

## bench: run the benchmarks in bench/ and write bench/results/
bench: $(INSTALLED)
	$(PY) -m bench

clean:
	rm -rf $(VENV) data build dist *.egg-info .mypy_cache .pytest_cache .ruff_cache .hypothesis
