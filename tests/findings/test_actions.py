import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone

import findings.models
import sessions.models
from findings.access import get_action_for
from findings.models import ActionUpdate, ImprovementAction
from findings.services.actions import create_action, record_progress
from sessions.constants import Status
from sessions.models import Session, SessionTable
from tests.factories import (
    FindingFactory,
    ImprovementActionFactory,
    SessionFactory,
    UserFactory,
    World,
)

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


@pytest.mark.parametrize(
    ("few", "many", "form"),
    [(0, 0, "exists"), (0, 1_000, "lists"), (1_000, 1_000, "ids")],
    ids=["involved-in-very-many", "involved-in-many", "involved-in-few"],
)
def test_the_action_list_sees_exactly_what_the_rule_lets_see_in_every_form(
    world, monkeypatch, few, many, form
):
    # Up to FEW_INVOLVEMENTS the list filters by the user's own session and action ids, up to
    # MANY_INVOLVEMENTS by the lists of them the database makes, above it by the EXISTS form
    # of `visible_to`: the same actions for everyone in every form.
    monkeypatch.setattr(sessions.models, "FEW_INVOLVEMENTS", few)
    monkeypatch.setattr(findings.models, "MANY_INVOLVEMENTS", many)
    co_owner, co_facilitator, host = UserFactory(), UserFactory(), UserFactory()
    own = new_action(world)  # world's session of A, owned by its listener
    own.co_owners.add(co_owner)
    # Owned by a professional of A who does not listen in: owning is not being involved.
    theirs = new_action(world, owner=world.professional, title="De brief herschrijven")
    of_b = SessionFactory(organisations=[world.org_b], co_facilitator=co_facilitator)
    SessionTable.objects.create(session=of_b, name="Tafel 1", position=1, host=host)
    elsewhere = ImprovementActionFactory(session=of_b, owner=of_b.facilitator)
    unrelated = ImprovementActionFactory(session=SessionFactory())

    expected = {
        world.listener: {own, theirs},  # listens in
        world.coordinator: {own, theirs},  # coordinates A
        world.facilitator: {own, theirs},  # leads world's session
        co_owner: {own},
        world.professional: {theirs},
        world.outsider: {elsewhere},  # coordinates B
        co_facilitator: {elsewhere},
        of_b.facilitator: {elsewhere},
        host: set(),  # a table host is not involved in the actions
        unrelated.owner: {unrelated},  # leads its session
    }
    uninvolved = {host, world.professional}  # nothing to look up: no session, no co-owning
    for user, actions in expected.items():
        listed = ImprovementAction.objects.visible_for_list(user)
        assert set(listed) == set(ImprovementAction.objects.visible_to(user)) == actions, user
        # Which form served it: the ids as values, the lists of them, or the EXISTS subqueries.
        sql = str(listed.query)
        served = "ids" if user in uninvolved else form
        assert ("EXISTS" in sql) is (served == "exists"), user
        assert ("participants_listener" in sql) is (served != "ids"), user


def test_owned_by_is_what_a_user_owns_or_co_owns(world):
    owned = new_action(world)
    co_owned = new_action(world, owner=world.professional, title="De brief herschrijven")
    co_owned.co_owners.add(world.listener)
    new_action(world, owner=world.professional, title="Het loket bellen")  # neither

    mine = ImprovementAction.objects.owned_by(world.listener)

    assert set(mine) == {owned, co_owned}
    assert not ImprovementAction.objects.owned_by(world.outsider).exists()
    # On PostgreSQL the co-owned ones are a list made once, which an index can serve beside
    # the owner's (a BitmapOr), not an EXISTS per action.
    sql = str(mine.query)
    assert ("= ANY(ARRAY(SELECT" in sql) is (connection.vendor == "postgresql")
    assert "EXISTS" not in sql


def test_actions_stay_alive_after_the_session_closes(world):
    action = new_action(world)
    Session.objects.filter(pk=world.session.pk).update(status=Status.CLOSED)
    record_progress(action=action, by=world.listener, text="Eerste belronde gedaan.")
    assert action.updates.count() == 2
