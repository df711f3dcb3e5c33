"""The evaluation form in the client's own language, in a real browser on a small phone:
Arabic right to left with Bootstrap's RTL build and the bundled Naskh font, Turkish letters,
the language switch; axe (WCAG 2.0/2.1/2.2 A and AA) finds nothing."""

import pytest
from playwright.sync_api import expect

from participants.models import PanelMember
from sessions.constants import Status
from sessions.models import Evaluation
from sessions.services import evaluation as service
from tests.factories import World

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 375, "height": 812}
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def small_phone(browser, browser_context_args, live_server, transactional_db):
    context = browser.new_context(
        **browser_context_args,
        viewport=SMALL_PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield context.new_page()
    context.close()


def form_of(language):
    world = World(status=Status.DEBRIEF)
    PanelMember.objects.filter(pk=world.member.pk).update(language=language)
    service.create_links(session=world.session)
    return Evaluation.objects.get(panel_member=world.member)


def test_the_arabic_form_runs_right_to_left_and_passes_axe(
    small_phone, live_server, axe, screenshot_dir
):
    evaluation = form_of("ar")
    page = small_phone
    page.goto(f"{live_server.url}/e/{evaluation.token}/")

    expect(page.get_by_role("heading", name="ما رأيك في الحوار؟")).to_be_visible()
    assert page.evaluate("() => getComputedStyle(document.body).direction") == "rtl"
    # The bundled Naskh font is loaded and used for the Arabic text.
    page.evaluate("() => document.fonts.ready")
    assert page.evaluate("() => document.fonts.check('16px \"Noto Naskh Arabic\"', 'مرحبا')")
    assert "Noto Naskh Arabic" in page.evaluate("() => getComputedStyle(document.body).fontFamily")
    # Mirrored: the heading's text starts at the right edge.
    left, right = page.evaluate(
        """() => { const range = document.createRange();
            range.selectNodeContents(document.querySelector("h1"));
            const box = range.getBoundingClientRect(); return [box.left, box.right]; }"""
    )
    assert SMALL_PHONE["width"] - right < left
    assert page.evaluate("() => document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    violations = axe(page, tags=WCAG_22_AA)
    assert violations == [], violations
    page.screenshot(path=screenshot_dir / "evaluation-ar-375.png", full_page=True)

    # A face chosen and an emoji and Arabic typed: thanks, in Arabic.
    page.get_by_role("group", name="كيف كان الحوار بالنسبة لك؟").get_by_text("جيد جدًا").click()
    page.get_by_label("هل تريد أن تضيف شيئًا؟").fill("شكرًا 👍🙂")
    page.get_by_role("button", name="إرسال").click()
    expect(page.get_by_role("heading", name="شكرًا لك!")).to_be_visible()
    assert axe(page, tags=WCAG_22_AA) == []
    evaluation.refresh_from_db()
    assert evaluation.comment == "شكرًا 👍🙂"


def test_the_turkish_form_and_the_switch_to_arabic(small_phone, live_server, axe, screenshot_dir):
    evaluation = form_of("tr")
    page = small_phone
    page.goto(f"{live_server.url}/e/{evaluation.token}/")

    expect(page.get_by_role("heading", name="Görüşme hakkında ne düşünüyorsunuz?")).to_be_visible()
    assert page.evaluate("() => document.documentElement.lang") == "tr"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    violations = axe(page, tags=WCAG_22_AA)
    assert violations == [], violations
    page.screenshot(path=screenshot_dir / "evaluation-tr-375.png", full_page=True)

    switch = page.get_by_role("navigation", name="Dilinizi seçin")
    switch.locator('a[hreflang="ar"]').click()
    expect(page.get_by_role("heading", name="ما رأيك في الحوار؟")).to_be_visible()
    assert page.evaluate("() => document.documentElement.dir") == "rtl"
    expect(page.locator('a[hreflang="ar"]')).to_have_attribute("aria-current", "true")
