"""The test infrastructure does what the suite relies on."""

import os

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core import mail
from django.db import connection
from django.tasks import task_backends
from django.tasks.backends.immediate import ImmediateBackend


@pytest.mark.django_db
def test_database_is_the_one_asked_for():
    expected = "postgresql" if os.environ.get("SPIEGEL_TEST_DB") == "postgres" else "sqlite"

    assert connection.vendor == expected
    with connection.cursor() as cursor:
        if expected == "postgresql":
            cursor.execute("SELECT version(), current_database()")
            version, database = cursor.fetchone()
            assert version.startswith("PostgreSQL ")
            assert database.startswith("test_")
        else:
            cursor.execute("SELECT sqlite_version()")
            assert cursor.fetchone()[0]


def test_tasks_run_immediately():
    assert isinstance(task_backends["default"], ImmediateBackend)


def test_mail_stays_in_the_outbox(mailoutbox):
    mail.send_mail("Onderwerp", "Tekst", settings.DEFAULT_FROM_EMAIL, ["iemand@example.org"])

    assert [m.subject for m in mailoutbox] == ["Onderwerp"]
    assert mail.outbox is mailoutbox


def test_static_files_need_no_collectstatic():
    assert staticfiles_storage.url("vendor/bootstrap/bootstrap.min.css").endswith(
        "vendor/bootstrap/bootstrap.min.css"
    )
