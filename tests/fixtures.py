"""The suite's shared people and worlds (registered for every test by tests/conftest.py).

`ROLES` are the seven kinds of visitor every access test needs around a session of
organisation A (DESIGN.md §6, STYLE.md rule 9):

- facilitator, co_facilitator: lead the session;
- listener: a professional of A who listens in;
- coordinator: coordinates A;
- member: a professional of A who neither listens in nor coordinates (an "other user");
- outsider: coordinates organisation B of the same network;
- anonymous: not logged in.

`Worlds` holds those people and one session per status the policy tells apart (draft,
planned, live, debrief, closed), each with one of every object a URL can name. Building it
costs a second, so `worlds` builds it once per module and every test runs in a savepoint
inside it (see `shared_worlds`): what a test changes is rolled back, as in a Django TestCase
with setUpTestData.
"""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone

from participants.constants import OrganisationKind, Role
from sessions.constants import Status
from sessions.models import Session
from tests.factories import (
    EvaluationFactory,
    FindingFactory,
    ImprovementActionFactory,
    LessonFactory,
    ListenerFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    OtherSession,
    PanelMemberFactory,
    QuestionFactory,
    ReportJobFactory,
    RuleFactory,
    SessionFactory,
    ThemeFactory,
    UserFactory,
    World,
)

ROLES = (
    "facilitator",
    "co_facilitator",
    "listener",
    "coordinator",
    "member",
    "outsider",
    "anonymous",
)
STATUSES = (Status.DRAFT, Status.PLANNED, Status.LIVE, Status.DEBRIEF, Status.CLOSED)


class SessionWorld:
    """One session of organisation A in `status`, with one of everything a URL can name."""

    def __init__(self, people, status):
        self.status = status
        self.session = SessionFactory(
            facilitator=people.facilitator,
            co_facilitator=people.co_facilitator,
            organisations=[people.org_a],
        )
        self.question = QuestionFactory(session=self.session)
        self.question2 = QuestionFactory(session=self.session)
        self.rule = RuleFactory(session=self.session)
        self.member = PanelMemberFactory(session=self.session)
        self.listener_entry = ListenerFactory(
            session=self.session, user=people.listener, name="Lies Luisteraar"
        )
        self.evaluation = EvaluationFactory(session=self.session, panel_member=self.member)
        self.finding = FindingFactory(session=self.session, question=self.question)
        # Everyone who works on a debrief has a lesson of their own to delete.
        self.lessons = {
            role: LessonFactory(session=self.session, created_by=people.user(role))
            for role in ("facilitator", "co_facilitator", "listener", "coordinator")
        }
        self.action = None
        now = timezone.now()
        if status in (Status.DEBRIEF, Status.CLOSED):
            self.action = ImprovementActionFactory(
                session=self.session,
                by=people.coordinator,
                owner=people.listener,
                findings=[self.finding],
            )
        changes = {"status": status}
        if status in (Status.LIVE, Status.DEBRIEF, Status.CLOSED):
            changes.update(starts_at=now - dt.timedelta(hours=3), live_at=now)
        if status in (Status.DEBRIEF, Status.CLOSED):
            changes["ended_at"] = now
        Session.objects.filter(pk=self.session.pk).update(**changes)
        self.session.refresh_from_db()

    def lesson_for(self, role):
        return self.lessons.get(role, self.lessons["listener"])


class Worlds:
    """The people of ROLES and one SessionWorld per status."""

    def __init__(self):
        network = NetworkFactory()
        self.org_a = OrganisationFactory(name="Gemeente Alfa", network=network)
        self.org_b = OrganisationFactory(name="Gemeente Beta", network=network)
        self.client_org = OrganisationFactory(
            name="Cliëntbelang", kind=OrganisationKind.CLIENT_INTEREST, network=network
        )
        self.facilitator = UserFactory(username="facilitator")
        self.co_facilitator = UserFactory(username="co_facilitator")
        self.listener = UserFactory(username="listener")
        self.coordinator = UserFactory(username="coordinator")
        self.member = UserFactory(username="professional")
        self.outsider = UserFactory(username="outsider")
        MembershipFactory(
            user=self.facilitator, organisation=self.client_org, role=Role.FACILITATOR
        )
        MembershipFactory(user=self.listener, organisation=self.org_a, role=Role.PROFESSIONAL)
        MembershipFactory(user=self.coordinator, organisation=self.org_a, role=Role.COORDINATOR)
        MembershipFactory(user=self.member, organisation=self.org_a, role=Role.PROFESSIONAL)
        MembershipFactory(user=self.outsider, organisation=self.org_b, role=Role.COORDINATOR)
        self.theme = ThemeFactory(organisation=self.org_a, name="Bereikbaarheid")
        self.by_status = {status: SessionWorld(self, status) for status in STATUSES}
        # A background report is its requester's own: the coordinator asked for this one.
        self.report_job = ReportJobFactory(requested_by=self.coordinator)
        self._cookies = {}

    def user(self, role):
        return None if role == "anonymous" else getattr(self, role)

    def __getitem__(self, status):
        return self.by_status[status]

    def log_everyone_in(self):
        """One login per role for the whole module; a test's client reuses its cookie."""
        for role in ROLES[:-1]:
            client = Client()
            client.force_login(self.user(role))
            self._cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value

    def client_for(self, role) -> Client:
        client = Client()
        if role in self._cookies:
            client.cookies[settings.SESSION_COOKIE_NAME] = self._cookies[role]
        elif role != "anonymous":
            client.force_login(self.user(role))
        return client


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
