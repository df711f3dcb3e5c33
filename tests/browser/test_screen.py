"""The presenter screen and the listeners' view follow the facilitator in a real browser.

The facilitator's own live page is built elsewhere; here the facilitator's moves are made
through the services in sessions.services.live, exactly as that page makes them.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from findings.models import Jotting
from sessions.constants import LiveStep, Status
from sessions.models import Session
from sessions.services import live
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, QuestionFactory, RuleFactory, World

pytestmark = pytest.mark.browser

FOLLOW = 2500  # ms: the pages poll every second and follow within two, plus slack
PROJECTOR = {"width": 1920, "height": 1080}
RULES = [
    "Toehoorders luisteren in stilte; zij reageren niet.",
    "Er is geen discussie en niemand verdedigt zich.",
    "Wat hier gezegd wordt, blijft in deze ruimte.",
    "Iedereen spreekt voor zichzelf.",
    "U hoeft niets te zeggen wat u niet wilt zeggen.",
    "Telefoons staan uit.",
]
QUESTIONS = [
    "Hoe kwam u bij het wijkteam terecht?",
    "Wat ging er goed in het contact met de consulent?",
    "Wat had beter gekund?",
    "Kunt u vertellen hoe het keukentafelgesprek bij u thuis is verlopen: wie was erbij, hoe "
    "lang duurde het, voelde u zich gehoord, en begreep u daarna wat er met uw aanvraag zou "
    "gebeuren en wanneer u iets zou horen? En als u terugkijkt: wat zou u de consulent willen "
    "meegeven voor een volgende keer, zodat een ander het makkelijker heeft dan u? Neem gerust "
    "de tijd; er is geen goed of fout antwoord, en ook kleine dingen zijn voor ons belangrijk "
    "om te horen.",
    "Wat wilt u ons nog meegeven?",
]


def live_world():
    w = World()
    w.session.questions.all().delete()
    w.session.rules.all().delete()
    for position, text in enumerate(QUESTIONS, start=1):
        QuestionFactory(session=w.session, position=position, text=text)
    for position, text in enumerate(RULES, start=1):
        RuleFactory(session=w.session, position=position, text=text)
    Session.objects.filter(pk=w.session.pk).update(
        title="Spiegelgesprek Wmo-aanvraag Vlaardingen",
        status=Status.LIVE,
        live_at=timezone.now() - timezone.timedelta(minutes=42),
    )
    w.session.refresh_from_db()
    w.questions = list(w.session.questions.order_by("position"))
    return w


def fresh(w):
    return Session.objects.get(pk=w.session.pk)


def no_overflow(page):
    """The whole screen fits the viewport: nothing to scroll on a projector."""
    return page.evaluate(
        "() => document.documentElement.scrollHeight <= window.innerHeight"
        " && document.documentElement.scrollWidth <= window.innerWidth"
    )


def test_the_screen_and_the_listener_view_follow_the_facilitator(
    logged_in_page, live_server, browser, browser_context_args, screenshot_dir, axe
):
    w = live_world()
    screen = logged_in_page("facilitator", PASSWORD)
    errors = []  # the Content-Security-Policy reports what it blocks here
    screen.on("console", lambda message: message.type == "error" and errors.append(message.text))
    screen.set_viewport_size(PROJECTOR)
    screen.goto(f"{live_server.url}/sessions/{w.session.pk}/screen/?klok=1")
    listener_context = browser.new_context(**browser_context_args)
    listener = log_in(listener_context.new_page(), live_server, "listener", PASSWORD)
    listener.goto(f"{live_server.url}/sessions/{w.session.pk}/listen/")

    # Check-in: a calm welcome.
    expect(screen.get_by_role("heading", level=1)).to_have_text("Welkom")
    expect(screen.locator("[role=timer]")).to_have_text("0:42")
    expect(listener.locator("#listen-state")).to_contain_text("Het gesprek begint zo.")
    assert axe(screen) == []
    screen.screenshot(path=screenshot_dir / "screen-welcome.png")
    # Nothing changed: the poll answers 204 and nothing is swapped.
    with screen.expect_response(lambda r: "/screen/state" in r.url) as poll:
        pass
    assert poll.value.status == 204

    # Opening: the rules, large.
    live.check_in(session=fresh(w), present_members=[w.member], present_listeners=[])
    expect(screen.get_by_role("heading", level=1)).to_have_text("Spelregels", timeout=FOLLOW)
    expect(screen.locator(".rules-list li")).to_have_count(len(RULES))
    expect(listener.locator("#listen-state")).to_contain_text("spelregels", timeout=FOLLOW)
    assert no_overflow(screen)
    assert axe(screen) == []
    screen.screenshot(path=screenshot_dir / "screen-opening.png")

    # The first question, then a jump to the fourth (a long one).
    live.explain_rules(session=fresh(w))
    heading = screen.get_by_role("heading", level=1)
    expect(heading).to_have_text(QUESTIONS[0], timeout=FOLLOW)
    expect(screen.locator(".scene-kicker")).to_have_text("Vraag 1 van 5")
    expect(listener.locator(".listen-question")).to_have_text(QUESTIONS[0], timeout=FOLLOW)
    assert axe(screen) == []
    screen.screenshot(path=screenshot_dir / "screen-question.png")

    live.go_to_question(session=fresh(w), question=w.questions[1])
    expect(heading).to_have_text(QUESTIONS[1], timeout=FOLLOW)
    expect(listener.locator(".listen-question")).to_have_text(QUESTIONS[1], timeout=FOLLOW)
    expect(listener.locator("#listen-state")).to_contain_text("Vraag 2 van 5")
    assert axe(listener) == []
    listener.screenshot(path=screenshot_dir / "listen-question.png", full_page=True)

    live.go_to_question(session=fresh(w), question=w.questions[3])
    expect(heading).to_have_text(QUESTIONS[3], timeout=FOLLOW)
    assert no_overflow(screen)
    screen.screenshot(path=screenshot_dir / "screen-question-long.png")
    # The same long question on a small laptop window still fits.
    screen.set_viewport_size({"width": 1280, "height": 720})
    assert no_overflow(screen)
    screen.screenshot(path=screenshot_dir / "screen-question-long-720p.png")
    screen.set_viewport_size(PROJECTOR)

    # The keyboard reaches the controls; the clock can be switched off.
    screen.keyboard.press("Tab")
    expect(screen.get_by_role("link", name="Klok verbergen")).to_be_focused()
    screen.keyboard.press("Enter")
    expect(screen.locator("[role=timer]")).to_have_count(0)
    expect(heading).to_have_text(QUESTIONS[3])

    # The listeners' clarifying questions, then the end.
    live.go_to_step(session=fresh(w), step=LiveStep.CLARIFYING)
    expect(heading).to_have_text("Verduidelijkende vragen van toehoorders", timeout=FOLLOW)
    assert axe(screen) == []
    live.end_meeting(session_id=w.session.pk)
    expect(heading).to_have_text("Bedankt voor uw bijdrage", timeout=FOLLOW)
    expect(listener.locator("#listen-state")).to_contain_text("nagesprek", timeout=FOLLOW)
    screen.screenshot(path=screenshot_dir / "screen-thanks.png")
    listener_context.close()
    assert errors == []


def test_the_longest_question_and_many_rules_still_fit_the_screen(
    logged_in_page, live_server, screenshot_dir
):
    w = live_world()
    for _ in range(10):
        RuleFactory(
            session=w.session,
            text="Wij luisteren naar elkaar en laten elkaar uitpraten, ook als het even stil is.",
        )
    longest = w.questions[4]
    longest.text = ("Wat vond u van de manier waarop de consulent met u sprak? " * 40)[:2000]
    longest.save()
    page = logged_in_page("facilitator", PASSWORD)
    page.goto(f"{live_server.url}/sessions/{w.session.pk}/screen/?klok=1")

    live.check_in(session=fresh(w), present_members=[], present_listeners=[])
    expect(page.locator(".rules-list li")).to_have_count(len(RULES) + 10, timeout=FOLLOW)
    for viewport in (PROJECTOR, {"width": 1280, "height": 720}, {"width": 1024, "height": 768}):
        page.set_viewport_size(viewport)
        assert no_overflow(page), viewport
    page.set_viewport_size(PROJECTOR)
    page.screenshot(path=screenshot_dir / "screen-opening-many-rules.png")

    live.go_to_question(session=fresh(w), question=longest)
    expect(page.get_by_role("heading", level=1)).to_have_text(longest.text, timeout=FOLLOW)
    for viewport in (PROJECTOR, {"width": 1280, "height": 720}, {"width": 1024, "height": 768}):
        page.set_viewport_size(viewport)
        assert no_overflow(page), viewport
    page.set_viewport_size(PROJECTOR)
    page.screenshot(path=screenshot_dir / "screen-question-longest.png")


def test_the_jotting_pad_saves_itself_and_survives_a_reload_and_a_lost_network(
    logged_in_page, live_server, screenshot_dir, axe
):
    w = live_world()
    live.check_in(session=fresh(w), present_members=[w.member], present_listeners=[])
    live.explain_rules(session=fresh(w))
    page = logged_in_page("listener", PASSWORD)
    page.goto(f"{live_server.url}/sessions/{w.session.pk}/listen/")
    pad = page.get_by_role("textbox", name="Uw aantekeningen")
    status = page.locator("#jotting-status")

    # Typed with the keyboard; saved a second after typing stops.
    pad.focus()
    pad.press_sequentially("Terugbellen lijkt een blinde vlek.", delay=20)
    expect(status).to_have_text(re.compile(r"^Opgeslagen om \d\d:\d\d$"), timeout=4000)
    assert axe(page) == []
    page.screenshot(path=screenshot_dir / "listen-jotting.png", full_page=True)

    page.reload()
    expect(pad).to_have_value("Terugbellen lijkt een blinde vlek.")

    # Offline: the text stays, the page says so, and it is saved once the network is back.
    page.context.set_offline(True)
    pad.press("End")
    pad.press_sequentially(" Ook de brieven.", delay=20)
    expect(status).to_contain_text("geen verbinding", timeout=4000)
    expect(page.locator("[data-offline]")).to_be_visible(timeout=FOLLOW)
    page.context.set_offline(False)
    expect(status).to_have_text(re.compile(r"^Opgeslagen om"), timeout=8000)
    expect(page.locator("[data-offline]")).to_be_hidden(timeout=FOLLOW + 500)
    text = "Terugbellen lijkt een blinde vlek. Ook de brieven."
    assert Jotting.objects.get(session=w.session, author=w.listener).text == text

    page.reload()
    expect(pad).to_have_value(text)
