"""The browser plumbing works: Debian's chromium opens a page the live server renders."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_has_password_field(page, live_server):
    response = page.goto(f"{live_server.url}/accounts/login/")

    assert response.status == 200
    assert page.locator("input[type=password]").count() == 1
    assert page.locator("#id_username").is_visible()
