"""Test infrastructure: which database the run uses, and test-only settings.

`SPIEGEL_TEST_DB=postgres` runs the suite on PostgreSQL: on the server DATABASE_URL names if it
names one, else on a throwaway cluster (tests/pgcluster.py) that lives as long as the run.
Otherwise the settings' own database is used (SQLite when DATABASE_URL is unset).

pytest-django imports the settings (and sets Django up) before any conftest is imported, so
setting DATABASE_URL here comes too late for settings.py; settings.DATABASES is replaced
instead, before any database connection is opened. DATABASE_URL is still exported for
subprocesses.

`SPIEGEL_TEST_CLOCK_AHEAD_DAYS=365` runs every test with the clock that many days ahead
(time-machine, ticking), from before the test database is made until the run ends, so a test
that only passes on the day it was written shows itself (`make test CLOCK_AHEAD_DAYS=365`).
Tests that freeze the clock themselves keep their own moment. Browser tests are shifted too:
Chromium's own clock does not move, but the live meeting and the screen already correct for a
browser clock that differs from the server's (data-server-now), as on a laptop set wrong.

The translations (`*.mo`, not in git) are compiled at the start of the run when they are
missing or older than their `.po` file, so a plain `pytest` on a fresh clone passes.
"""

import datetime as dt
import os
import shutil
import subprocess
import threading
import warnings

import pytest
import time_machine

# The suite's shared fixtures live in tests/fixtures.py; importing them here registers them for
# every test module (a module's own fixture of the same name takes precedence).
from tests.fixtures import (  # noqa: F401
    action_world,
    client_for,
    closed_world,
    debrief_world,
    other,
    seed_defaults,
    shared_action_world,
    shared_debrief_world,
    shared_world,
    world,
    worlds,
)

# For subprocesses that load the settings afresh (settings.py reads it at import).
os.environ.setdefault("SPIEGEL_PLAIN_STATIC", "1")

PLAIN_STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
IMMEDIATE_TASKS = "django.tasks.backends.immediate.ImmediateBackend"

CLOCK_AHEAD_VARIABLE = "SPIEGEL_TEST_CLOCK_AHEAD_DAYS"

_state = {"cluster": None, "overrides": None, "clock": None}


def clock_ahead_days():
    """The days SPIEGEL_TEST_CLOCK_AHEAD_DAYS moves the clock (0 when unset or empty)."""
    raw = os.environ.get(CLOCK_AHEAD_VARIABLE, "").strip()
    try:
        days = int(raw or 0)
    except ValueError:
        days = -1
    if days < 0:
        raise pytest.UsageError(f"{CLOCK_AHEAD_VARIABLE} must be a whole number of days >= 0")
    return days


def _compile_translations():
    """msgfmt each .po under LOCALE_PATHS whose .mo is missing or older, as compilemessages
    would, without walking the tree (that would also reach the virtualenv)."""
    from pathlib import Path

    from django.conf import settings

    stale = [
        po
        for locale_dir in settings.LOCALE_PATHS
        for po in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po"))
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if not stale:
        return
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        warnings.warn(
            "msgfmt (Debian package gettext) is missing: the translations are not compiled "
            "and tests of the English pages will fail",
            pytest.PytestConfigWarning,
            stacklevel=1,
        )
        return
    for po in stale:
        result = subprocess.run(
            [msgfmt, "--check-format", "-o", po.with_suffix(".mo"), po],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise pytest.UsageError(f"msgfmt failed for {po}:\n{result.stderr}")
    # A catalogue loaded before this point would be cached without the new .mo; Django's own
    # handler for a changed LOCALE_PATHS drops those caches.
    from django.test.signals import language_changed

    language_changed(setting="LOCALE_PATHS")


def _use_database(url):
    import dj_database_url
    from django.conf import settings
    from django.db import connections

    # Model classes create the (unconnected) default wrapper while the apps load, to ask for
    # the backend's longest table name; drop it so the first use builds the PostgreSQL one.
    for alias in settings.DATABASES:
        wrapper = getattr(connections._connections, alias, None)
        if wrapper is not None:
            if wrapper.connection is not None:
                raise RuntimeError(f"database {alias!r} was connected before the test database")
            del connections[alias]
    parsed = dj_database_url.parse(url)
    default = dict(settings.DATABASES["default"])  # keeps CONN_MAX_AGE, TEST, …
    for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT"):
        default[key] = parsed.get(key, "")
    default["OPTIONS"] = parsed.get("OPTIONS", {})
    settings.DATABASES = {**settings.DATABASES, "default": default}
    connections.__dict__.pop("settings", None)  # drop the cached copy; re-read on first use
    connections._settings = None


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    if config.option.help or config.option.version:
        return
    # WhiteNoise looks for STATIC_ROOT, which only collectstatic makes; tests need none. And
    # pytest-playwright's own `base_url` fixture trips a pytest deprecation we cannot fix.
    for spec in (
        "ignore:No directory at:UserWarning",
        "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestWarning",
    ):
        config.addinivalue_line("filterwarnings", spec)
    days = clock_ahead_days()
    if days:
        # Before the test database exists, so what the migrations seed is dated in the
        # shifted world too. A timedelta destination leaves the process time zone alone.
        _state["clock"] = time_machine.travel(dt.timedelta(days=days), tick=True)
        _state["clock"].start()
    _compile_translations()
    from django.conf import settings
    from django.test.utils import override_settings

    if os.environ.get("SPIEGEL_TEST_DB") == "postgres":
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
            from tests.pgcluster import ClusterError, PostgresCluster

            try:
                _state["cluster"] = PostgresCluster()
                url = _state["cluster"].start()
            except ClusterError as error:
                pytest.exit(f"PostgreSQL test cluster failed to start:\n{error}", returncode=3)
            os.environ["DATABASE_URL"] = url
        _use_database(url)

    # Session-wide, so session fixtures (live_server) see them too. Mail needs nothing here:
    # Django's setup_test_environment already points every MAILERS alias at locmem.
    overrides = override_settings(
        STORAGES={**settings.STORAGES, "staticfiles": PLAIN_STATIC},
        TASKS={
            alias: {"BACKEND": IMMEDIATE_TASKS, "QUEUES": options.get("QUEUES", [])}
            for alias, options in settings.TASKS.items()
        },
        # PBKDF2's 1.5 million rounds cost a third of a second per password in every factory.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # The test client and the live server speak plain http.
        SECURE_SSL_REDIRECT=False,
        ACCOUNT_DEFAULT_HTTP_PROTOCOL="http",
        # The tests of other features log in as facilitators and coordinators without a
        # second factor; the sign-in tests (tests/participants/test_signin*.py) switch the
        # requirement on again with `settings.SPIEGEL_REQUIRE_MFA = True`.
        SPIEGEL_REQUIRE_MFA=False,
        # The sign-in rate limits and the insights in memory, each cache apart, emptied before
        # every test (_fresh_cache): one test's failed logins must not lock out the next one.
        CACHES={
            alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
            for alias in settings.CACHES
        },
    )
    overrides.enable()
    _state["overrides"] = overrides


def pytest_unconfigure(config):
    overrides, _state["overrides"] = _state["overrides"], None
    if overrides is not None:
        overrides.disable()
    cluster, _state["cluster"] = _state["cluster"], None
    if cluster is not None:
        cluster.stop()
    clock, _state["clock"] = _state["clock"], None
    if clock is not None:
        clock.stop()


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    where = f" on {db['HOST']}:{db['PORT']}" if db.get("HOST") else ""
    lines = [f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}{where}"]
    if _state["clock"] is not None:
        from django.utils import timezone

        lines.append(f"clock: {clock_ahead_days()} days ahead, today is {timezone.localdate()}")
    return lines


def pytest_terminal_summary(terminalreporter):
    # Also under -q, where the header is not shown: a shifted run says so at its end.
    if _state["clock"] is not None:
        from django.utils import timezone

        terminalreporter.write_line(
            f"The clock ran {clock_ahead_days()} days ahead (today was {timezone.localdate()})."
        )


@pytest.fixture(autouse=True)
def _seeded_defaults(request):
    """Every database test finds the seeded defaults, even after a browser test's flush."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if not uses_db:
        return
    request.getfixturevalue("transactional_db" if _is_transactional(request) else "db")
    seed_defaults()


def _is_transactional(request):
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with empty caches: no sign-in failures, no used TOTP codes, no
    insights counted by another test."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _idle_clock_still(request, monkeypatch):
    """The idle sign-out writes the session at most once a minute of real time. A test whose
    requests lie more than a minute apart on a busy machine would count that write as a query
    of the page, so the clock's write waits for no test but those marked `idle_clock`."""
    if request.node.get_closest_marker("idle_clock") is None:
        from spiegel.middleware import IdleTimeoutMiddleware

        monkeypatch.setattr(IdleTimeoutMiddleware, "WRITE_EVERY", 10**9)


@pytest.fixture(autouse=True)
def _dutch_to_begin_with():
    """Every test starts in Dutch, as a fresh process would. The locale middleware activates
    the language a request asks for and leaves it active in this thread, so an English request
    in one test would otherwise make the next test's mails and messages English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


_SHARED_CONNECTION = threading.Lock()


@pytest.fixture(scope="session", autouse=True)
def _one_live_request_at_a_time_on_in_memory_sqlite():
    """The live server's threads share the test's one in-memory SQLite connection (pytest-django
    passes it to them, or they would see an empty database). Two browser contexts saving at the
    same moment then ran statements on that one connection at once, and a commit failed with
    "cannot commit transaction - SQL statements in progress" (the three kitchen-table hosts,
    once under load). On that database the live server answers one request at a time; on
    PostgreSQL each thread has its own connection and nothing changes."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connections

    answer = StaticFilesHandler.__call__

    def one_at_a_time(handler, environ, start_response):
        shared = connections["default"]
        if shared.vendor != "sqlite" or not shared.is_in_memory_db():  # PostgreSQL has no such test
            return answer(handler, environ, start_response)
        with _SHARED_CONNECTION:
            return answer(handler, environ, start_response)

    StaticFilesHandler.__call__ = one_at_a_time
    yield
    StaticFilesHandler.__call__ = answer
