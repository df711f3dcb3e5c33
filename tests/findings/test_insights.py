"""Insights for coordinators: the numbers on a known dataset, and the SVG charts."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from findings.reports import charts
from findings.services.insights import insights_for, year_before
from participants.constants import Role
from sessions.constants import Status
from sessions.models import Session
from tests.factories import (
    ACTION_TITLES,
    FindingFactory,
    ImprovementActionFactory,
    MembershipFactory,
    OrganisationFactory,
    PanelMemberFactory,
    SessionFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def held_session(organisation, title, days_ago, status=Status.CLOSED):
    session = SessionFactory(title=title, organisations=[organisation])
    Session.objects.filter(pk=session.pk).update(
        status=status, starts_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    session.refresh_from_db()
    return session


class Dataset:
    """Gemeente Alfa over the last year, and what must not count.

    - "Oude sessie" (13 months ago, before the period): Bereikbaarheid marked as blind spot.
    - "Voorjaar" (6 months ago): Bejegening 2 positive; Communicatie 1 improvement, blind spot;
      Wachttijden 1 improvement, blind spot.
    - "Najaar" (2 months ago): Bereikbaarheid 2 improvements (returns: blind spot from the old
      session); Bejegening 1 positive, 1 improvement; Wachttijden 1 wish (returns); 2 findings
      without a theme.
    - A planned session next month and a session of Gemeente Beta: they never count.
    Actions from Voorjaar and Najaar: 2 done, 1 dropped, 1 open overdue, 1 in progress; one
    more, overdue, from the old session (outside the period).
    """

    def __init__(self):
        self.org = OrganisationFactory(name="Gemeente Alfa")
        self.other = OrganisationFactory(name="Gemeente Beta")
        self.coordinator = UserFactory(username="coordinator")
        MembershipFactory(user=self.coordinator, organisation=self.org, role=Role.COORDINATOR)
        theme = {
            name: ThemeFactory(organisation=self.org, name=name)
            for name in ("Bereikbaarheid", "Bejegening", "Communicatie", "Wachttijden")
        }
        self.themes = theme
        old = held_session(self.org, "Oude sessie", 395)
        spring = held_session(self.org, "Voorjaar", 180)
        autumn = held_session(self.org, "Najaar", 60, status=Status.DEBRIEF)
        planned = SessionFactory(title="Gepland", organisations=[self.org])
        beta = held_session(self.other, "Beta-gesprek", 30)
        self.sessions = {"old": old, "spring": spring, "autumn": autumn}

        def f(session, kind, th=None, blind=False, text="Een bevinding"):
            return FindingFactory(session=session, text=text, kind=kind, theme=th, blind_spot=blind)

        old_f = f(old, "improvement", theme["Bereikbaarheid"], blind=True)
        spring_f = [
            f(spring, "positive", theme["Bejegening"]),
            f(spring, "positive", theme["Bejegening"]),
            f(spring, "improvement", theme["Communicatie"], blind=True),
            f(spring, "improvement", theme["Wachttijden"], blind=True),
        ]
        autumn_f = [
            f(autumn, "improvement", theme["Bereikbaarheid"]),
            f(autumn, "improvement", theme["Bereikbaarheid"]),
            f(autumn, "positive", theme["Bejegening"]),
            f(autumn, "improvement", theme["Bejegening"]),
            f(autumn, "wish", theme["Wachttijden"]),
            f(autumn, "improvement"),
            f(autumn, "quote"),
        ]
        PanelMemberFactory(session=planned)
        f(beta, "improvement", theme["Bereikbaarheid"])

        owner = self.coordinator
        from findings.models import ImprovementAction

        self.org_actions = ImprovementAction.objects.filter(session__organisations=self.org)
        for session, findings, status, due_in in [
            (spring, spring_f[:1], "done", 30),
            (spring, spring_f[2:3], "done", 30),
            (spring, spring_f[3:], "dropped", 30),
            (autumn, autumn_f[:1], "open", -5),
            (autumn, autumn_f[2:3], "in_progress", 10),
            (old, [old_f], "open", -100),
        ]:
            ImprovementActionFactory(
                session=session,
                by=owner,
                owner=owner,
                findings=findings,
                status=status,
                due_in=due_in,
                title=ACTION_TITLES[0],
            )


@pytest.fixture
def data(db):
    return Dataset()


def period():
    today = timezone.localdate()
    return {"start": year_before(today), "end": today}


def test_the_numbers_of_a_known_year(data):
    result = insights_for(organisation=data.org, **period())
    assert result.session_count == 2
    assert result.finding_count == 11
    assert result.unthemed_count == 2
    rows = [
        (t.name, t.session_count, t.findings, t.positive, t.improvement, t.recurring)
        for t in result.themes
    ]
    assert rows == [
        ("Bejegening", 2, 4, 3, 1, True),
        ("Wachttijden", 2, 2, 0, 1, True),
        ("Bereikbaarheid", 1, 2, 0, 2, False),
        ("Communicatie", 1, 1, 0, 1, False),
    ]
    assert [t.name for t in result.recurring_themes] == ["Bejegening", "Wachttijden"]
    actions = result.actions
    assert (actions["total"], actions["done"], actions["dropped"]) == (5, 2, 1)
    assert (actions["open"], actions["in_progress"]) == (1, 1)
    assert result.completion_base == 5
    assert result.completion_rate == 40  # 2 done of 5; the dropped one is not done (issue 11)
    assert result.dropped == 1
    assert result.overdue == 1  # the old session's overdue action is outside the period


def test_a_blind_spot_that_returns_in_a_later_session_is_signalled(data):
    result = insights_for(organisation=data.org, **period())
    signals = {
        s.theme: (s.marked_in.title, [(ref.title, n) for ref, n in s.returned_in])
        for s in result.returning_blind_spots
    }
    # Bereikbaarheid was marked before the period and returns inside it; Wachttijden was marked
    # in the spring and returns in the autumn; Communicatie never came back.
    assert signals == {
        "Bereikbaarheid": ("Oude sessie", [("Najaar", 2)]),
        "Wachttijden": ("Voorjaar", [("Najaar", 1)]),
    }


def test_dropping_an_action_never_raises_the_completion_rate(data):
    """Issue 11: dropped actions are reported beside the rate, not left out of it."""
    before = insights_for(organisation=data.org, **period())
    open_action = data.org_actions.get(status="in_progress", session=data.sessions["autumn"])
    open_action.status = "dropped"
    open_action.closing_note = "Niet meer nodig."
    open_action.save()
    after = insights_for(organisation=data.org, **period())
    assert after.completion_rate <= before.completion_rate
    assert (after.completion_rate, after.dropped, after.completion_base) == (40, 2, 5)


def theme_action(data, theme):
    from findings.models import ImprovementAction

    return ImprovementAction.objects.get(
        findings__theme=data.themes[theme], session=data.sessions["spring"]
    )


def signals_of(result):
    return {
        s.theme: (s.reason, s.marked_in.title, [(ref.title, n) for ref, n in s.returned_in])
        for s in result.returning_blind_spots
    }


@pytest.mark.parametrize(
    ("status", "due_in", "reason"), [("dropped", 30, "dropped"), ("open", -3, "overdue")]
)
def test_a_theme_whose_action_was_dropped_or_is_overdue_and_returns_is_signalled(
    data, status, due_in, reason
):
    """Issue 11: Bejegening was never a blind spot; its spring action (done) is dropped or
    left overdue instead, and the theme comes back in the autumn: that is a signal too."""
    assert "Bejegening" not in signals_of(insights_for(organisation=data.org, **period()))
    action = theme_action(data, "Bejegening")
    action.status = status
    action.due_date = timezone.localdate() + dt.timedelta(days=due_in)
    action.save()
    signals = signals_of(insights_for(organisation=data.org, **period()))
    assert signals["Bejegening"] == (reason, "Voorjaar", [("Najaar", 2)])
    # The blind spots stay what they were.
    assert signals["Wachttijden"] == ("blind_spot", "Voorjaar", [("Najaar", 1)])


def test_a_dropped_action_on_a_theme_that_never_returns_is_no_signal(data):
    action = theme_action(data, "Communicatie")
    action.status = "dropped"
    action.save()
    assert "Communicatie" not in signals_of(insights_for(organisation=data.org, **period()))


def test_the_page_says_why_a_theme_is_signalled_and_counts_dropped_actions(client, data):
    action = theme_action(data, "Bejegening")
    action.status = "dropped"
    action.save()
    client.force_login(data.coordinator)
    page = client.get("/actions/insights/").text
    assert "had een vervallen verbeteractie uit “Voorjaar”" in page
    assert "werd als blinde vlek aangemerkt in “Voorjaar”" in page  # Wachttijden
    assert "1 van 5; 2 vervallen" in page


def test_a_shorter_period_counts_only_its_sessions(data):
    today = timezone.localdate()
    result = insights_for(organisation=data.org, start=today - dt.timedelta(days=90), end=today)
    assert result.session_count == 1
    assert [t.name for t in result.recurring_themes] == []
    assert result.actions["total"] == 2
    assert result.completion_rate == 0
    # The returns in the autumn still count: their blind spots were marked earlier.
    assert {s.theme for s in result.returning_blind_spots} == {"Bereikbaarheid", "Wachttijden"}


def test_no_actions_means_no_completion_rate(data):
    result = insights_for(
        organisation=data.other, start=dt.date(2000, 1, 1), end=timezone.localdate()
    )
    assert result.actions["total"] == 0
    assert result.completion_rate is None


def test_the_page_shows_charts_and_the_same_numbers_in_tables(client, data):
    client.force_login(data.coordinator)
    page = client.get("/actions/insights/").content.decode()
    assert page.count('role="img"') == 3
    for chart_id in ("chart-themes", "chart-balance", "chart-actions"):
        assert f'aria-labelledby="{chart_id}-title"' in page
        assert f'<title id="{chart_id}-title">' in page
    assert "In hoeveel gesprekken kwam elk thema terug?" in page
    assert '<th scope="row" class="fw-normal">Bejegening</th><td class="text-end">2</td>' in page
    assert "40%" in page
    assert "2 van 5; 1 vervallen (niet afgerond)" in page
    assert "Terugkerende blinde vlekken" in page
    assert "het thema “Wachttijden” werd als blinde vlek aangemerkt in “Voorjaar”" in page
    assert "2 bevindingen hebben nog geen thema en tellen hier niet mee." in page
    assert ' style="' not in page  # the CSP allows no inline styles, in SVG neither


def test_the_page_answers_for_an_empty_period(client, data):
    client.force_login(data.coordinator)
    response = client.get("/actions/insights/", {"start": "2001-01-01", "end": "2001-12-31"})
    page = response.content.decode()
    assert "In deze periode zijn nog geen bevindingen in thema's ingedeeld." in page
    assert "Geen verbeteracties uit gesprekken in deze periode." in page


# — charts —


def parse(svg):
    return ET.fromstring(str(svg))  # well-formed XML, or this raises


def test_a_bar_chart_is_an_accessible_image():
    svg = charts.bar_chart(
        [("Bejegening", 3), ("Bereikbaarheid", 1)], chart_id="c1", title="Thema's", unit="keer"
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title"
    assert root.find(f"{SVG}title").text == "Thema's"
    assert root.find(f"{SVG}title").get("id") == "c1-title"
    assert root.find(f"{SVG}desc").text == "Bejegening: 3 keer; Bereikbaarheid: 1 keer"
    bars = root.findall(f".//{SVG}rect")
    assert len(bars) == 2
    assert float(bars[0].get("width")) == pytest.approx(3 * float(bars[1].get("width")), abs=0.5)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["Bejegening", "3", "Bereikbaarheid", "1"]
    assert "style" not in str(svg)


def test_a_stacked_chart_has_a_legend_and_its_sums():
    series = [charts.Series("Positief", charts.POSITIVE), charts.Series("Verbeterpunt", "#9c4300")]
    svg = charts.stacked_bar_chart(
        [("Bejegening", [3, 1]), ("Wachttijden", [0, 2])],
        chart_id="c2",
        title="Balans",
        series=series,
    )
    root = parse(svg)
    assert root.get("role") == "img"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[:2] == ["Positief", "Verbeterpunt"]  # the legend
    assert "4" in texts and "2" in texts  # the totals
    assert root.find(f"{SVG}desc").text == (
        "Bejegening: Positief 3, Verbeterpunt 1; Wachttijden: Positief 0, Verbeterpunt 2"
    )
    # A zero draws nothing: 2 legend squares + 2 segments + 1 segment.
    assert len(root.findall(f".//{SVG}rect")) == 5


def test_chart_labels_are_escaped_and_long_ones_shortened():
    label = "<script>alert(1)</script> & een heel lang thema dat niet past"
    svg = str(charts.bar_chart([(label, 2)], chart_id="c3", title="<b>titel</b>"))
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)
    shown = next(root.iter(f"{SVG}text")).text
    assert shown.endswith("…") and len(shown) <= charts.LABEL_CHARS
    assert root.find(f"{SVG}desc").text.startswith(label)  # the full label for screen readers


def test_an_empty_chart_says_so():
    root = parse(charts.bar_chart([], chart_id="c4", title="Leeg"))
    assert root.get("role") == "img"
    assert next(root.iter(f"{SVG}text")).text == "Geen gegevens in deze periode."


def test_a_meeting_counts_on_the_day_it_was_held_not_the_day_it_was_planned(db):
    """Issue 12: a meeting planned weeks ago and held yesterday belongs to yesterday."""
    org = OrganisationFactory(name="Gemeente Alfa")
    session = held_session(org, "Later gehouden", 40)
    Session.objects.filter(pk=session.pk).update(live_at=timezone.now() - dt.timedelta(days=1))
    FindingFactory(session=session, kind="positive")
    today = timezone.localdate()

    recent = insights_for(organisation=org, start=today - dt.timedelta(days=7), end=today)
    planned_month = insights_for(
        organisation=org, start=today - dt.timedelta(days=45), end=today - dt.timedelta(days=35)
    )
    assert (recent.session_count, recent.finding_count) == (1, 1)
    assert (planned_month.session_count, planned_month.finding_count) == (0, 0)
