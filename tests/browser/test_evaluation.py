"""The participants' evaluation in a real browser: a client answers on a phone with the
keyboard alone; the facilitator makes the links, reads the summary and prints the QR sheet."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from sessions.constants import Status
from sessions.models import Evaluation
from sessions.services import evaluation as service
from tests.factories import PASSWORD, ListenerFactory, PanelMemberFactory, World

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, browser_context_args, live_server, transactional_db):
    """A page in a phone-sized browser (390×844, touch), without an account."""
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


def test_client_answers_on_a_phone_with_the_keyboard_only(phone, live_server, axe, screenshot_dir):
    world = World(status=Status.DEBRIEF)
    service.create_links(session=world.session)
    evaluation = Evaluation.objects.get(panel_member=world.member)
    page = phone

    page.goto(f"{live_server.url}/e/{evaluation.token}/")
    expect(page.get_by_role("heading", name="Wat vond u van het gesprek?")).to_be_visible()
    no_violations(axe, page)
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    # The language switch comes first (one link per client language), then the questions.
    switch = page.get_by_role("navigation", name="Kies uw taal").get_by_role("link")
    for _ in range(switch.count()):
        page.keyboard.press("Tab")
    # "Hoe vond u het gesprek?": into the group, pick the first face, then arrows to the last.
    page.keyboard.press("Tab")
    expect(page.get_by_role("radio", name="Heel slecht").first).to_be_focused()
    page.keyboard.press("Space")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    experience = page.get_by_role("group", name="Hoe vond u het gesprek?")
    expect(experience.get_by_role("radio", name="Heel goed")).to_be_checked()
    page.screenshot(path=screenshot_dir / "evaluation-phone-focus.png")
    # "Kon u veilig zeggen wat u wilde?": arrows alone select as they move.
    page.keyboard.press("Tab")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    safety = page.get_by_role("group", name="Kon u veilig zeggen wat u wilde?")
    expect(safety.get_by_role("radio", name="Goed", exact=True)).to_be_checked()
    # "Was er genoeg tijd?" is skipped; "Zou u nog eens meedoen?" gets the middle face.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    again = page.get_by_role("group", name="Zou u nog eens meedoen?")
    expect(again.get_by_role("radio", name="Gewoon")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Wilt u nog iets zeggen?")).to_be_focused()
    page.keyboard.type("Fijn dat er naar ons geluisterd werd 🙂")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Versturen")).to_be_focused()
    page.screenshot(path=screenshot_dir / "evaluation-phone-form.png", full_page=True)

    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Bedankt!")).to_be_visible()
    no_violations(axe, page)
    page.screenshot(path=screenshot_dir / "evaluation-phone-thanks.png", full_page=True)
    evaluation.refresh_from_db()
    assert (evaluation.experience, evaluation.safety, evaluation.enough_time) == (5, 4, None)
    assert evaluation.again == 3
    assert evaluation.comment == "Fijn dat er naar ons geluisterd werd 🙂"

    # The link a second time: filled in already, the answers are not shown.
    page.goto(f"{live_server.url}/e/{evaluation.token}/")
    expect(page.get_by_role("heading", name="Deze vragenlijst is al ingevuld")).to_be_visible()
    expect(page.get_by_text("geluisterd")).to_have_count(0)
    no_violations(axe, page)


def test_an_empty_form_gets_a_plain_message_on_a_phone(phone, live_server, axe, screenshot_dir):
    world = World(status=Status.DEBRIEF)
    service.create_links(session=world.session)
    evaluation = Evaluation.objects.get(panel_member=world.member)
    page = phone

    page.goto(f"{live_server.url}/e/{evaluation.token}/")
    page.get_by_role("button", name="Versturen").click()

    expect(page.get_by_role("alert")).to_contain_text("U heeft nog niets ingevuld.")
    no_violations(axe, page)
    page.goto(f"{live_server.url}/e/geen-echte-link/")
    expect(page.get_by_role("heading", name="Deze link werkt niet")).to_be_visible()
    no_violations(axe, page)


def test_facilitator_makes_links_reads_the_summary_and_prints_the_sheet(
    logged_in_page, live_server, axe, screenshot_dir
):
    world = World(status=Status.DEBRIEF)
    session = world.session
    for _ in range(5):
        PanelMemberFactory(session=session)
    for name in ("Anouk Smit", "Bram de Wit"):
        ListenerFactory(session=session, name=name)
    page = logged_in_page("facilitator", PASSWORD)

    page.goto(f"{live_server.url}/sessions/{session.pk}/evaluation/")
    page.get_by_role("button", name="Evaluatielinks maken").click()
    expect(page.get_by_role("status")).to_contain_text("9 evaluatielinks gemaakt.")

    # Some answers come in.
    answers = [(5, 4, 3, 5, "Ik voelde me gehoord."), (4, 5, 2, 4, ""), (3, 3, 2, 4, "Te kort.")]
    clients = session.evaluations.filter(panel_member__isnull=False).order_by("pk")
    for evaluation, (a, b, c, d, comment) in zip(clients, answers, strict=False):
        service.submit_answers(
            evaluation=evaluation,
            answers={"experience": a, "safety": b, "enough_time": c, "again": d},
            comment=comment,
        )
    listener = session.evaluations.filter(listener__isnull=False).first()
    service.submit_answers(
        evaluation=listener, answers={"experience": 4}, comment="Confronterend en leerzaam."
    )

    page.reload()
    clients_section = page.locator("#summary-clients")
    expect(clients_section).to_contain_text("3 van 6 links ingevuld")
    expect(clients_section.get_by_role("row", name="Hoe vond u het gesprek?")).to_contain_text(
        "4,0"
    )
    expect(page.locator("#summary-listeners")).to_contain_text("Confronterend en leerzaam.")
    no_violations(axe, page)
    page.screenshot(path=screenshot_dir / "evaluation-summary.png", full_page=True)

    page.get_by_role("link", name="QR-codes voor op tafel").click()
    expect(page.locator(".qr-card")).to_have_count(9)
    expect(page.get_by_role("img", name="QR-code voor Deelnemer A")).to_be_visible()
    expect(page.get_by_role("button", name="Afdrukken")).to_be_visible()
    assert world.member.contact.name not in page.content()
    no_violations(axe, page)
    page.screenshot(path=screenshot_dir / "evaluation-sheet.png", full_page=True)

    # Printed, every card holds all its text (the A4 width between the margins, in CSS px).
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 703, "height": 1000})
    overflowing = page.eval_on_selector_all(
        ".qr-card", "cards => cards.filter(c => c.scrollHeight > c.clientHeight).length"
    )
    assert overflowing == 0

    # On A4: six cards a page, none cut in half (poppler's pdfinfo counts the pages).
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    path = screenshot_dir / "evaluation-sheet.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+2$", info.stdout, re.MULTILINE), info.stdout
