"""Test infrastructure: which database the run uses, and test-only settings.

`SPIEGEL_TEST_DB=postgres` runs the suite on PostgreSQL: on the server DATABASE_URL names if it
names one, else on a throwaway cluster (tests/pgcluster.py) that lives as long as the run.
Otherwise the settings' own database is used (SQLite when DATABASE_URL is unset).

pytest-django imports the settings (and sets Django up) before any conftest is imported, so
setting DATABASE_URL here comes too late for settings.py; settings.DATABASES is replaced
instead, before any database connection is opened. DATABASE_URL is still exported for
subprocesses.
"""

import os

import pytest

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

_state = {"cluster": None, "overrides": None}


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


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    where = f" on {db['HOST']}:{db['PORT']}" if db.get("HOST") else ""
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}{where}"


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
