"""Capturing and correcting notes through the live page's endpoints (DESIGN.md §9).

The browser sends JSON-accepting POSTs; answers are 201 (stored), 200 (already stored), 400
with Dutch messages (invalid: never retried), 409 with both texts (a stale correction).
"""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from findings.models import Finding, FindingRevision
from sessions.constants import Status
from sessions.models import Session
from tests.factories import PanelMemberFactory, QuestionFactory, UserFactory, World
from tests.fixtures import login

JSON = {"HTTP_ACCEPT": "application/json"}
HTMX = {"HTTP_HX_REQUEST": "true"}  # corrections go through htmx: the answer is the note's HTML
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
EMOJI = "🙂👩🏽‍⚕️"
RTL = "مرحبا"


@pytest.fixture
def w(db):
    world = World(status="planned")
    Session.objects.filter(pk=world.session.pk).update(status=Status.LIVE, live_at=timezone.now())
    world.session.refresh_from_db()
    return world


def url(w):
    return f"/sessions/{w.session.pk}/live/findings/"


def note(w, **changes):
    data = {
        "client_id": str(uuid.uuid4()),
        "text": "Ik moest drie keer mijn verhaal doen.",
        "kind": "improvement",
        "question": str(w.question.pk),
        "speaker": str(w.member.pk),
        "captured_at": timezone.now().isoformat(),
    }
    return {**data, **changes}


def capture(client, w, **changes):
    return client.post(url(w), note(w, **changes), **JSON)


# — capture —


def test_a_note_is_stored_and_comes_back_rendered(client, w):
    login(client, w.facilitator)
    response = capture(client, w, starred="on", kind="quote")

    assert response.status_code == 201
    data = response.json()
    stored = Finding.objects.get()
    assert (stored.kind, stored.starred, stored.speaker, stored.question) == (
        "quote",
        True,
        w.member,
        w.question,
    )
    assert stored.created_by == w.facilitator
    assert data["id"] == stored.pk and data["question"] == w.question.pk and data["created"]
    assert "Ik moest drie keer mijn verhaal doen." in data["html"]
    assert "Deelnemer A" in data["html"] and "Citaat" in data["html"]
    assert w.member.contact.name not in data["html"]


def test_the_same_client_id_twice_is_stored_once_with_the_same_answer(client, w):
    login(client, w.facilitator)
    data = note(w)
    first = client.post(url(w), data, **JSON)
    again = client.post(url(w), data, **JSON)

    assert (first.status_code, again.status_code) == (201, 200)
    assert Finding.objects.count() == 1
    assert again.json()["html"] == first.json()["html"]
    assert again.json()["id"] == first.json()["id"] and not again.json()["created"]


def test_a_co_facilitator_captures_too(client, w):
    co = UserFactory(username="co")
    Session.objects.filter(pk=w.session.pk).update(co_facilitator=co)
    login(client, co)

    assert capture(client, w).status_code == 201
    assert Finding.objects.get().created_by == co


def test_without_question_or_speaker_is_fine(client, w):
    login(client, w.facilitator)
    response = capture(client, w, question="", speaker="", captured_at="")

    assert response.status_code == 201
    assert Finding.objects.get().question is None


@pytest.mark.parametrize("text", [SCRIPT, EMOJI, RTL, "factuur\u202egpj.exe", "x" * 4000])
def test_any_unicode_is_stored_exactly_and_shown_escaped(client, w, text):
    login(client, w.facilitator)
    response = capture(client, w, text=text)

    assert response.status_code == 201
    assert Finding.objects.get().text == text
    if text == SCRIPT:
        assert SCRIPT not in response.json()["html"]
        assert ESCAPED_SCRIPT in response.json()["html"]
        page = client.get(f"/sessions/{w.session.pk}/live/")
        assert SCRIPT not in page.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": ""}, "Schrijf eerst een notitie."),
        ({"text": "   \n  "}, "Schrijf eerst een notitie."),
        ({"text": "x" * 10_000}, "Zorg dat deze waarde niet meer dan 4000 tekens bevat"),
        ({"text": "a\x00b"}, "Null-tekens zijn niet toegestaan."),
        ({"kind": "praise"}, "Selecteer een geldige keuze."),
        ({"client_id": "not-a-uuid"}, "Voer een geldige UUID in."),
        ({"client_id": ""}, "De notitie mist haar id."),
        ({"question": "99999999999999999999"}, "Zorg ervoor dat deze waarde"),
        ({"speaker": "abc"}, "Voer een geheel getal in."),
        ({"captured_at": "gisteren"}, "Voer een geldige datum/tijd in."),
    ],
)
def test_invalid_input_is_a_dutch_400_never_a_500(client, w, changes, message):
    login(client, w.facilitator)
    response = capture(client, w, **changes)

    assert response.status_code == 400
    assert any(message in error for error in response.json()["errors"])
    assert not Finding.objects.exists()


def test_a_question_or_speaker_of_another_session_is_refused(client, w):
    other_question = QuestionFactory()
    other_member = PanelMemberFactory()
    login(client, w.facilitator)

    for changes in ({"question": other_question.pk}, {"speaker": other_member.pk}):
        response = capture(client, w, **changes)
        assert response.status_code == 400
        assert response.json()["errors"] == ["De vraag of de spreker hoort niet bij dit gesprek."]
    assert not Finding.objects.exists()


def test_a_client_id_already_used_by_another_session_is_refused(client, w):
    login(client, w.facilitator)
    data = note(w)
    client.post(url(w), data, **JSON)
    other_session = Session.objects.create(
        title="Ander gesprek",
        theme="Jeugd",
        starts_at=timezone.now(),
        facilitator=w.facilitator,
        status=Status.LIVE,
    )
    response = client.post(
        f"/sessions/{other_session.pk}/live/findings/",
        {**data, "question": "", "speaker": ""},
        **JSON,
    )

    assert response.status_code == 400
    assert Finding.objects.count() == 1


def test_notes_are_refused_before_the_meeting(client, w):
    Session.objects.filter(pk=w.session.pk).update(status=Status.PLANNED)
    login(client, w.facilitator)
    response = capture(client, w)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        "Bevindingen worden alleen tijdens het gesprek vastgelegd."
    ]


def test_a_note_made_during_the_meeting_may_arrive_after_it(client, w):
    ended = timezone.now()
    Session.objects.filter(pk=w.session.pk).update(status=Status.DEBRIEF, ended_at=ended)
    login(client, w.facilitator)

    late = capture(client, w, captured_at=(ended - dt.timedelta(minutes=2)).isoformat())
    after = capture(client, w, captured_at=(ended + dt.timedelta(minutes=2)).isoformat())
    assert (late.status_code, after.status_code) == (201, 400)


def test_without_script_a_capture_redirects_back_with_a_message(client, w):
    login(client, w.facilitator)
    response = client.post(url(w), note(w), follow=True)

    assert response.redirect_chain[-1][0] == f"/sessions/{w.session.pk}/live/"
    assert "De notitie is opgeslagen." in response.text
    bad = client.post(url(w), note(w, text=""), follow=True)
    assert "Schrijf eerst een notitie." in bad.text


@pytest.mark.django_db(transaction=True)
def test_one_capture_costs_at_most_five_queries(client, django_assert_max_num_queries):
    """Measured without a surrounding transaction, as in production (no ATOMIC_REQUESTS):
    django_session, user, the session with the viewer's roles, whether question and speaker
    belong to it (loading the speaker for the answer), the INSERT."""
    world = World(status="planned")
    Session.objects.filter(pk=world.session.pk).update(status=Status.LIVE)
    login(client, world.facilitator)
    with django_assert_max_num_queries(5):
        response = capture(client, world)
    assert response.status_code == 201
    # A retry of a stored note: the failed INSERT and the SELECT of the stored one.
    data = note(world)
    client.post(url(world), data, **JSON)
    with django_assert_max_num_queries(6):
        assert client.post(url(world), data, **JSON).status_code == 200


# — corrections —


def edit(client, w, finding, **changes):
    data = {"version": finding.version, "text": "Anders gezegd.", "kind": "improvement"}
    return client.post(
        f"/sessions/{w.session.pk}/live/findings/{finding.pk}/", {**data, **changes}, **HTMX
    )


@pytest.fixture
def stored(w):
    return Finding.objects.create(
        session=w.session,
        question=w.question,
        client_id=uuid.uuid4(),
        text="Eerste tekst",
        kind="improvement",
        created_by=w.facilitator,
    )


def test_a_correction_with_the_right_version_is_kept_with_its_history(client, w, stored):
    login(client, w.facilitator)
    response = edit(client, w, stored, text="Tweede tekst", starred="on", speaker=w.member.pk)

    assert response.status_code == 200
    assert "Tweede tekst" in response.text and "gewijzigd" in response.text
    stored.refresh_from_db()
    assert (stored.text, stored.starred, stored.speaker, stored.version) == (
        "Tweede tekst",
        True,
        w.member,
        2,
    )
    revision = FindingRevision.objects.get()
    assert (revision.text, revision.version, revision.edited_by) == (
        "Eerste tekst",
        1,
        w.facilitator,
    )


def test_a_stale_correction_gets_409_with_both_texts(client, w, stored):
    login(client, w.facilitator)
    edit(client, w, stored, text="Uit tab één")
    response = edit(client, w, stored, text="Uit tab <twee>")

    assert response.status_code == 409
    html = response.text
    assert 'name="version" value="2"' in html  # the form now carries the stored version
    assert "Uit tab één" in html and "Uit tab &lt;twee&gt;" in html
    assert "Deze notitie is intussen gewijzigd" in html
    stored.refresh_from_db()
    assert stored.text == "Uit tab één"
    # Choosing "my version" sends it again with the version the conflict reported.
    response = client.post(
        f"/sessions/{w.session.pk}/live/findings/{stored.pk}/",
        {"version": 2, "text": "Uit tab <twee>", "kind": "improvement"},
        **HTMX,
    )
    assert response.status_code == 200
    assert FindingRevision.objects.count() == 2


def test_a_correction_is_checked_like_a_capture(client, w, stored):
    login(client, w.facilitator)
    assert edit(client, w, stored, text="").status_code == 400
    assert edit(client, w, stored, text="x" * 10_000).status_code == 400
    assert edit(client, w, stored, version="").status_code == 400
    response = edit(client, w, stored, speaker=PanelMemberFactory().pk)
    assert response.status_code == 400
    assert "De vraag of de spreker hoort niet bij dit gesprek." in response.text
    stored.refresh_from_db()
    assert stored.version == 1


def test_a_finding_of_another_session_is_404(client, w):
    foreign_session = Session.objects.create(
        title="Ander", theme="Jeugd", starts_at=timezone.now(), facilitator=w.listener
    )
    foreign = Finding.objects.create(
        session=foreign_session, client_id=uuid.uuid4(), text="Niet van u", created_by=w.listener
    )
    login(client, w.facilitator)

    assert edit(client, w, foreign).status_code == 404


def test_findings_of_a_closed_session_cannot_be_corrected(client, w, stored):
    Session.objects.filter(pk=w.session.pk).update(status=Status.CLOSED)
    login(client, w.facilitator)

    assert edit(client, w, stored).status_code == 403
