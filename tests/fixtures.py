"""The suite's shared fixtures, registered for every test module by tests/conftest.py.

The people and sessions they hand out are built in tests/factories.py:

- `world`, `closed_world`: a World (draft or closed) per test;
- `other`: an OtherSession, outside the world's network;
- `worlds`: the permission matrix's Worlds, built once per module; every test that also asks
  for `db` runs in a savepoint inside it, so what a test changes is rolled back, as in a
  Django TestCase with setUpTestData;
- `client_for(role)`: a client logged in as that role of `worlds`.

Plus the form data the session and panel forms expect, and `login`.
"""

from contextlib import contextmanager

import pytest
from django.db import transaction

from tests.factories import OtherSession, World, Worlds


@contextmanager
def shared_worlds(django_db_blocker):
    """Worlds built once, in a transaction that is rolled back when the block ends."""
    with django_db_blocker.unblock(), transaction.atomic():
        worlds = Worlds()
        worlds.log_everyone_in()
        try:
            yield worlds
        finally:
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    """The shared Worlds, built once per module; use it with `db` so each test is rolled back
    to it."""
    with shared_worlds(django_db_blocker) as built:
        yield built


@pytest.fixture
def client_for(worlds, db):
    """client_for(role): a test client logged in as that role of `worlds` (or anonymous)."""
    return worlds.client_for


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def closed_world(db):
    return World(status="closed")


@pytest.fixture
def other(db):
    return OtherSession()


def session_form_data(w, **changes):
    data = {
        "title": "Spiegelgesprek Wmo",
        "organisations": [w.org_a.pk],
        "theme": "De Wmo-aanvraag",
        "target_group": "",
        "starts_at": "2030-10-01T10:00",
        "duration_minutes": "120",
        "location": "Wijkcentrum",
        "online_url": "",
        "facilitator": str(w.facilitator.pk),
        "co_facilitator": "",
        "language": "nl",
        "listener_questions_allowed": "on",
        "notes": "",
    }
    return {**data, **changes}


def panel_form_data(**changes):
    data = {
        "contact-name": "Nieuwe Cliënt",
        "contact-email": "",
        "contact-phone": "",
        "contact-access_notes": "",
        "contact-compensation": "",
        "member-status": "invited",
        "member-consent_date": "",
        "member-consent_letter_version": "",
    }
    return {**data, **changes}


def login(client, user):
    client.force_login(user)
    return client
