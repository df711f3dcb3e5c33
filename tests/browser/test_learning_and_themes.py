"""Issue 13 in a real browser: a listener writes leervragen before the meeting and a reflection
after it; in the debrief they accept a theme suggestion (htmx) and make a proposed group a
theme; every page passes axe, at desktop and phone width."""

import pytest
from playwright.sync_api import expect

from findings.models import Finding
from findings.services import learning
from sessions.constants import Status
from sessions.models import Session
from tests.factories import PASSWORD, DebriefWorld, FindingFactory, ThemeFactory

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 375}


def test_a_listener_writes_leervragen_and_a_reflection(
    logged_in_page, live_server, axe, screenshot_dir
):
    w = DebriefWorld()
    Session.objects.filter(pk=w.session.pk).update(status=Status.PLANNED)
    page = logged_in_page("listener", PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/sessions/{w.session.pk}/")
    page.get_by_role("link", name="Mijn leervragen").click()
    card = page.locator("#learning")
    card.get_by_label("Leervraag 1").fill("Wat maakt dat iemand zich gehoord voelt?")
    card.get_by_label("Leervraag 2").fill("Waar lopen ouders vast na de aanvraag?")
    card.get_by_role("button", name="Leervragen opslaan").click()
    expect(page.locator(".alert-success")).to_contain_text("Uw leervragen zijn opgeslagen.")
    assert axe(page) == []
    for name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=screenshot_dir / f"learning-questions-{name}.png", full_page=True)

    Session.objects.filter(pk=w.session.pk).update(status=Status.DEBRIEF)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/sessions/{w.session.pk}/listen/#learning")
    card = page.locator("#learning")
    expect(card).to_contain_text("Wat maakt dat iemand zich gehoord voelt?")
    card.get_by_label("Wat raakte mij?").fill("Hoe vaak ouders hun verhaal opnieuw vertelden.")
    card.get_by_label("Wat ga ik anders doen?").fill("Ik bel na een overdracht zelf de ouders.")
    card.get_by_label("Mijn collega’s mogen dit lezen", exact=False).check()
    card.get_by_role("button", name="Reflectie opslaan").click()
    expect(page.locator(".alert-success")).to_contain_text("Uw reflectie is opgeslagen.")
    assert axe(page) == []
    page.set_viewport_size({"width": 375, "height": 900})
    page.locator("#learning").screenshot(path=screenshot_dir / "learning-reflection-phone.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/sessions/{w.session.pk}/debrief/#learnings")
    shared = page.locator("#learnings")
    expect(shared).to_contain_text("Ik bel na een overdracht zelf de ouders.")
    assert axe(page) == []
    shared.screenshot(path=screenshot_dir / "learning-debrief.png")
    stored = learning.learning_of(session=w.session, author=w.listener)
    assert stored.shared and len(stored.questions) == 2


def test_a_listener_accepts_a_theme_suggestion_and_makes_a_new_theme(
    logged_in_page, live_server, axe, screenshot_dir
):
    w = DebriefWorld()
    reach = ThemeFactory(organisation=w.org_a, name="Bereikbaarheid")
    letters = ThemeFactory(organisation=w.org_a, name="Brieven")
    for text, theme in [
        ("Ik werd nooit teruggebeld.", reach),
        ("De telefoon werd niet opgenomen.", reach),
        ("De brief was vol moeilijke woorden.", letters),
        ("Ik begreep de beschikking niet.", letters),
    ]:
        FindingFactory(session=w.other_session, text=text, theme=theme)
    for text in ("De scootmobiel was te groot.", "Mijn scootmobiel stond weken kapot."):
        FindingFactory(session=w.session, text=text)

    page = logged_in_page("listener", PASSWORD)
    for name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/sessions/{w.session.pk}/debrief/")
        page.locator("#suggestions-link").click()
        expect(page.get_by_role("heading", name="Themasuggesties")).to_be_visible()
        assert axe(page) == []
        page.screenshot(path=screenshot_dir / f"theme-suggestions-{name}.png", full_page=True)

    finding = w.findings[6]  # "Niemand belde terug na de aanvraag."
    row = page.locator(f"#suggestion-{finding.pk}")
    expect(row.get_by_label("Thema voor deze bevinding")).to_have_value(str(reach.pk))
    row.get_by_role("button", name="Accepteren").click()
    expect(page.locator(f"#suggestion-{finding.pk}")).to_contain_text(
        "Thema “Bereikbaarheid” toegekend."
    )
    assert Finding.objects.get(pk=finding.pk).theme == reach

    group = page.locator(".suggestion-group").filter(has_text="scootmobiel").first
    group.get_by_label("Naam van het nieuwe thema").fill("Hulpmiddelen")
    group.get_by_role("button", name="Thema maken en toekennen").click()
    expect(page.locator(".alert-success")).to_contain_text("bij thema “Hulpmiddelen”")
    assert Finding.objects.filter(theme__name="Hulpmiddelen", session=w.session).count() >= 2
    assert axe(page) == []
