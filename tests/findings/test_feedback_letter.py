"""The feedback letter to clients (/sessions/<id>/feedback/): "you said, we did"."""

from html import escape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from findings.models import FeedbackLetter, Finding
from findings.services.actions import record_progress
from findings.services.debrief import addressees, draft_letter
from participants.constants import AccessAction, RecruitmentStatus
from participants.models import AccessLog, PanelMemberContact
from sessions.constants import Status
from sessions.models import Session
from tests.factories import PanelMemberFactory, ThemeFactory
from tests.fixtures import login

pytestmark = pytest.mark.django_db

FINAL = "De brief is definitief en kan niet meer worden gewijzigd."
READERS_ONLY = "Alleen toehoorders en coördinatoren schrijven de brief."
NUL_ERROR = "Null-tekens zijn niet toegestaan."


@pytest.fixture(scope="module")
def shared_debrief_world(shared_debrief_world, django_db_blocker):
    """The module's DebriefWorld (built once) with actions and addressees of every kind."""
    w = shared_debrief_world
    with django_db_blocker.unblock():
        w.session.theme = "De Wmo-aanvraag bij het wijkteam"
        w.session.save(update_fields=["theme"])
        theme = ThemeFactory(organisation=w.org_a, name="Bereikbaarheid")
        Finding.objects.filter(pk=w.findings[1].pk).update(theme=theme)
        w.callback = w.new_action()
        w.letter_plain = w.new_action(
            findings=[w.findings[4]],
            title="Beschikkingsbrief herschrijven op B1",
            client_sentence="Wij schrijven onze brieven voortaan in eenvoudige taal.",
        )
        w.internal = w.new_action(
            findings=[w.findings[3]], title="Intern overleg", client_sentence=""
        )
        dropped = w.new_action(
            findings=[w.findings[5]],
            title="Vervoer regelen",
            client_sentence="Wij regelen het vervoer voor u.",
        )
        record_progress(
            action=dropped, by=w.listener, status="dropped", closing_note="Niet haalbaar."
        )
        # Members of every kind of exclusion, besides A (reachable), B (withdrawn), C (reachable).
        w.no_consent = PanelMemberFactory(session=w.session, consent_feedback=False)
        w.no_address = PanelMemberFactory(session=w.session)
        PanelMemberContact.objects.filter(panel_member=w.no_address).update(email="")
        w.cancelled = PanelMemberFactory(session=w.session, status=RecruitmentStatus.CANCELLED)
    return w


@pytest.fixture
def w(debrief_world):
    return debrief_world


def url(w, suffix=""):
    return f"/sessions/{w.session.pk}/feedback/{suffix}"


# — access —


def test_the_facilitator_reads_the_draft_but_is_told_why_they_may_not_write(client, w):
    login(client, w.facilitator)

    page = client.get(url(w)).text
    refused = client.post(url(w), {"text": "Andere tekst."})

    assert "<textarea" not in page
    assert escape("U wordt binnen twee werkdagen teruggebeld.") in page
    assert refused.status_code == 403 and READERS_ONLY in refused.text


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PLANNED, Status.LIVE])
def test_there_is_no_letter_before_the_meeting_has_ended(client, w, status):
    Session.objects.filter(pk=w.session.pk).update(status=status)
    login(client, w.coordinator)

    assert client.get(url(w)).status_code == 404
    assert client.post(url(w), {"text": "Te vroeg."}).status_code == 404


# — the draft —


def test_the_draft_thanks_names_the_date_and_lists_the_client_sentences(w):
    text = draft_letter(w.session)

    assert text.startswith("Beste deelnemer,")
    date = timezone.localtime(w.session.starts_at)
    assert f"Op {date.day} " in text and str(date.year) in text
    assert "De Wmo-aanvraag bij het wijkteam" in text
    assert "U vertelde ons" in text and "Wat wij ermee doen:" in text
    assert "- U wordt binnen twee werkdagen teruggebeld." in text
    assert "- Wij schrijven onze brieven voortaan in eenvoudige taal." in text
    assert "Bereikbaarheid" in text  # the theme the actions answer
    # Dropped actions promise nothing; actions without a sentence stay internal.
    assert "vervoer" not in text.lower() and "Intern overleg" not in text
    assert text.rstrip().endswith("Gemeente Alfa")


def test_the_draft_names_whom_to_ask_with_an_address(w):
    """Issue 12: "neem contact op" without any contact details."""
    facilitator = w.session.facilitator
    facilitator.first_name, facilitator.last_name = "Sanne", "de Wit"
    facilitator.email = "s.dewit@gemeente-alfa.example"
    facilitator.save()

    text = draft_letter(w.session)

    assert "Neem dan contact op met Sanne de Wit, e-mail s.dewit@gemeente-alfa.example." in text


def test_a_subject_ending_in_a_question_mark_gets_no_extra_full_stop(w):
    """Issue 12: a theme ending in "?" gave "?."."""
    w.session.theme = "Hoe ervaart u de hulp van het wijkteam?"

    text = draft_letter(w.session)

    assert "Het onderwerp was: Hoe ervaart u de hulp van het wijkteam?\n" in text
    assert "?." not in text


def test_listeners_who_write_the_letter_may_download_it(client, w):
    """Issue 12: listeners wrote the letter but got 403 on its PDF; it names nobody."""
    login(client, w.listener)

    page = client.get(url(w)).text
    response = client.get(url(w, "").replace("/feedback/", "/feedback-letter.pdf"))

    assert "De brief als PDF (concept)" in page
    assert "De brief als PDF volgt" not in page
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_the_draft_never_names_a_client_nor_quotes_a_finding(w):
    text = draft_letter(w.session)

    for contact in PanelMemberContact.objects.all():
        assert contact.name not in text
        assert not contact.email or contact.email not in text
    for finding in w.findings:
        assert finding.text not in text
    assert "Deelnemer" not in text.replace("Beste deelnemer", "")


def test_without_client_sentences_the_draft_says_news_follows(w):
    w.session.actions.update(client_sentence="")

    assert "U hoort later van ons wat wij ermee doen." in draft_letter(w.session)


def test_the_draft_is_written_in_the_sessions_language(w):
    w.session.language = "en"

    text = draft_letter(w.session)

    assert text.startswith("Dear participant,")
    assert "Wat wij ermee doen" not in text and "Met vriendelijke groet" not in text
    assert "- U wordt binnen twee werkdagen teruggebeld." in text  # the professionals' words


# — to whom —


def test_only_members_who_want_the_letter_and_can_be_reached_are_addressed(w):
    recipients, excluded = addressees(w.session)

    assert [r.member for r in recipients] == [w.member, w.member_c]
    reasons = {r.member.pk: r.reason for r in excluded}
    assert reasons == {
        w.member_b.pk: "toestemming ingetrokken",
        w.no_consent.pk: "geen toestemming voor de brief",
        w.no_address.pk: "geen e-mailadres",
        w.cancelled.pk: "afgemeld",
    }


def test_purged_contacts_are_named_as_the_reason(w):
    PanelMemberContact.objects.filter(panel_member=w.member).delete()
    Session.objects.filter(pk=w.session.pk).update(contacts_purged_at=timezone.now())
    w.session.refresh_from_db()

    _recipients, excluded = addressees(w.session)

    assert {r.member: r.reason for r in excluded}[w.member] == (
        "contactgegevens gewist na de bewaartermijn"
    )


def test_listeners_see_pseudonyms_only_and_load_no_contact_details(client, w):
    login(client, w.listener)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(url(w)).text

    assert "Deelnemer A" in page and "Deelnemer C" in page
    assert "toestemming ingetrokken" in page and "geen e-mailadres" in page
    for contact in PanelMemberContact.objects.all():
        assert contact.name not in page
        assert not contact.email or contact.email not in page
    assert not any(
        "participants_panelmembercontact" in q["sql"]
        and '"participants_panelmembercontact"."name"' in q["sql"]
        for q in queries.captured_queries
    )
    assert not AccessLog.objects.exists()


def test_the_coordinator_sees_real_names_and_that_is_logged(client, w):
    login(client, w.coordinator)

    page = client.get(url(w)).text

    assert w.member.contact.name in page
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.session) == (
        w.coordinator,
        AccessAction.VIEW_CONTACTS,
        w.session,
    )


# — editing and making it final —


def test_the_letter_is_edited_then_made_final_and_read_only(client, w):
    login(client, w.listener)
    page = client.get(url(w)).text
    assert escape("- U wordt binnen twee werkdagen teruggebeld.") in page  # the draft to edit

    client.post(url(w), {"text": "Beste deelnemer,\n\nDank u wel."})
    letter = FeedbackLetter.objects.get(session=w.session)
    assert letter.text == "Beste deelnemer,\n\nDank u wel." and not letter.is_final

    response = client.post(url(w), {"text": "Beste deelnemer,\n\nHartelijk dank.", "finalise": "1"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.is_final and letter.finalised_by == w.listener
    assert letter.text == "Beste deelnemer,\n\nHartelijk dank."

    page = client.get(url(w)).text
    assert "<textarea" not in page and "Definitief gemaakt op" in page
    login(client, w.coordinator)
    for response in (
        client.post(url(w), {"text": "Toch anders."}),
        client.post(url(w, "redraft/")),
    ):
        assert response.status_code == 403 and FINAL in response.text
    letter.refresh_from_db()
    assert letter.text == "Beste deelnemer,\n\nHartelijk dank."


def test_an_empty_letter_cannot_be_made_final(client, w):
    login(client, w.coordinator)

    response = client.post(url(w), {"text": "   ", "finalise": "1"})

    assert response.status_code == 200
    assert "De brief is leeg." in response.text
    assert not FeedbackLetter.objects.filter(finalised_at__isnull=False).exists()


def test_the_letter_is_redrafted_from_the_actions_on_request(client, w):
    FeedbackLetter.objects.create(session=w.session, text="Oude tekst.")
    login(client, w.coordinator)

    client.post(url(w, "redraft/"))

    assert "U wordt binnen twee werkdagen teruggebeld." in FeedbackLetter.objects.get().text


def test_the_letter_is_still_written_after_the_session_closed(client, w):
    Session.objects.filter(pk=w.session.pk).update(status=Status.CLOSED)
    login(client, w.listener)

    response = client.post(url(w), {"text": "Beste deelnemer, het is gelukt.", "finalise": "1"})

    assert response.status_code == 302
    assert FeedbackLetter.objects.get().is_final


# — hostile input —


@pytest.mark.parametrize(
    "value", ["<script>alert(1)</script>", "Dank u 🙂👩🏽‍⚕️ مرحبا factuur\u202egpj.exe"]
)
def test_markup_emoji_and_rtl_in_the_letter_round_trip_escaped(client, w, value):
    login(client, w.listener)

    client.post(url(w), {"text": value, "finalise": "1"})

    assert FeedbackLetter.objects.get().text == value
    page = client.get(url(w)).text
    assert escape(value) in page and "<script>alert(1)" not in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("x" * 20_001, "Zorg dat deze waarde niet meer dan 20000 tekens bevat"),
        ("a\x00b", NUL_ERROR),
    ],
    ids=["too-long", "nul"],
)
def test_overlong_text_and_nul_bytes_are_refused_in_dutch(client, w, value, message):
    login(client, w.listener)

    response = client.post(url(w), {"text": value, "finalise": "1"})

    assert response.status_code == 200 and message in response.text
    assert not FeedbackLetter.objects.exists()


def test_client_sentences_with_markup_are_escaped_in_the_draft(client, w):
    w.session.actions.filter(pk=w.callback.pk).update(client_sentence="<b>Wij bellen</b>")
    login(client, w.listener)

    page = client.get(url(w)).text

    assert escape("- <b>Wij bellen</b>") in page and "<b>Wij bellen</b>" not in page


# — queries —

# The django_session row, the user, the session with the viewer's roles, the letter, then for
# the draft: the organisations, the client sentences, the themes they answer; the panel with
# reachability annotated (+ contacts for the coordinator, and its access-log INSERT, and the
# organisations they coordinate among the session's: whose names they see); the privacy
# guard's open hits in the letter; the session's organisations with their logos (its look).
LETTER_QUERIES = {"listener": 10, "coordinator": 12}


@pytest.mark.parametrize("role", ["listener", "coordinator"])
def test_the_letter_page_answers_in_a_constant_number_of_queries(client, w, role):
    login(client, w.user(role))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(w)).status_code == 200
        return len(queries), "\n".join(q["sql"] for q in queries.captured_queries)

    small, _ = count()
    for _i in range(20):
        PanelMemberFactory(session=w.session)
        w.new_action(title="Nog een actie", client_sentence="Wij doen het.")
    large, sql = count()

    assert small == large == LETTER_QUERIES[role], sql
