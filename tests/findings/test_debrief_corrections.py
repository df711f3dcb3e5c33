"""Correcting a note after the meeting, in the debrief (issue 12): who may, that a revision is
kept, that a stale edit never overwrites, and that bad input is a message, not a 500. Who may
open the URL in which phase is in tests/test_permissions.py."""

import pytest

from findings.models import Finding
from findings.reports.documents import session_report_context
from findings.services.rights import erase_panel_member
from tests.fixtures import login

pytestmark = pytest.mark.django_db

CORRECTED = "De consulent nam echt de tijd aan de keukentafel, zei mevrouw."


@pytest.fixture
def w(debrief_world):
    return debrief_world


def url(w, finding):
    return f"/sessions/{w.session.pk}/debrief/findings/{finding.pk}/correct/"


def data(finding, **changes):
    return {
        "version": finding.version,
        "text": CORRECTED,
        "kind": finding.kind,
        "speaker": finding.speaker_id or "",
        **changes,
    }


@pytest.mark.parametrize("who", ["facilitator", "listener", "coordinator"])
def test_a_note_is_corrected_in_the_debrief_and_the_old_text_is_kept(client, w, who):
    finding = w.findings[0]
    old_text = finding.text
    login(client, getattr(w, who))
    page = client.get(f"/sessions/{w.session.pk}/debrief/").text
    assert url(w, finding) in page  # the debrief offers it

    response = client.post(url(w, finding), data(finding, speaker=w.member_c.pk))

    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.text, finding.speaker, finding.version) == (CORRECTED, w.member_c, 2)
    [revision] = finding.revisions.all()
    assert (revision.text, revision.edited_by) == (old_text, getattr(w, who))
    sections = session_report_context(w.session)["sections"]
    texts = [f.text for s in sections for k in s.kinds for f in k.findings]
    assert CORRECTED in texts and old_text not in texts


def test_a_stale_correction_shows_both_texts_and_overwrites_nothing(client, w):
    finding = w.findings[0]
    stale = data(finding)
    login(client, w.listener)
    client.post(url(w, finding), data(finding, text="Eerst verbeterd door een collega."))

    response = client.post(url(w, finding), stale)

    assert response.status_code == 409
    assert "Iemand anders heeft deze notitie intussen gewijzigd." in response.text
    assert "Eerst verbeterd door een collega." in response.text
    assert Finding.objects.get(pk=finding.pk).text == "Eerst verbeterd door een collega."
    # Saving again, knowingly, on the version the page now carries.
    assert 'name="version" value="2"' in response.text
    client.post(url(w, finding), data(Finding.objects.get(pk=finding.pk)))
    assert Finding.objects.get(pk=finding.pk).text == CORRECTED


@pytest.mark.parametrize(
    "bad",
    [
        {"speaker": "999999999999999999999"},
        {"speaker": "abc"},
        {"kind": "gossip"},
        {"text": ""},
        {"text": "x" * 5000},
        {"version": "-1"},
        {"version": ""},
    ],
)
def test_bad_input_is_a_message_not_a_500(client, w, bad):
    finding = w.findings[0]
    login(client, w.coordinator)
    response = client.post(url(w, finding), data(finding, **bad))
    assert response.status_code == 200
    assert Finding.objects.get(pk=finding.pk).version == 1


def test_a_speaker_of_another_session_is_refused(client, w):
    finding = w.findings[0]
    login(client, w.facilitator)
    stranger = w.other_finding.session.panel_members.create(number=1)
    response = client.post(url(w, finding), data(finding, speaker=stranger.pk))
    assert response.status_code == 200
    assert Finding.objects.get(pk=finding.pk).speaker_id == w.member.pk


def test_an_erased_note_cannot_be_corrected(client, w):
    erase_panel_member(member=w.member, by=w.coordinator, reason="Verzoek per brief.")
    finding = Finding.objects.get(pk=w.findings[0].pk)
    login(client, w.facilitator)
    assert url(w, finding) not in client.get(f"/sessions/{w.session.pk}/debrief/").text
    response = client.post(url(w, finding), data(finding), follow=True)
    assert "gewist op verzoek van de deelnemer" in response.text
    assert Finding.objects.get(pk=finding.pk).text != CORRECTED


def test_a_finding_of_another_session_is_404(client, w):
    login(client, w.facilitator)
    assert client.get(url(w, w.other_finding)).status_code == 404
