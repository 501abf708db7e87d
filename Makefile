# zcpark — the two commands: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= zcpark-demo-2026
# System packages later capabilities need: CJK fonts and HarfBuzz for PDFs, gettext for translations.
SYSTEM_PACKAGES := python3-venv fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 gettext
BROWSER_PACKAGES := chromium
CHROMIUM ?= /usr/bin/chromium
IS_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo yes)

.PHONY: help run test test-fast setup system-deps browser-deps assets messages translations migrate reference demo lint lock clean

help:
	@echo "make run        set everything up and serve http://$(HOST):$(PORT) (SQLite, eager Celery)"
	@echo "make test       the whole suite (PostgreSQL/Redis when DATABASE_URL/CELERY_BROKER_URL are set)"
	@echo "make test-fast  the suite without browser and broker tests"
	@echo "make lint       ruff check + format check"

run: setup migrate reference demo
	@echo "Serving zcpark on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	$(MANAGE) runserver $(HOST):$(PORT)

# Without Chromium (and not root to install it) the browser tests are left out, loudly.
test: setup browser-deps
	@if [ -x "$(CHROMIUM)" ]; then \
		ZCPARK_CHROMIUM=$(CHROMIUM) $(VENV)/bin/pytest $(PYTEST_ARGS); \
	else \
		echo "WARNING: $(CHROMIUM) is missing: running without the browser tests"; \
		$(VENV)/bin/pytest -m "not browser" $(PYTEST_ARGS); \
	fi

test-fast: setup
	$(VENV)/bin/pytest -m "not browser and not integration" $(PYTEST_ARGS)

setup: system-deps $(VENV)/.installed assets messages

# Installs Debian packages when root; otherwise names exactly what is missing and goes on.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$(IS_ROOT)" = yes ] && command -v apt-get >/dev/null; then \
		echo "Installing system packages:$$missing"; \
		( apt-get install -y -q --no-install-recommends $$missing >/dev/null 2>&1 || \
		  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing >/dev/null; } ); \
	else \
		echo "WARNING: missing system packages:$$missing"; \
		echo "         install them with: sudo apt-get install$$missing"; \
		echo "         (gettext is needed for the Chinese interface; the fonts for PDF reports)"; \
	fi

browser-deps:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$(IS_ROOT)" = yes ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's Chromium for the browser tests"; \
		( DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null 2>&1 || \
		  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null; } ); \
	else \
		echo "WARNING: $(CHROMIUM) is missing; install it with: sudo apt-get install chromium"; \
	fi

# (The grep drops pip's notes about find-links folders some machines configure but lack.)
$(VENV)/.installed: requirements-dev.lock pyproject.toml
	@[ -x $(PIP) ] || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); } || \
		{ echo "ERROR: cannot create a virtualenv: install python3-venv (sudo apt-get install python3-venv)"; exit 1; }
	@echo "Installing Python dependencies (requirements-dev.lock)"
	@set -o pipefail; $(PIP) install -q --disable-pip-version-check -r requirements-dev.lock 2>&1 \
		| { grep -v 'is ignored: it is neither a file nor a directory' || true; }
	@touch $@

assets: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Compiled catalogs are build output (not committed): gettext's msgfmt builds them, or polib without it.
messages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null; then $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0; \
	else $(PY) -c "import polib, pathlib; [polib.pofile(str(p)).save_as_mofile(str(p.with_suffix('.mo'))) for p in pathlib.Path('locale').rglob('*.po')]"; fi

migrate: $(VENV)/.installed
	@mkdir -p var/static var/media
	$(MANAGE) migrate --noinput -v 0

reference: migrate
	$(MANAGE) load_reference_data

demo: reference
	$(MANAGE) seed_demo --password "$(DEMO_PASSWORD)"

# Extract messages after changing user-facing text, then translate the new entries in django.po.
translations: $(VENV)/.installed
	$(MANAGE) makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=node_modules --ignore=tests --ignore=bench

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Regenerate the locks from pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml -o requirements.lock --python-version 3.11 --no-header
	uv pip compile pyproject.toml --extra dev -o requirements-dev.lock --python-version 3.11 --no-header

clean:
	rm -rf $(VENV) node_modules var
