import pytest
from django.db import IntegrityError, transaction

from participants.constants import Role
from sessions.constants import Status
from sessions.models import Session, TransitionError
from tests.factories import (
    ListenerFactory,
    MembershipFactory,
    OrganisationFactory,
    QuestionFactory,
    RuleFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def ready_session(**kwargs):
    session = SessionFactory(organisations=[OrganisationFactory()], **kwargs)
    QuestionFactory(session=session)
    RuleFactory(session=session)
    return session


def test_a_complete_session_walks_the_whole_lifecycle():
    session = ready_session()
    session.plan()
    session.go_live()
    session.end_meeting()
    session.close()
    session.refresh_from_db()
    assert session.status == Status.CLOSED
    assert session.planned_at <= session.live_at <= session.ended_at <= session.closed_at


@pytest.mark.parametrize("missing", ["facilitator", "starts_at", "theme"])
def test_planning_needs_facilitator_date_and_theme(missing):
    session = ready_session(**{missing: None if missing != "theme" else ""})
    with pytest.raises(TransitionError) as error:
        session.plan()
    assert len(error.value.messages) == 1
    assert Session.objects.get(pk=session.pk).status == Status.DRAFT


def test_planning_needs_an_organisation():
    session = SessionFactory()
    with pytest.raises(TransitionError, match="organisatie"):
        session.plan()


def test_going_live_needs_a_question_and_the_rules():
    session = SessionFactory(organisations=[OrganisationFactory()])
    session.plan()
    with pytest.raises(TransitionError) as error:
        session.go_live()
    assert len(error.value.messages) == 2
    QuestionFactory(session=session)
    RuleFactory(session=session)
    session.go_live()
    assert session.status == Status.LIVE


def test_steps_cannot_be_skipped_or_repeated():
    session = ready_session()
    with pytest.raises(TransitionError):
        session.go_live()
    session.plan()
    with pytest.raises(TransitionError):
        session.plan()
    session.go_live()
    session.end_meeting()
    with pytest.raises(TransitionError, match="Nagesprek"):
        session.end_meeting()


def test_a_planned_session_can_go_back_to_draft():
    session = ready_session()
    session.plan()
    session.unplan()
    assert Session.objects.get(pk=session.pk).status == Status.DRAFT


def test_a_facilitator_who_also_listens_blocks_planning():
    session = ready_session()
    ListenerFactory(session=session, user=session.facilitator)
    with pytest.raises(TransitionError, match="toehoorder"):
        session.plan()


def test_a_facilitator_from_the_discussed_organisation_is_a_warning_not_a_block():
    organisation = OrganisationFactory()
    facilitator = UserFactory()
    MembershipFactory(user=facilitator, organisation=organisation, role=Role.FACILITATOR)
    session = SessionFactory(facilitator=facilitator, organisations=[organisation])
    QuestionFactory(session=session)
    RuleFactory(session=session)
    problems = session.independence_problems()
    assert [blocking for blocking, _message in problems] == [False]
    session.plan()
    assert session.status == Status.PLANNED


def test_the_database_refuses_a_planned_session_without_essentials():
    session = SessionFactory(theme="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(status=Status.PLANNED)


def test_the_database_refuses_the_same_person_as_both_facilitators():
    session = SessionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(co_facilitator=session.facilitator)


def test_only_a_closed_session_is_read_only():
    session = ready_session()
    assert session.is_editable
    Session.objects.filter(pk=session.pk).update(status=Status.CLOSED)
    session.refresh_from_db()
    assert not session.is_editable
