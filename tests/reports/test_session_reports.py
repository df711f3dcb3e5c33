"""The four PDFs of a session: what they say, what they never say, and that they are accessible,
safe with hostile text, and built in a constant number of queries."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from findings.models import Debrief, FeedbackLetter, Finding, ImprovementAction, Lesson, Theme
from findings.reports.documents import (
    SESSION_DOCUMENTS,
    card_size,
    render_session_document,
    session_report_context,
)
from participants.models import PanelMemberContact
from sessions.access import get_session_for
from sessions.constants import Status
from sessions.models import Question, Rule, Session
from spiegel.pdf import locked_url_fetcher_class
from tests.factories import (
    ACT_ON,
    IMPACT,
    LESSON,
    LISTENER_FUNCTION,
    QUOTE_A,
    QUOTE_B,
    QUOTE_C,
    REAL_NAMES,
    WITHDRAWN_FINDING,
    DebriefWorld,
    ReportWorld,
)
from tests.pdf_helpers import (
    assert_accessible,
    assert_pages_not_blank,
    pdf_info,
    pdf_text,
    weasyprint_log_must_stay_clean,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):
    return ReportWorld()


def flat(text: str) -> str:
    """Text without any whitespace: pypdf breaks lines where the layout did."""
    return "".join(text.split())


def render(w, slug, **kwargs):
    session = get_session_for(w.coordinator, w.session.pk)
    return render_session_document(slug, session, **kwargs)


def text_of(w, slug):
    return flat(pdf_text(render(w, slug)))


# — the session report —


def test_the_report_follows_the_standard_structure(w):
    with weasyprint_log_must_stay_clean():
        data = render(w, "report")
    text = flat(pdf_text(data))
    for expected in [
        "VERSLAG VAN EEN SPIEGELGESPREK",  # the kicker, in capitals
        w.session.title,
        "Gemeente Alfa",
        "De Wmo-aanvraag bij het wijkteam",
        "Wijkcentrum De Kade, Vlaardingen",
        "Voornaam",  # the facilitator's name (a professional)
        "Samenvatting in cijfers",
        "Wie deden er mee",
        "Deelnemer A",
        "Deelnemer C",
        LISTENER_FUNCTION,
        "De spelregels",
        "Wat hier gezegd wordt, blijft in deze ruimte.",
        "Vraag 1: Hoe verliep uw eerste contact met het wijkteam?",
        "Vraag 2: Wat vond u van de beslissing over uw aanvraag?",
        "Wat goed gaat",
        "Verbeterpunten",
        "Wensen",
        "Citaten",
        "Bevindingen zonder vraag",
        "De consulent nam echt de tijd aan de keukentafel.",
        "Het nagesprek",
        "Wat deed de feedback met ons?",
        IMPACT,
        ACT_ON,
        LESSON,
        "Blinde vlekken",
        "De brief over de beschikking was voor mij niet te begrijpen.",
        "Bereikbaarheid",
        "Verbeteracties",
        "Terugbelbelofte nakomen",
        "Beschikkingsbrief herschrijven op B1-niveau",
        "Bezig",
        "Evaluatie van het gesprek",
        "Cliënten: 2 van 2 ingevuld.",
        "Toehoorders: 1 van 1 ingevuld.",
        "Hoe vond u het gesprek?",
        "4,5",  # the clients' average experience, Dutch decimals
        "Pagina 1 van",
    ]:
        assert flat(expected) in text, expected
    assert_accessible(data, lang="nl")
    assert pdf_info(data)["title"] == f"Verslag: {w.session.title}"


def test_the_report_says_concept_until_the_session_is_closed(w):
    assert "Concept:hetnagesprekisnognietafgerond" in text_of(w, "report")
    Session.objects.filter(pk=w.session.pk).update(status=Status.CLOSED)
    assert "Concept:hetnagesprek" not in text_of(w, "report")


def test_quotes_come_only_from_members_who_consented_and_did_not_withdraw(w):
    text = text_of(w, "report")
    assert flat(QUOTE_A) in text
    assert flat(QUOTE_B) not in text  # B withdrew
    assert flat(QUOTE_C) not in text  # C never agreed to quotes
    assert "1citaatstaatnietinditverslag" in text  # C's; B's is counted below


def test_nothing_a_withdrawn_member_said_is_in_the_report(w):
    text = text_of(w, "report")
    assert flat(WITHDRAWN_FINDING) not in text
    assert flat(QUOTE_B) not in text
    assert "DeelnemerB" not in text
    assert "2bevindingenstaannietinditverslag,omdatdetoestemmingwerdingetrokken" in text
    assert "1deelnemertrokdetoestemminglaterin" in text
    context = session_report_context(w.session)
    assert context["panel"] == ["Deelnemer A", "Deelnemer C"]
    assert context["panel_count"] == 3  # B did take part


def test_listeners_appear_by_function_only(w):
    text = text_of(w, "report")
    assert flat(LISTENER_FUNCTION) in text
    for name in ["Lies Luisteraar", "Bram Beleid", "Afwezige Ambtenaar"]:
        assert flat(name) not in text
    # The absent listener does not count; Lies and Bram do.
    context = session_report_context(w.session)
    assert context["listener_count"] == 2


def test_evaluation_comments_stay_out_of_the_report(w):
    assert "Truus" not in text_of(w, "report")


def test_an_english_session_gets_an_english_report(w):
    Session.objects.filter(pk=w.session.pk).update(language="en")
    data = render(w, "report")
    assert_accessible(data, lang="en")
    text = flat(pdf_text(data))
    assert "Page1of" in text
    assert "Participant A" in pdf_text(data)


def test_an_empty_session_says_what_is_missing_instead_of_empty_headings(db):
    w = DebriefWorld()
    Finding.objects.filter(session=w.session).delete()
    Rule.objects.filter(session=w.session).delete()
    text = text_of(w, "report")
    for expected in [
        "Bij deze vraag is niets genoteerd.",
        "Nog niet beantwoord.",
        "Nog geen lessen vastgelegd.",
        "Nog geen bevindingen als blinde vlek aangemerkt.",
        "Nog geen bevindingen in thema's ingedeeld.",
        "Nog geen verbeteracties.",
        "Voor dit gesprek zijn geen spelregels vastgelegd.",
        "Nog geen evaluatie",
    ]:
        assert flat(expected) in text, expected


# — the other documents —


def test_the_listener_sheet_explains_the_role_rules_date_place_and_what_follows(w):
    with weasyprint_log_must_stay_clean():
        data = render(w, "listener-info")
    text = flat(pdf_text(data))
    for expected in [
        "Informatie voor toehoorders",
        "Wat is een spiegelgesprek?",
        "Uw rol als toehoorder",
        "U luistert in stilte.",
        "De spelregels van dit gesprek",
        "Wat hier gezegd wordt, blijft in deze ruimte.",
        "Wijkcentrum De Kade, Vlaardingen",
        "Na afloop",
        "Terugkoppelingsbrief",
    ]:
        assert flat(expected) in text, expected
    assert_accessible(data)


def test_the_rules_card_is_an_a5_landscape_card_with_the_rules(w):
    with weasyprint_log_must_stay_clean():
        data = render(w, "rules-card")
    page = PdfReader(io.BytesIO(data)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (595, 420)  # A5 landscape in points
    text = flat(pdf_text(data))
    assert "Spelregels" in text
    assert flat("Wat hier gezegd wordt, blijft in deze ruimte.") in text
    assert_accessible(data)


def test_the_rules_card_picks_smaller_type_for_more_rules():
    assert card_size(["Toehoorders zwijgen."] * 5) == "xlarge"
    assert card_size(["Wat hier gezegd wordt, blijft in deze ruimte. " * 2] * 8) != "xlarge"
    assert card_size(["x" * 300] * 12) == "small"


def test_a_draft_letter_is_marked_concept_and_greets_no_one_by_name(w):
    with weasyprint_log_must_stay_clean():
        data = render(w, "feedback-letter")
    text = flat(pdf_text(data))
    assert "CONCEPT" in text
    assert "Bestedeelnemer," in text
    assert flat("Wij schrijven onze brieven voortaan in eenvoudige taal.") in text
    assert_accessible(data)


def test_a_final_letter_prints_the_stored_text_without_concept(w):
    from django.utils import timezone

    FeedbackLetter.objects.create(
        session=w.session,
        text="Beste deelnemer,\n\nDank u wel.\n\n- Wij bellen binnen twee dagen terug.",
        finalised_at=timezone.now(),
        finalised_by=w.coordinator,
    )
    text = text_of(w, "feedback-letter")
    assert "CONCEPT" not in text
    assert "Wijbellenbinnentweedagenterug." in text


# — privacy across every document —


def test_no_panel_members_real_name_appears_in_any_report(w):
    names = list(PanelMemberContact.objects.values_list("name", flat=True))
    assert set(REAL_NAMES) <= set(names)
    for slug in SESSION_DOCUMENTS:
        text = pdf_text(render(w, slug))
        for name in names:
            assert name not in text, (slug, name)
            assert flat(name) not in flat(text), (slug, name)


def test_the_report_builders_never_load_contact_details(w):
    with CaptureQueriesContext(connection) as queries:
        for document in SESSION_DOCUMENTS.values():
            document.builder(get_session_for(w.coordinator, w.session.pk))
    assert not any("panelmembercontact" in q["sql"].lower() for q in queries)


# — pictures, tags and a clean log for every document —


@pytest.mark.parametrize("slug", list(SESSION_DOCUMENTS))
def test_every_page_of_every_document_is_tagged_and_not_blank(w, slug, tmp_path):
    w.add_findings(60)
    w.add_actions(12)
    with weasyprint_log_must_stay_clean():
        data = render(w, slug)
    assert_accessible(data)
    assert_pages_not_blank(data, tmp_path)


# — hostile text —

HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    "http://127.0.0.1:9/x.png",
    'body { background: url("file:///etc/passwd") }',
    "</style><style>body{background:url(http://127.0.0.1:9/y.png)}</style>",
    '<svg><image href="file:///etc/passwd"/></svg>',
]


def put_everywhere(w, payload):
    """The payload in every text a user types that a session document prints."""
    Finding.objects.filter(pk=w.findings[0].pk).update(text=payload, blind_spot=True)
    Finding.objects.filter(pk=w.quote_a.pk).update(text=payload)
    Lesson.objects.create(session=w.session, text=payload, created_by=w.listener)
    Debrief.objects.filter(session=w.session).update(impact=payload, act_on=payload)
    ImprovementAction.objects.filter(pk=w.callback.pk).update(title=payload[:200])
    Rule.objects.filter(session=w.session).update(text=payload)
    Theme.objects.filter(pk=w.theme.pk).update(name=payload[:120])
    Session.objects.filter(pk=w.session.pk).update(
        title=payload[:200], location=payload, theme=payload[:200]
    )
    FeedbackLetter.objects.create(session=w.session, text=f"Beste deelnemer,\n\n{payload}")


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_is_printed_as_text_and_the_fetcher_is_asked_for_nothing_else(w, payload):
    put_everywhere(w, payload)
    for slug in SESSION_DOCUMENTS:
        fetcher = locked_url_fetcher_class()()
        with weasyprint_log_must_stay_clean():
            data = render(w, slug, fetcher=fetcher)
        assert fetcher.refused == [], slug
        assert all(url == "data:" or url.startswith("asset:") for url in fetcher.served), slug
        assert flat(payload) in flat(pdf_text(data)), slug


def test_the_views_render_through_the_locked_fetcher(client, w, monkeypatch):
    """The views go through spiegel.pdf, whose fetcher records what it was asked for."""
    import spiegel.pdf

    put_everywhere(w, HOSTILE[0])
    made = []
    original = spiegel.pdf.locked_url_fetcher_class

    def recording():
        cls = original()

        class Recording(cls):
            def __init__(self):
                super().__init__()
                made.append(self)

        return Recording

    monkeypatch.setattr(spiegel.pdf, "locked_url_fetcher_class", recording)
    client.force_login(w.coordinator)
    for document in SESSION_DOCUMENTS.values():
        response = client.get(f"/sessions/{w.session.pk}/{document.slug}.pdf")
        assert response.status_code == 200
    assert len(made) == len(SESSION_DOCUMENTS)
    assert all(fetcher.refused == [] for fetcher in made)


# — queries —


def test_the_report_is_built_in_a_constant_number_of_queries(w):
    """organisations, panel, listeners, questions, rules, findings, debrief, lessons, the
    listeners' leervragen and reflections, actions, evaluations, the tables (the tips only when
    there are tables; the session comes with its facilitators): the same for 10 or 80
    findings."""
    counts = []
    for extra in (3, 70):
        w.add_findings(extra)
        w.add_actions(extra // 5)
        session = get_session_for(w.coordinator, w.session.pk)
        with CaptureQueriesContext(connection) as queries:
            context = session_report_context(session)
        assert context["finding_total"] >= 10
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 13


@pytest.mark.parametrize("slug", ["listener-info", "rules-card", "feedback-letter"])
def test_the_other_documents_are_built_in_a_constant_number_of_queries(w, slug):
    builder = SESSION_DOCUMENTS[slug].builder
    counts = []
    for extra in (2, 30):
        w.add_actions(extra)
        session = get_session_for(w.coordinator, w.session.pk)
        with CaptureQueriesContext(connection) as queries:
            builder(session)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# — every document of every demo session —


def test_every_document_of_every_demo_session_renders(db, tmp_path):
    call_command("demo", "--force", verbosity=0)
    names = list(PanelMemberContact.objects.values_list("name", flat=True))
    assert names
    sessions = list(Session.objects.prefetch_related("organisations"))
    for session in sessions:
        session.facilitator  # noqa: B018 - loaded as the views load it
        for slug in SESSION_DOCUMENTS:
            with weasyprint_log_must_stay_clean():
                data = render_session_document(slug, session)
            assert_accessible(data, lang=session.language)
            text = pdf_text(data)
            leaked = [name for name in names if name in text]
            assert not leaked, (session.title, slug, leaked)


def test_blind_spots_the_report_may_not_show_are_counted_not_denied(w):
    """Issue 12: with only hidden blind spots the report said none had been marked."""
    Finding.objects.filter(pk=w.findings[4].pk).update(blind_spot=False)
    # A quote without consent and a note of the member who withdrew, both marked.
    Finding.objects.filter(pk__in=[w.quote_c.pk, w.findings[1].pk]).update(blind_spot=True)

    context = session_report_context(w.session)
    assert context["blind_spots"] == []
    assert context["blind_spots_hidden"] == 2
    text = text_of(w, "report")
    assert "Noggeenbevindingenalsblindevlekaangemerkt" not in text
    assert "2bevindingenzijnalsblindevlekaangemerktmaarstaannietinditverslag" in text
    assert flat(QUOTE_C) not in text


def test_the_panel_count_and_the_names_agree(w):
    """Issue 12: "3 deelnemers: Deelnemer A, Deelnemer C" named two of three."""
    text = text_of(w, "report")
    assert "3deelnemers,vanwie1metingetrokkentoestemming:DeelnemerA,DeelnemerC." in text


def test_the_report_lists_questions_in_the_guides_order(w):
    Question.objects.filter(pk=w.question.pk).update(position=w.question2.position + 1)
    sections = session_report_context(w.session)["sections"]
    assert [s.text for s in sections[:2]] == [w.question2.text, w.question.text]


def blind_spot_chapter(text):
    """The flattened PDF text of the chapter "Blinde vlekken", up to the next one (Thema's)."""
    assert text.count("Blindevlekken") == 1  # the heading, nowhere else
    start = text.index("Blindevlekken")
    return text[start : text.index("Thema's", start)]


def test_a_blind_spot_the_report_may_show_is_listed_under_blind_spots(w):
    """Issue 12 (b1): a marked finding is listed in its own chapter, not only under its
    question (where the same text also stands)."""
    marked = w.findings[4]

    context = session_report_context(w.session)
    assert [f.text for f in context["blind_spots"]] == [marked.text]
    assert context["blind_spots_hidden"] == 0
    chapter = blind_spot_chapter(text_of(w, "report"))
    assert flat(marked.text) in chapter
    assert "Bereikbaarheid" not in chapter  # an unmarked finding with a theme stays out
    assert "Noggeen" not in chapter and "nietinditverslag" not in chapter


def test_of_two_blind_spots_the_report_lists_the_one_it_may_show_and_counts_the_other(w):
    # C never agreed to quotes: her quote is marked too, and may not be shown.
    Finding.objects.filter(pk=w.quote_c.pk).update(blind_spot=True)

    context = session_report_context(w.session)
    assert [f.text for f in context["blind_spots"]] == [w.findings[4].text]
    assert context["blind_spots_hidden"] == 1
    chapter = blind_spot_chapter(text_of(w, "report"))
    assert flat(w.findings[4].text) in chapter
    assert flat(QUOTE_C) not in chapter
    assert "1bevindingisalsblindevlekaangemerktmaarstaatnietinditverslag" in chapter
    assert "Noggeen" not in chapter
