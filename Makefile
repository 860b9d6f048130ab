# Notre Continent: `make run` serves the site, `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Find a Python 3.12+ : python3.13, python3.12, pyenv's, then python3.
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$p; exit; fi; done; \
	if command -v pyenv >/dev/null 2>&1; then for v in $$(pyenv versions --bare | grep -E '^3\.1[2-9]' | sort -rV); do \
	echo "$$(pyenv root)/versions/$$v/bin/python3"; exit; done; fi)

.PHONY: run test bench cluster-test lint install messages clean backup restore

# An existing .venv is kept (only its packages are brought up to date).
$(VENV)/.installed: pyproject.toml
	@if [ ! -x $(PY) ] && [ -z "$(PYTHON)" ]; then \
		echo "Python 3.12 ou plus récent est nécessaire (Django 6.1)."; \
		echo "Installez-le (apt install python3.12, pyenv install 3.12) ou indiquez-le : make PYTHON=/chemin/vers/python3.12"; \
		exit 1; fi
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# The French catalogue is compiled when there is one; without gettext's msgfmt the site
# still runs (its source strings are French), so we warn instead of failing.
messages: install
	@if [ -z "$$(find . -path ./.venv -prune -o -name '*.po' -print -quit)" ]; then :; \
	elif command -v msgfmt >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore=.venv -v 0; \
	else echo "Attention : msgfmt (paquet gettext) est absent, catalogue de traduction non compilé." \
		"Installez-le : sudo apt-get install gettext"; fi

run: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py load_demo_comments
	@# gunicorn, the task worker (db_worker) and the scheduler (crontask); Ctrl-C stops all three.
	DEBUG=$${DEBUG:-false} PORT=$(PORT) $(PY) -m notrecontinent.run

test: install messages
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(VENV)/bin/pytest

# The real site over HTTP (tests/bench/run.py): gunicorn as `make run` starts it, wrk, a table.
bench: install messages
	$(PY) -m tests.bench

# The database (pg_dump, or SQLite's online backup) and the media, into backups/ or BACKUP_DIR.
backup: install
	$(PY) manage.py backup

# make restore BACKUP=backups/notrecontinent-<date>: into the (new, empty) database of
# DATABASE_URL and MEDIA_ROOT, with the site stopped; every table's row count is checked.
restore: install
	@test -n "$(BACKUP)" || { echo "Indiquez la sauvegarde : make restore BACKUP=backups/notrecontinent-<date>"; exit 2; }
	$(PY) manage.py restore "$(BACKUP)"

# The production rehearsal (tests/cluster/): nginx with deploy/nginx.conf, two gunicorn
# hosts, the task worker, a PostgreSQL and a Redis of its own, all on loopback; faults
# included. Needs Debian's nginx, redis-server and PostgreSQL. A few minutes.
cluster-test: install messages
	$(VENV)/bin/pytest tests/cluster -m cluster -p no:cacheprovider

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) staticfiles
