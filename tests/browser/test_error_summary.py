"""A staff form with errors opens with a summary that has focus; each error links to its
field (issue 12: templates/bootstrap5/errors.html and js/spiegel.js)."""

import pytest
from playwright.sync_api import expect

from participants.constants import Role
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_error_summary_takes_focus_and_leads_to_the_field(page, live_server, login):
    org = OrganisationFactory(name="Gemeente Alfa")
    beheerder = UserFactory(username="beheer")
    MembershipFactory(user=beheerder, organisation=org, role=Role.ADMIN)
    login(page, live_server, "beheer", PASSWORD)

    page.goto(f"{live_server.url}/organisations/{org.pk}/settings/")
    page.fill("#id_look-brand_color", "#eeeeee")
    page.get_by_role("button", name="Opslaan").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("De hoofdkleur heeft te weinig contrast met wit")
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_look-brand_color")).to_be_focused()
    assert page.title() == "Instellingen · Gemeente Alfa · Spiegel"
