"""The database stamps every organisation whose figures a write changes (findings.changes),
however the write is made, and the insights are served from the cache only until then.

Run on SQLite and on PostgreSQL (SPIEGEL_TEST_DB=postgres): the triggers are each database's
own SQL, made from the one description in findings.changes.marks."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from findings import changes
from findings.models import Finding, ImprovementAction, Theme
from findings.services.insights import insights_for
from sessions.models import Session
from tests.factories import (
    FindingFactory,
    ImprovementActionFactory,
    NetworkFactory,
    OrganisationFactory,
    SessionFactory,
    ThemeFactory,
)
from tests.findings.test_insights import held_session

pytestmark = pytest.mark.django_db


class Organisations:
    """Alfa and Beta of one network share a joint session; Gamma has a session of its own;
    Delta is in nobody's session and only takes an action home."""

    def __init__(self):
        network = NetworkFactory()
        self.alfa = OrganisationFactory(name="Alfa", network=network)
        self.beta = OrganisationFactory(name="Beta", network=network)
        self.gamma = OrganisationFactory(name="Gamma")
        self.delta = OrganisationFactory(name="Delta")
        self.network = network
        self.joint = SessionFactory(organisations=[self.alfa, self.beta])
        self.own = SessionFactory(organisations=[self.gamma])
        self.all = [self.alfa, self.beta, self.gamma, self.delta, network]

    def stamps(self):
        return {o.name: changes.changed([o.pk])[0] for o in self.all}

    def stamped_by(self, write):
        """The names of the organisations whose stamp `write()` moved (always forward)."""
        before = self.stamps()
        write()
        after = self.stamps()
        assert all(after[name] >= before[name] for name in before), (before, after)
        return {name for name in before if after[name] != before[name]}


@pytest.fixture
def orgs():
    return Organisations()


def test_every_write_stamps_the_organisations_of_its_rows_and_no_other(orgs):
    joint = orgs.joint
    finding = None

    def add_finding():
        nonlocal finding
        finding = FindingFactory(session=joint)

    assert orgs.stamped_by(add_finding) == {"Alfa", "Beta"}
    # Bulk updates and deletes send no signal; the database sees them all the same.
    assert orgs.stamped_by(
        lambda: Finding.objects.filter(pk=finding.pk).update(blind_spot=True)
    ) == {"Alfa", "Beta"}
    assert orgs.stamped_by(lambda: Session.objects.filter(pk=orgs.own.pk).update(title="X")) == {
        "Gamma"
    }
    assert orgs.stamped_by(lambda: orgs.own.organisations.add(orgs.delta)) == {"Delta"}
    assert orgs.stamped_by(lambda: orgs.own.organisations.remove(orgs.delta)) == {"Delta"}

    # An action: the organisation that takes it home, and those at its session.
    action = None

    def add_action():
        nonlocal action
        action = ImprovementActionFactory(session=joint, organisation=orgs.alfa, findings=[finding])

    assert orgs.stamped_by(add_action) == {"Alfa", "Beta"}
    assert orgs.stamped_by(
        lambda: ImprovementAction.objects.filter(pk=action.pk).update(organisation=orgs.delta)
    ) == {"Alfa", "Beta", "Delta"}  # the row before and after
    assert orgs.stamped_by(lambda: action.findings.remove(finding)) == {"Alfa", "Beta"}

    # A theme of the network is every partner's; a theme of Gamma is Gamma's.
    shared = ThemeFactory(organisation=orgs.network, name="Bereikbaarheid")
    assert orgs.stamped_by(lambda: Theme.objects.filter(pk=shared.pk).update(name="Telefoon")) == {
        "Alfa",
        "Beta",
        orgs.network.name,
    }
    assert orgs.stamped_by(lambda: ThemeFactory(organisation=orgs.gamma)) == {"Gamma"}

    # SQL typed by hand, and deleting a whole session with everything in it.
    with connection.cursor() as cursor:
        table = Finding._meta.db_table
        assert orgs.stamped_by(
            lambda: cursor.execute(f"UPDATE {table} SET text = %s WHERE id = %s", ["-", finding.pk])
        ) == {"Alfa", "Beta"}
    # The deleted session's action goes with it, and Delta had taken that one home.
    deleted = orgs.stamped_by(lambda: Session.objects.get(pk=joint.pk).delete())
    assert deleted == {"Alfa", "Beta", "Delta"}


def test_a_bulk_insert_stamps_each_organisation_once_and_later_stamps_are_larger(orgs):
    before = changes.changed([orgs.gamma.pk])[0]
    Finding.objects.bulk_create(
        FindingFactory.build(session=orgs.own, text=f"Notitie {i}") for i in range(50)
    )
    first = changes.changed([orgs.gamma.pk])[0]
    Finding.objects.filter(session=orgs.own).update(kind="positive")
    assert before < first < changes.changed([orgs.gamma.pk])[0]


@pytest.mark.parametrize("cache", ["locmem", "database"])
def test_the_insights_are_counted_once_and_again_after_any_change(settings, cache):
    if cache == "database":  # as in production: a table of its own, made by createcachetable
        settings.CACHES = {
            **settings.CACHES,
            "insights": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "spiegel_insights_cache",
            },
        }
        call_command("createcachetable", "--database", "default", verbosity=0)
    alfa = OrganisationFactory()
    theme = ThemeFactory(organisation=alfa, name="Wachttijden")
    session = held_session(alfa, "Voorjaar", 30)
    FindingFactory(session=session, theme=theme)
    today = timezone.localdate()
    period = {"organisation": alfa, "start": today - dt.timedelta(days=365), "end": today}

    with CaptureQueriesContext(connection) as counted:
        first = insights_for(**period)
    with CaptureQueriesContext(connection) as served:
        again = insights_for(**period)

    assert [(t.name, t.findings) for t in first.themes] == [("Wachttijden", 1)]
    assert again.themes == first.themes and again.organisation == alfa
    # The stamp, and for the database cache its lookup: none of the counting queries.
    assert len(served) == (1 if cache == "locmem" else 2) < len(counted)

    # A bulk update sends no signal: the database stamps the organisation all the same.
    Finding.objects.filter(session=session).update(
        theme=ThemeFactory(organisation=alfa, name="Bejegening")
    )
    assert [t.name for t in insights_for(**period).themes] == ["Bejegening"]
    # Another organisation's change leaves Alfa's answer where it was.
    beta = OrganisationFactory()
    FindingFactory(session=held_session(beta, "Najaar", 10))
    with CaptureQueriesContext(connection) as served:
        insights_for(**period)
    assert len(served) == (1 if cache == "locmem" else 2)
