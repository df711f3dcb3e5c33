"""The suite's shared fixtures, registered for every test module by tests/conftest.py.

The people and sessions they hand out are built in tests/factories.py:

- `world`, `closed_world`: a World (draft, or closed), built once per module (see `built_once`);
- `debrief_world`, `action_world`: a DebriefWorld, an ActionWorld, each built once per module;
- `other`: an OtherSession, outside the world's network;
- `worlds`: the permission matrix's Worlds, built once per module; every test that also asks
  for `db` runs in a savepoint inside it, so what a test changes is rolled back, as in a
  Django TestCase with setUpTestData;
- `client_for(role)`: a client logged in as that role of `worlds`.

A world shared by a module must be the only World in it while it lives: the people of two
Worlds have the same usernames. A module that needs more in its world overrides
`shared_action_world` or `shared_debrief_world` (module scope, asking for the fixture of the
same name and `django_db_blocker`) and adds it once, inside the rolled-back transaction.

Plus the form data the session and panel forms expect, and `login`.
"""

import copy
from contextlib import contextmanager

import pytest
from django.db import transaction

from sessions.models import Session
from tests.factories import ActionWorld, DebriefWorld, OtherSession, World, Worlds


def seed_defaults():
    """Transactional tests (the browser tests) end with a flush, which also wipes what the data
    migrations seeded: the default rules and the default question library. Seed them again, as
    a fresh database would have them."""
    from importlib import import_module

    from django.apps import apps

    from sessions.models import Rule

    if not Rule.objects.defaults().exists():
        import_module("sessions.migrations.0002_default_rules_and_questions").seed(apps, None)


@contextmanager
def built_once(build, django_db_blocker):
    """build() in a transaction that is rolled back when the block ends (for a module-scoped
    fixture). Each test that also asks for `db` runs in a savepoint inside it, so what a test
    writes is rolled back; hand each test `copy.deepcopy` of the result, so what it changes in
    memory is gone too (as Django's TestCase does with setUpTestData)."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_defaults()
        built = build()
        try:
            yield built
        finally:
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    """The shared Worlds, built once per module; use it with `db` so each test is rolled back
    to it."""

    def build():
        worlds = Worlds()
        worlds.log_everyone_in()
        return worlds

    with built_once(build, django_db_blocker) as built:
        yield built


@pytest.fixture
def client_for(worlds, db):
    """client_for(role): a test client logged in as that role of `worlds` (or anonymous)."""
    return worlds.client_for


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    with built_once(World, django_db_blocker) as built:
        yield built


@pytest.fixture
def world(shared_world, db):
    """A draft World of this test's own, built once per module."""
    return copy.deepcopy(shared_world)


@pytest.fixture
def closed_world(shared_world, db):
    """The module's World with its session closed (World(status="closed") would have done the
    same; two Worlds cannot share a database, their people have the same usernames)."""
    w = copy.deepcopy(shared_world)
    Session.objects.filter(pk=w.session.pk).update(status="closed")
    w.session.refresh_from_db()
    return w


@pytest.fixture(scope="module")
def shared_debrief_world(django_db_setup, django_db_blocker):
    with built_once(DebriefWorld, django_db_blocker) as built:
        yield built


@pytest.fixture
def debrief_world(shared_debrief_world, db):
    """A DebriefWorld of this test's own, built once per module."""
    return copy.deepcopy(shared_debrief_world)


@pytest.fixture(scope="module")
def shared_action_world(django_db_setup, django_db_blocker):
    with built_once(ActionWorld, django_db_blocker) as built:
        yield built


@pytest.fixture
def action_world(shared_action_world, db):
    """An ActionWorld of this test's own, built once per module."""
    return copy.deepcopy(shared_action_world)


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
        "meeting_form": "in_person",
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
