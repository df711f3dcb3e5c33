"""A beheerder runs the organisation in a real browser: invites a colleague, who activates the
account from the mail and logs in; changes the colleague's role, then removes them, after
which the colleague's next request is refused."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from playwright.sync_api import expect

from participants.constants import Role
from participants.models import Membership, User
from tests.browser.conftest import LOGIN_PATH, log_in
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    QuestionFactory,
    SessionFactory,
)

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Spiegel-Wachtwoord-2026!"


def test_beheerder_invites_changes_and_removes_a_colleague(
    logged_in_page, live_server, browser, browser_context_args, axe, screenshot_dir
):
    org = OrganisationFactory(name="Gemeente Alfa")
    MembershipFactory(organisation=org, role=Role.ADMIN, user__username="beheerder")
    page = logged_in_page("beheerder", PASSWORD)

    # The beheerder finds the organisation through the navigation and invites a colleague.
    page.get_by_role("link", name="Organisatiebeheer").click()
    page.get_by_role("link", name="Gemeente Alfa").click()
    expect(page.get_by_role("heading", name="Leden en hun rollen")).to_be_visible()
    assert axe(page) == []
    page.fill("#id_email", "nina@example.nl")
    page.fill("#id_first_name", "Nina")
    page.fill("#id_last_name", "Nieuw")
    page.select_option("#id_role", Role.PROFESSIONAL)
    page.get_by_role("button", name="Uitnodigen", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("nina@example.nl is uitgenodigd")
    expect(page.get_by_text("Openstaande uitnodigingen")).to_be_visible()

    # The colleague, in a browser of their own, activates the account from the mail.
    link = re.search(r"https?://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    colleague = browser.new_context(**browser_context_args).new_page()
    # The mail names SITE_URL; the test's server listens elsewhere.
    colleague.goto(live_server.url + urlparse(link).path)
    expect(colleague.get_by_role("heading", name="Account activeren")).to_be_visible()
    expect(colleague.locator("#id_first_name")).to_have_value("Nina")
    colleague.screenshot(path=screenshot_dir / "invitation-accept.png", full_page=True)
    assert axe(colleague) == []
    colleague.fill("#id_password1", NEW_PASSWORD)
    colleague.fill("#id_password2", NEW_PASSWORD)
    colleague.get_by_role("button", name="Account activeren").click()
    expect(colleague.get_by_role("status")).to_contain_text("Uw account is actief")
    log_in(colleague, live_server, "nina@example.nl", NEW_PASSWORD)
    expect(colleague.get_by_role("link", name="Gesprekken", exact=True)).to_be_visible()

    # The beheerder makes her coordinator as well.
    nina = User.objects.get(username="nina@example.nl")
    page.reload()
    row = page.locator(f"#member-{nina.pk}")
    row.get_by_label("Coördinator").check()
    row.get_by_role("button", name=re.compile("Rollen opslaan")).click()
    expect(page.get_by_role("status")).to_contain_text("zijn opgeslagen")
    page.screenshot(path=screenshot_dir / "organisation-members.png", full_page=True)
    assert set(Membership.objects.filter(user=nina).values_list("role", flat=True)) == {
        Role.PROFESSIONAL,
        Role.COORDINATOR,
    }

    # Then removes her: her next request is refused and sent to the login page.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#member-{nina.pk}").get_by_role("button", name=re.compile("Verwijderen")).click()
    expect(page.get_by_role("status")).to_contain_text("is uit Gemeente Alfa verwijderd")
    colleague.goto(f"{live_server.url}/sessions/")
    assert urlparse(colleague.url).path == LOGIN_PATH
    nina.refresh_from_db()
    assert not nina.is_active
    colleague.context.close()


def test_the_beheer_pages_meet_wcag(logged_in_page, live_server, axe):
    org = OrganisationFactory(name="Gemeente Alfa")
    MembershipFactory(organisation=org, role=Role.ADMIN, user__username="beheerder")
    page = logged_in_page("beheerder", PASSWORD)

    for path, heading in [
        ("", "Organisaties"),
        (f"{org.pk}/rules/", "Spelregels van de organisatie"),
        (f"{org.pk}/library/", "Vragenbank van de organisatie"),
        (f"{org.pk}/settings/", "Bewaartermijn van contactgegevens"),
    ]:
        page.goto(f"{live_server.url}/organisations/{path}")
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        assert axe(page) == [], path

    # Starting the rule set from the default one, then adding a library question.
    page.goto(f"{live_server.url}/organisations/{org.pk}/rules/")
    page.get_by_role("button", name="Standaardset overnemen").click()
    expect(page.get_by_role("status")).to_contain_text("overgenomen")
    assert axe(page) == []
    page.goto(f"{live_server.url}/organisations/{org.pk}/library/")
    page.fill("#id_new-text", "Wat hielp u het meest?")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.locator("#library-list")).to_contain_text("Wat hielp u het meest?")
    assert axe(page) == []


def test_a_beheerder_keeps_a_guide_question_in_the_library(logged_in_page, live_server, axe):
    org = OrganisationFactory(name="Gemeente Alfa")
    boss = MembershipFactory(organisation=org, role=Role.ADMIN, user__username="beheerder").user
    MembershipFactory(organisation=org, role=Role.COORDINATOR, user=boss)
    session = SessionFactory(organisations=[org])
    QuestionFactory(session=session, text="Wat hielp u het meest?")
    page = logged_in_page("beheerder", PASSWORD)

    page.goto(f"{live_server.url}/sessions/{session.pk}/guide/")
    assert axe(page) == []
    page.get_by_role("button", name="In vragenbank").click()

    expect(page.get_by_role("status")).to_contain_text("staat nu in de vragenbank")
    assert org.library_questions.filter(text="Wat hielp u het meest?").exists()
