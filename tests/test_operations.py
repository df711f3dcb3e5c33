"""Operating Spiegel: the idle sign-out, SQLite beside a worker, the units in deploy/."""

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import get_commands, load_command_class
from django.test import override_settings

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
# These tests are about the idle clock itself: it writes as it does in production.
pytestmark = [pytest.mark.django_db, pytest.mark.idle_clock]


def test_a_sign_in_ends_after_the_idle_timeout(client):
    user = UserFactory()
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(user)
        assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT - 60))
        assert client.get("/").status_code == 200  # active: the clock starts again
        clock.shift(dt.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT - 60))
        assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 1))
        response = client.get("/", follow=True)
    assert response.request["PATH_INFO"] == "/accounts/login/"  # LOGIN_URL is a URL name now
    assert "omdat u een tijd niets hebt gedaan" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_sign_in_ends_after_the_session_age_however_active(client):
    user = UserFactory()
    with time_machine.travel(dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC), tick=False) as clock:
        client.force_login(user)
        step = dt.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT // 2)
        for _ in range(settings.SESSION_COOKIE_AGE // step.seconds):
            clock.shift(step)
            assert client.get("/").status_code == 200
        clock.shift(step)
        response = client.get("/", follow=True)
    assert "omdat u al lang bent ingelogd" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_idle_time_is_written_at_most_once_a_minute(client, django_assert_num_queries):
    user = UserFactory()
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client.force_login(user)
        client.get("/")
        clock.shift(dt.timedelta(seconds=20))
        with django_assert_num_queries(2):  # session and user; no session write
            client.get("/no-such-page/")


def test_sqlite_waits_for_the_worker_instead_of_failing():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the SQLite settings")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_every_command_in_deploy_exists_with_its_options():
    """As production runs them (the tests' own task backend is the immediate one)."""
    commands = get_commands()
    used = set()
    for path in (ROOT / "deploy").rglob("*"):
        if path.is_file():
            used |= set(re.findall(r"manage\.py (\w+)((?: --[\w-]+)*)", path.read_text()))
    assert {name for name, _ in used} >= {
        "send_reminders",
        "send_action_reminders",
        "purge_contacts",
    }
    for name, options in used:
        assert name in commands, name
        parser = load_command_class(commands[name], name).create_parser("manage.py", name)
        parser.parse_args(options.split())  # exits on an unknown option


@pytest.mark.skipif(shutil.which("make") is None, reason="no make on this machine")
def test_make_run_starts_the_task_worker_beside_the_server_and_stops_it_after():
    """`make run` says invitations are sent: a worker must run for that (issue 12, b8a). Read
    from the recipe make would run (`make -n`, nothing is executed)."""
    root = Path(settings.BASE_DIR)
    recipe = subprocess.run(
        ["make", "-n", "run"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    worker = recipe.index("manage.py db_worker &")
    assert "trap 'kill $worker" in recipe[worker:]  # stopped with the server, never left behind
    assert recipe.index("manage.py runserver") > worker


def test_gunicorn_loads_the_privacy_guards_detector_in_the_master_before_forking(monkeypatch):
    """gunicorn.conf.py, as gunicorn reads it from the project root (the web unit's working
    directory): the app preloaded, and Deduce loaded by the master's first hook, so the
    workers share its ~1 GB (`BENCH_ONLY=workers make bench` measures it)."""
    import runpy

    from gunicorn.config import Config

    config = Config()
    assert config.settings["config"].default == "./gunicorn.conf.py"
    assert (
        "WorkingDirectory=/srv/spiegel\n"
        in (ROOT / "deploy" / "systemd" / "spiegel-web.service").read_text()
    )
    for name, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items():
        if name in config.settings:
            config.set(name, value)  # gunicorn's own validation of each setting
    assert config.preload_app
    loaded = []
    monkeypatch.setattr("findings.privacy.deduce_instance", lambda: loaded.append(True))
    config.on_starting(None)
    assert loaded == [True]
