"""The privacy guard's hits in the debrief, in a real browser: shown to the listener who edits
the debrief, replaced by a neutral tag with one click, and the page passes axe."""

import pytest
from playwright.sync_api import expect

from findings.models import Finding
from findings.services.privacy import check_session
from tests.factories import PASSWORD, DebriefWorld

pytestmark = pytest.mark.browser

TEXT = "Mijn consulent mevrouw Jansen belde pas terug op 06-12345678, na drie weken."


def test_a_listener_replaces_a_name_and_a_number_in_the_debrief(
    logged_in_page, live_server, axe, screenshot_dir
):
    w = DebriefWorld()
    finding = w.findings[0]
    Finding.objects.filter(pk=finding.pk).update(text=TEXT)
    assert check_session(w.session.pk) >= 2

    page = logged_in_page("listener", PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/sessions/{w.session.pk}/debrief/#privacy")
    card = page.locator("#privacy")
    expect(card).to_be_visible()
    expect(card).to_contain_text("[naam]")
    assert axe(page) == []
    card.screenshot(path=screenshot_dir / "privacy-hits.png")

    card.get_by_role("button", name="Vervang door [telefoonnummer]").first.click()
    expect(page.locator(f"#finding-{finding.pk}")).to_contain_text("[telefoonnummer]")
    card = page.locator("#privacy")
    card.get_by_role("button", name="Vervang door [naam]").first.click()
    expect(page.locator(f"#finding-{finding.pk}")).to_contain_text("mevrouw [naam]")
    stored = Finding.objects.get(pk=finding.pk)
    assert "Jansen" not in stored.text and "06-12345678" not in stored.text
    assert stored.revisions.count() >= 2  # each replacement keeps what was there
