import pytest
from django.db import models

from participants.constants import RecruitmentStatus
from sessions.constants import LiveStep, QuestionKind, Status
from sessions.models import Question, Session, TransitionError
from sessions.services import live
from tests.factories import (
    ListenerFactory,
    PanelMemberFactory,
    QuestionFactory,
    RuleFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    s = SessionFactory()
    for position in (1, 2, 3):
        QuestionFactory(session=s, position=position)
    RuleFactory(session=s)
    Session.objects.filter(pk=s.pk).update(status=Status.LIVE)
    s.refresh_from_db()
    return s


def test_check_in_records_attendance_and_no_shows(session):
    came, stayed_home = PanelMemberFactory(session=session), PanelMemberFactory(session=session)
    cancelled = PanelMemberFactory(session=session, status=RecruitmentStatus.CANCELLED)
    listener, absent = ListenerFactory(session=session), ListenerFactory(session=session)
    live.check_in(session=session, present_members=[came], present_listeners=[listener])
    statuses = dict(session.panel_members.values_list("pk", "status"))
    assert statuses == {
        came.pk: RecruitmentStatus.ATTENDED,
        stayed_home.pk: RecruitmentStatus.NO_SHOW,
        cancelled.pk: RecruitmentStatus.CANCELLED,
    }
    assert dict(session.listeners.values_list("pk", "attended")) == {
        listener.pk: True,
        absent.pk: False,
    }
    assert session.live_step == LiveStep.OPENING


def test_explaining_the_rules_starts_the_first_question(session):
    live.explain_rules(session=session)
    session.refresh_from_db()
    assert session.rules_explained_at and session.question_started_at
    assert session.current_question == session.questions.first()
    assert session.live_step == LiveStep.QUESTIONS


def test_navigation_names_its_target_so_repeats_are_harmless(session):
    live.explain_rules(session=session)
    questions = list(session.questions.all())
    live.go_to_question(session=session, question=questions[1])
    started = session.question_started_at
    live.go_to_question(session=session, question=questions[1])  # a double click
    assert session.question_started_at == started
    assert live.neighbours(session, questions) == (questions[0], questions[2])


def test_clarifying_questions_only_when_the_rules_allow(session):
    Session.objects.filter(pk=session.pk).update(listener_questions_allowed=False)
    session.refresh_from_db()
    with pytest.raises(TransitionError):
        live.go_to_step(session=session, step=LiveStep.CLARIFYING)


def test_ending_twice_is_impossible(session):
    live.end_meeting(session_id=session.pk)
    with pytest.raises(TransitionError):
        live.end_meeting(session_id=session.pk)
    assert Session.objects.get(pk=session.pk).status == Status.DEBRIEF


def test_nothing_moves_unless_the_session_is_live():
    session = SessionFactory()
    with pytest.raises(TransitionError):
        live.explain_rules(session=session)


# — a guide question of kind "listener" is the clarifying step (issue 12) —

CLARIFYING_TEXT = "Heeft u als toehoorder een vraag om iets beter te begrijpen?"


@pytest.fixture
def with_listener_question(session):
    """Questions 1, the LISTENER question, then 2 and 3: it sits mid-guide on purpose."""
    Question.objects.filter(session=session, position__gte=2).update(
        position=models.F("position") + 1
    )
    question = QuestionFactory(
        session=session, position=2, kind=QuestionKind.LISTENER, text=CLARIFYING_TEXT
    )
    session.refresh_from_db()
    return question


def test_the_questions_step_walks_past_a_listener_question(session, with_listener_question):
    live.explain_rules(session=session)
    questions = list(session.questions.all())
    walked = [q for q in questions if q != with_listener_question]
    assert session.current_question == walked[0]
    assert live.neighbours(session, questions) == (None, walked[1])
    live.go_to_question(session=session, question=walked[-1])
    assert live.neighbours(session, questions) == (walked[1], None)
    state = live.room_state(session)
    assert (state.question.number, state.question.total) == (3, 3)


def test_the_clarifying_step_is_the_listener_question(session, with_listener_question):
    live.explain_rules(session=session)
    live.go_to_step(session=session, step=LiveStep.CLARIFYING)
    session.refresh_from_db()
    assert session.current_question == with_listener_question
    state = live.room_state(session)
    assert state.scene == "clarifying" and state.question.text == CLARIFYING_TEXT
    # Choosing the question in the guide is the same as going to the step.
    live.go_to_question(session=session, question=session.questions.first())
    live.go_to_question(session=session, question=with_listener_question)
    assert session.live_step == LiveStep.CLARIFYING


def test_a_listener_question_is_skipped_when_the_rules_forbid_listener_questions(
    session, with_listener_question
):
    Session.objects.filter(pk=session.pk).update(listener_questions_allowed=False)
    session.refresh_from_db()
    assert live.clarifying_question(session, session.questions.all()) is None
    with pytest.raises(TransitionError):
        live.go_to_question(session=session, question=with_listener_question)
