"""When an organisation's figures last changed, kept by the database itself.

The insights of an organisation (findings.services.insights) are cached, and a cached answer
may only be served while nothing it counted has changed. What it counts lives in six tables:
the sessions, which organisations sit at each session, the findings, the themes, the actions
and which findings each action answers. Triggers on those tables stamp every organisation a
written row belongs to (`OrganisationChange`), in the same transaction as the write, whoever
makes it: the app, a bulk `update()`, the admin, the retention purge, a client's erasure, SQL
typed by hand. Django signals would miss the bulk updates and the SQL; a missed write would
serve figures from before it, and the title of a session that is gone.

The stamp is the time of the change in microseconds, and always larger than the one before
it: a cached answer is keyed by it, so an answer made before a change is never found again.
A clock instead of a counter, so that emptying the tables (a test's flush, a restore) cannot
bring back a number an older answer was cached under.

Which rows belong to which organisations is `marks()`, the one place the rule is written; the
triggers are made from it for PostgreSQL (one per statement, over its transition tables, so a
bulk insert stamps each organisation once) and SQLite (one per row). Within one statement the
organisations are stamped in order of their id, so two writers in a joint session wait for
each other instead of deadlocking.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import caches
from django.utils import timezone

from findings.models import Finding, ImprovementAction, OrganisationChange, Theme
from participants.models import Organisation
from sessions.models import Session


def changed(organisation_ids) -> list[int]:
    """The stamps of the organisations' latest changes, in the order given; 0 for one that
    never had one. One query."""
    stamps = dict(
        OrganisationChange.objects.filter(organisation_id__in=organisation_ids).values_list(
            "organisation_id", "changed"
        )
    )
    return [stamps.get(pk, 0) for pk in organisation_ids]


CACHE = "insights"  # settings.CACHES


def cached(what: str, organisation_ids: list, parts: tuple, count):
    """`count()`, an answer about the organisations `organisation_ids`, from the cache while
    nothing of theirs has changed.

    The key holds `what` (name and format of the answer: a change to what it holds must not
    meet answers cached before it), the organisations, `parts` (the period and whatever else
    the answer depends on), the time zone its dates are in, and each organisation's latest
    stamp: a write stamps them anew in its own transaction, so an answer counted before it is
    never found again. `count` must read nothing but what `marks()` stamps these organisations for.
    """
    ids = sorted(organisation_ids)
    identity = repr((ids, parts, timezone.get_current_timezone_name(), changed(ids)))
    key = f"{what}:{hashlib.sha256(identity.encode()).hexdigest()}"
    cache = caches[CACHE]
    answer = cache.get(key)
    if answer is None:
        answer = count()
        cache.set(key, answer)
    return answer


@dataclass(frozen=True)
class Owners:
    """The organisations a written row belongs to: `select` from `join` where `on`, with the
    row itself as `{r}` (a transition table's alias in PostgreSQL, NEW or OLD in SQLite).
    Without `join`, `select` reads the row alone."""

    select: str
    join: str = ""
    on: str = ""


def _session_organisations() -> str:
    return Session.organisations.through._meta.db_table


def itself(column: str) -> Owners:
    """The organisation in the row's own `column`."""
    return Owners(f"{{r}}.{column}")


def of_session(column: str) -> Owners:
    """The organisations at the session in `column`."""
    return Owners(
        "so.organisation_id", f"{_session_organisations()} so", f"so.session_id = {{r}}.{column}"
    )


def of_finding(column: str) -> Owners:
    """The organisations at the session of the finding in `column`."""
    findings, at = Finding._meta.db_table, _session_organisations()
    return Owners(
        "so.organisation_id",
        f"{findings} f JOIN {at} so ON so.session_id = f.session_id",
        f"f.id = {{r}}.{column}",
    )


def in_network(column: str) -> Owners:
    """The organisations of the network in `column` (a network's theme is theirs too)."""
    return Owners("o.id", f"{Organisation._meta.db_table} o", f"o.network_id = {{r}}.{column}")


def marks() -> dict[str, list[Owners]]:
    """Table → the organisations each of its rows belongs to."""
    return {
        Session._meta.db_table: [of_session("id")],
        _session_organisations(): [itself("organisation_id")],
        Finding._meta.db_table: [of_session("session_id")],
        Theme._meta.db_table: [itself("organisation_id"), in_network("organisation_id")],
        # The organisation that took the action home, and the session's (insights count the
        # first's actions, and mark a theme by any action on its findings).
        ImprovementAction._meta.db_table: [itself("organisation_id"), of_session("session_id")],
        ImprovementAction.findings.through._meta.db_table: [of_finding("finding_id")],
    }


def _stamp(sources: str, vendor: str) -> str:
    """The statement that stamps the organisations `sources` selects (one column, o)."""
    table = OrganisationChange._meta.db_table
    if vendor == "postgresql":
        now, larger = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint", "GREATEST"
    else:
        now, larger = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)", "MAX"
    # Table and column names come from the models, never from input.
    return (
        f"INSERT INTO {table} (organisation_id, changed) "  # noqa: S608
        f"SELECT m.o, {now} FROM (SELECT DISTINCT o FROM ({sources}) AS s WHERE o IS NOT NULL) "
        "AS m WHERE true ORDER BY m.o "
        f"ON CONFLICT (organisation_id) DO UPDATE "
        f"SET changed = {larger}({table}.changed + 1, excluded.changed)"
    )


def _sources(owners: list[Owners], row: str, rows: str = "") -> str:
    """The organisations of the written row(s), one column o: of the transition table `rows`
    as `row` (PostgreSQL), or of the trigger's NEW or OLD `row` alone (SQLite)."""
    parts = []
    for owner in owners:
        part = f"SELECT {owner.select.format(r=row)} AS o"
        if rows:
            part += f" FROM {rows} {row}"
            if owner.join:
                part += f" JOIN {owner.join} ON {owner.on.format(r=row)}"
        elif owner.join:
            part += f" FROM {owner.join} WHERE {owner.on.format(r=row)}"
        parts.append(part)
    return " UNION ALL ".join(parts)


# The rows each event writes: PostgreSQL's transition tables (a statement's rows), SQLite's
# row. An update stamps the organisations of the row before and after it.
POSTGRESQL_TRANSITIONS = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}
POSTGRESQL_ROWS = {
    "INSERT": "new_rows",
    "UPDATE": "(SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows)",
    "DELETE": "old_rows",
}
SQLITE_ROWS = {"INSERT": ["NEW"], "UPDATE": ["NEW", "OLD"], "DELETE": ["OLD"]}
EVENTS = tuple(SQLITE_ROWS)


def _name(table: str, event: str = "") -> str:
    return f"spiegel_mark_{table}" + (f"_{event.lower()}" if event else "")


def create_triggers(schema_editor) -> None:
    """Make (or make anew) every trigger of `marks()` on the schema editor's database."""
    drop_triggers(schema_editor)
    vendor = schema_editor.connection.vendor
    for table, owners in marks().items():
        if vendor == "postgresql":
            stamp = {
                event: _stamp(_sources(owners, "r", rows), vendor)
                for event, rows in POSTGRESQL_ROWS.items()
            }
            schema_editor.execute(
                f"CREATE FUNCTION {_name(table)}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF TG_OP = 'INSERT' THEN {stamp['INSERT']}; "
                f"ELSIF TG_OP = 'DELETE' THEN {stamp['DELETE']}; "
                f"ELSE {stamp['UPDATE']}; END IF; RETURN NULL; END $$"
            )
            for event, transitions in POSTGRESQL_TRANSITIONS.items():
                schema_editor.execute(
                    f"CREATE TRIGGER {_name(table, event)} AFTER {event} ON {table} "
                    f"REFERENCING {transitions} FOR EACH STATEMENT "
                    f"EXECUTE FUNCTION {_name(table)}()"
                )
        else:
            for event, rows in SQLITE_ROWS.items():
                sources = " UNION ALL ".join(_sources(owners, row) for row in rows)
                schema_editor.execute(
                    f"CREATE TRIGGER {_name(table, event)} AFTER {event} ON {table} "
                    f"FOR EACH ROW BEGIN {_stamp(sources, vendor)}; END"
                )


def drop_triggers(schema_editor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    for table in marks():
        for event in EVENTS:
            on = f" ON {table}" if postgresql else ""
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(table, event)}{on}")
        if postgresql:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {_name(table)}()")
