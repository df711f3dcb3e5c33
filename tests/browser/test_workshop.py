"""The role-play workshop in real browsers: five participants on five phones choose their
roles, follow the facilitator from round to round and evaluate each round; the facilitator
reads the summary that compares the rounds."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from participants.constants import Role
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from workshops import services

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
DESK = {"width": 1280, "height": 900}
SHOTS = Path(os.environ.get("SPIEGEL_SHOTS", "/work/shots/workshop"))
# Per participant: a role, a face per round (1 to 5) and what they say.
PEOPLE = [
    ("Gemeente", (2, 3, 4)),
    ("Aanbieder", (1, 3, 5)),
    ("Cliënt", (2, 2, 4)),
    ("Gemeente", (3, 4, 5)),
    ("Cliënt", (2, 3, 4)),
]


@pytest.fixture
def contexts(browser, browser_context_args):
    made = []

    def new(viewport, **extra):
        context = browser.new_context(**browser_context_args, viewport=viewport, **extra)
        made.append(context)
        return context.new_page()

    yield new
    for context in made:
        context.close()


def test_five_participants_play_three_rounds_and_the_summary_compares_them(
    contexts, live_server, login, axe, transactional_db
):
    org = OrganisationFactory(name="Gemeente Alfa")
    facilitator = UserFactory(username="begeleider")
    MembershipFactory(user=facilitator, organisation=org, role=Role.FACILITATOR)
    workshop = services.create_workshop(
        organisation=org, title="In gesprek over kwaliteit", facilitator=facilitator
    )
    links = services.add_links(workshop=workshop, count=len(PEOPLE))
    rounds = list(workshop.rounds.all())
    SHOTS.mkdir(parents=True, exist_ok=True)

    staff = contexts(DESK)
    login(staff, live_server, "begeleider", PASSWORD)
    staff.goto(f"{live_server.url}/workshops/{workshop.pk}/")
    expect(staff.get_by_role("heading", name="In gesprek over kwaliteit")).to_be_visible()

    phones = []
    for participant, (role, _faces) in zip(links, PEOPLE, strict=True):
        page = contexts(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
        page.goto(f"{live_server.url}/w/{participant.token}/")
        expect(page.get_by_role("heading", name="Welkom bij de workshop")).to_be_visible()
        page.get_by_role("radio", name=role, exact=True).check()
        page.get_by_role("button", name="Deze rol kiezen").click()
        expect(page.get_by_role("heading", name=f"Jouw rol: {role}")).to_be_visible()
        expect(page.get_by_text("De workshop begint zo")).to_be_visible()
        phones.append(page)

    first = phones[2]  # the client's page: only the client's briefing
    briefing = workshop.roles.get(name="Cliënt").briefing
    expect(first.locator("#briefing")).to_have_text(briefing)
    assert workshop.roles.get(name="Gemeente").briefing not in first.content()
    violations = axe(first)
    assert violations == [], violations
    assert first.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    for index, round in enumerate(rounds):
        button = "Workshop starten" if index == 0 else "Volgende ronde"
        staff.get_by_role("button", name=button).click()
        expect(staff.locator("#current-round")).to_contain_text(round.title)
        if index == 0:
            staff.screenshot(path=SHOTS / "detail-1280.png", full_page=True)
        for page, (_role, faces) in zip(phones, PEOPLE, strict=True):
            # The page follows the facilitator by itself (htmx polling).
            expect(page.locator("#round-heading")).to_have_text(round.title)
            page.get_by_role("link", name=f"{round.title}: invullen").click()
            page.locator(f"label[for='id_feeling_{faces[index] - 1}']").click()
            page.get_by_label("Hoe ervaarde je het gesprek?").fill(
                f"Ronde {index + 1}: gevoel {faces[index]}"
            )
            if page is first and index == 0:
                violations = axe(page)
                assert violations == [], violations
                page.screenshot(path=SHOTS / "evaluate-375.png", full_page=True)
            page.get_by_role("button", name="Versturen").click()
            expect(
                page.get_by_role("link", name=f"{round.title}: ingevuld, wijzigen")
            ).to_be_visible()
        if index == 0:
            first.screenshot(path=SHOTS / "participant-375.png", full_page=True)

    # The participant changes their mind about the first round until the workshop closes.
    phones[1].get_by_role("link", name=f"{rounds[0].title}: ingevuld, wijzigen").click()
    phones[1].locator("label[for='id_feeling_1']").click()
    phones[1].get_by_role("button", name="Wijziging opslaan").click()

    staff.get_by_role("button", name="Workshop afsluiten").click()
    expect(phones[0].get_by_role("heading", name="De workshop is klaar")).to_be_visible()

    staff.goto(f"{live_server.url}/workshops/{workshop.pk}/summary/")
    expect(staff.locator("#roles-count")).to_contain_text("Gemeente: 2")
    expect(staff.locator("#roles-count")).to_contain_text("Aanbieder: 1")
    rows = staff.locator("#round-comparison tbody tr")
    expect(rows).to_have_count(3)
    # Averages: round 1 (2+2+2+3+2)/5 = 2.2 after the change; round 3 (4+5+4+5+4)/5 = 4.4.
    expect(rows.nth(0)).to_contain_text("2,2")
    expect(rows.nth(2)).to_contain_text("4,4")
    expect(staff.get_by_text("Ronde 3: gevoel 5").first).to_be_visible()
    staff.screenshot(path=SHOTS / "summary-1280.png", full_page=True)
