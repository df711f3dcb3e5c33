"""A facilitator prepares a whole spiegelgesprek in a real browser and plans it."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sessions.constants import Status
from sessions.models import Session
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.browser


def test_facilitator_prepares_and_plans_a_session(logged_in_page, live_server, screenshot_dir, axe):
    world = World()
    page = logged_in_page("facilitator", PASSWORD)
    # A meeting next week and consent given last month, whatever day the test runs.
    today = timezone.localdate()
    starts_at = f"{today + dt.timedelta(days=8):%Y-%m-%d}T14:00"
    consent_date = (today - dt.timedelta(days=31)).isoformat()

    # The session itself.
    page.goto(f"{live_server.url}/sessions/new/")
    page.fill("#id_title", "Spiegelgesprek Wmo-aanvraag")
    page.get_by_label("Gemeente Alfa").check()
    page.fill("#id_theme", "De Wmo-aanvraag bij het wijkteam")
    page.fill("#id_starts_at", starts_at)
    page.fill("#id_location", "Wijkcentrum De Brug, Vlaardingen")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Spiegelgesprek Wmo-aanvraag")).to_be_visible()
    session = Session.objects.exclude(pk=world.session.pk).get()
    expect(page.locator("#checklist-status")).to_contain_text("moeten af")

    # Six panel members, each with consent.
    page.get_by_role("link", name="Cliëntenpanel").click()
    for number in range(1, 7):
        page.fill("#id_contact-name", f"Cliënt Nummer{number}")
        page.fill("#id_contact-email", f"client{number}@example.org")
        page.select_option("#id_member-status", "confirmed")
        page.fill("#id_member-consent_date", consent_date)
        page.fill("#id_member-consent_letter_version", "2026-1")
        page.check("#id_member-consent_participation")
        page.check("#id_member-consent_quotes")
        page.get_by_role("button", name="Toevoegen").click()
        expect(page.get_by_role("status")).to_contain_text(f"Deelnemer {'ABCDEF'[number - 1]}")
    expect(page.locator("#panel-count")).to_contain_text("6 bevestigde deelnemers")
    page.screenshot(path=screenshot_dir / "prepare-panel.png", full_page=True)

    # Three listeners: one colleague with an account, two guests.
    page.get_by_role("link", name="Toehoorders").click()
    page.select_option("#id_new-user", label=str(world.professional))
    page.fill("#id_new-function", "Wijkteamcoördinator")
    page.check("#id_new-briefed")
    page.get_by_role("button", name="Toevoegen").click()
    for name, function in [("Anouk Smit", "Wmo-consulent"), ("Bram de Wit", "Beleidsmedewerker")]:
        page.fill("#id_new-name", name)
        page.fill("#id_new-function", function)
        page.get_by_role("button", name="Toevoegen").click()
        # Briefing is ticked in the list: one button per listener, keyboard-operable.
        page.get_by_role("button", name=f"{name} is geïnformeerd").press("Enter")
        expect(page.get_by_role("button", name=f"{name} is geïnformeerd")).to_have_attribute(
            "aria-pressed", "true"
        )
    expect(page.locator("#listener-count")).to_contain_text("3 toehoorders")

    # Five questions from the library, then one moved down with the keyboard only.
    page.get_by_role("link", name="Vragenlijst").click()
    boxes = page.locator("input[name='lib-questions']")
    for index in range(5):
        boxes.nth(index).check()
    page.get_by_role("button", name="Gekozen vragen toevoegen").click()
    expect(page.locator("#question-list li")).to_have_count(5)
    first = page.locator("#question-list li").first.locator(".prewrap").inner_text()
    page.get_by_role("button", name="Vraag 1 omlaag").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#question-list li").nth(1).locator(".prewrap")).to_have_text(first)
    page.screenshot(path=screenshot_dir / "prepare-guide.png", full_page=True)

    # The rules.
    page.get_by_role("link", name="Spelregels").click()
    page.get_by_role("button", name="Spelregels overnemen").click()
    expect(page.locator("#rule-list li")).to_have_count(7)

    # The checklist is complete, and the session can be planned.
    page.get_by_role("link", name="Voorbereiding").click()
    expect(page.locator("#checklist-status")).to_have_text("Alles is voorbereid.")
    assert not page.locator(".checklist-item:not(.is-done)").count()
    assert axe(page) == []
    page.screenshot(path=screenshot_dir / "prepare-checklist.png", full_page=True)
    page.get_by_role("button", name="Gesprek plannen").click()
    expect(page.get_by_role("status")).to_contain_text("Het gesprek is gepland.")
    expect(page.locator(".badge", has_text=re.compile("Gepland"))).to_be_visible()
    session.refresh_from_db()
    assert session.status == Status.PLANNED
    assert session.panel_members.count() == 6
    assert session.questions.count() == 5
