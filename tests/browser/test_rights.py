"""A coordinator handles a parent's withdrawal after the session was closed, then reads in the
access log who viewed the member's data (issue 10), in a real browser."""

import pytest
from playwright.sync_api import expect

from participants.constants import AccessAction, RightsRequestKind
from participants.models import AccessLog, RightsRequest
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.browser

REASON = "Vader van de deelnemer belde op maandag."


def test_withdrawal_after_closing_and_the_access_log(
    logged_in_page, live_server, axe, screenshot_dir
):
    world = World(status="closed")
    page = logged_in_page("coordinator", PASSWORD)
    page.goto(f"{live_server.url}/sessions/{world.session.pk}/panel/")

    page.get_by_role("link", name="Rechten van Deelnemer A").click()
    expect(page.get_by_role("heading", name="Rechten van Deelnemer A")).to_be_visible()
    assert axe(page) == []
    page.on("dialog", lambda dialog: dialog.accept())  # withdrawing asks first
    # Without a reason nothing happens but a Dutch message.
    page.get_by_role("button", name="Toestemming intrekken").click()
    expect(page.get_by_text("Geef de reden van het verzoek op.", exact=True)).to_be_visible()
    page.get_by_label("Reden en wie het vroeg").first.fill(REASON)
    page.get_by_role("button", name="Toestemming intrekken").click()

    expect(page.get_by_role("status")).to_contain_text(
        "De toestemming van Deelnemer A is ingetrokken"
    )
    expect(page.locator("#member-facts")).to_contain_text("ingetrokken op")
    page.screenshot(path=screenshot_dir / "rights-member.png", full_page=True)
    request = RightsRequest.objects.get()
    assert (request.kind, request.reason, request.after_close) == (
        RightsRequestKind.WITHDRAWAL,
        REASON,
        True,
    )

    page.get_by_role("link", name="Wie bekeek deze gegevens?").click()
    expect(page.get_by_role("heading", name="Toegangslog")).to_be_visible()
    table = page.locator("#access-log")
    expect(table).to_contain_text("Toestemming ingetrokken")
    expect(table).to_contain_text("Contactgegevens bekeken")
    assert axe(page) == []
    page.screenshot(path=screenshot_dir / "access-log.png", full_page=True)
    page.select_option("#id_action", AccessAction.WITHDRAW_CONSENT)
    page.get_by_role("button", name="Filter").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    assert AccessLog.objects.filter(action=AccessAction.WITHDRAW_CONSENT).count() == 1
