"""Whole queries prepared once (spiegel.compiled.Prepared) give what the querysets they were
built from give: the same rows in the same order, with what they load alongside, for every
kind of user; a query whose SQL depends on a key's value is refused."""

import datetime as dt

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from sessions.models import _ORGANISATIONS_WITH_LOGOS, Session, role_conditions
from spiegel.compiled import Prepared

ROLE_NAMES = ("facilitator", "listener", "coordinator", "professional", "outsider")


def loaded(rows, *related):
    """What a page reads of each row: its fields, the keys of its select_related objects and
    of what was prefetched. Reading them must not query (checked by the callers)."""
    out = []
    for row in rows:
        values = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
        for name in related:
            try:
                target = getattr(row, name)
            except ObjectDoesNotExist:  # a reverse one-to-one without its row (no logo)
                target = None
            if hasattr(target, "all"):
                values[name] = sorted(o.pk for o in target.all())
            else:
                values[name] = target and target.pk
        out.append((type(row).__name__, values))
    return out


@pytest.mark.django_db
def test_a_prepared_query_gives_what_its_queryset_gives(debrief_world, django_assert_num_queries):
    """Each query the debrief prepares, for its session and another one, for every kind of
    user: the same rows in the same order, with their related objects and prefetches."""
    from findings.models import Jotting, Lesson, ListenerLearning
    from findings.services import debrief, jottings, learning
    from sessions.access import _prepared_session

    w = debrief_world
    w.new_action(findings=[w.findings[0], w.findings[2]])
    w.new_action(title="Tweede actie", owner=w.coordinator, findings=[w.findings[2]])
    Lesson.objects.create(session=w.session, text="Terugbellen werkt.", created_by=w.listener)
    Jotting.objects.create(session=w.session, author=w.listener, text="Eerste indruk")
    ListenerLearning.objects.create(session=w.session, author=w.listener, question_1="Hoe?")
    ListenerLearning.objects.create(
        session=w.session, author=w.coordinator, question_1="Wat?", shared=True
    )
    cases = [
        (debrief._FINDINGS, "findings", ("speaker", "theme")),
        (debrief._QUESTIONS, "questions", ()),
        (debrief._LESSONS, "lessons", ("created_by",)),
        (debrief._ACTIONS, "actions", ("owner",)),
    ]
    built = {
        "findings": lambda s: debrief._with_debrief_parts(s.findings.all()),
        "questions": lambda s: s.questions.all(),
        "lessons": lambda s: s.lessons.select_related("created_by"),
        "actions": lambda s: s.actions.select_related("owner").order_by("due_date", "pk"),
    }
    users = [w.user(role) for role in ROLE_NAMES] + [w.other_listener]
    for session in (w.session, w.other_session):
        for prepared, name, related in cases:
            expected = loaded(built[name](session), *related)
            rows = prepared.rows(session=session.pk)
            with django_assert_num_queries(0):
                assert loaded(rows, *related) == expected, (session, name)
        assert loaded(debrief._FINDINGS.rows(session=w.session.pk))  # not a vacuous pass
        expected = [(f.pk, [a.pk for a in f.answered]) for f in debrief.debrief_findings(session)]
        findings = debrief.every_debrief_finding(session, debrief.actions_of(session))
        assert [(f.pk, [a.pk for a in f.answered]) for f in findings] == expected
        organisations = session.organisations.select_related("logo", "network")
        expected = loaded(organisations.defer("logo__data"), "logo", "network")
        rows = _ORGANISATIONS_WITH_LOGOS.rows(session=session.pk)
        with django_assert_num_queries(0):
            assert loaded(rows, "logo", "network") == expected
        for user in users:
            jotting = jottings._JOTTING.rows(session=session.pk, author=user.pk)
            assert loaded(jotting) == loaded(session.jottings.filter(author=user)), user
            readable = learning._READABLE.rows(session=session.pk, user=user.pk)
            shared = session.learnings.visible_to(user).select_related("author").order_by("pk")
            expected = loaded(shared, "author")
            with django_assert_num_queries(0):
                assert loaded(readable, "author") == expected, user
            names = list(role_conditions(user))
            expected = Session.objects.annotate(**role_conditions(user)).get(pk=session.pk)
            for people, related in ((True, ()), (False, ("debrief__concluded_by",))):
                (row,) = _prepared_session(people, related).rows(pk=session.pk, user=user.pk)
                assert row.pk == session.pk
                assert [getattr(row, n) for n in names] == [getattr(expected, n) for n in names]


@pytest.mark.django_db
def test_a_query_whose_shape_depends_on_its_key_is_not_prepared():
    from findings.models import Finding

    def many(session):  # one parameter per id below the key: the SQL varies with it
        return Finding.objects.filter(session__in=range(session, session + abs(session) % 7 + 2))

    cases = {
        "depends on the keys' values": many,
        "never uses": lambda session: Finding.objects.all(),
        "varies": lambda session: Finding.objects.filter(session=session + 1),
        "select_for_update": lambda session: Finding.objects.filter(
            session=session
        ).select_for_update(),
    }
    for message, build in cases.items():
        with pytest.raises(ValueError, match=message):
            Prepared(build, "session").rows(session=1)


@pytest.mark.django_db
def test_an_id_no_column_can_hold_finds_nothing(debrief_world):
    """As Django answers a lookup out of range, also on SQLite, whose driver refuses it."""
    from findings.services import debrief

    assert debrief._QUESTIONS.rows(session=debrief_world.session.pk)
    assert debrief._QUESTIONS.rows(session=2**63) == []
    assert debrief._QUESTIONS.rows(session=-(2**63) - 1) == []


@pytest.mark.django_db
def test_the_dashboards_prepared_queries_give_what_their_querysets_give(debrief_world):
    """The user's actions with the count of the late ones, on days before, at and after
    their due dates (a day key), and the table of open sessions of a user who sees them by
    their roles."""
    from findings.constants import ActionStatus
    from findings.views import dashboard
    from sessions.access import sessions_for

    w = debrief_world
    today = timezone.localdate()
    for days, owner, co_owners, status in [
        (-3, w.listener, [w.coordinator], ActionStatus.OPEN),
        (-1, w.coordinator, [], ActionStatus.OPEN),
        (-5, w.coordinator, [], ActionStatus.DONE),
        (4, w.listener, [], ActionStatus.OPEN),
    ]:
        action = w.new_action(owner=owner)
        action.co_owners.set(co_owners)
        type(action).objects.filter(pk=action.pk).update(
            status=status, due_date=today + dt.timedelta(days=days), closing_note="Klaar."
        )
    users = [w.user(role) for role in ROLE_NAMES]
    counts = set()
    for user in users:
        for day in (today - dt.timedelta(days=10), today, today + dt.timedelta(days=10)):
            prepared = dashboard._MY_ACTIONS.rows(user=user.pk, today=day)
            built = list(dashboard._my_actions(user, day))
            assert [(a.pk, a.overdue_total, a.session.title) for a in prepared] == [
                (a.pk, a.overdue_total, a.session.title) for a in built
            ], (user, day)
            counts.add(prepared[0].overdue_total if prepared else None)
        table = dashboard._OPEN_SESSIONS.rows(user=user.pk)
        assert table == list(dashboard._open_sessions(sessions_for(user), user)), user
    assert {0, 1, 2} <= counts  # the day reached the count: not the same answer every time


@pytest.mark.django_db
def test_a_query_that_computes_with_a_day_is_not_prepared():
    from findings.models import ImprovementAction

    def week_before(today):
        return ImprovementAction.objects.filter(due_date__gte=today - dt.timedelta(days=7))

    with pytest.raises(ValueError, match="varies"):
        Prepared(week_before, days=("today",)).rows(today=timezone.localdate())


@pytest.mark.django_db
def test_the_debrief_shows_each_findings_actions_also_one_of_another_session(
    debrief_world, django_assert_num_queries
):
    """Actions answer findings of their own session; one that answers a finding of another
    session all the same (written around the service) is still shown beside it."""
    from findings.services import debrief

    w = debrief_world
    later = w.new_action(findings=[w.findings[0]], title="Later")
    sooner = w.new_action(findings=[w.findings[0], w.findings[1]], title="Eerder")
    # A day before, whatever today is (the first of a month would have been the same day).
    earlier = later.due_date - dt.timedelta(days=1)
    type(sooner).objects.filter(pk=sooner.pk).update(due_date=earlier)
    actions = debrief.actions_of(w.session)
    with django_assert_num_queries(2):  # the findings, their links: the actions are given
        debrief.every_debrief_finding(w.session, actions)
    stray = w.new_action(title="Elders")
    type(stray).objects.filter(pk=stray.pk).update(session=w.other_session)
    stray.findings.add(w.findings[1])
    actions = debrief.actions_of(w.session)
    assert stray.pk not in {a.pk for a in actions}
    findings = debrief.every_debrief_finding(w.session, actions)
    shown = {f.pk: [a.title for a in f.answered] for f in findings}
    assert shown == {
        f.pk: [a.title for a in f.answered] for f in debrief.debrief_findings(w.session)
    }
    assert shown[w.findings[0].pk] == ["Eerder", "Later"]
    assert set(shown[w.findings[1].pk]) == {"Eerder", "Elders"}


@pytest.mark.django_db
def test_a_query_with_a_list_of_ids_is_prepared_per_length(debrief_world):
    """The co-owners of a page of actions and the themes of a session's organisations: for
    an empty list, short ones of each length, one past the longest prepared (built as
    usual) and one with an id no column holds (matching nothing, as on PostgreSQL)."""
    from findings.models import (
        _CO_OWNER_NAME,
        _CO_OWNER_NAMES,
        _SESSION_THEMES,
        ImprovementAction,
        Theme,
        co_owner_names,
        themes_for_session,
    )

    def by_name(user):
        return (user.first_name, user.last_name, user.username)

    w = debrief_world
    actions = [w.new_action(title=f"Actie {n}") for n in range(4)]
    for n, action in enumerate(actions):
        action.co_owners.set([w.coordinator, w.professional][: n % 3])
    Theme.objects.create(organisation=w.org_a, name="Bereikbaarheid")
    Theme.objects.create(organisation=w.org_a, name="Bejegening")

    def built(ids):
        through = ImprovementAction.co_owners.through.objects
        return list(
            through.filter(improvementaction_id__in=ids)
            .order_by(*_CO_OWNER_NAME)
            .values_list("improvementaction_id", *_CO_OWNER_NAME)
        )

    ids = [a.pk for a in actions]
    longest = _CO_OWNER_NAMES.LONGEST_LIST
    for chosen in ([], ids[:1], ids[1:3], ids, ids * (longest // 4 + 1)):
        assert _CO_OWNER_NAMES.rows(actions=chosen) == built(chosen), len(chosen)
    assert len(ids * (longest // 4 + 1)) > longest
    assert len(built(ids)) == 3  # two actions with co-owners, one with two: not vacuous
    names = co_owner_names(ids)
    assert dict(names) == {
        actions[1].pk: [str(w.coordinator)],
        actions[2].pk: [str(u) for u in sorted([w.coordinator, w.professional], key=by_name)],
    }
    assert _CO_OWNER_NAMES.rows(actions=[ids[1], 2**63]) == built([ids[1]]) != []
    themes = themes_for_session(w.session)
    assert [t.pk for t in themes] == [t.pk for t in Theme.objects.for_session(w.session)]
    assert {t.name for t in themes} >= {"Bereikbaarheid", "Bejegening"}
    assert _SESSION_THEMES.rows(homes=[]) == []
