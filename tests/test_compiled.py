"""Conditions compiled once (spiegel.compiled) select exactly what the conditions they were
compiled from select, for every kind of user, at the top of a query and inside subqueries of
any depth, where the row they name has another alias (a capture there would silently let the
wrong sessions through)."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from findings.models import VISIBLE, ImprovementAction, _visible
from sessions.models import ROLE_COLUMNS, ROLES, Session, SessionTable, may_see, role_conditions
from spiegel.compiled import UserConditions

ROLE_NAMES = ("facilitator", "listener", "coordinator", "professional", "outsider")


def people(world, other):
    """Every kind of user around the world's session and the other one, a table host too."""
    host = get_user_model().objects.create(username="tafelhost")
    SessionTable.objects.create(session=other.session, name="Tafel 1", host=host)
    return [world.user(r) for r in ROLE_NAMES] + [host, other.session.facilitator]


def ids(queryset):
    return set(queryset.values_list("pk", flat=True))


@pytest.mark.django_db
def test_the_compiled_roles_are_the_roles_they_were_compiled_from(action_world, other):
    for user in people(action_world, other):
        built = Session.objects.annotate(**role_conditions(user)).order_by("pk")
        compiled = Session.objects.annotate(**ROLES.for_user(user)).order_by("pk")
        names = list(ROLES.for_user(user))
        assert list(compiled.values_list("pk", *names)) == list(built.values_list("pk", *names)), (
            user
        )
        plain = Session.objects.filter(may_see(user, role_conditions(user).values()))
        assert ids(Session.objects.for_user(user)) == ids(plain), user


@pytest.mark.django_db
def test_the_role_columns_of_a_list_are_the_roles(action_world, other):
    """The per-row form a table reads the roles from (ROLE_COLUMNS) and the EXISTS form."""
    for user in people(action_world, other):
        names = list(ROLES.for_user(user))
        exists = Session.objects.annotate(**ROLES.for_user(user)).order_by("pk")
        columns = Session.objects.annotate(**ROLE_COLUMNS.for_user(user)).order_by("pk")
        assert list(columns.values_list("pk", *names)) == list(exists.values_list("pk", *names)), (
            user
        )


@pytest.mark.django_db
def test_a_compiled_condition_inside_subqueries_names_the_row_it_is_about(action_world, other):
    """Nested one and two levels deep in a query of the same table: the compiled condition's
    own subqueries must not capture the alias its row gets there."""
    for user in people(action_world, other):
        expected = ids(Session.objects.filter(may_see(user, role_conditions(user).values())))
        compiled = Session.objects.filter(may_see(user, ROLES.for_user(user).values()))
        once = Session.objects.filter(Exists(compiled.filter(pk=OuterRef("pk"))))
        twice = Session.objects.filter(
            Exists(Session.objects.filter(pk=OuterRef("pk"), pk__in=compiled.values("pk")))
        )
        assert ids(once) == ids(twice) == expected, user
        # Inside a query of another table, where the sessions have an alias of their own.
        actions = ImprovementAction.objects.filter(session__in=compiled.values("pk"))
        assert ids(actions) == ids(ImprovementAction.objects.filter(session__in=expected)), user
        # Only the listener role, nested: a capture would answer for the wrong row.
        listened = Session.objects.annotate(**ROLES.for_user(user)).filter(user_is_listener=True)
        assert ids(Session.objects.filter(pk__in=listened.values("pk"))) == set(
            Session.objects.filter(listeners__user=user).values_list("pk", flat=True)
        ), user


@pytest.mark.django_db
def test_the_compiled_visibility_of_actions_is_the_rule(action_world, other):
    action_world.more_actions(6)
    users = people(action_world, other) + [action_world.owner, action_world.co_owner]
    for user in users:
        expected = ids(ImprovementAction.objects.filter(_visible(user)["visible"]))
        assert ids(ImprovementAction.objects.visible_to(user)) == expected, user
        # Inside a subquery on the same table, as the filter's owner check uses it.
        nested = ImprovementAction.objects.filter(
            Exists(
                ImprovementAction.objects.filter(
                    VISIBLE.for_user(user)["visible"], pk=OuterRef("pk")
                )
            )
        )
        assert ids(nested) == expected, user


@pytest.mark.django_db
def test_a_condition_that_joins_another_table_is_refused():
    joined = UserConditions(Session, lambda user: {"x": Q(facilitator__username="x")})
    with pytest.raises(ValueError, match="joins other tables"):
        joined.for_user(get_user_model()(pk=1))
