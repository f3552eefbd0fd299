# Trama: `make run` starts the platform with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-test.txt | cksum | cut -d' ' -f1)

.PHONY: run test setup worker check lint format clean messages bench backup restore load screenshots

$(STAMP): requirements.txt requirements-test.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)
	TRAMA_HTTPS=0 $(PY) manage.py migrate --noinput
	TRAMA_HTTPS=0 $(PY) manage.py load_demo

# The web server and the task worker together; Ctrl-C stops both.
run: setup
	TRAMA_HTTPS=0 $(PY) manage.py start --addr 127.0.0.1:8000

worker: $(STAMP)
	$(PY) manage.py db_worker

# One pytest worker per core (pytest-xdist); each has its own test database. TEST_JOBS=0 runs in one process.
TEST_JOBS ?= auto
test: $(STAMP) lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(TEST_JOBS) --durations=15 $(PYTEST_ARGS)

# Every benchmark under bench/: each prints its figures and writes JSON under var/bench/.
# Theme quality runs on one seed here; `bench/bench_themes.py` without --quick gives seeds 0-2.
bench: $(STAMP)
	for script in bench/bench_*.py; do $(PY) $$script $$(test $$script = bench/bench_themes.py && echo --quick) || exit 1; done

# A consistent copy of the database in var/backups/ (PostgreSQL: pg_dump custom format; SQLite: online backup).
backup: $(STAMP)
	$(PY) manage.py backup

# Put a backup back in place of all current data (stop web processes and workers first):
# make restore FILE=var/backups/trama-AAAAMMGG-HHMMSS.dump
restore: $(STAMP)
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/trama-AAAAMMGG-HHMMSS.dump"; exit 2; }
	$(PY) manage.py restore "$(FILE)"

# The load test (Locust, in its own venv) against gunicorn + PostgreSQL on loopback; needs DATABASE_URL
# pointing at a scratch PostgreSQL database. LOAD_USERS, LOAD_TIME, LOAD_SPAWN_RATE, LOAD_RESIDENTS override.
LOAD_VENV := var/load/venv
$(LOAD_VENV)/.installed: requirements-load.txt
	test -x $(LOAD_VENV)/bin/python || $(PYTHON) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-load.txt
	touch $@

load: $(STAMP) $(LOAD_VENV)/.installed
	$(PY) bench/load/run.py

# Each role's home on a 375x667 phone, over the demo city in a scratch database: docs/screenshots/*.png.
screenshots: $(STAMP)
	$(PY) tools/screenshots.py

check: $(STAMP)
	$(PY) manage.py check

# Lint, format and types (ruff and mypy, configured in pyproject.toml); `make test` runs it first. `make format` rewrites.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy


format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var

# Extract the Italian source strings into the English catalogue and those of the neighbourhood's languages
# (docs/languages.md), and compile them with the Italian names of days and months (trama/locale/it,
# written by hand; needs GNU gettext).
TRANSLATED := en ro ar sq uk fr
messages: $(STAMP)
	cd trama && ../$(PY) ../manage.py makemessages $(TRANSLATED:%=-l %) --no-obsolete --ignore='tests/*' --ignore='*/tests/*'
	cd trama && ../$(PY) ../manage.py compilemessages $(TRANSLATED:%=-l %) -l it
