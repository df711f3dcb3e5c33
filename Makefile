# Spiegel — developer and CI entry points.
#
#   make run     local demo on http://127.0.0.1:8000 (SQLite, DEBUG=1, demo data)
#   make test    system packages, lint, migration check, tests on SQLite and on PostgreSQL
#                (make test CLOCK_AHEAD_DAYS=365: every test with the clock a year ahead)
#   make bench   speed and memory figures beside a floor measured in the same run
#   make loadtest  the main pages under wrk on PostgreSQL and gunicorn, beside a floor
#   make vendor  re-fetch the vendored front-end assets from the npm registry
#   make clean   remove the virtualenv, caches and build output

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.NOTPARALLEL:

VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Playwright drives Debian's chromium; it must never fetch a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Django 6 needs Python >= 3.12. The machines' default python3 is older, and pyenv shims for
# versions that are not selected exist but fail, so every candidate is really run. Evaluated
# only when the virtualenv has to be (re)built.
PYENV_ROOT_DIR = $(or $(shell pyenv root 2>/dev/null),$(HOME)/.pyenv)
find_python = $(firstword $(foreach p,\
	python3.13 python3.12 \
	$(shell ls -d $(PYENV_ROOT_DIR)/versions/3.13*/bin/python3.13 2>/dev/null | sort -rV) \
	$(shell ls -d $(PYENV_ROOT_DIR)/versions/3.12*/bin/python3.12 2>/dev/null | sort -rV),\
	$(shell $(p) -c 'import sys; assert sys.version_info >= (3, 12); print(sys.executable)' \
		2>/dev/null)))
PYTHON ?= $(find_python)

# System tools the tests need (Debian package names and a command each provides).
SYSTEM_PACKAGES := chromium poppler-utils gettext postgresql
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

BOOTSTRAP_VERSION := 5.3.9
AXE_VERSION := 4.14.1
# Fonts with the glyphs clients' words need (docs/languages.md): Arabic and monochrome emoji.
NOTO_EMOJI_VERSION := 5.3.2
NOTO_NASKH_ARABIC_VERSION := 5.3.0
NL_TOKENS_VERSION := 7.4.1

PYTEST_ARGS ?=
# The suite runs in one pytest worker per core (pytest-xdist; at most 4), each test module in
# one worker so its module-scoped data is built once. TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); echo $$(( n > 4 ? 4 : n )))
# Days to move the tests' clock ahead (tests/conftest.py), to catch tests that pass only today.
CLOCK_AHEAD_DAYS ?=

.PHONY: help venv run test crawl bench loadtest loadtest-deps system-deps oidc-deps messages lint migrations-check test-db vendor clean

help:
	@sed -n 's/^#   //p' $(MAKEFILE_LIST)

# ---------------------------------------------------------------------------------------------
# Virtualenv: rebuilt when pyproject.toml changes, or when it holds a Python that is too old.

venv: $(STAMP)

$(STAMP): pyproject.toml
	@if [ -x $(VPY) ] && ! $(VPY) -c 'import sys; assert sys.version_info >= (3, 12)' \
		2>/dev/null; then echo "Removing $(VENV): its Python is older than 3.12"; rm -rf $(VENV); fi
	@if [ ! -x $(VPY) ]; then \
		py="$(PYTHON)"; \
		if [ -z "$$py" ]; then \
			echo "error: no Python >= 3.12 found (tried python3.13, python3.12 on PATH and" \
				"$(PYENV_ROOT_DIR)/versions/3.1[23]*). Install one, or pass PYTHON=/path/to/python3.13." >&2; \
			exit 1; \
		fi; \
		echo "Creating $(VENV) with $$py"; \
		"$$py" -m venv $(VENV); \
	fi
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -e ".[dev]"
	@# deduce builds its lookup tables on first use (minutes): here, not in a request or test.
	$(VPY) -m findings.privacy --warm
	@touch $@

# ---------------------------------------------------------------------------------------------
# Local demo. The demo's facilitators and coordinators log in without a second factor unless
# REQUIRE_MFA=1 (`make run REQUIRE_MFA=1` shows the setup of TOTP after login); production
# always requires it (SPIEGEL_REQUIRE_MFA defaults to on).
REQUIRE_MFA ?= 0

run: $(STAMP) messages
	DEBUG=1 $(VPY) manage.py migrate --no-input
	DEBUG=1 $(VPY) manage.py demo
	@echo
	@echo "Open http://127.0.0.1:8000/ and log in as facilitator, listener, coordinator or"
	@echo "outsider (another organisation), password: demo"
	@echo "A task worker runs beside the server: invitations and reminders are printed here."
	@echo
	@DEBUG=1 $(VPY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 SPIEGEL_REQUIRE_MFA=$(REQUIRE_MFA) $(VPY) manage.py runserver 127.0.0.1:8000

# ---------------------------------------------------------------------------------------------
# Tests.

# Compile translations when there are any .po files (the walk must skip the virtualenv, or
# compilemessages would rebuild Django's own catalogues in site-packages).
messages: $(STAMP)
	@if [ -n "$$(find . -path ./$(VENV) -prune -o -path ./node_modules -prune \
			-o -name '*.po' -print -quit)" ]; then \
		if command -v msgfmt >/dev/null; then \
			$(VPY) manage.py compilemessages --ignore='$(VENV)' --ignore=node_modules; \
		else \
			echo "warning: msgfmt (Debian package gettext) is missing; translations not compiled" >&2; \
		fi; \
	fi

system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		|| missing="$$missing postgresql"; \
	ldconfig -p | grep -q 'libpangoft2-1.0.so' || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# The OpenID Connect provider the single sign-on tests start (node-oidc-provider, pinned in
# tests/oidc/package-lock.json), installed again whenever the lockfile changes.
OIDC_STAMP := tests/oidc/node_modules/.installed

oidc-deps: $(OIDC_STAMP)

$(OIDC_STAMP): tests/oidc/package.json tests/oidc/package-lock.json
	@command -v npm >/dev/null || { \
		echo "Installing Debian packages: nodejs npm"; \
		$(SUDO) apt-get update -qq; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error
	@touch $@

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: $(STAMP)
	$(VPY) manage.py makemigrations --check --dry-run

# Both databases always run, so one report shows both; the target fails if either run fails
# (a run that collects no test exits 5 and fails too).
test-db: $(STAMP)
	@rc=0; \
	for db in sqlite postgres; do \
		echo; echo "=== pytest on $$db ==="; \
		start=$$(date +%s%N); run_rc=0; \
		env -u DATABASE_URL SPIEGEL_TEST_DB=$$db SPIEGEL_PLAIN_STATIC=1 \
			SPIEGEL_TEST_CLOCK_AHEAD_DAYS=$(CLOCK_AHEAD_DAYS) \
			$(VPY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS) || run_rc=$$?; \
		ms=$$(( ($$(date +%s%N) - start) / 1000000 )); \
		printf -v secs '%d.%03d' $$((ms / 1000)) $$((ms % 1000)); \
		eval "time_$$db=$$secs rc_$$db=$$run_rc"; \
		echo "pytest on $$db: exit $$run_rc, wall time $$secs s"; \
		[ $$run_rc -eq 0 ] || rc=1; \
	done; \
	echo; \
	echo "Wall time: SQLite $${time_sqlite} s (exit $${rc_sqlite}), PostgreSQL $${time_postgres} s (exit $${rc_postgres})"; \
	exit $$rc

test: system-deps oidc-deps $(STAMP) messages lint migrations-check test-db

# Speed and memory figures beside a floor measured in the same run (see bench/README.md).
# Every page of every role in a real browser, Dutch and English at 1280 and 375 px: axe, form
# borders, focus rings and titles (tests/browser/test_crawl.py). The SQLite run of `make test`
# crawls all but English at 1280 px.
crawl: system-deps $(STAMP) messages
	env -u DATABASE_URL SPIEGEL_TEST_DB=sqlite SPIEGEL_PLAIN_STATIC=1 SPIEGEL_CRAWL=1 \
		$(VPY) -m pytest tests/browser/test_crawl.py $(PYTEST_ARGS)

bench: system-deps $(STAMP) messages
	env -u DATABASE_URL SPIEGEL_PLAIN_STATIC=1 $(VPY) -m bench

# The main pages under load (see loadtest/README.md): a throwaway PostgreSQL cluster, gunicorn
# on 127.0.0.1, wrk. LOADTEST_SESSIONS (10000; 200 for a quick run), LOADTEST_SECONDS (10),
# LOADTEST_WORKERS (1) change the run.
loadtest-deps:
	@missing=""; \
	command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		|| missing="$$missing postgresql"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

loadtest: loadtest-deps $(STAMP) messages
	env -u DATABASE_URL $(VPY) -m loadtest

# ---------------------------------------------------------------------------------------------
# Vendored assets. Source-map comments are dropped: the .map files are not shipped, and the
# manifest storage of collectstatic fails on references to files that do not exist.

vendor:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	( cd "$$tmp" && npm pack --silent bootstrap@$(BOOTSTRAP_VERSION) axe-core@$(AXE_VERSION) \
		@fontsource/noto-emoji@$(NOTO_EMOJI_VERSION) \
		@fontsource/noto-naskh-arabic@$(NOTO_NASKH_ARABIC_VERSION) \
		@nl-design-system-unstable/voorbeeld-design-tokens@$(NL_TOKENS_VERSION) >/dev/null ); \
	mkdir -p "$$tmp/bs" "$$tmp/axe" "$$tmp/nl" static/vendor/bootstrap static/vendor/nl-design-tokens tests/browser/vendor; \
	tar xzf "$$tmp/bootstrap-$(BOOTSTRAP_VERSION).tgz" -C "$$tmp/bs"; \
	tar xzf "$$tmp/axe-core-$(AXE_VERSION).tgz" -C "$$tmp/axe"; \
	tar xzf "$$tmp/nl-design-system-unstable-voorbeeld-design-tokens-$(NL_TOKENS_VERSION).tgz" -C "$$tmp/nl"; \
	cp "$$tmp/nl/package/dist/theme.css" "$$tmp/nl/package/LICENSE.md" static/vendor/nl-design-tokens/; \
	for f in css/bootstrap.min.css css/bootstrap.rtl.min.css js/bootstrap.bundle.min.js; do \
		grep -v 'sourceMappingURL=' "$$tmp/bs/package/dist/$$f" > static/vendor/bootstrap/$${f#*/}; \
	done; \
	cp "$$tmp/bs/package/LICENSE" static/vendor/bootstrap/LICENSE; \
	cp "$$tmp/axe/package/axe.min.js" tests/browser/vendor/axe.min.js; \
	cp "$$tmp/axe/package/LICENSE" tests/browser/vendor/axe-core.LICENSE; \
	cp "$$tmp/axe/package/LICENSE-3RD-PARTY.txt" tests/browser/vendor/axe-core.LICENSE-3RD-PARTY.txt; \
	mkdir -p "$$tmp/emoji" "$$tmp/naskh" static/vendor/fonts; \
	tar xzf "$$tmp/fontsource-noto-emoji-$(NOTO_EMOJI_VERSION).tgz" -C "$$tmp/emoji"; \
	tar xzf "$$tmp/fontsource-noto-naskh-arabic-$(NOTO_NASKH_ARABIC_VERSION).tgz" -C "$$tmp/naskh"; \
	cp "$$tmp/emoji/package/files/noto-emoji-emoji-400-normal.woff2" static/vendor/fonts/noto-emoji-400-normal.woff2; \
	for w in 400 700; do cp "$$tmp/naskh/package/files/noto-naskh-arabic-arabic-$$w-normal.woff2" \
		static/vendor/fonts/noto-naskh-arabic-$$w-normal.woff2; done; \
	cp "$$tmp/emoji/package/LICENSE" static/vendor/fonts/OFL-noto-emoji.txt; \
	cp "$$tmp/naskh/package/LICENSE" static/vendor/fonts/OFL-noto-naskh-arabic.txt; \
	cp static/vendor/fonts/OFL-noto-*.txt static/print/fonts/; \
	for f in noto-emoji-400-normal noto-naskh-arabic-400-normal noto-naskh-arabic-700-normal; do \
		$(VPY) -c 'import sys; from fontTools.ttLib import TTFont; f = TTFont(sys.argv[1]); f.flavor = None; f.save(sys.argv[2])' \
			static/vendor/fonts/$$f.woff2 static/print/fonts/$$f.ttf; \
	done; \
	echo "Vendored bootstrap $(BOOTSTRAP_VERSION), NL Design System voorbeeld tokens $(NL_TOKENS_VERSION), axe-core $(AXE_VERSION), Noto Emoji and Noto Naskh Arabic"

clean:
	rm -rf $(VENV) staticfiles build *.egg-info tests/browser/screenshots
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
