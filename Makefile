# The two commands a newcomer needs: `make generate` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
# The same command a project using libsqlkit runs; it reads [tool.libsqlkit] in pyproject.toml
# (the database: TURSO_DATABASE_URL when set, else its database_url, file:./data/local.db).
LIBSQLKIT := $(VENV)/bin/libsqlkit

.PHONY: install browser generate migration data-migration migrate rollback status sync push studio check check-generated lint typecheck test fuzz bench clean

# The C row builder is built in place by the install: rebuilt when its source changes.
$(INSTALLED): pyproject.toml libsqlkit/_rowbuild.c
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[codegen,dev]'
	@touch $@

install: $(INSTALLED)

## generate: write generated/ from schema.yaml, then apply pending migrations to the database
generate: $(INSTALLED)
	$(LIBSQLKIT) generate
	$(LIBSQLKIT) migrate

## migration NAME=...: write the next migration from the change in schema.yaml
migration: $(INSTALLED)
	@test -n "$(NAME)" || { echo "usage: make migration NAME=add_priority"; exit 2; }
	$(LIBSQLKIT) migration $(NAME)

## data-migration NAME=... [PYTHON=1]: scaffold a data migration to fill in
data-migration: $(INSTALLED)
	@test -n "$(NAME)" || { echo "usage: make data-migration NAME=backfill_x [PYTHON=1]"; exit 2; }
	$(LIBSQLKIT) data-migration $(NAME) $(if $(PYTHON),--python)

## migrate: apply pending migrations (production; needs only the runtime)
migrate: $(INSTALLED)
	$(LIBSQLKIT) migrate

## rollback [STEPS=n] [FORCE=1]: reverse the last n migrations
rollback: $(INSTALLED)
	$(LIBSQLKIT) rollback --steps $(or $(STEPS),1) $(if $(FORCE),--force)

## status: list migrations, applied or pending, on the database
status: $(INSTALLED)
	$(LIBSQLKIT) status

## sync: one offline-mode sync of the database with TURSO_SYNC_URL; prints the report
sync: $(INSTALLED)
	$(LIBSQLKIT) sync

## push [FORCE=1]: apply schema.yaml straight to the database (development)
push: $(INSTALLED)
	$(LIBSQLKIT) push $(if $(FORCE),--force)

## studio [WRITE=1] [PORT=8001]: browse the database in Datasette on 127.0.0.1
studio: $(INSTALLED)
	$(LIBSQLKIT) studio --port $(or $(PORT),8001) $(if $(WRITE),--write)

## check: generated/, migrations, schema.yaml and the database agree
check: $(INSTALLED)
	$(LIBSQLKIT) check --db

## check-generated: the same without a database (what make test runs)
check-generated: $(INSTALLED)
	$(LIBSQLKIT) check

lint: $(INSTALLED)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check libsqlkit codegen tests bench examples

typecheck: $(INSTALLED)
	$(PY) -m mypy

## browser: Debian's headless Chromium, which the studio tests drive (installed when missing)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the studio's browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

## test: lint, mypy --strict, the generated/ check, then the test suite
test: lint typecheck check-generated browser
	$(PY) -m pytest

## fuzz [EXAMPLES=n]: the schema.yaml fuzzer, long and random (make test runs a short fixed sample)
fuzz: $(INSTALLED)
	SCHEMA_FUZZ_EXAMPLES=$(or $(EXAMPLES),2000) $(PY) -m pytest tests/test_schema_fuzz.py -q

## bench: run the benchmarks in bench/ and write bench/results/
bench: $(INSTALLED)
	$(PY) -m bench

clean:
	rm -rf $(VENV) data build dist *.egg-info .mypy_cache .pytest_cache .ruff_cache .hypothesis
