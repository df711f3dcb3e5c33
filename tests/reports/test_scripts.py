"""Every script and emoji in PDFs (issue 12, point 6): clients' words in Arabic, Turkish and
with emoji print with the bundled fonts (Noto Naskh Arabic, Noto Emoji, Source Sans 3), never as
an empty box (.notdef) or from a font the server happens to have; the feedback letter in
Arabic runs right to left.

Each case checks the WeasyPrint log (no warning), the text as a reader's tool extracts it
(pypdf), the fonts the PDF embeds, and that pdftoppm renders every page with ink on it.
pypdf reads some Arabic letter pairs (lam-alef, feh-yeh) back incompletely, so the Arabic
words asserted here are ones it reads whole.
"""

import pytest
from django.utils import timezone

from findings.models import FeedbackLetter, ImprovementAction
from findings.reports.documents import render_session_document
from participants.models import PanelMember
from sessions.access import get_session_for
from tests.factories import FindingFactory, ReportWorld, RuleFactory
from tests.pdf_helpers import (
    assert_accessible,
    assert_only_bundled_fonts,
    assert_pages_not_blank,
    pdf_text,
    weasyprint_log_must_stay_clean,
)
from workshops import services as workshop_services
from workshops.models import Participant, RoundEvaluation

pytestmark = pytest.mark.django_db

EMOJI = "Top 👍🙂"
TURKISH = "Görüşme çok iyiydi, ğ ş ı İ Ş Ğ"
ARABIC = "مرحبا بكم في مدينتي"  # "welcome to my town"
# pypdf reads "في" back as "ني" (its final yeh): asserted are the words it reads whole.
ARABIC_WORDS = ["مرحبا", "بكم", "مدينتي"]


def flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def w(db):
    world = ReportWorld()
    for text in (EMOJI, TURKISH, ARABIC, f"❤️ {ARABIC} 👍 {TURKISH}"):
        FindingFactory(
            session=world.session,
            text=text,
            kind="positive",
            question=world.question,
            speaker=world.member,
        )
    return world


def render(w, slug, **kwargs):
    session = get_session_for(w.coordinator, w.session.pk)
    with weasyprint_log_must_stay_clean():
        return render_session_document(slug, session, **kwargs)


def assert_renders(data, tmp_path):
    assert_pages_not_blank(data, tmp_path)


def test_the_report_prints_emoji_arabic_and_turkish_words_with_the_bundled_fonts(w, tmp_path):
    data = render(w, "report")
    text = flat(pdf_text(data))
    assert flat(EMOJI) in text
    assert flat(TURKISH) in text
    for word in ARABIC_WORDS:
        assert word in text, word
    fonts = assert_only_bundled_fonts(data)
    assert any(f.startswith("Noto-Emoji") for f in fonts), fonts
    assert any(f.startswith("Noto-Naskh-Arabic") for f in fonts), fonts
    assert_renders(data, tmp_path)


def test_a_letter_written_with_emoji_and_other_scripts_prints_them(w, tmp_path):
    FeedbackLetter.objects.create(
        session=w.session,
        text=f"Beste deelnemer,\n\n{EMOJI}\n\n- {TURKISH}\n- {ARABIC}",
        finalised_at=timezone.now(),
        finalised_by=w.coordinator,
    )
    data = render(w, "feedback-letter")
    text = flat(pdf_text(data))
    assert flat(EMOJI) in text and flat(TURKISH) in text
    assert all(word in text for word in ARABIC_WORDS)
    assert_only_bundled_fonts(data)
    assert_accessible(data, lang="nl")
    assert_renders(data, tmp_path)


@pytest.mark.parametrize(
    ("language", "subject", "concept"),
    [
        ("nl", "Wat wij doen met uw verhaal", "CONCEPT"),
        ("en", "What we do with your story", "DRAFT"),
        ("tr", "anlattıklarınızla ne yapıyoruz", "TASLAK"),
        ("ar", "مسودة", "مسودة"),
    ],
)
def test_the_letter_is_printed_in_each_client_language(w, tmp_path, language, subject, concept):
    data = render(w, "feedback-letter", language=language)
    text = flat(pdf_text(data))
    assert flat(subject) in text
    assert concept in text
    # The action's sentence for clients was written by staff: it stays as written.
    assert flat("Wij schrijven onze brieven voortaan in eenvoudige taal.") in text
    assert_accessible(data, lang=language)
    assert_only_bundled_fonts(data)
    assert_renders(data, tmp_path)


def test_the_arabic_letter_runs_right_to_left_in_naskh_with_each_paragraph_its_own_way(w, tmp_path):
    from django.template.loader import render_to_string
    from django.utils import translation

    from findings.reports.documents import feedback_letter_context
    from spiegel.pdf import render_pdf

    session = get_session_for(w.coordinator, w.session.pk)
    context = feedback_letter_context(session, language="ar")
    with translation.override("ar"):
        html = render_to_string("reports/feedback_letter.html", {**context, "LANGUAGE_CODE": "ar"})
    assert '<html lang="ar" dir="rtl">' in html
    # Our greeting, translated, runs right to left; the action's sentence staff wrote in
    # Dutch keeps its own direction.
    assert '<p dir="rtl">عزيزي المشارك، عزيزتي المشاركة،' in html
    assert '<ul dir="ltr"><li>U wordt binnen twee werkdagen teruggebeld.' in html
    with weasyprint_log_must_stay_clean():
        data = render_pdf("reports/feedback_letter.html", context, language="ar")
    fonts = assert_only_bundled_fonts(data)
    assert any(f.startswith("Noto-Naskh-Arabic") for f in fonts), fonts
    assert_accessible(data, lang="ar")
    assert_renders(data, tmp_path)


def test_an_unknown_language_gives_the_letter_in_the_sessions_language(w):
    data = render(w, "feedback-letter", language="xx-<script>")
    assert_accessible(data, lang="nl")
    assert "CONCEPT" in flat(pdf_text(data))


def test_members_language_is_stored_and_defaults_to_dutch(w):
    assert PanelMember.objects.get(pk=w.member.pk).language == "nl"


WORDS = f"{EMOJI} {ARABIC} {TURKISH}"


def assert_prints_every_script(data, tmp_path, *, emoji=True):
    text = flat(pdf_text(data))
    if emoji:
        assert flat(EMOJI) in text
    assert flat(TURKISH) in text
    assert all(word in text for word in ARABIC_WORDS), text
    fonts = assert_only_bundled_fonts(data)
    assert any(f.startswith("Noto-Naskh-Arabic") for f in fonts), fonts
    if emoji:
        assert any(f.startswith("Noto-Emoji") for f in fonts), fonts
    assert_renders(data, tmp_path)


@pytest.mark.parametrize("slug", ["listener-info", "rules-card"])
def test_the_listener_sheet_and_the_rules_card_print_every_script(w, tmp_path, slug):
    RuleFactory(session=w.session, text=WORDS)
    assert_prints_every_script(render(w, slug), tmp_path)


def test_the_actions_overview_prints_every_script(w, client, tmp_path):
    ImprovementAction.objects.filter(pk=w.letter_action.pk).update(title=WORDS)
    client.force_login(w.coordinator)
    with weasyprint_log_must_stay_clean():
        response = client.get("/actions/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert_prints_every_script(b"".join(response.streaming_content) if response.streaming
                               else response.content, tmp_path)  # fmt: skip


def test_the_workshop_summary_prints_every_script(w, client, tmp_path):
    workshop = workshop_services.create_workshop(
        organisation=w.org_a, title="In gesprek over kwaliteit", facilitator=w.facilitator
    )
    participant = Participant.objects.create(workshop=workshop, role=workshop.roles.first())
    RoundEvaluation.objects.create(
        participant=participant,
        round=workshop.rounds.order_by("position").first(),
        feeling=4,
        experience=WORDS,
    )
    client.force_login(w.facilitator)
    with weasyprint_log_must_stay_clean():
        response = client.get(f"/workshops/{workshop.pk}/summary.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert_prints_every_script(response.content, tmp_path)
