"""Closing the loop in a real browser, on the demo (issue 13): the next cycle of organisation a
shows the terugblik and opens with "Wat deden we met wat u vorige keer zei?" on the live page
and the presenter screen; a consenting client follows "U zei, wij deden" on a 375 px phone
with the keyboard alone; axe finds nothing on any of these pages."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from findings.demo.builder import build_demo
from findings.models import FollowLink
from findings.services import follow
from sessions.constants import LiveStep, Status
from sessions.models import Session
from tests.browser.conftest import log_in
from tests.fixtures import seed_defaults

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
PROJECTOR = {"width": 1920, "height": 1080}
NEXT_CYCLE = "Spiegelgesprek Ondersteuning van mantelzorgers"


@pytest.fixture
def demo(transactional_db):
    seed_defaults()
    return build_demo()


@pytest.fixture
def phone(browser, browser_context_args, live_server):
    context = browser.new_context(
        **browser_context_args,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield context.new_page()
    context.close()


def no_violations(axe, page):
    violations = axe(page)
    assert violations == [], violations


def fits_sideways(page, width):
    return page.evaluate("() => document.documentElement.scrollWidth") <= width


def test_a_client_follows_the_actions_on_a_phone_with_the_keyboard(
    demo, phone, live_server, axe, screenshot_dir
):
    link = FollowLink.objects.get(wants_mail=True)
    page = phone

    page.goto(f"{live_server.url}/u/{link.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("U zei, wij deden")
    expect(page.get_by_text("U krijgt een eigen telefoonnummer voor schuldhulp.")).to_be_visible()
    expect(page.get_by_text("Gaat niet door")).to_be_visible()
    expect(page.get_by_text("het gewone nummer van de gemeente")).to_be_visible()
    body = page.locator("main").inner_text()
    for secret in ("Deelnemer", "Eigen telefoonnummer voor schuldhulp", "Dienstverlening"):
        assert secret not in body  # no pseudonym, no title, no professionals' note
    assert fits_sideways(page, PHONE["width"])
    no_violations(axe, page)
    page.screenshot(path=screenshot_dir / "follow-phone.png", full_page=True)

    # In Arabic (the switch, as a member whose language it is would see it): right to left.
    page.locator("a[hreflang=ar]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("قلتم، وفعلنا")
    assert page.evaluate("() => document.documentElement.dir") == "rtl"
    expect(page.get_by_text("U krijgt een eigen telefoonnummer voor schuldhulp.")).to_be_visible()
    assert fits_sideways(page, PHONE["width"])
    no_violations(axe, page)
    page.screenshot(path=screenshot_dir / "follow-phone-ar.png", full_page=True)
    page.goto(f"{live_server.url}/u/{link.token}/")

    # Keyboard alone: to the e-mail button, and off.
    button = page.get_by_role("button", name="Ik wil geen e-mail meer")
    for _ in range(30):
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Goed. U krijgt geen e-mail meer.")
    link.refresh_from_db()
    assert not link.wants_mail
    no_violations(axe, page)

    # Revoked: a kind page, 410, no login.
    follow.revoke_link(member=link.panel_member, by=None)
    response = page.goto(f"{live_server.url}/u/{link.token}/")
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze link werkt niet meer")
    assert fits_sideways(page, PHONE["width"])
    no_violations(axe, page)
    page.screenshot(path=screenshot_dir / "follow-phone-gone.png", full_page=True)


def test_the_next_cycle_looks_back_and_opens_with_what_was_done(
    demo, page, browser, browser_context_args, live_server, axe, screenshot_dir
):
    session = Session.objects.get(title=NEXT_CYCLE)
    log_in(page, live_server, "facilitator")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Preparation loads the summary of the terugblik.
    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    summary = page.locator("#lookback-summary")
    expect(summary).to_contain_text("Thema's die terugkomen")
    # The kitchen-table workshop of Vlaardingen is one of the earlier sessions too.
    expect(summary).to_contain_text("Eén aanspreekpunt: in 3 van de laatste 4 gesprekken")
    no_violations(axe, page)

    page.goto(f"{live_server.url}/sessions/{session.pk}/terugblik/")
    expect(page.locator("#lookback-themes")).to_contain_text("Begrijpelijke informatie")
    expect(page.get_by_text("Eigen telefoonnummer voor schuldhulp", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Zinnen bijwerken")).to_be_visible()
    no_violations(axe, page)
    page.screenshot(path=screenshot_dir / "lookback.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    assert fits_sideways(page, 375)
    page.screenshot(path=screenshot_dir / "lookback-phone.png", full_page=True)

    # The meeting starts with the opening item.
    opening = session.questions.order_by("position", "pk").first()
    Session.objects.filter(pk=session.pk).update(
        status=Status.LIVE,
        live_at=timezone.now(),
        live_step=LiveStep.QUESTIONS,
        current_question=opening,
        question_started_at=timezone.now(),
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/sessions/{session.pk}/live/")
    expect(page.locator("#stage-title")).to_have_text("Wat deden we met wat u vorige keer zei?")
    expect(page.locator(".live-recap li")).to_have_count(len(opening.recap))
    no_violations(axe, page)
    page.screenshot(path=screenshot_dir / "live-recap.png", full_page=True)

    page.set_viewport_size(PROJECTOR)
    page.goto(f"{live_server.url}/sessions/{session.pk}/screen/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Wat deden we met wat u vorige keer zei?"
    )
    expect(page.locator(".recap-list li")).to_have_count(len(opening.recap))
    screen = page.locator("main").inner_text()
    assert "Eigen telefoonnummer voor schuldhulp" not in screen  # a title: never on screen
    assert page.evaluate("() => document.documentElement.scrollHeight <= window.innerHeight"), (
        "the opening item does not fit the projector"
    )
    no_violations(axe, page)
    page.screenshot(path=screenshot_dir / "screen-recap.png")

    # The second cycle's debrief marks the returning theme.
    second = Session.objects.get(title="Spiegelgesprek Jeugdhulp: de eerste maand")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/sessions/{second.pk}/debrief/")
    expect(page.locator(".returns-badge").first).to_be_visible()

    # The facilitator's page of personal links, for the first cycle.
    first = Session.objects.get(title="Spiegelgesprek Hulp bij schulden")
    page.goto(f"{live_server.url}/sessions/{first.pk}/follow/")
    expect(page.locator("#follow-table")).to_contain_text("Werkt")
    no_violations(axe, page)
    page.screenshot(path=screenshot_dir / "follow-links.png", full_page=True)
