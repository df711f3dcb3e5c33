"""Queries and conditions that depend on nothing but one user, compiled once per process.

Django builds and compiles every query anew on every request. For the access rules (an
`EXISTS` per role, uncorrelated lists of the user's sessions) that is 1–2 ms of Python per
query, on every list a user opens, for SQL that only differs in the user's id
(docs/performance.md, ninth pass). The rules stay where they are written
(`sessions.models.role_rows`, `ImprovementAction.objects.visible_to`, …): what is here builds
them once for `NOBODY`, a user id no row has, lets Django compile them, and puts the real
user's id in its place on every call.

- `UserQuery(build)`: a whole query, `build(user)` → a queryset, run as it is (`rows(user)`).
- `UserConditions(model, build)`: `build(user)` → {name: condition on a row of `model`}, each
  an expression that a queryset can filter on or annotate (`for_user(user)`), also inside a
  subquery: the SQL names its own row by a placeholder that becomes the row's alias where it
  is used, and the aliases of its own subqueries are renamed so that they can never capture
  the row of an outer query.
- `Prepared(build, *ids, days=…)`: a whole query of model instances (or values) that
  depends on nothing but a few keys (a session's id, a user's id, today), `build(**keys)` →
  a queryset with its `select_related` and `prefetch_related`; `rows(**keys)` runs it and
  gives what iterating the queryset would, through Django's own iterables.

Only conditions on the row's own columns and subqueries can be compiled this way: one that
joins another table to the row (`session__status=…`) is refused when it is compiled.
"""

import copy
import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, DateField, Expression

NOBODY = -1  # a user id no row has; its place among the parameters takes the real user's id

# Django's aliases in compiled SQL: upper-case letters and digits, quoted ("U0", "V1", "T3").
_ALIAS = re.compile(r'"([A-Z]+\d+)"')
_ROW = "\x00row\x00"  # where the row's own alias goes


def _user_params(params, user) -> tuple:
    return tuple(user.pk if param == NOBODY else param for param in params)


def _nobody():
    return get_user_model()(pk=NOBODY)


class UserQuery:
    """A query that depends on nothing but one user: `build(user)` returns its queryset
    (values_list rows). Compiled once per database; `rows(user)` runs it."""

    def __init__(self, build, using="default"):
        self.build = build
        self.using = using
        self._compiled = {}  # database vendor → compiled SQL

    def sql(self, connection) -> tuple[str, tuple]:
        key = connection.vendor
        if key not in self._compiled:
            query = self.build(_nobody()).query
            self._compiled[key] = query.get_compiler(connection=connection).as_sql()
        return self._compiled[key]

    def rows(self, user, *, around="{}", params=()) -> list[tuple]:
        """Its rows for `user`; `around` puts its SQL inside a statement of its own (e.g. a
        LIMIT), whose `params` follow the query's."""
        connection = connections[self.using]
        sql, own = self.sql(connection)
        with connection.cursor() as cursor:
            cursor.execute(around.format(sql), (*_user_params(own, user), *params))
            return cursor.fetchall()


class UserConditions:
    """Conditions on a row of `model` that depend on nothing but one user: `build(user)`
    returns {name: condition}. `for_user(user)` gives them as expressions to filter on or
    annotate with, compiled once per database."""

    def __init__(self, model, build, using="default"):
        self.model = model
        self.build = build
        self.using = using
        self._compiled = {}  # database vendor → name → compiled SQL

    def sql(self, connection) -> dict:
        """name → (SQL with the row as `_ROW`, parameters with NOBODY for the user)."""
        key = connection.vendor
        if key not in self._compiled:
            table = self.model._meta.db_table
            query = self.model.objects.annotate(**self.build(_nobody())).query
            # Joins Django set up and trimmed again stay in alias_map, unreferenced.
            if {alias for alias, n in query.alias_refcount.items() if n} != {table}:
                raise ValueError(f"{self.build.__qualname__} joins other tables to the row")
            compiler = query.get_compiler(connection=connection)
            row = compiler.quote_name(table) + "."
            compiled = {}
            for name, condition in query.annotations.items():
                sql, params = compiler.compile(condition)
                # The row by a placeholder; the subqueries' own aliases out of Django's way.
                sql = _ALIAS.sub(r'"c_\1"', sql.replace(row, _ROW))
                compiled[name] = (sql, tuple(params))
            self._compiled[key] = compiled
        return self._compiled[key]

    def for_user(self, user) -> dict:
        connection = connections[self.using]
        table = self.model._meta.db_table
        return {
            name: Compiled(sql, _user_params(params, user), table)
            for name, (sql, params) in self.sql(connection).items()
        }


class Compiled(Expression):
    """A boolean condition compiled once (`UserConditions`): its SQL, its parameters and the
    alias of the row it is about, which a subquery's new alias replaces."""

    output_field = BooleanField()

    def __init__(self, sql, params, alias):
        super().__init__()
        self.sql, self.params, self.alias = sql, params, alias

    def relabeled_clone(self, change_map):
        return Compiled(self.sql, self.params, change_map.get(self.alias, self.alias))

    def as_sql(self, compiler, connection):
        row = compiler.quote_name(self.alias) + "."
        return "(" + self.sql.replace(_ROW, row) + ")", list(self.params)


def _fits(value) -> bool:
    return value is None or -(2**63) <= value < 2**63


# Two sets of stand-ins for the ids of a `Prepared` query: ids no row has, and no two alike;
# for day keys, days no row holds, a day apart.
_STAND_INS = (-1_000_001, -2_000_001)
_STAND_IN_DAYS = (dt.date(1000, 1, 1), dt.date(1001, 1, 1))
_DAY = DateField()


def _slot(key, n) -> str:
    """The name of the n-th id of a list key among a `Prepared` query's slots."""
    return f"{key}#{n}"


class Prepared:
    """A query that depends on nothing but `keys`, `build(**keys)` → its queryset.

    Keys are ids (named in `ids`), days (named in `days`: `datetime.date`s compared with a
    DateField, adapted for the database as Django adapts them) or lists of ids (named in
    `lists`, for `__in`; the number of ids is part of the SQL, so the query is compiled once
    for each length it is asked with, up to LONGEST_LIST ids). Compiled once per database,
    for stand-in keys, and twice: the SQL must come out the same and the parameters may
    differ only where a stand-in went in, else it is refused (a query whose shape depends on
    a key's value, that computes with a key, or that never uses one cannot be prepared).
    `rows(**keys)` runs it with the real keys in their places and returns what
    `list(queryset)` would: model instances with their `select_related` objects and
    annotations (or the rows of `values()`), then its `prefetch_related` (queried as usual).
    Only the building and compiling are skipped; Django turns the rows into objects as always.

    Build it from `Model.objects`, not from a related manager of a stand-in object (that
    object would be set on every row), without a query of its own (it runs for stand-ins),
    and without `select_for_update` (its transaction check is part of the compiling).
    """

    def __init__(self, build, *ids, days=(), lists=(), using="default"):
        self.build = build
        self.ids = ids
        self.days = tuple(days)
        self.lists = tuple(lists)
        self.using = using
        self._compiled = {}  # (vendor, list lengths) → (queryset, compiler, SQL, params, places)

    # Each id, day and id of a list is a slot: a parameter of its own.

    def _stand_ins(self, which, lengths) -> dict:
        """slot → its stand-in value, in the first or the second set."""
        listed = [
            _slot(key, n)
            for key, length in zip(self.lists, lengths, strict=True)
            for n in range(length)
        ]
        return {
            **{slot: _STAND_INS[which] - n for n, slot in enumerate([*self.ids, *listed])},
            **{
                key: _STAND_IN_DAYS[which] + dt.timedelta(days=n) for n, key in enumerate(self.days)
            },
        }

    def _keys(self, slots, lengths) -> dict:
        """The keys `build` takes, from the slots' values."""
        keys = {key: slots[key] for key in (*self.ids, *self.days)}
        for key, length in zip(self.lists, lengths, strict=True):
            keys[key] = [slots[_slot(key, n)] for n in range(length)]
        return keys

    def _slots(self, keys) -> dict:
        """The slots' values, from the keys `build` takes (the other way round)."""
        slots = {key: keys[key] for key in (*self.ids, *self.days)}
        for key in self.lists:
            slots.update({_slot(key, n): value for n, value in enumerate(keys[key])})
        return slots

    def _adapted(self, slots, connection) -> dict:
        """The slots as parameters: days as Django adapts a DateField's value."""
        return {
            slot: _DAY.get_db_prep_value(value, connection) if slot in self.days else value
            for slot, value in slots.items()
        }

    def prepare(self, connection, lengths=()):
        """(queryset, compiler, SQL, parameters, {position: slot}) for these list lengths, or
        None when the query selects nothing whatever the keys (an empty list)."""
        key = connection.vendor, lengths
        if key not in self._compiled:
            compiled = []
            for which in (0, 1):
                queryset = self.build(**self._keys(self._stand_ins(which, lengths), lengths))
                if queryset.query.select_for_update:
                    raise ValueError(f"{self.build.__qualname__}: select_for_update")
                compiler = queryset.query.get_compiler(connection=connection)
                try:
                    compiled.append((queryset, compiler, *compiler.as_sql()))
                except EmptyResultSet:  # as Django's iterables answer it: no rows
                    compiled.append(None)
            if None in compiled:
                if compiled != [None, None]:
                    raise ValueError(f"{self.build.__qualname__}: empty for some keys only")
                self._compiled[key] = None
            else:
                (queryset, compiler, sql, params), (_, _, other_sql, other_params) = compiled
                places = self._places(connection, lengths, sql, params, other_sql, other_params)
                self._compiled[key] = (queryset, compiler, sql, tuple(params), places)
        return self._compiled[key]

    def _places(self, connection, lengths, sql, params, other_sql, other_params) -> dict:
        """Where each slot goes among the parameters: {position: slot}."""
        first = self._adapted(self._stand_ins(0, lengths), connection)
        second = self._adapted(self._stand_ins(1, lengths), connection)
        if sql != other_sql or len(params) != len(other_params):
            raise ValueError(f"{self.build.__qualname__}: its SQL depends on the keys' values")
        places = {}
        for position, (one, other) in enumerate(zip(params, other_params, strict=True)):
            if one == other:
                continue
            slot = next((s for s in first if first[s] == one and second[s] == other), None)
            if slot is None:
                raise ValueError(f"{self.build.__qualname__}: parameter {position} varies")
            places[position] = slot
        if missing := set(first) - set(places.values()):
            raise ValueError(f"{self.build.__qualname__}: never uses {sorted(missing)}")
        return places

    # Longer lists are built and compiled as usual: one compiled query is kept per length.
    LONGEST_LIST = 50

    def rows(self, **keys) -> list:
        """What `list(build(**keys))` gives, without building or compiling it."""
        if any(not _fits(keys[key]) for key in self.ids):
            # An id no column holds: no row, as Django answers an exact lookup out of range
            # (the keys here are conditions every row meets, not one side of an OR).
            return []
        # Ids of a list that no column holds match nothing (and SQLite's driver refuses them).
        keys = {**keys, **{key: [v for v in keys[key] if _fits(v)] for key in self.lists}}
        lengths = tuple(len(keys[key]) for key in self.lists)
        if any(length > self.LONGEST_LIST for length in lengths):
            return list(self.build(**keys))
        connection = connections[self.using]
        prepared = self.prepare(connection, lengths)
        if prepared is None:
            return []
        queryset, compiler, sql, params, places = prepared
        slots = self._adapted(self._slots(keys), connection)
        params = [slots[places[n]] if n in places else p for n, p in enumerate(params)]
        run = copy.copy(compiler)  # its select, klass_info, … as the compiling left them
        run.connection = connection  # this thread's
        run.as_sql = lambda *args, **kwargs: (sql, params)
        queryset = queryset._chain()
        queryset.query.get_compiler = lambda *args, **kwargs: run
        return list(queryset)
