"""The privacy guard (issue 13 part 3): the detector, the stored hits, replacing and dismissing
them, and the refusal to make a report or letter final while hits are open.

Every test here runs with the network blocked: a connection to anything but this machine
raises, so a detector that phoned home would fail loudly. No client text leaves the machine.
"""

import socket

import pytest
from django.urls import reverse

from bench.privacy import PRECISION_TARGET, TARGETS, load, measure, parse
from findings import privacy
from findings.constants import HitSource, HitState
from findings.models import FeedbackLetter, Finding, FindingRevision, Lesson, PrivacyHit
from findings.services import debrief as debrief_service
from findings.services import privacy as service
from findings.services.capture import edit_finding
from sessions.constants import LiveStep, Status
from sessions.models import Session
from tests.fixtures import login

LOOPBACK = ("127.", "::1", "localhost")


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Only loopback (the test database may be PostgreSQL on this machine) may be reached."""
    real_connect = socket.socket.connect

    def guarded(sock, address, *args, **kwargs):
        host = address[0] if isinstance(address, tuple) else str(address)
        if sock.family == socket.AF_UNIX or str(host).startswith(LOOPBACK):
            return real_connect(sock, address, *args, **kwargs)
        raise OSError(f"network blocked in the privacy guard's tests: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded)


def kinds(text):
    return [(span.kind, span.text_in(text)) for span in privacy.detect(text)]


# — the detector —


def test_the_network_is_blocked_here():
    with pytest.raises(OSError, match="network blocked"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)


@pytest.mark.parametrize(
    "number",
    ["06-12345678", "0612345678", "06 12 34 56 78", "+31 6 12345678", "+31612345678",
     "020-1234567", "030 234 5678", "0031 6 1234 5678"],
)  # fmt: skip
def test_dutch_phone_numbers_are_found_in_any_spacing(number):
    text = f"Bel mij gerust op {number}, ook 's avonds."
    assert ("phone", number) in kinds(text)


def test_a_bsn_is_found_only_when_it_passes_the_eleven_test():
    assert privacy.bsn_valid("111222333") and not privacy.bsn_valid("111222334")
    assert ("bsn", "111222333") in kinds("Mijn BSN is 111222333.")
    assert ("bsn", "1112.22.333") in kinds("Zij noemde 1112.22.333 aan de telefoon.")
    assert not any(kind == "bsn" for kind, _ in kinds("Het dossiernummer is 111222334."))


def test_names_emails_dates_and_places_are_found():
    text = (
        "Mevrouw Jansen van het wijkteam in Zwolle mailde op 3 maart 2024 vanaf "
        "p.jansen@gemeente.nl over mijn zoon Daan."
    )
    found = kinds(text)
    assert ("name", "Jansen") in found
    assert ("place", "Zwolle") in found
    assert ("date", "3 maart 2024") in found
    assert ("email", "p.jansen@gemeente.nl") in found
    assert ("name", "Daan") in found


def test_deduce_is_loaded_outside_the_garbage_collectors_reach():
    """Its millions of long-lived objects would make every full collection walk them."""
    import gc

    privacy.deduce_instance()
    tracked = {id(o) for o in gc.get_objects()}
    assert gc.get_freeze_count() > 1_000_000
    assert id(privacy.deduce_instance().lookup_structs) not in tracked


def test_a_note_without_identifiers_has_no_hits():
    assert privacy.detect("Ik moest mijn verhaal vier keer opnieuw vertellen.") == []
    assert privacy.detect("") == []


def test_replacing_puts_the_neutral_tag_in_place():
    text = "Bel 06-12345678 maar."
    (span,) = privacy.detect(text)
    assert privacy.replace(text, span) == "Bel [telefoonnummer] maar."


def test_the_hand_marked_notes_parse_to_exact_spans():
    note = parse("Juf [[n:Marieke]] belde op [[t:06-12345678]].")
    assert note["text"] == "Juf Marieke belde op 06-12345678."
    assert [note["text"][s["start"] : s["end"]] for s in note["spans"]] == [
        "Marieke",
        "06-12345678",
    ]


def test_the_guard_meets_its_targets_on_the_hand_marked_notes():
    notes = load()
    assert len(notes) >= 150
    assert sum(1 for note in notes if not note["spans"]) >= 50
    figures = measure(notes)
    right = sum(f[0] for f in figures.values())
    detected = sum(f[1] for f in figures.values())
    assert right / detected >= PRECISION_TARGET
    for kind, target in TARGETS.items():
        _right, _detected, found, marked = figures[kind]
        assert found / marked >= target, (kind, found, marked)


# — stored hits —


@pytest.fixture
def w(debrief_world):
    return debrief_world


def note(w, text):
    return Finding.objects.create(
        session=w.session,
        client_id=__import__("uuid").uuid4(),
        text=text,
        created_by=w.facilitator,
    )


def test_a_hit_keeps_offsets_and_a_hash_never_the_words(w):
    finding = note(w, "Consulent Petra de Wit belde nooit terug.")
    service.check_object(finding)
    (hit,) = PrivacyHit.objects.filter(source=HitSource.FINDING, object_id=finding.pk)
    assert (hit.kind, hit.state) == ("name", HitState.OPEN)
    assert finding.text[hit.start : hit.end] == "Petra de Wit"
    stored = [str(value) for value in PrivacyHit.objects.filter(pk=hit.pk).values().get().values()]
    assert not any("Petra" in value for value in stored)


def test_a_dismissal_survives_an_edit_elsewhere_and_the_hit_moves_along(w):
    finding = note(w, "Consulent Petra de Wit belde nooit terug.")
    service.check_object(finding)
    hit = PrivacyHit.objects.get(object_id=finding.pk, source=HitSource.FINDING)
    service.dismiss_hit(hit=hit, by=w.listener)
    Session.objects.filter(pk=w.session.pk).update(status=Status.DEBRIEF)
    w.session.refresh_from_db()
    edited = edit_finding(
        finding_id=finding.pk,
        session=w.session,
        user=w.facilitator,
        expected_version=finding.version,
        text="Helaas: consulent Petra de Wit belde nooit terug.",
    )
    hit.refresh_from_db()
    assert hit.state == HitState.DISMISSED and hit.decided_by == w.listener
    assert edited.text[hit.start : hit.end] == "Petra de Wit"


def test_replacing_a_hit_in_a_finding_keeps_a_revision(w):
    finding = note(w, "Bel mij op 06-12345678, zei de moeder.")
    service.check_object(finding)
    hit = PrivacyHit.objects.get(object_id=finding.pk, source=HitSource.FINDING)
    service.replace_hit(hit=hit, by=w.listener)
    finding.refresh_from_db()
    assert finding.text == "Bel mij op [telefoonnummer], zei de moeder."
    revision = FindingRevision.objects.get(finding=finding)
    assert "06-12345678" in revision.text and revision.edited_by == w.listener
    hit.refresh_from_db()
    assert hit.state == HitState.REPLACED and hit.decided_at is not None


def test_a_stale_hit_is_refused_not_applied_to_other_words(w):
    lesson = Lesson.objects.create(
        session=w.session, created_by=w.listener, text="Bel 06-12345678 terug."
    )
    service.check_object(lesson)
    hit = PrivacyHit.objects.get(object_id=lesson.pk, source=HitSource.LESSON)
    Lesson.objects.filter(pk=lesson.pk).update(text="Iets heel anders.")
    with pytest.raises(service.PrivacyRefused, match="intussen gewijzigd"):
        service.replace_hit(hit=hit, by=w.listener)
    assert Lesson.objects.get(pk=lesson.pk).text == "Iets heel anders."


def test_ending_the_meeting_checks_every_note_in_the_background(
    w, client, django_capture_on_commit_callbacks
):
    Session.objects.filter(pk=w.session.pk).update(
        status=Status.LIVE,
        ended_at=None,
        live_step=LiveStep.CLARIFYING,
        current_question=w.question2,
    )
    note(w, "Mijn BSN 111222333 stond in de mail.")
    login(client, w.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/sessions/{w.session.pk}/live/end/")
    assert PrivacyHit.objects.filter(session=w.session, kind="bsn").open().count() == 1


def test_a_lesson_and_the_answers_are_checked_when_saved(w):
    debrief_service.add_lesson(session=w.session, by=w.listener, text="Juf Marieke zag het.")
    debrief_service.save_answers(
        session=w.session,
        impact="Mail naar k.bakker@hotmail.com was fout.",
        act_on="",
        base_version="",
    )
    assert set(PrivacyHit.objects.filter(session=w.session).values_list("source", "kind")) == {
        ("lesson", "name"),
        ("debrief", "email"),
    }


# — nothing becomes final while hits are open —


def test_the_debrief_cannot_be_concluded_while_hits_are_open(w):
    debrief_service.add_lesson(session=w.session, by=w.listener, text="Bel 06-12345678 terug.")
    with pytest.raises(service.PrivacyRefused) as refused:
        debrief_service.conclude_debrief(session=w.session, by=w.coordinator)
    message = refused.value.messages[0]
    assert "1 mogelijk persoonsgegeven" in message
    assert reverse("debrief", args=[w.session.pk]) + "#privacy" in message
    hit = PrivacyHit.objects.get(session=w.session)
    service.dismiss_hit(hit=hit, by=w.coordinator)
    debrief_service.conclude_debrief(session=w.session, by=w.coordinator)


def test_the_letter_cannot_be_made_final_while_hits_are_open_and_keeps_its_text(w):
    text = "Beste deelnemer, mevrouw De Boer belt u op 12 januari."
    with pytest.raises(service.PrivacyRefused) as refused:
        debrief_service.save_letter(session=w.session, text=text, finalise=True, by=w.listener)
    assert "2 mogelijke persoonsgegevens" in refused.value.messages[0]
    letter = FeedbackLetter.objects.get(session=w.session)
    assert letter.text == text and not letter.is_final
    for hit in PrivacyHit.objects.filter(session=w.session, source=HitSource.LETTER):
        service.replace_hit(hit=hit, by=w.listener)
    letter = debrief_service.save_letter(
        session=w.session, text=FeedbackLetter.objects.get(pk=letter.pk).text, finalise=True,
        by=w.listener,
    )  # fmt: skip
    assert letter.is_final and "[naam]" in letter.text and "[datum]" in letter.text


# — the pages —


def test_the_debrief_shows_open_hits_to_editors_only(w, client):
    client = type(client)(enforce_csrf_checks=True)
    finding = note(w, "Bel mij op 06-12345678.")
    service.check_object(finding)
    page = login(client, w.listener).get(f"/sessions/{w.session.pk}/debrief/").text
    assert 'id="privacy"' in page and "Vervang door [telefoonnummer]" in page
    hits = page[page.index('id="privacy"') :]
    assert hits.count('name="csrfmiddlewaretoken"') >= 2  # the forms work in a real browser
    page = login(client, w.facilitator).get(f"/sessions/{w.session.pk}/debrief/").text
    assert 'id="privacy"' not in page


def test_one_click_replaces_and_returns_to_the_check(w, client):
    finding = note(w, "Bel mij op 06-12345678.")
    service.check_object(finding)
    hit = PrivacyHit.objects.get(object_id=finding.pk, source=HitSource.FINDING)
    login(client, w.listener)
    response = client.post(reverse("privacy_hit_replace", args=[w.session.pk, hit.pk]), follow=True)
    assert response.redirect_chain[-1][0].endswith("/debrief/#privacy")
    assert "Geen open mogelijke persoonsgegevens gevonden." in response.text
    finding.refresh_from_db()
    assert finding.text == "Bel mij op [telefoonnummer]."


def test_an_outsider_gets_404_for_a_hit(w, client):
    finding = note(w, "Bel mij op 06-12345678.")
    service.check_object(finding)
    hit = PrivacyHit.objects.get(object_id=finding.pk, source=HitSource.FINDING)
    login(client, w.other_listener)
    url = reverse("privacy_hit_dismiss", args=[w.session.pk, hit.pk])
    assert client.post(url).status_code == 404
    hit.refresh_from_db()
    assert hit.is_open


def test_erasing_a_member_drops_the_hits_in_their_words(w):
    from findings.services.rights import erase_panel_member

    finding = Finding.objects.create(
        session=w.session,
        client_id=__import__("uuid").uuid4(),
        text="Bel mij op 06-12345678.",
        speaker=w.member,
        created_by=w.facilitator,
    )
    service.check_object(finding)
    assert PrivacyHit.objects.filter(object_id=finding.pk, source=HitSource.FINDING).exists()
    erase_panel_member(member=w.member, by=w.coordinator, reason="Verzoek per brief.")
    assert not PrivacyHit.objects.filter(object_id=finding.pk, source=HitSource.FINDING).exists()


def test_the_letter_page_shows_the_letters_hits_to_its_writers(w, client):
    debrief_service.save_letter(session=w.session, text="Bel 06-12345678.", by=w.listener)
    page = login(client, w.listener).get(reverse("feedback_letter", args=[w.session.pk])).text
    assert 'id="privacy"' in page and "Vervang door [telefoonnummer]" in page
    page = login(client, w.facilitator).get(reverse("feedback_letter", args=[w.session.pk])).text
    assert 'id="privacy"' not in page


def test_the_drafted_letter_names_its_contact_and_date_without_hits(w):
    facilitator = w.session.facilitator
    facilitator.first_name, facilitator.last_name = "Fenna", "Visser"
    facilitator.email = "f.visser@spiegel.example"
    facilitator.save()
    text = debrief_service.draft_letter(w.session)
    assert "Fenna Visser" in text
    letter = debrief_service.save_letter(session=w.session, text=text, finalise=True, by=w.listener)
    assert letter.is_final
    assert not PrivacyHit.objects.filter(session=w.session, source=HitSource.LETTER).exists()


def test_actions_are_checked_when_created_and_changed(w):
    from findings.services.actions import create_action, update_action

    action = create_action(
        session=w.session,
        by=w.listener,
        findings=[w.findings[0]],
        title="Terugbellen binnen twee dagen",
        owner=w.listener,
        due_date=__import__("datetime").date.today() + __import__("datetime").timedelta(days=9),
    )
    assert not PrivacyHit.objects.filter(source=HitSource.ACTION, object_id=action.pk).exists()
    update_action(action=action, by=w.listener, description="Zoals mevrouw Jansen vroeg.")
    (hit,) = PrivacyHit.objects.filter(source=HitSource.ACTION, object_id=action.pk)
    assert (hit.field, hit.kind) == ("description", "name")


def test_concluding_checks_the_notes_even_when_the_task_has_not_run(w):
    note(w, "Mijn BSN 111222333 stond in de mail.")  # never checked: no task ran
    with pytest.raises(service.PrivacyRefused, match="1 mogelijk persoonsgegeven"):
        debrief_service.conclude_debrief(session=w.session, by=w.coordinator)
    assert PrivacyHit.objects.filter(session=w.session, kind="bsn").open().exists()


def test_the_conclude_button_says_how_many_hits_wait_and_where(w, client):
    debrief_service.add_lesson(session=w.session, by=w.listener, text="Bel 06-12345678 terug.")
    login(client, w.coordinator)
    response = client.post(reverse("debrief_conclude", args=[w.session.pk]), follow=True)
    assert "Het verslag van dit gesprek kan nog niet definitief worden: 1 mogelijk" in (
        response.text
    )
    assert 'href="#privacy"' in response.text and 'id="privacy-hit-' in response.text
    w.session.refresh_from_db()
    assert w.session.status == Status.DEBRIEF


def test_the_command_checks_sessions_held_before_the_guard_existed(w):
    """Texts saved before the guard have no hits until something checks them: the command."""
    from io import StringIO

    from django.core.management import call_command

    planned = Session.objects.exclude(pk=w.session.pk).filter(status=Status.PLANNED).first()
    Finding.objects.filter(pk=w.findings[0].pk).update(text="Bel mij op 06-12345678.")
    PrivacyHit.objects.all().delete()
    out = StringIO()

    call_command("check_privacy", stdout=out)

    hits = PrivacyHit.objects.filter(session=w.session, kind="phone")
    assert hits.count() == 1 and hits.get().object_id == w.findings[0].pk
    assert "mogelijke persoonsgegevens" in out.getvalue()
    if planned is not None:  # a meeting not yet held is not checked
        assert not PrivacyHit.objects.filter(session=planned).exists()

    call_command("check_privacy", "--session", str(w.session.pk), stdout=StringIO())
    assert PrivacyHit.objects.filter(session=w.session, kind="phone").count() == 1  # once
