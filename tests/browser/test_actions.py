"""Improvement actions in a real browser: an owner finds an overdue action, records progress
and closes it; a coordinator reads the insights. axe-core checks WCAG 2.1 AA on every page."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from findings.models import ImprovementAction, Theme
from sessions.constants import Status
from sessions.models import Session
from tests.factories import (
    ACTION_FINDINGS,
    ACTION_TITLES,
    PASSWORD,
    ActionWorld,
    FindingFactory,
    ImprovementActionFactory,
    PanelMemberFactory,
    SessionFactory,
)

pytestmark = pytest.mark.browser

THEMES = ["Bereikbaarheid", "Bejegening", "Communicatie over het besluit", "Wachttijden"]


def held(w, title, days_ago):
    session = SessionFactory(title=title, facilitator=w.facilitator, organisations=[w.org_a])
    Session.objects.filter(pk=session.pk).update(
        status=Status.CLOSED, starts_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    session.refresh_from_db()
    return session


def action_world():
    """The world's action plus a realistic year of Gemeente Alfa: four themes over three
    sessions, a blind spot that returns, actions in every state, two of them overdue."""
    w = ActionWorld()
    w.action.title = "Terugbelbelofte binnen twee werkdagen nakomen"
    w.action.save(update_fields=["title"])
    themes = {
        name: Theme.objects.get_or_create(organisation=w.org_a, name=name)[0] for name in THEMES
    }
    spring = held(w, "Spiegelgesprek Wmo voorjaar", 200)
    summer = held(w, "Spiegelgesprek Wmo zomer", 90)
    members = {s.pk: [PanelMemberFactory(session=s) for _ in range(3)] for s in (spring, summer)}
    plan = [
        (spring, "Bereikbaarheid", "improvement", True),
        (spring, "Bejegening", "positive", False),
        (spring, "Bejegening", "positive", False),
        (spring, "Communicatie over het besluit", "improvement", False),
        (summer, "Bereikbaarheid", "improvement", False),
        (summer, "Bereikbaarheid", "wish", False),
        (summer, "Bejegening", "positive", False),
        (summer, "Bejegening", "improvement", False),
        (summer, "Wachttijden", "improvement", True),
    ]
    by_session = {}
    for i, (session, theme, kind, blind) in enumerate(plan):
        finding = FindingFactory(
            session=session,
            text=ACTION_FINDINGS[i % len(ACTION_FINDINGS)][1],
            kind=kind,
            theme=themes[theme],
            blind_spot=blind,
            speaker=members[session.pk][i % 3],
        )
        by_session.setdefault(session.pk, []).append(finding)
    for session, title, status, due_in, owner in [
        (spring, ACTION_TITLES[1], "done", 30, w.owner),
        (spring, ACTION_TITLES[2], "dropped", 30, w.listener),
        (summer, ACTION_TITLES[3], "open", -12, w.owner),
        (summer, ACTION_TITLES[4], "in_progress", 5, w.owner),
        (summer, ACTION_TITLES[5], "open", 40, w.listener),
    ]:
        ImprovementActionFactory(
            session=session,
            by=w.coordinator,
            owner=owner,
            findings=by_session[session.pk][:2],
            title=title,
            status=status,
            due_in=due_in,
            priority="high" if due_in < 0 else "normal",
        )
    ImprovementAction.objects.filter(pk=w.action.pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=3)
    )
    return w


def no_violations(axe, page):
    violations = axe(page)
    assert violations == [], violations


def test_owner_closes_an_overdue_action_and_coordinator_reads_insights(
    logged_in_page, live_server, screenshot_dir, axe
):
    w = action_world()
    page = logged_in_page("owner", PASSWORD)

    # The dashboard points at the owner's open actions, overdue ones marked in words.
    expect(page.get_by_role("heading", name="Mijn open verbeteracties")).to_be_visible()
    expect(page.locator("text=2 acties zijn te laat.")).to_be_visible()
    page.screenshot(path=screenshot_dir / "actions-dashboard.png", full_page=True)

    page.get_by_role("link", name="Verbeteracties", exact=True).click()
    expect(page.get_by_role("heading", name="Verbeteracties", level=1)).to_be_visible()
    expect(page.locator("#action-count")).to_contain_text("4 verbeteracties")
    no_violations(axe, page)
    page.screenshot(path=screenshot_dir / "actions-list.png", full_page=True)

    page.get_by_label("Alleen acties die te laat zijn").check()
    # The owner is a search field now (sessions and owners can be thousands): typing shows
    # at most twenty suggestions, and choosing one filters.
    page.get_by_label("Eigenaar of mede-eigenaar").fill("Olga")
    page.get_by_role("button", name="Ikzelf").click()
    expect(page.locator("#action-count")).to_contain_text("2 verbeteracties die aan de filters")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    for index in range(2):
        expect(rows.nth(index)).to_contain_text("Te laat")
    page.screenshot(path=screenshot_dir / "actions-list-overdue.png", full_page=True)

    page.get_by_role("link", name="Terugbelbelofte binnen twee werkdagen nakomen").click()
    expect(
        page.get_by_role("heading", name="Terugbelbelofte binnen twee werkdagen nakomen")
    ).to_be_visible()
    expect(page.locator("text=(3 dagen te laat)")).to_be_visible()
    no_violations(axe, page)

    # The edit form, looked at and checked, then back without saving.
    page.get_by_role("link", name="Wijzigen").click()
    expect(page.get_by_role("heading", name="Verbeteractie wijzigen")).to_be_visible()
    no_violations(axe, page)
    page.screenshot(path=screenshot_dir / "actions-edit.png", full_page=True)
    page.get_by_role("link", name="Terug naar de actie").click()

    # Progress first, then done with a closing note.
    page.get_by_label("Wat is er gebeurd?").fill(
        "Alle openstaande terugbelverzoeken van maart zijn nagebeld."
    )
    page.get_by_label("Status").select_option(label="Bezig")
    page.get_by_role("button", name="Voortgang vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text("De voortgang is vastgelegd.")
    expect(page.locator(".progress-log")).to_contain_text("Status: Open → Bezig")

    page.get_by_label("Status").select_option(label="Gedaan")
    page.get_by_role("button", name="Voortgang vastleggen").click()
    expect(page.locator("#progress-form")).to_contain_text(
        "Schrijf bij afronden of laten vallen een afsluitende toelichting."
    )
    page.get_by_label("Afsluitende toelichting").fill(
        "Terugbellen binnen twee werkdagen staat nu in de werkafspraken van het wijkteam."
    )
    page.get_by_role("button", name="Voortgang vastleggen").click()
    expect(page.locator(".progress-log")).to_contain_text("Status: Bezig → Gedaan")
    expect(page.locator(".badge.action-done")).to_have_text("Gedaan")
    no_violations(axe, page)
    page.screenshot(path=screenshot_dir / "actions-detail-done.png", full_page=True)
    action = ImprovementAction.objects.get(pk=w.action.pk)
    assert action.status == "done" and action.closed_at
    assert action.closing_note.startswith("Terugbellen binnen twee werkdagen")

    # The coordinator's insights: three charts with their tables.
    page.context.clear_cookies()
    logged_in_page("coordinator", PASSWORD)
    page.goto(f"{live_server.url}/actions/insights/")
    expect(page.get_by_role("heading", name="Inzichten per organisatie")).to_be_visible()
    expect(
        page.get_by_role("img", name="In hoeveel gesprekken kwam elk thema terug?")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Positief en verbeterpunten per thema")).to_be_visible()
    expect(page.locator(".alert-warning", has_text="Bereikbaarheid")).to_be_visible()
    no_violations(axe, page)
    page.screenshot(path=screenshot_dir / "actions-insights.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / "actions-insights-phone.png", full_page=True)
    assert re.search(r"\d+%", page.locator(".insight-figures").inner_text())
