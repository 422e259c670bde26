# Zimao: `make run` serves the app, `make test` runs the whole suite. Both set everything up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist) of the PostgreSQL run: `auto` is one per CPU core; 0 runs in one
# process. The SQLite run, the longer one (the browser tests are in it), gets one process more,
# so that both runs of `make test` end at about the same time; SQLITE_WORKERS chooses otherwise.
PYTEST_WORKERS ?= auto
SQLITE_WORKERS ?= $(if $(filter auto,$(PYTEST_WORKERS)),$(shell echo $$(( $$(nproc) + 1 ))),$(PYTEST_WORKERS))
# Where the app keeps its database, static files and uploads (the same rule as zimao/settings.py).
VAR := $(or $(ZIMAO_VAR_DIR),var)

.PHONY: setup run test lint typecheck pytest pytest-postgres bench clean

# The venv is rebuilt only when pyproject.toml changes; npm assets only when package.json does.
$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

# Only the files the pages load are copied out of node_modules and served by WhiteNoise.
VENDOR := zimao/web/static/vendor
$(VENDOR)/.installed: node_modules/.installed
	mkdir -p $(VENDOR)
	cp node_modules/echarts/dist/echarts.min.js node_modules/htmx.org/dist/htmx.min.js \
	   node_modules/@picocss/pico/css/pico.min.css \
	   node_modules/swagger-ui-dist/swagger-ui.css node_modules/swagger-ui-dist/swagger-ui-bundle.js \
	   $(VENDOR)/
	touch $@

setup: $(BIN)/.installed $(VENDOR)/.installed

# A random key for this checkout, made once: a server refuses the public development key.
var/secret-key:
	mkdir -p var
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# Static files are collected (and compressed) only when a source changed: the app's static
# folders, the vendored libraries, or an installed package (Django's admin, Swagger UI).
STATIC_SOURCES := $(shell find zimao -path '*/static/*' -type f 2>/dev/null)
$(VAR)/static/.collected: $(STATIC_SOURCES) $(VENDOR)/.installed $(BIN)/.installed
	$(BIN)/zimao collectstatic --no-input -v 0
	touch $@

# migrate and load-reference run only when a migration, the reference dataset or the installed
# packages changed since they last ran against this database (one stamp per DATABASE_URL), or
# when the SQLite file is missing; `rm $(VAR)/.database-*` makes them run again.
DATABASE_KEY := $(shell printf '%s' "$$DATABASE_URL" | cksum | cut -d' ' -f1)
DATABASE_SOURCES := $(shell find zimao -path '*/migrations/*.py' -o -path 'zimao/reference/data/*' -type f 2>/dev/null)
SQLITE_FILE := $(if $(DATABASE_URL),,$(VAR)/zimao.sqlite3)
.PHONY: database-missing
$(VAR)/.database-$(DATABASE_KEY): $(DATABASE_SOURCES) $(BIN)/.installed $(if $(SQLITE_FILE),$(if $(wildcard $(SQLITE_FILE)),,database-missing))
	$(BIN)/zimao migrate --no-input -v 0
	$(BIN)/zimao load-reference
	touch $@

# A restart on a set-up checkout only starts the server: each step above ran when its inputs
# changed, and not otherwise.
run: setup var/secret-key $(VAR)/static/.collected $(VAR)/.database-$(DATABASE_KEY)
	if [ -z "$$SECRET_KEY$$SECRET_KEY_FILE" ]; then export SECRET_KEY_FILE=var/secret-key; fi; \
	  $(BIN)/zimao serve --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check zimao tests benchmarks
	$(BIN)/ruff format --check zimao tests benchmarks

typecheck: setup
	$(BIN)/mypy zimao

# The whole suite on SQLite, spread over SQLITE_WORKERS processes, each with its own test
# database, var/ folder, page-cache folder, live server port and Chromium. Tests are handed out
# two at a time (--maxschedchunk), so the long ones, which start first, end on both workers.
pytest: setup
	$(BIN)/pytest -n $(SQLITE_WORKERS) --maxschedchunk 2

# Again against a throwaway PostgreSQL cluster (when the server binaries exist), every test that
# uses the database: search and full text, migrations, locking and concurrent writes, JSON
# fields, collation and ordering, backup and restore, jobs, query budgets, the API and every page
# (tests/test_access_walk.py and tests/test_query_budget.py request every route). Not repeated:
# tests marked `db_agnostic` (tests/conftest.py marks every test that asks for no database, e.g.
# extraction, text, quality floors, settings; pytest-django refuses their queries) and the
# browser tests, which drive the same pages through Chromium on SQLite.
pytest-postgres: setup
	PYTEST="$(BIN)/pytest" scripts/with-postgres.sh -n $(PYTEST_WORKERS) --maxschedchunk 2 \
	  -m "not browser and not db_agnostic and not one_database"

# The test runs keep Python's compiled files even where the environment turns them off
# (PYTHONDONTWRITEBYTECODE=1): otherwise every test process, and every `zimao` process a test
# starts, compiles the project again, and pytest rewrites every test module again (collection
# 7.5 s -> 4 s per process; `zimao check` 1.1 -> 0.85 s). They go to __pycache__ (git-ignored).
pytest pytest-postgres: export PYTHONDONTWRITEBYTECODE :=

# All four at once (each target's output printed whole when it ends): the SQLite run's browser
# tests wait on Chromium and both runs wait on the `zimao` processes they start, so the other
# run's tests fill those waits. A failure in any of them fails `make test`.
test: setup
	$(MAKE) --no-print-directory -j4 --output-sync=target lint typecheck pytest pytest-postgres

$(BIN)/.bench-installed: pyproject.toml $(BIN)/.installed
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $@

# ZIMAO_BENCH_LOAD=1 adds the load test of the production server (benchmarks/load.py).
bench: setup $(BIN)/.bench-installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules var
