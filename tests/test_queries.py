"""Every main page answers in a constant number of SQL queries (DESIGN.md §9).

Each page is measured with 3 and with 30 of what it lists; the two counts must be equal and
match the count noted beside the queries we expect (exact, so a page that gets cheaper lowers
its number too). A count that grows with the data is an N+1 in the view or template; the
assertion message lists the queries of the larger page.
"""

import datetime as dt
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participants.constants import RecruitmentStatus, Role
from participants.models import PanelMemberContact
from tests.factories import (
    LibraryQuestionFactory,
    ListenerFactory,
    MembershipFactory,
    PanelMemberFactory,
    QuestionFactory,
    RuleFactory,
    SessionFactory,
    UserFactory,
)
from tests.fixtures import login

ROLES = ["facilitator", "listener", "coordinator"]

# Every request starts with two queries: the django_session row and the logged-in user.
# Session pages then load the session once, with the viewer's roles annotated (get_session_for),
# and its organisations with their logos for the page's look (Session.look).
LIST_PAGES = {
    # Both: + the ids of the sessions the user is involved in, when few (`involved_session_ids`)
    # + the visible sessions (limit 20, roles annotated) + their organisations (prefetch)
    # + the user's open improvement actions (limit 11, with their sessions and the count of
    #   their late ones) + the sessions running now or starting today ("Vandaag", their own
    #   query: with a long history they are not among the table's twenty) + whether the
    #   user may create sessions
    "/": dict.fromkeys(ROLES, 8),
    # + the page of sessions (keyset, LIMIT 26, no COUNT) + their organisations (prefetch)
    # + whether the user may create sessions (was 6 with the paginator's COUNT)
    "/sessions/": dict.fromkeys(ROLES, 6),
}
DETAIL_PAGES = {
    # + the checklist: panel, listener and question aggregates, rule count (the facts box's
    #   totals too), two independence EXISTS (facilitator listens? facilitator a member?)
    #   + organisations (also the look's)
    "/sessions/{s}/": dict.fromkeys(ROLES, 10),
    # + panel members (with their contact and recruiting organisation in one JOIN)
    # + for facilitator and coordinator: the INSERT into the access log and the session's
    #   organisations (who recruited whom); + for the coordinator: the organisations they
    #   coordinate among the session's (whose residents' details they see)
    "/sessions/{s}/panel/": {"facilitator": 7, "listener": 5, "coordinator": 8},
    # + listeners; + for the facilitator: the colleagues offered in the add form
    "/sessions/{s}/listeners/": {"facilitator": 6, "listener": 5, "coordinator": 5},
    # + planned minutes (SUM) + questions; + for the facilitator: the session's organisations
    #   and the library questions they may choose from
    "/sessions/{s}/guide/": {"facilitator": 8, "listener": 6, "coordinator": 6},
    # + rules
    "/sessions/{s}/rules/": dict.fromkeys(ROLES, 5),
}


def add_sessions(w, n):
    """Sessions every role of the world sees: led by the facilitator, about A and B, with the
    listener in them."""
    for _ in range(n):
        session = SessionFactory(facilitator=w.facilitator, organisations=[w.org_a, w.org_b])
        ListenerFactory(session=session, user=UserFactory())
        ListenerFactory(session=session, user=w.listener)


def add_session_content(w, n):
    """n more of everything the session pages list, in every shape a page may meet."""
    for i in range(n):
        member = PanelMemberFactory(
            session=w.session,
            status=[RecruitmentStatus.CONFIRMED, RecruitmentStatus.INVITED][i % 2],
            consent_participation=bool(i % 3),
        )
        if i % 4 == 0:  # purged contact details
            PanelMemberContact.objects.filter(panel_member=member).delete()
        colleague = MembershipFactory(organisation=w.org_a, role=Role.PROFESSIONAL).user
        ListenerFactory(session=w.session, user=colleague if i % 2 else None, briefed=bool(i % 2))
        QuestionFactory(session=w.session)
        RuleFactory(session=w.session)
        LibraryQuestionFactory(organisation=[None, w.org_a, w.org_b][i % 3])


def queries_for(client, url):
    """The queries of `url` as on a worker's first view of it: nothing kept by the worker
    (settings.CACHES["worker"]) from an earlier request."""
    from django.core.cache import caches

    caches["worker"].clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in context.captured_queries]


def measure(client, url, grow, w):
    """Query counts of `url` with 3 and with 30 of what grows."""
    grow(w, 2)  # the world holds one of each already
    small = queries_for(client, url)
    grow(w, 27)
    large = queries_for(client, url)
    return small, large


def params(pages):
    return [
        pytest.param(url, role, counts[role], id=f"{url} {role}")
        for url, counts in pages.items()
        for role in ROLES
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "role", "expected"), params(LIST_PAGES))
def test_list_pages_answer_in_the_same_number_of_queries_for_3_and_30_sessions(
    client, world, django_assert_num_queries, url, role, expected
):
    login(client, world.user(role))

    small, large = measure(client, url, add_sessions, world)

    assert len(large) == len(small), "\n".join(large)
    with django_assert_num_queries(expected):
        client.get(url)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "role", "expected"), params(DETAIL_PAGES))
def test_session_pages_answer_in_the_same_number_of_queries_for_3_and_30_items(
    client, world, django_assert_num_queries, url, role, expected
):
    login(client, world.user(role))
    url = url.format(s=world.session.pk)

    small, large = measure(client, url, add_session_content, world)

    assert len(large) == len(small), "\n".join(large)
    with django_assert_num_queries(expected):
        client.get(url)


# — the same pages with 3 and with 300 sessions of history (issue 9) —


def add_history(w, n, start):
    """n more held sessions of organisation A in the past, each with the listener in it, a
    themed finding (every third a blind spot) and an action owned by the listener."""
    from django.utils import timezone

    from findings.models import Finding, ImprovementAction, Theme
    from participants.models import Listener
    from sessions.constants import Status
    from sessions.models import Session

    theme, _created = Theme.objects.get_or_create(organisation=w.org_a, name="Bereikbaarheid")
    now = timezone.now()
    for i in range(start, start + n):
        session = Session.objects.create(
            title=f"Spiegelgesprek geschiedenis {i}",
            theme="De Wmo-aanvraag",
            facilitator=w.facilitator,
            starts_at=now - dt.timedelta(days=i + 1),
            status=Status.CLOSED,
        )
        session.organisations.set([w.org_a])
        Listener.objects.create(session=session, user=w.listener, name="Toehoorder", function="x")
        finding = Finding.objects.create(
            session=session,
            text=f"Bevinding {i}",
            client_id=uuid.uuid4(),
            theme=theme,
            blind_spot=i % 3 == 0,
            created_by=w.facilitator,
        )
        action = ImprovementAction.objects.create(
            session=session,
            organisation=w.org_a,
            title=f"Actie {i}",
            owner=w.listener,
            due_date=now.date() + dt.timedelta(days=i - 150),
            created_by=w.coordinator,
        )
        action.findings.add(finding)
        if i % 2:
            action.co_owners.add(w.coordinator)


SCALE_PAGES = [
    "/",
    "/sessions/",
    "/sessions/?status=closed&q=geschiedenis",
    "/sessions/{s}/",
    "/sessions/{s}/debrief/",
    "/actions/",
    "/actions/?sort=owner&status=unfinished&owner_search=toe",
    "/actions/?session={s}&sort=session",
    "/actions/insights/",
    "/actions/suggest/sessions/?session_search=geschiedenis",
    "/actions/suggest/owners/?owner_search=a",
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["listener", "coordinator"])
def test_the_main_pages_cost_the_same_for_3_and_300_sessions(client, role, settings, world):
    """Issue 9: query counts do not grow with the history. Also run on PostgreSQL
    (SPIEGEL_TEST_DB=postgres), where the plans behind them are what docs/performance.md
    shows."""
    from sessions.models import Session

    settings.SECURE_SSL_REDIRECT = False
    w = world  # the module's World (two Worlds cannot share a database), in its debrief
    Session.objects.filter(pk=w.session.pk).update(status="debrief")
    w.session.refresh_from_db()
    login(client, w.user(role))
    urls = [url.format(s=w.session.pk) for url in SCALE_PAGES]

    add_history(w, 3, start=0)
    small = {url: queries_for(client, url) for url in urls}
    add_history(w, 297, start=3)
    large = {url: queries_for(client, url) for url in urls}

    for url in urls:
        assert len(large[url]) == len(small[url]), f"{url}\n" + "\n".join(large[url])
    # Later pages of the keyset lists cost the same too.
    for url in ["/sessions/", "/actions/"]:
        page = client.get(url).text
        after = re.search(r'after=(\d+)"', page)
        assert after, url
        assert len(queries_for(client, f"{url}?after={after[1]}")) == len(large[url]) + 1
