"""The live page in a real browser: a whole meeting by keyboard only (Tab, Shift+Tab, Enter,
Space, arrows and the page's Alt+arrow shortcuts; no clicks, no programmatic focus), and never
losing a word.

Offline, a dead server, a lost answer, a double click, a reload and a second tab: each time
every note is stored exactly once (asserted in the database).
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from findings.models import Finding
from participants.constants import RecruitmentStatus
from participants.models import PanelMember
from sessions.constants import LiveStep, MeetingForm, Status
from sessions.models import Question, Rule, Session
from tests.browser.keyboard import tab_to
from tests.factories import PASSWORD, ListenerFactory, PanelMemberFactory, World

pytestmark = pytest.mark.browser

QUESTIONS = [
    "Hoe kwam u bij het wijkteam terecht?",
    "Wat ging er goed in het contact met de consulent?",
    "Wat had beter gekund bij het keukentafelgesprek?",
]
RULES = [
    "Toehoorders luisteren en reageren niet tijdens het gesprek.",
    "Er is geen discussie en niemand verdedigt zich.",
    "Wat hier gezegd wordt, blijft in deze ruimte.",
    "U spreekt voor uzelf.",
]
WAITING = re.compile(r"(\d+) notities? wachten? op opslaan")


def live_world(*, step=None, minutes_ago=12):
    """The access World with a realistic panel, guide and rules, its session live."""
    w = World(status="planned")
    session = w.session
    for _ in range(4):
        PanelMemberFactory(session=session)
    PanelMemberFactory(session=session, status=RecruitmentStatus.INVITED)
    ListenerFactory(session=session, name="Anouk Smit", function="Wmo-consulent")
    Question.objects.filter(pk=w.question.pk).update(
        text=QUESTIONS[0], position=1, planned_minutes=10
    )
    for position, text in enumerate(QUESTIONS[1:], start=2):
        Question.objects.create(session=session, position=position, text=text, planned_minutes=15)
    Rule.objects.filter(pk=w.rule.pk).update(text=RULES[0])
    for position, text in enumerate(RULES[1:], start=2):
        Rule.objects.create(session=session, position=position, text=text)
    fields = {"status": Status.LIVE, "live_at": timezone.now() - dt.timedelta(minutes=minutes_ago)}
    if step == LiveStep.QUESTIONS:
        fields.update(
            live_step=LiveStep.QUESTIONS,
            current_question=w.question,
            question_started_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
            rules_explained_at=timezone.now(),
        )
    Session.objects.filter(pk=session.pk).update(**fields)
    session.refresh_from_db()
    w.questions = list(session.questions.all())
    return w


def open_live(page, live_server, w):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/sessions/{w.session.pk}/live/")
    return page


def type_note(page, text):
    page.locator("#capture-text").fill(text)
    page.locator("#capture-save").click()


def assert_accessible(axe, page):
    violations = axe(page)
    assert violations == [], violations


def test_a_whole_meeting_by_keyboard(logged_in_page, live_server, screenshot_dir, axe):
    w = live_world()
    page = open_live(page=logged_in_page("facilitator", PASSWORD), live_server=live_server, w=w)

    # Check-in: pseudonym and a short name, ticked with the space bar.
    expect(page.get_by_role("heading", name="Wie is er?")).to_be_visible()
    assert_accessible(axe, page)
    page.screenshot(path=screenshot_dir / "live-1-checkin.png", full_page=True)
    # From the top of the page, past the menu and the breadcrumb trail, to the first name.
    tab_to(page, page.get_by_role("checkbox", name=re.compile("^Deelnemer A")))
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Alt+ArrowRight")

    # Opening: the rules to read aloud.
    expect(page.get_by_role("heading", name="Opening: lees de spelregels voor")).to_be_visible()
    expect(page.locator(".live-rules li")).to_have_count(len(RULES))
    expect(page.locator("#stage-title")).to_be_focused()
    assert_accessible(axe, page)
    page.screenshot(path=screenshot_dir / "live-2-opening.png", full_page=True)
    statuses = dict(w.session.panel_members.values_list("number", "status"))
    assert statuses[1] == statuses[2] == RecruitmentStatus.ATTENDED
    assert statuses[3] == RecruitmentStatus.NO_SHOW
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Spelregels zijn uitgelegd")).to_be_focused()
    page.keyboard.press("Enter")

    # The first question; the cursor waits in the text field.
    expect(page.locator("#stage-title")).to_have_text(QUESTIONS[0])
    expect(page.locator("#capture-text")).to_be_focused()
    speakers = page.locator("#live-speakers label")
    expect(speakers).to_have_text(["Niet gekozen", "Deelnemer A", "Deelnemer B"])
    page.keyboard.type("Ik werd snel teruggebeld, dat gaf rust.")
    page.keyboard.press("Tab")  # to the kind: Verbeterpunt is chosen; one to the left
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Tab")  # to the speaker
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Tab")  # the star
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.locator("#capture-save")).to_be_focused()
    page.keyboard.press("Enter")
    notes = page.locator("#live-notes-list .live-note")
    expect(notes).to_have_count(1)
    expect(notes.first).to_contain_text("Positief")
    expect(notes.first).to_contain_text("Deelnemer A")
    expect(notes.first).to_contain_text("kernmoment")
    expect(page.locator("#capture-text")).to_be_focused()
    page.keyboard.type("De brief was moeilijk te lezen.")
    page.keyboard.press("Control+Enter")
    expect(notes).to_have_count(2)
    stored = Finding.objects.order_by("pk")
    assert [(f.text, f.kind, f.starred, f.question_id) for f in stored] == [
        ("Ik werd snel teruggebeld, dat gaf rust.", "positive", True, w.questions[0].pk),
        ("De brief was moeilijk te lezen.", "improvement", False, w.questions[0].pk),
    ]
    assert stored[0].speaker.pseudonym == "Deelnemer A"
    assert_accessible(axe, page)
    page.screenshot(path=screenshot_dir / "live-3-question.png", full_page=True)

    # Correcting a note with the keyboard.
    tab_to(page, notes.first.get_by_role("button", name=re.compile("^Wijzig notitie")))
    page.keyboard.press("Enter")
    editor = notes.first.locator("form.live-edit")
    expect(editor.locator("textarea")).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(" Echt waar.")
    assert_accessible(axe, page)
    page.screenshot(path=screenshot_dir / "live-4-edit.png", full_page=True)
    page.keyboard.press("Tab")  # kind
    page.keyboard.press("Tab")  # speaker
    page.keyboard.press("Tab")  # star
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(notes.first).to_contain_text("Echt waar.")
    expect(notes.first).to_contain_text("gewijzigd")
    corrected = Finding.objects.get(text="De brief was moeilijk te lezen. Echt waar.")
    assert corrected.version == 2  # the newest note is on top

    # On to the next question with its button, reached with Shift+Tab from the notes.
    tab_to(page, page.get_by_role("button", name="Volgende vraag"), back=True)
    page.keyboard.press("Enter")
    expect(page.locator("#stage-title")).to_have_text(QUESTIONS[1])
    expect(page.locator("#live-notes-list [data-empty]")).to_be_visible()
    # Then with Alt+→ and Alt+← (not while typing: from the kind, one Tab on from the text).
    expect(page.locator("#capture-text")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#kind-improvement")).to_be_focused()
    page.keyboard.press("Alt+ArrowRight")
    expect(page.locator("#stage-title")).to_have_text(QUESTIONS[2])
    page.keyboard.press("Tab")
    page.keyboard.press("Alt+ArrowLeft")
    expect(page.locator("#stage-title")).to_have_text(QUESTIONS[1])
    session = Session.objects.get(pk=w.session.pk)
    assert session.current_question_id == w.questions[1].pk

    # The last question chosen from the guide: the list opened with Enter, the question too.
    guide = page.locator(".live-guide")
    tab_to(page, guide.locator("summary"), back=True)
    page.keyboard.press("Enter")
    tab_to(page, guide.get_by_role("button", name=QUESTIONS[2]))
    page.keyboard.press("Enter")
    expect(page.locator("#stage-title")).to_have_text(QUESTIONS[2])

    # The last question offers the listeners' questions and the end.
    expect(page.get_by_role("button", name="Gesprek beëindigen")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Alt+ArrowRight")
    expect(
        page.get_by_role("heading", name="Verduidelijkende vragen van toehoorders")
    ).to_be_visible()
    expect(page.locator("#capture-text")).to_be_focused()
    page.keyboard.type("Een toehoorder vroeg naar de wachttijd.")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#live-notes-list .live-note")).to_have_count(1)
    assert_accessible(axe, page)
    page.screenshot(path=screenshot_dir / "live-5-clarifying.png", full_page=True)

    # Ending: a confirmation, then the counts.
    page.once("dialog", lambda dialog: dialog.accept())
    tab_to(page, page.get_by_role("button", name="Gesprek beëindigen"), back=True)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Het gesprek is afgelopen")).to_be_visible()
    expect(page.get_by_role("heading", name="3 notities")).to_be_visible()
    assert Session.objects.get(pk=w.session.pk).status == Status.DEBRIEF
    assert_accessible(axe, page)
    page.screenshot(path=screenshot_dir / "live-6-ended.png", full_page=True)


def test_a_key_pressed_as_the_next_question_arrives_moves_on_without_a_reload(
    logged_in_page, live_server
):
    """htmx takes up a swapped-in stage a moment after the swap; a key pressed in that moment
    used to post the plain form, reload the page and lose the cursor (seen on CI)."""
    w = live_world(step=LiveStep.QUESTIONS)
    page = open_live(logged_in_page("facilitator", PASSWORD), live_server, w)
    expect(page.locator("#stage-title")).to_have_text(QUESTIONS[0])
    page.evaluate(
        """() => {
            window.samePage = true;
            document.addEventListener("htmx:oobBeforeSwap", (event) => {
                if (event.detail.target.id !== "live-stage" || window.pressed) return;
                window.pressed = true;
                // The second Alt+→ right after the swap, before htmx settles it (20 ms).
                const key = {key: "ArrowRight", altKey: true, bubbles: true};
                window.setTimeout(() => document.getElementById("kind-improvement")
                    .dispatchEvent(new KeyboardEvent("keydown", key)));
            });
        }"""
    )
    page.locator("#kind-improvement").focus()
    page.keyboard.press("Alt+ArrowRight")

    expect(page.locator("#stage-title")).to_have_text(QUESTIONS[2])
    expect(page.locator("#capture-text")).to_be_focused()
    assert page.evaluate("window.samePage === true"), "the page was reloaded"
    assert Session.objects.get(pk=w.session.pk).current_question_id == w.questions[2].pk


def test_an_answer_overtaken_by_a_move_does_not_bring_the_old_stage_back(
    logged_in_page, live_server
):
    """A poll's answer that left the server before one's own move arrives after it: dropped."""
    w = live_world(step=LiveStep.QUESTIONS)
    page = open_live(logged_in_page("facilitator", PASSWORD), live_server, w)
    expect(page.locator("#stage-title")).to_have_text(QUESTIONS[0])
    page.evaluate(
        """() => {
            window.polled = 0;
            document.querySelector("#live [hx-trigger^='every']")
                .addEventListener("htmx:afterRequest", () => { window.polled += 1; });
        }"""
    )
    held = []

    def hold(route):
        # The server answers now (the second question, moved to in another tab); the page
        # receives that answer only when the test lets it.
        held.append((route, route.fetch()))

    page.route("**/live/state*", hold)
    now = timezone.now()
    Session.objects.filter(pk=w.session.pk).update(
        current_question=w.questions[1], question_started_at=now, updated_at=now
    )
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "no poll within 10 s"

    # This tab goes back to the rules; then the older answer arrives.
    page.get_by_role("button", name="Terug naar de spelregels").click()
    expect(page.get_by_role("heading", name="Opening: lees de spelregels voor")).to_be_visible()
    polled = page.evaluate("window.polled")
    route, answer = held[0]
    route.fulfill(response=answer)
    page.wait_for_function(f"() => window.polled > {polled}")
    assert page.locator("#stage-title").inner_text() == "Opening: lees de spelregels voor"
    page.unroute("**/live/state*")
    for route, _answer in held[1:]:
        route.abort()


def test_three_notes_made_offline_are_stored_once_when_back_online(
    logged_in_page, live_server, screenshot_dir
):
    w = live_world(step=LiveStep.QUESTIONS)
    page = open_live(logged_in_page("facilitator", PASSWORD), live_server, w)
    expect(page.locator("#capture-text")).to_be_visible()

    page.context.set_offline(True)
    for n in range(1, 4):
        type_note(page, f"Offline notitie {n}")
    expect(page.locator("#live-queue")).to_contain_text("3 notities wachten op opslaan")
    expect(page.locator("#live-pending .live-note")).to_have_count(3)
    page.screenshot(path=screenshot_dir / "live-offline.png", full_page=True)
    assert not Finding.objects.exists()

    page.context.set_offline(False)
    expect(page.locator("#live-queue")).to_have_text(
        "Alle notities zijn opgeslagen.", timeout=15000
    )
    expect(page.locator("#live-pending .live-note")).to_have_count(0)
    expect(page.locator("#live-notes-list .live-note")).to_have_count(3)
    texts = sorted(Finding.objects.values_list("text", flat=True))
    assert texts == ["Offline notitie 1", "Offline notitie 2", "Offline notitie 3"]


def test_a_double_click_stores_one_note(logged_in_page, live_server):
    w = live_world(step=LiveStep.QUESTIONS)
    page = open_live(logged_in_page("facilitator", PASSWORD), live_server, w)

    page.locator("#capture-text").fill("Twee keer geklikt")
    page.locator("#capture-save").dblclick()
    expect(page.locator("#live-notes-list .live-note")).to_have_count(1)
    page.wait_for_timeout(500)
    assert Finding.objects.filter(text="Twee keer geklikt").count() == 1
    expect(page.locator("#capture-error")).to_be_empty()

    # Notes saved in quick succession with Ctrl+Enter are each stored, once.
    for n in (1, 2):
        page.locator("#capture-text").fill(f"Snel erachteraan {n}")
        page.locator("#capture-text").press("Control+Enter")
    expect(page.locator("#live-notes-list .live-note")).to_have_count(3)
    assert Finding.objects.filter(text__startswith="Snel erachteraan").count() == 2


def test_a_lost_answer_is_retried_and_stored_once(logged_in_page, live_server):
    w = live_world(step=LiveStep.QUESTIONS)
    page = open_live(logged_in_page("facilitator", PASSWORD), live_server, w)
    lost = []

    def lose_the_first_answer(route):
        if not lost:
            lost.append(route.fetch())  # the server stores the note ...
            route.abort()  # ... but the browser never hears so
        else:
            route.continue_()

    page.route("**/live/findings/", lose_the_first_answer)
    type_note(page, "Antwoord kwijt")
    expect(page.locator("#live-notes-list .live-note")).to_have_count(1, timeout=15000)
    assert lost and lost[0].status == 201
    assert Finding.objects.filter(text="Antwoord kwijt").count() == 1


def test_queued_notes_and_a_draft_survive_a_reload(logged_in_page, live_server):
    w = live_world(step=LiveStep.QUESTIONS)
    page = open_live(logged_in_page("facilitator", PASSWORD), live_server, w)

    def dead_server(route):
        route.abort()

    page.route("**/live/findings/", dead_server)
    type_note(page, "Voor de herstart 1")
    type_note(page, "Voor de herstart 2")
    page.locator("#capture-text").fill("Nog niet opgeslagen")
    expect(page.locator("#live-queue")).to_contain_text("2 notities wachten op opslaan")

    page.reload()
    expect(page.locator("#live-pending .live-note")).to_have_count(2)
    expect(page.locator("#capture-text")).to_have_value("Nog niet opgeslagen")
    assert not Finding.objects.exists()

    page.unroute("**/live/findings/", dead_server)
    expect(page.locator("#live-notes-list .live-note")).to_have_count(2, timeout=15000)
    assert sorted(Finding.objects.values_list("text", flat=True)) == [
        "Voor de herstart 1",
        "Voor de herstart 2",
    ]


def test_a_refused_note_comes_back_to_the_text_field(logged_in_page, live_server):
    w = live_world(step=LiveStep.QUESTIONS)
    page = open_live(logged_in_page("facilitator", PASSWORD), live_server, w)
    w.member.delete()  # removed from the panel in another window, still a chip here

    page.locator("#capture-text").fill("Zei Deelnemer A")
    page.get_by_text("Deelnemer A", exact=True).click()
    page.locator("#capture-save").click()
    expect(page.locator("#capture-error")).to_have_text(
        "De vraag of de spreker hoort niet bij dit gesprek."
    )
    expect(page.locator("#capture-text")).to_have_value("Zei Deelnemer A")
    expect(page.locator("#live-pending .live-note")).to_have_count(0)
    assert not Finding.objects.exists()


def test_two_tabs_stay_consistent_and_a_conflict_shows_both_texts(
    logged_in_page, live_server, screenshot_dir, axe
):
    w = live_world(step=LiveStep.QUESTIONS)
    first = open_live(logged_in_page("facilitator", PASSWORD), live_server, w)
    second = open_live(first.context.new_page(), live_server, w)

    type_note(first, "Uit het eerste tabblad")
    expect(second.locator("#live-notes-list .live-note")).to_contain_text(
        ["Uit het eerste tabblad"], timeout=10000
    )

    # Tab two follows the question tab one moves to.
    first.get_by_role("button", name="Volgende vraag").click()
    expect(second.locator("#stage-title")).to_have_text(QUESTIONS[1], timeout=10000)
    first.get_by_role("button", name="Vorige vraag").click()
    expect(second.locator("#stage-title")).to_have_text(QUESTIONS[0], timeout=10000)
    expect(second.locator("#live-notes-list .live-note")).to_have_count(1, timeout=10000)

    # Both open the same note; the first saves, the second gets both texts.
    second.get_by_role("button", name=re.compile("^Wijzig notitie")).click()
    first.get_by_role("button", name=re.compile("^Wijzig notitie")).click()
    first.locator("form.live-edit textarea").fill("Verbeterd in tabblad één")
    first.get_by_role("button", name="Wijziging opslaan").click()
    expect(first.locator("#live-notes-list .live-note")).to_contain_text(
        ["Verbeterd in tabblad één"]
    )
    second.locator("form.live-edit textarea").fill("Verbeterd in tabblad twee")
    second.get_by_role("button", name="Wijziging opslaan").click()
    conflict = second.locator(".live-conflict")
    expect(conflict).to_contain_text("Deze notitie is intussen gewijzigd")
    expect(conflict.locator("[data-theirs]")).to_have_text("Verbeterd in tabblad één")
    expect(conflict.locator("[data-yours]")).to_have_text("Verbeterd in tabblad twee")
    expect(second.get_by_role("button", name="Wijziging opslaan")).to_be_hidden()
    assert Finding.objects.get().text == "Verbeterd in tabblad één"
    assert_accessible(axe, second)
    second.screenshot(path=screenshot_dir / "live-conflict.png", full_page=True)

    second.get_by_role("button", name="Mijn versie opslaan").click()
    expect(second.locator("#live-notes-list .live-note")).to_contain_text(
        ["Verbeterd in tabblad twee"]
    )
    finding = Finding.objects.get()
    assert (finding.text, finding.version) == ("Verbeterd in tabblad twee", 3)
    assert list(finding.revisions.values_list("text", flat=True)) == [
        "Uit het eerste tabblad",
        "Verbeterd in tabblad één",
    ]
    expect(first.locator("#live-notes-list .live-note")).to_contain_text(
        ["Verbeterd in tabblad twee"], timeout=10000
    )


def test_the_start_page_of_a_planned_session(logged_in_page, live_server, screenshot_dir, axe):
    w = World(status="planned")
    page = logged_in_page("facilitator", PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/sessions/{w.session.pk}/live/")

    expect(page.get_by_role("heading", name="Het gesprek is nog niet gestart")).to_be_visible()
    assert_accessible(axe, page)
    # The factory plans it two weeks ahead: the page warns, and the button asks first.
    expect(page.get_by_role("alert")).to_contain_text("gepland voor later")
    page.screenshot(path=screenshot_dir / "live-0-start.png", full_page=True)
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Gesprek starten").click()
    expect(page.get_by_role("heading", name="Wie is er?")).to_be_visible()
    assert "staat gepland op" in asked[0]
    assert page.url.endswith(f"/sessions/{w.session.pk}/live/")


def test_the_clocks_show_time_over_calmly(logged_in_page, live_server):
    w = live_world(step=LiveStep.QUESTIONS, minutes_ago=12)
    page = open_live(logged_in_page("facilitator", PASSWORD), live_server, w)

    expect(page.locator("[data-clock=question]")).to_have_text(re.compile(r"^12:\d\d$"))
    expect(page.locator("[data-over=question]")).to_have_text("· 2 min over")
    expect(page.locator("[data-clock=meeting]")).to_have_text(re.compile(r"^12:\d\d$"))
    expect(page.locator("[data-over=meeting]")).to_be_empty()


def test_a_hybrid_check_in_records_who_joined_online(
    logged_in_page, live_server, screenshot_dir, axe
):
    w = live_world()
    Session.objects.filter(pk=w.session.pk).update(
        meeting_form=MeetingForm.HYBRID, online_url="https://beeldbellen.example.nl/spiegel-1"
    )
    at_home, in_the_room = w.session.panel_members.order_by("number")[:2]
    PanelMember.objects.filter(pk=at_home.pk).update(online=True)
    page = open_live(logged_in_page(w.facilitator.username, PASSWORD), live_server, w)

    expect(page.get_by_role("link", name="Online bijeenkomst openen")).to_be_visible()
    expect(page.get_by_label(f"{at_home.pseudonym} doet online mee")).to_be_checked()
    page.get_by_label(at_home.pseudonym, exact=False).first.check()
    page.get_by_label(in_the_room.pseudonym, exact=False).first.check()
    assert_accessible(axe, page)
    page.screenshot(path=screenshot_dir / "live-hybrid-check-in.png", full_page=True)
    page.get_by_role("button", name="Aanwezigheid vastleggen").click()
    expect(page.locator("#stage-title")).to_have_text("Opening: lees de spelregels voor")

    online = dict(w.session.panel_members.values_list("pk", "online"))
    assert online[at_home.pk] is True and online[in_the_room.pk] is False
    statuses = dict(w.session.panel_members.values_list("pk", "status"))
    assert statuses[at_home.pk] == statuses[in_the_room.pk] == RecruitmentStatus.ATTENDED


def test_throwing_a_refused_note_away_keeps_the_keyboard_where_it_was(logged_in_page, live_server):
    w = live_world(step=LiveStep.QUESTIONS)
    page = open_live(logged_in_page("facilitator", PASSWORD), live_server, w)
    # Two notes the server refused earlier (kept in the browser until the user decides).
    page.evaluate(
        """([user, session]) => localStorage.setItem(
            `spiegel:rejected:${user}:${session}`,
            JSON.stringify(["Eerste", "Tweede"].map((text, i) => ({
                client_id: `refused-${i}`, text: `${text} geweigerde notitie`, kind: "positive",
                errors: ["De bijeenkomst is voorbij."],
            }))),
        )""",
        [w.facilitator.pk, w.session.pk],
    )
    page.reload()
    page.on("dialog", lambda dialog: dialog.accept())
    refused = page.locator("#live-rejected .live-rejected")
    expect(refused).to_have_count(2)

    tab_to(page, refused.first.get_by_role("button", name="Weggooien"))
    page.keyboard.press("Enter")

    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("Tweede geweigerde notitie")
    expect(refused.first.get_by_role("button", name="Terug in het invoerveld")).to_be_focused()

    page.keyboard.press("Tab")
    expect(refused.first.get_by_role("button", name="Weggooien")).to_be_focused()
    page.keyboard.press("Enter")

    expect(refused).to_have_count(0)
    expect(page.locator("#capture-text")).to_be_focused()
