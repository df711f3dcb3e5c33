import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from findings.access import get_action_for
from findings.models import ActionUpdate, ImprovementAction
from findings.services.actions import create_action, record_progress
from sessions.constants import Status
from sessions.models import Session
from tests.factories import FindingFactory, SessionFactory, UserFactory, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = World(status=Status.DEBRIEF)
    w.finding = FindingFactory(session=w.session)
    return w


def new_action(w, **fields):
    defaults = {
        "title": "Terugbelbelofte nakomen",
        "owner": w.listener,
        "due_date": timezone.localdate() + dt.timedelta(days=30),
    }
    return create_action(
        session=w.session, by=w.coordinator, findings=[w.finding], **{**defaults, **fields}
    )


def test_an_action_traces_back_to_at_least_one_finding_of_its_session(world):
    with pytest.raises(ValidationError):
        create_action(
            session=world.session,
            by=world.coordinator,
            findings=[],
            title="x",
            owner=world.listener,
            due_date=timezone.localdate(),
        )
    stranger = FindingFactory(session=SessionFactory())
    with pytest.raises(ValidationError):
        create_action(
            session=world.session,
            by=world.coordinator,
            findings=[stranger],
            title="x",
            owner=world.listener,
            due_date=timezone.localdate(),
        )
    action = new_action(world)
    assert list(action.findings.all()) == [world.finding]
    assert action.updates.count() == 1


def test_a_new_action_cannot_be_due_in_the_past(world):
    with pytest.raises(ValidationError):
        new_action(world, due_date=timezone.localdate() - dt.timedelta(days=1))


def test_done_and_dropped_need_a_closing_note(world):
    action = new_action(world)
    with pytest.raises(ValidationError):
        record_progress(action=action, by=world.listener, status="done")
    record_progress(action=action, by=world.listener, status="done", closing_note="Gebeld.")
    action.refresh_from_db()
    assert action.status == "done" and action.closed_at
    update = ActionUpdate.objects.latest("pk")
    assert (update.old_status, update.new_status) == ("open", "done")
    with pytest.raises(IntegrityError), transaction.atomic():
        ImprovementAction.objects.filter(pk=action.pk).update(closing_note="")


def test_overdue_and_due_soon(world):
    late = new_action(world)
    ImprovementAction.objects.filter(pk=late.pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=1)
    )
    soon = new_action(world, due_date=timezone.localdate() + dt.timedelta(days=3))
    assert list(ImprovementAction.objects.overdue()) == [late]
    assert list(ImprovementAction.objects.due_within(7)) == [soon]


def test_who_sees_and_who_edits_an_action(world):
    action = new_action(world)
    owner_elsewhere = UserFactory()
    action.co_owners.add(owner_elsewhere)
    for user in (world.listener, world.coordinator, owner_elsewhere):
        assert get_action_for(user, action.pk, can_edit=True).can_edit
    assert not get_action_for(world.facilitator, action.pk).can_edit
    for user in (world.outsider, world.professional):
        assert not ImprovementAction.objects.visible_to(user).exists()
        with pytest.raises(Http404):
            get_action_for(user, action.pk)


def test_actions_stay_alive_after_the_session_closes(world):
    action = new_action(world)
    Session.objects.filter(pk=world.session.pk).update(status=Status.CLOSED)
    record_progress(action=action, by=world.listener, text="Eerste belronde gedaan.")
    assert action.updates.count() == 2
