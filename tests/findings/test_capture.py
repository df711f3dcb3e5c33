import datetime as dt
import uuid

import pytest

from findings.models import Finding, FindingRevision
from findings.services.capture import CaptureRefused, EditConflict, capture_finding, edit_finding
from sessions.constants import Status
from sessions.models import Session
from tests.factories import PanelMemberFactory, QuestionFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    session = SessionFactory()
    Session.objects.filter(pk=session.pk).update(status=Status.LIVE)
    session.refresh_from_db()
    return session


def capture(session, **kwargs):
    defaults = {
        "session": session,
        "user": session.facilitator,
        "client_id": uuid.uuid4(),
        "text": "Ik werd niet teruggebeld.",
        "kind": "improvement",
    }
    return capture_finding(**{**defaults, **kwargs})


def test_a_note_sent_twice_is_stored_once(live):
    client_id = uuid.uuid4()
    first, created = capture(live, client_id=client_id)
    again, created_again = capture(live, client_id=client_id, text="anders")
    assert created and not created_again
    assert again.pk == first.pk and again.text == "Ik werd niet teruggebeld."
    assert Finding.objects.count() == 1


def test_question_and_speaker_must_belong_to_the_session(live):
    other = SessionFactory()
    with pytest.raises(CaptureRefused):
        capture(live, question_id=QuestionFactory(session=other).pk)
    with pytest.raises(CaptureRefused):
        capture(live, speaker_id=PanelMemberFactory(session=other).pk)
    finding, _ = capture(
        live,
        question_id=QuestionFactory(session=live).pk,
        speaker_id=PanelMemberFactory(session=live).pk,
    )
    assert finding.speaker.pseudonym == "Deelnemer A"


def test_a_client_id_of_another_session_is_refused(live):
    client_id = uuid.uuid4()
    capture(live, client_id=client_id)
    other = SessionFactory()
    Session.objects.filter(pk=other.pk).update(status=Status.LIVE)
    other.refresh_from_db()
    with pytest.raises(CaptureRefused):
        capture(other, client_id=client_id)


def test_notes_are_refused_before_the_meeting_and_after_unless_made_during_it():
    session = SessionFactory()
    with pytest.raises(CaptureRefused):
        capture(session)
    ended = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
    Session.objects.filter(pk=session.pk).update(status=Status.DEBRIEF, ended_at=ended)
    session.refresh_from_db()
    with pytest.raises(CaptureRefused):
        capture(session, captured_at=ended + dt.timedelta(minutes=1))
    late, created = capture(session, captured_at=ended - dt.timedelta(minutes=1))
    assert created  # queued offline during the meeting, delivered afterwards


def test_an_edit_keeps_the_old_text_and_bumps_the_version(live):
    finding, _ = capture(live)
    editor = UserFactory()
    edited = edit_finding(
        finding_id=finding.pk, session=live, user=editor, expected_version=1, text="Nieuw"
    )
    assert edited.version == 2 and edited.text == "Nieuw"
    revision = FindingRevision.objects.get()
    assert (revision.text, revision.version, revision.edited_by) == (finding.text, 1, editor)


def test_a_stale_edit_is_a_conflict_not_an_overwrite(live):
    finding, _ = capture(live)
    edit_finding(
        finding_id=finding.pk, session=live, user=live.facilitator, expected_version=1, text="Tab 1"
    )
    with pytest.raises(EditConflict) as conflict:
        edit_finding(
            finding_id=finding.pk,
            session=live,
            user=live.facilitator,
            expected_version=1,
            text="Tab 2",
        )
    assert conflict.value.current.text == "Tab 1"
    assert Finding.objects.get().text == "Tab 1"


def test_an_edit_that_changes_nothing_makes_no_revision(live):
    finding, _ = capture(live)
    edit_finding(
        finding_id=finding.pk,
        session=live,
        user=live.facilitator,
        expected_version=1,
        text=finding.text,
    )
    assert not FindingRevision.objects.exists()
    assert Finding.objects.get().version == 1


def test_findings_of_a_closed_session_cannot_be_edited(live):
    finding, _ = capture(live)
    Session.objects.filter(pk=live.pk).update(status=Status.CLOSED)
    live.refresh_from_db()
    with pytest.raises(CaptureRefused):
        edit_finding(
            finding_id=finding.pk, session=live, user=live.facilitator, expected_version=1, text="x"
        )
