# Zimao: `make run` serves the app, `make test` runs the whole suite. Both set everything up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

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

run: setup var/secret-key
	$(BIN)/zimao migrate --no-input -v 0
	$(BIN)/zimao load-reference
	$(BIN)/zimao collectstatic --no-input -v 0
	if [ -z "$$SECRET_KEY$$SECRET_KEY_FILE" ]; then export SECRET_KEY_FILE=var/secret-key; fi; \
	  $(BIN)/zimao serve --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check zimao tests benchmarks
	$(BIN)/ruff format --check zimao tests benchmarks

typecheck: setup
	$(BIN)/mypy zimao

pytest: setup
	$(BIN)/pytest

# Runs the same suite against a throwaway PostgreSQL cluster when the server binaries exist.
pytest-postgres: setup
	PYTEST="$(BIN)/pytest" scripts/with-postgres.sh

test: lint typecheck pytest pytest-postgres

$(BIN)/.bench-installed: pyproject.toml $(BIN)/.installed
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $@

# ZIMAO_BENCH_LOAD=1 adds the load test of the production server (benchmarks/load.py).
bench: setup $(BIN)/.bench-installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules var
