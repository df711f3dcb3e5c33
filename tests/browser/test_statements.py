"""The public statements in a real browser: reachable from the login page, accessible (axe)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_statements_are_reached_from_the_footer_and_pass_axe(
    page, live_server, transactional_db, axe, screenshot_dir
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Toegankelijkheid").click()
    expect(page.get_by_role("heading", name="Toegankelijkheidsverklaring")).to_be_visible()
    assert axe(page) == []
    page.screenshot(path=screenshot_dir / "statement-accessibility.png", full_page=True)

    page.get_by_role("link", name="Privacy en contact").click()
    expect(page.get_by_role("heading", name="Privacyverklaring")).to_be_visible()
    assert axe(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    assert axe(page) == []
    page.screenshot(path=screenshot_dir / "statement-privacy-phone.png", full_page=True)
