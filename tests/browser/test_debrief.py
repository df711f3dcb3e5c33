"""A listener runs a debrief in a real browser: themes, actions from findings, follow-up.

Also: the debrief and the feedback-letter pages pass axe-core's WCAG 2.1 AA rules, and the
coordinator concludes the debrief.
"""

import datetime as dt
import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import expect

from findings.models import Debrief, ImprovementAction, Jotting, Theme
from findings.services.actions import record_progress
from sessions.constants import Status
from tests.factories import PASSWORD, DebriefWorld

pytestmark = pytest.mark.browser


def debrief_world():
    w = DebriefWorld()
    Jotting.objects.create(
        session=w.session,
        author=w.listener,
        text="Deelnemer B: drie keer doorverbonden. Zelf ook zo vaak gezien bij de balie!",
    )
    return w


def finding_item(page, finding):
    return page.locator(f"#finding-{finding.pk}")


def assert_accessible(axe, page, name):
    violations = axe(page)
    assert violations == [], f"{name}: {violations}"


def test_a_listener_groups_findings_creates_actions_and_follows_one_up(
    logged_in_page, live_server, screenshot_dir, axe
):
    w = debrief_world()
    page = logged_in_page("listener", PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/sessions/{w.session.pk}/debrief/")
    expect(page.get_by_role("heading", name="Nagesprek", exact=True)).to_be_visible()
    expect(page.locator("#own-notes")).to_contain_text("zo vaak gezien bij de balie")
    assert_accessible(axe, page, "debrief")

    # The two debrief questions, saved by autosave (htmx) while typing.
    page.get_by_label("Wat deed de feedback met ons?").fill(
        "Het raakte ons dat cliënten zich een dossiernummer voelden."
    )
    expect(page.locator("#answers-status")).to_contain_text("Opgeslagen om", timeout=8000)
    assert Debrief.objects.get(session=w.session).impact.startswith("Het raakte ons")

    # A theme made inline, two findings put under it with the keyboard only.
    page.get_by_label("Nieuw thema").fill("Bereikbaarheid")
    page.get_by_label("Nieuw thema").press("Enter")
    expect(page.locator("#theme-list")).to_contain_text("Bereikbaarheid")
    theme = Theme.objects.get(name="Bereikbaarheid")
    for finding in (w.findings[1], w.findings[6]):
        box = finding_item(page, finding).get_by_role("checkbox")
        box.focus()
        page.keyboard.press("Space")
        expect(box).to_be_checked()
    page.locator("#bulk-theme").select_option(label="Bereikbaarheid")
    page.get_by_role("button", name="Aan thema toevoegen").click()
    expect(page.locator(".messages")).to_contain_text("2 bevindingen staan nu bij thema")
    assert set(theme.findings.values_list("pk", flat=True)) == {w.findings[1].pk, w.findings[6].pk}
    expect(finding_item(page, w.findings[1])).to_contain_text("Thema: Bereikbaarheid")

    # One more by its own select (htmx swaps the finding; focus stays on the button).
    item = finding_item(page, w.findings[0])
    item.locator("select").select_option(label="Bereikbaarheid")
    item.get_by_role("button", name="Thema opslaan").click()
    expect(finding_item(page, w.findings[0])).to_contain_text("Thema: Bereikbaarheid")
    expect(page.locator("#theme-list")).to_contain_text("3 bevindingen")

    # A blind spot, toggled with the keyboard.
    blind = finding_item(page, w.findings[4]).get_by_role("button", name="Blinde vlek")
    blind.focus()
    page.keyboard.press("Enter")
    expect(
        finding_item(page, w.findings[4]).get_by_role("button", name="Blinde vlek")
    ).to_have_attribute("aria-pressed", "true")
    # htmx swapped the finding; the keyboard user's focus stays on the same button.
    expect(page.locator(f"#blind-{w.findings[4].pk}")).to_be_focused()

    # The filter (htmx, pushed into the address): only the theme's findings.
    page.locator("#id_theme").select_option(str(theme.pk))
    expect(page.locator("#finding-count")).to_contain_text("3 bevindingen passen bij het filter")
    expect(page).to_have_url(re.compile(rf"theme={theme.pk}"))
    page.screenshot(path=screenshot_dir / "debrief-filtered.png", full_page=True)
    page.get_by_role("link", name="Alles tonen").click()

    # Two actions from findings.
    actions = [
        (
            [w.findings[1], w.findings[6]],
            "Terugbelbelofte nakomen",
            "U wordt binnen twee werkdagen teruggebeld.",
        ),
        (
            [w.findings[4]],
            "Beschikkingsbrief herschrijven op B1",
            "Wij schrijven onze brieven voortaan in eenvoudige taal.",
        ),
    ]
    due = timezone.localdate() + dt.timedelta(days=60)
    for findings, title, sentence in actions:
        for finding in findings:
            finding_item(page, finding).get_by_role("checkbox").check()
        page.get_by_role("button", name="Actie maken").click()
        expect(page.get_by_role("heading", name="Nieuwe verbeteractie")).to_be_visible()
        for finding in findings:
            expect(page.locator("#chosen-findings")).to_contain_text(finding.text)
        page.get_by_label("Titel").fill(title)
        page.get_by_label("Uiterlijk klaar op").fill(due.isoformat())
        page.get_by_label("Prioriteit").select_option("high")
        page.get_by_label("Wat we deden met uw feedback").fill(sentence)
        if title == actions[0][1]:
            assert_accessible(axe, page, "action form")
            page.screenshot(path=screenshot_dir / "debrief-action-form.png", full_page=True)
        page.get_by_role("button", name="Actie aanmaken").click()
        expect(page.locator("#action-list")).to_contain_text(title)
    assert ImprovementAction.objects.filter(session=w.session).count() == 2
    first = ImprovementAction.objects.get(title="Terugbelbelofte nakomen")
    assert set(first.findings.all()) == {w.findings[1], w.findings[6]}
    page.screenshot(path=screenshot_dir / "debrief-listener.png", full_page=True)
    assert_accessible(axe, page, "debrief with actions")

    # Follow-up: the first action to done, with a closing note.
    try:
        reverse("action_detail", args=[first.pk])
    except NoReverseMatch:
        record_progress(
            action=first, by=w.listener, status="done", closing_note="Terugbelteam werkt sinds mei."
        )
    else:
        page.locator("#action-list").get_by_role("link", name="Terugbelbelofte nakomen").click()
        page.get_by_label("Wat is er gebeurd?").fill(
            "Iedereen belt nu binnen twee werkdagen terug."
        )
        page.get_by_label("Status").select_option("done")
        page.get_by_label("Afsluitende toelichting").fill("Terugbelteam werkt sinds mei.")
        page.get_by_role("button", name="Voortgang vastleggen").click()
        expect(page.locator(".messages")).to_contain_text("De voortgang is vastgelegd")
        page.screenshot(path=screenshot_dir / "debrief-action-done.png", full_page=True)
    first.refresh_from_db()
    assert (first.status, first.closing_note) == ("done", "Terugbelteam werkt sinds mei.")

    # The feedback letter is drafted from the actions' client-facing sentences.
    page.goto(f"{live_server.url}/sessions/{w.session.pk}/feedback/")
    letter = page.get_by_label("Tekst van de brief")
    expect(letter).to_have_value(re.compile("U wordt binnen twee werkdagen teruggebeld."))
    expect(page.locator("#excluded-list")).to_contain_text("toestemming ingetrokken")
    assert_accessible(axe, page, "feedback letter")
    page.screenshot(path=screenshot_dir / "feedback-letter.png", full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Definitief maken").click()
    expect(page.locator("#letter-final")).to_contain_text("Definitief gemaakt op")
    assert_accessible(axe, page, "final feedback letter")


def test_the_coordinator_concludes_the_debrief(logged_in_page, live_server, screenshot_dir, axe):
    w = debrief_world()
    w.new_action()
    page = logged_in_page("coordinator", PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/sessions/{w.session.pk}/debrief/")
    assert_accessible(axe, page, "debrief for the coordinator")
    page.screenshot(path=screenshot_dir / "debrief-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Nagesprek afronden").click()

    expect(page.locator("#concluded")).to_contain_text("Het nagesprek is afgerond op")
    expect(page.locator("textarea")).to_have_count(0)
    w.session.refresh_from_db()
    assert w.session.status == Status.CLOSED
    page.screenshot(path=screenshot_dir / "debrief-concluded.png", full_page=True)
    assert_accessible(axe, page, "concluded debrief")
