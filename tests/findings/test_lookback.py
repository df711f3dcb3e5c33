"""The terugblik (issue 13, part 1): a session being prepared looks back on the earlier sessions
of the same organisation or its network, puts an opening item in the guide whose sentences the
live page and the presenter screen show, and the debrief marks returning themes."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from findings.constants import ActionStatus
from findings.models import ImprovementAction
from findings.services import lookback
from participants.constants import Role
from sessions.constants import LiveStep, Status
from sessions.models import Session
from sessions.services import live
from tests.factories import (
    FindingFactory,
    ImprovementActionFactory,
    ListenerFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    QuestionFactory,
    SessionFactory,
    ThemeFactory,
    UserFactory,
)
from tests.fixtures import login

pytestmark = pytest.mark.django_db


def held(session, *, days_ago, status=Status.CLOSED):
    """As if the session was held `days_ago` days ago and got to `status`."""
    when = timezone.now() - dt.timedelta(days=days_ago)
    Session.objects.filter(pk=session.pk).update(
        status=status, starts_at=when, live_at=when, ended_at=when + dt.timedelta(hours=2)
    )
    session.refresh_from_db()
    return session


class History:
    """Organisation A (in a network) with two earlier sessions, a network session, a
    neighbour's session that is not A's business, and a new session being prepared."""

    def __init__(self):
        self.network = NetworkFactory()
        self.org_a = OrganisationFactory(network=self.network)
        self.org_b = OrganisationFactory(network=self.network)
        self.facilitator = UserFactory(username="lb-facilitator")
        self.listener = UserFactory(username="lb-listener", first_name="Lotte", last_name="Geheim")
        MembershipFactory(user=self.listener, organisation=self.org_a, role=Role.PROFESSIONAL)
        self.waiting = ThemeFactory(organisation=self.org_a, name="Wachttijd")
        self.letters = ThemeFactory(organisation=self.org_a, name="Brieven")
        self.kindness = ThemeFactory(organisation=self.org_a, name="Bejegening")

        first = SessionFactory(
            title="Eerste gesprek", facilitator=self.facilitator, organisations=[self.org_a]
        )
        f1 = FindingFactory(session=first, theme=self.waiting, text="Zeven weken gewacht.")
        f2 = FindingFactory(session=first, theme=self.letters, text="De brief snapte ik niet.")
        f3 = FindingFactory(session=first, theme=self.kindness, text="Vriendelijk ontvangen.")
        self.done = ImprovementActionFactory(
            session=first,
            owner=self.listener,
            findings=[f1],
            title="Intake binnen drie weken",
            client_sentence="U krijgt binnen drie weken een eerste gesprek.",
            status="done",
        )
        self.dropped = ImprovementActionFactory(
            session=first,
            owner=self.listener,
            findings=[f2],
            title="Brieven op B1",
            client_sentence="Onze brieven worden makkelijker.",
            status="dropped",
        )
        self.silent = ImprovementActionFactory(
            session=first,
            owner=self.listener,
            findings=[f1],
            title="Interne wachtlijstanalyse",
            client_sentence="",
        )
        ImprovementActionFactory(
            session=first,
            owner=self.listener,
            findings=[f3],
            title="Compliment doorgeven",
            status="done",
        )
        self.first = held(first, days_ago=90)

        second = SessionFactory(
            title="Tweede gesprek", facilitator=self.facilitator, organisations=[self.org_a]
        )
        g1 = FindingFactory(session=second, theme=self.waiting, text="Weer lang gewacht.")
        self.second_finding_letters = FindingFactory(
            session=second, theme=self.letters, text="Weer een onduidelijke brief."
        )
        self.second_finding_kindness = FindingFactory(
            session=second, theme=self.kindness, text="Aardige consulent."
        )
        self.in_progress = ImprovementActionFactory(
            session=second,
            owner=self.listener,
            findings=[g1],
            title="Wachtlijst zichtbaar",
            client_sentence="U ziet voortaan hoe lang het wachten is.",
            status="in_progress",
        )
        ListenerFactory(session=second, user=self.listener, name="Lotte Geheim")
        self.second = held(second, days_ago=20, status=Status.DEBRIEF)

        network_session = SessionFactory(
            title="Werkplaats van het netwerk",
            facilitator=self.facilitator,
            organisations=[self.network],
        )
        ImprovementActionFactory(
            session=network_session,
            owner=self.listener,
            title="Samen een folder",
            client_sentence="Er komt één folder voor de hele regio.",
        )
        self.network_session = held(network_session, days_ago=40)

        neighbour = SessionFactory(
            title="Gesprek van de buren", facilitator=self.facilitator, organisations=[self.org_b]
        )
        ImprovementActionFactory(
            session=neighbour,
            owner=self.listener,
            title="Actie van de buren",
            client_sentence="Dit is van de buren.",
        )
        self.neighbour = held(neighbour, days_ago=30)

        self.new = SessionFactory(
            title="Derde gesprek", facilitator=self.facilitator, organisations=[self.org_a]
        )
        self.question = QuestionFactory(session=self.new, position=1, text="Hoe ging het?")
        ListenerFactory(session=self.new, user=self.listener, name="Lotte Geheim")


@pytest.fixture
def h(db):
    return History()


def test_the_terugblik_holds_the_organisations_and_its_networks_earlier_sessions_newest_first(h):
    result = lookback.lookback_for(h.new)

    assert [past.session for past in result.sessions] == [h.second, h.network_session, h.first]
    titles = {a.title for a in result.actions}
    assert "Actie van de buren" not in titles  # a partner's own session is not A's business
    assert {"Intake binnen drie weken", "Wachtlijst zichtbaar", "Samen een folder"} <= titles


def test_returning_themes_count_sessions_and_what_became_of_their_actions(h):
    themes = {t.name: t for t in lookback.lookback_for(h.new).themes}

    waiting = themes["Wachttijd"]
    assert (waiting.sessions, waiting.of) == (2, 3)
    assert waiting.returns
    # Two actions came from it in the first session (one done, one open), one in the second.
    assert (waiting.open, waiting.done, waiting.dropped) == (2, 1, 0)
    assert (themes["Brieven"].sessions, themes["Brieven"].dropped) == (2, 1)
    assert [t.name for t in lookback.lookback_for(h.new).returning][0] == "Wachttijd"


def test_the_terugblik_looks_at_the_configured_number_of_sessions(h, settings):
    settings.LOOKBACK_SESSIONS = 1

    result = lookback.lookback_for(h.new)

    assert [past.session for past in result.sessions] == [h.second]
    assert not result.returning


def test_a_first_session_has_nothing_to_look_back_on(h):
    first_ever = SessionFactory(organisations=[OrganisationFactory()])

    assert lookback.lookback_for(first_ever).is_empty


def test_the_recap_holds_client_sentences_in_plain_words_and_never_a_title(h):
    recap = lookback.recap_of(lookback.lookback_for(h.new), language="nl")

    sentences = {item["sentence"]: item["state"] for item in recap}
    assert sentences["U krijgt binnen drie weken een eerste gesprek."] == "Gedaan"
    assert sentences["Onze brieven worden makkelijker."] == "Gaat niet door"
    assert sentences["U ziet voortaan hoe lang het wachten is."] == "Hier werken we nu aan"
    words = repr(recap)
    assert "Interne wachtlijstanalyse" not in words and "Intake binnen drie weken" not in words


def test_the_terugblik_costs_five_queries_whatever_the_history(h):
    """The session's organisations (which its page's look reuses), then four."""
    fresh = Session.objects.get(pk=h.new.pk)  # as a request loads it
    with CaptureQueriesContext(connection) as few:
        lookback.lookback_for(fresh)
    for _ in range(3):
        extra = SessionFactory(facilitator=h.facilitator, organisations=[h.org_a])
        finding = FindingFactory(session=extra, theme=h.waiting)
        ImprovementActionFactory(session=extra, owner=h.listener, findings=[finding])
        held(extra, days_ago=50)
    fresh = Session.objects.get(pk=h.new.pk)
    with CaptureQueriesContext(connection) as more:
        lookback.lookback_for(fresh)

    assert len(few) == len(more) == 5


def test_the_opening_item_goes_first_and_is_refreshed_not_doubled(h):
    item, created = lookback.put_recap(session=h.new)

    assert created
    guide = list(h.new.questions.order_by("position", "pk"))
    assert guide == [item, h.question]
    assert item.text == "Wat deden we met wat u vorige keer zei?"
    assert len(item.recap) == 4

    h.in_progress.status = "done"
    h.in_progress.closing_note = "Klaar."
    h.in_progress.save()
    again, created = lookback.put_recap(session=h.new)

    assert not created and again.pk == item.pk
    assert h.new.questions.count() == 2
    states = {i["sentence"]: i["state"] for i in again.recap}
    assert states["U ziet voortaan hoe lang het wachten is."] == "Gedaan"


def test_the_page_shows_titles_statuses_and_themes_but_no_findings_or_names(client, h):
    login(client, h.listener)

    page = client.get(reverse("lookback", args=[h.new.pk])).content.decode()

    assert "Intake binnen drie weken" in page and "Wachttijd" in page
    assert "Komt terug" in page
    assert "Zeven weken gewacht." not in page  # a finding
    assert "Geheim" not in page.split("</nav>", 2)[-1]  # the owner's name, below the menu
    assert "Actie van de buren" not in page
    assert "Zet vooraan in de vragenlijst" not in page  # the listener does not edit the guide


def test_the_preparation_page_loads_the_summary_from_findings(client, h):
    login(client, h.facilitator)

    detail = client.get(reverse("session_detail", args=[h.new.pk])).content.decode()
    summary = client.get(reverse("lookback", args=[h.new.pk]), {"deel": "samenvatting"})

    assert f'hx-get="{reverse("lookback", args=[h.new.pk])}?deel=samenvatting"' in detail
    body = summary.content.decode()
    assert "<html" not in body and "Wachttijd: in 2 van de laatste 3 gesprekken" in body


def test_the_facilitator_puts_the_item_in_the_guide_from_the_terugblik(client, h):
    login(client, h.facilitator)

    response = client.post(reverse("lookback_recap", args=[h.new.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("lookback", args=[h.new.pk])
    assert h.new.questions.filter(recap__isnull=False).count() == 1
    guide = client.get(reverse("guide", args=[h.new.pk])).content.decode()
    assert "Terugblik: 4 zinnen voor cliënten op het scherm." in guide


def go_live_at_recap(session):
    item, _created = lookback.put_recap(session=session)
    Session.objects.filter(pk=session.pk).update(
        status=Status.LIVE,
        live_at=timezone.now(),
        live_step=LiveStep.QUESTIONS,
        current_question=item,
        question_started_at=timezone.now(),
    )
    session.refresh_from_db()
    return item


def test_the_screen_and_the_live_page_show_the_client_sentences_only(client, h):
    go_live_at_recap(h.new)
    state = live.room_state(h.new)
    assert state.scene == "question" and state.question.is_recap

    login(client, h.facilitator)
    screen = client.get(reverse("screen", args=[h.new.pk])).content.decode()
    live_page = client.get(reverse("live", args=[h.new.pk])).content.decode()

    for page in (screen, live_page):
        assert "U krijgt binnen drie weken een eerste gesprek." in page
        assert "Gaat niet door" in page
        assert "Intake binnen drie weken" not in page  # a title
        assert "Zeven weken gewacht." not in page  # a finding
    assert "Geheim" not in screen


def test_the_debrief_marks_findings_whose_theme_has_open_or_dropped_actions_before(client, h):
    login(client, h.listener)

    page = client.get(reverse("debrief", args=[h.second.pk])).content.decode()

    def item(finding):
        start = page.index(f'id="finding-{finding.pk}"')
        return page[start : page.index("</li>", start)]

    # Brieven: dropped in the first session; Wachttijd: an open action there.
    assert "Komt terug" in item(h.second_finding_letters)
    assert "Komt terug" in item(h.second.findings.get(theme=h.waiting))
    # Bejegening: its only earlier action is done.
    assert "Komt terug" not in item(h.second_finding_kindness)


def test_returning_theme_ids_ignore_later_sessions_and_done_actions(h):
    assert lookback.returning_theme_ids(h.first) == set()
    assert lookback.returning_theme_ids(h.second) == {h.waiting.pk, h.letters.pk}


def test_returning_theme_ids_are_kept_only_until_an_earlier_action_changes(h):
    assert lookback.returning_theme_ids(h.second) == {h.waiting.pk, h.letters.pk}
    # Every unfinished action on Wachttijd done, in one bulk update (no signal is sent): the
    # database stamps the organisations, so the cached answer is not served again.
    ImprovementAction.objects.filter(findings__theme=h.waiting).exclude(session=h.second).update(
        status=ActionStatus.DONE, closing_note="Afgerond."
    )
    assert lookback.returning_theme_ids(h.second) == {h.letters.pk}
