# Sensemap developer commands: `make run` serves a local instance with demo data,
# `make test` runs what CI runs first (CI then runs `make test-faults` and `make bench SCALE=small`).
# PYTHON and VENV can be overridden from the environment.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALL_STAMP := $(VENV)/.install-stamp
NPM_STAMP := frontend/node_modules/.npm-ci-stamp
# Masks the password in a DATABASE_URL or CELERY_BROKER_URL before it is printed.
REDACT := sed -E 's|://([^:/@]*):[^@]*@|://\1:***@|'

.DEFAULT_GOAL := help
.PHONY: help install frontend browser api-schema run test test-faults bench lint format clean

help: ## List the targets
	@awk -F ':.*## ' '/^[a-z-]+:.*## / { printf "  %-12s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

install: $(INSTALL_STAMP) ## Create the virtualenv and install the project with its dev tools

# Re-runs only when pyproject.toml is newer than the stamp.
$(INSTALL_STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "No python3.11 or python3 on PATH: set PYTHON=/path/to/python3.11" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
		echo "$(PYTHON) is $$($(PYTHON) -V 2>&1); Sensemap needs Python 3.11+: set PYTHON" >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
		echo "$(VENV) runs $$($(PY) -V 2>&1); Sensemap needs Python 3.11+: run make clean" >&2; exit 1; }
	$(PY) -m pip install --disable-pip-version-check -e '.[dev]'
	@touch $@

ifneq ($(wildcard frontend/package.json),)
frontend: $(NPM_STAMP) ## Build the front end into frontend/dist (a no-op without package.json)
	cd frontend && npm run build

# npm ci wipes node_modules, so the stamp lives inside it and vanishes with it.
$(NPM_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci
	@mkdir -p $(@D) && touch $@

frontend/package-lock.json:
	@echo "frontend/package-lock.json is missing: run npm install in frontend/ and commit it" >&2
	@exit 1
else
frontend:
	@echo "frontend: no frontend/package.json yet; the static placeholder page is served"
endif

# Playwright drives Debian's Chromium: its own browser download cannot work here.
browser: ## Install headless Chromium for the browser tests (as root; else says what to install)
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; \
	else \
		echo "The browser tests need Chromium at /usr/bin/chromium: run" \
			"sudo apt-get install -y chromium chromium-driver (Debian), then make test again" >&2; \
		exit 1; \
	fi

api-schema: install ## Regenerate frontend/openapi.json, the schema the typed client is built from
	$(PY) manage.py spectacular --validate --fail-on-warn --format openapi-json --file frontend/openapi.json

run: install frontend ## Migrate, load the demo threads and serve on http://127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: install frontend browser ## Lint, check migrations, run pytest (browser tests last) and Vitest (what CI runs)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test
	@echo "Database: $$(if [ -n "$$DATABASE_URL" ]; then echo "$$DATABASE_URL" | $(REDACT); \
		else echo 'SQLite (embedded default)'; fi)"
	@echo "Broker:   $$(if [ -n "$$CELERY_BROKER_URL" ]; then echo "$$CELERY_BROKER_URL" | $(REDACT); \
		else echo 'eager (no broker)'; fi)"
	$(PY) -m pytest $(PYTEST_ARGS)
	if [ -f frontend/package.json ]; then cd frontend && npm test; fi

# Needs what CI has: PostgreSQL (DATABASE_URL), Redis (CELERY_BROKER_URL) and redis-server.
test-faults: install ## Fault suite: workers killed, Redis restarted, failing jobs, 1 min of load
	$(PY) -m pytest -m faults tests/faults $(PYTEST_ARGS)

# DROPS and recreates the database DATABASE_URL names (its name must contain "bench");
# CELERY_BROKER_URL must name a Redis. SCALE=full (3M comments) is run by hand: bench/README.md.
SCALE ?= small
bench: install ## Synthetic corpus, benchmarks and budgets (SCALE=small|full): bench/results/
	$(PY) -m bench.run --scale $(SCALE) $(BENCH_ARGS)

lint: install ## Check style without changing files
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Fix what ruff can fix and format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean: ## Remove the virtualenv, node_modules, built files and caches (keeps db.sqlite3)
	rm -rf $(VENV) frontend/node_modules frontend/dist staticfiles .pytest_cache .ruff_cache \
		*.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
