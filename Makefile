# The two commands of the README: `make run` and `make test`. Both work on a fresh machine:
# they create .venv, install, and use the embedded PostgreSQL and Redis unless DATABASE_URL /
# REDIS_URL point at servers of your own.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
EMBEDDED := $(PY) -m ipma_portal.embedded
# The suite runs on two pytest-xdist workers (one test database each) that take work from each other when one runs
# out; `make test PYTEST_ARGS=...` overrides.
PYTEST_ARGS ?= -n 2 --dist worksteal

.PHONY: install run test lint stop status totp messages

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(EMBEDDED) exec -- sh -c '\
	  $(PY) manage.py migrate --noinput && \
	  $(PY) manage.py createcachetable && \
	  $(PY) manage.py seed_demo && \
	  echo "Serving the portal at http://127.0.0.1:8000 (Ctrl-C stops the web server, worker, beat and the embedded services)" && \
	  exec $(VENV)/bin/honcho --no-prefix -f Procfile.dev start'

test: install
	$(EMBEDDED) exec -- $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# Stop the embedded PostgreSQL and Redis that plain manage.py commands leave running for reuse.
stop:
	$(EMBEDDED) stop

status:
	$(EMBEDDED) status

totp: install
	$(PY) manage.py demo_totp

messages: install
	$(PY) manage.py makemessages --all --ignore '.venv/*' --ignore 'staticfiles/*' && $(PY) manage.py compilemessages --ignore '.venv/*'
