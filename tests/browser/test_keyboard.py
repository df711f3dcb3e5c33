"""Journeys by keyboard only (issue 12): Tab, Enter, Space, arrows and typing, no clicks and no
programmatic focus. `tab_to` (tests/browser/keyboard.py) presses Tab until the control sought has
the focus; a control that Tab cannot reach fails the test there.

Running a session by keyboard is `test_a_whole_meeting_by_keyboard` in test_live.py.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from findings.models import ImprovementAction
from participants.models import Listener
from sessions.models import Session
from tests.browser.keyboard import follow, tab_to
from tests.factories import PASSWORD, DebriefWorld, World

pytestmark = pytest.mark.browser


def test_facilitator_prepares_a_session_by_keyboard(logged_in_page, live_server):
    world = World()
    page = logged_in_page("facilitator", PASSWORD)

    # From the dashboard to a new session.
    follow(page, "a[href$='/sessions/new/']")
    tab_to(page, "#id_title")
    page.keyboard.type("Spiegelgesprek met het toetsenbord")
    tab_to(page, f"input[name=organisations][value='{world.org_a.pk}']")
    page.keyboard.press("Space")
    tab_to(page, "#id_theme")
    page.keyboard.type("De Wmo-aanvraag")
    with page.expect_navigation(wait_until="commit", timeout=60_000):
        page.keyboard.press("Enter")  # Enter in a text field sends the form
    expect(page.get_by_role("heading", name="Spiegelgesprek met het toetsenbord")).to_be_visible()
    session = Session.objects.get(title="Spiegelgesprek met het toetsenbord")
    assert list(session.organisations.all()) == [world.org_a]

    # A panel member.
    follow(page, f"a[href$='/sessions/{session.pk}/panel/']")
    tab_to(page, "#id_contact-name")
    page.keyboard.type("Cliënt Toetsenbord")
    tab_to(page, "#id_contact-email")
    page.keyboard.type("toetsenbord@example.org")
    with page.expect_navigation(wait_until="commit", timeout=60_000):
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Deelnemer A")
    assert session.panel_members.count() == 1

    # A guest listener, then marked as informed with the space bar.
    follow(page, f"a[href$='/sessions/{session.pk}/listeners/']")
    tab_to(page, "#id_new-name")
    page.keyboard.type("Anouk Smit")
    tab_to(page, "#id_new-function")
    page.keyboard.type("Wmo-consulent")
    with page.expect_navigation(wait_until="commit", timeout=60_000):
        page.keyboard.press("Enter")
    tab_to(page, "[aria-pressed]")
    page.keyboard.press("Space")
    expect(page.locator("[aria-pressed]").first).to_have_attribute("aria-pressed", "true")
    assert Listener.objects.get(session=session, name="Anouk Smit").briefed

    # A question of its own in the guide.
    follow(page, f"a[href$='/sessions/{session.pk}/guide/']")
    tab_to(page, f"form[action$='/sessions/{session.pk}/guide/'] textarea")
    page.keyboard.type("Hoe werd u ontvangen?")
    tab_to(page, f"form[action$='/sessions/{session.pk}/guide/'] [type=submit]")
    with page.expect_navigation(wait_until="commit", timeout=60_000):
        page.keyboard.press("Enter")
    expect(page.locator("#question-list li")).to_have_count(1)

    # The rules of the organisation.
    follow(page, f"a[href$='/sessions/{session.pk}/rules/']")
    tab_to(page, "form[action$='/rules/load/'] [type=submit]")
    with page.expect_navigation(wait_until="commit", timeout=60_000):
        page.keyboard.press("Enter")
    expect(page.locator("#rule-list li").first).to_be_visible()
    assert session.questions.count() == 1
    assert session.rules.count() >= 1


def test_a_listener_debriefs_by_keyboard(logged_in_page, live_server):
    w = DebriefWorld()
    page = logged_in_page("listener", PASSWORD)
    page.goto(f"{live_server.url}/sessions/{w.session.pk}/debrief/")

    # A theme, typed and sent with Enter (htmx adds it to the list and the selects).
    tab_to(page, "#theme-form input[name=name]")
    page.keyboard.type("Bereikbaarheid")
    page.keyboard.press("Enter")
    expect(page.locator("#theme-list")).to_contain_text("Bereikbaarheid")

    # A finding ticked with the space bar, put under the theme chosen in the select by typing.
    tab_to(page, f"#finding-{w.findings[1].pk} input[type=checkbox]")
    page.keyboard.press("Space")
    tab_to(page, "#bulk-theme")
    page.keyboard.type("Ber")
    follow(page, "form:has(#bulk-theme) button:not([name=start])")
    expect(page.locator(f"#finding-{w.findings[1].pk}")).to_contain_text("Thema: Bereikbaarheid")

    # An action from that finding: ticked again, "Actie maken", the form filled in and sent.
    tab_to(page, f"#finding-{w.findings[1].pk} input[type=checkbox]")
    page.keyboard.press("Space")
    follow(page, "button[name=start]")
    tab_to(page, "#id_title")
    page.keyboard.type("Terugbelbelofte nakomen")
    tab_to(page, "#id_owner")
    page.keyboard.press("ArrowDown")  # the first person after "— kies de eigenaar —"
    tab_to(page, "#id_due_date")
    due = timezone.localdate() + dt.timedelta(days=60)
    # The test browser's date field takes month, day, year (its ICU locale is en-US).
    page.keyboard.type(f"{due:%m%d%Y}")
    tab_to(page, "#id_client_sentence")
    page.keyboard.type("U wordt binnen twee werkdagen teruggebeld.")
    follow(page, "form[action$='/debrief/actions/new/'] button[type=submit]")
    expect(page.locator("#action-list")).to_contain_text("Terugbelbelofte nakomen")
    action = ImprovementAction.objects.get(session=w.session)
    assert action.due_date == due
    assert list(action.findings.all()) == [w.findings[1]]
