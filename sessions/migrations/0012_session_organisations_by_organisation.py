from django.db import migrations

# The session–organisation links by organisation, with the session beside it. Every access
# filter of a coordinator ("the sessions of the organisations I coordinate") reads all links
# of their organisations: Django's own index on organisation_id finds them, but each row then
# comes from the table (a bitmap heap scan, ~1.8 ms for 4,400 links at 10,000 sessions). With
# the session in the index PostgreSQL answers from the index alone (~1.0 ms), and the session
# list and the dashboard build that set twice per query (docs/performance.md, sixth pass).
# The links table is made by the ManyToManyField, so the index is plain SQL, the same on
# SQLite and PostgreSQL.
INDEX = "session_orgs_org_session"
TABLE = "spiegel_sessions_session_organisations"


class Migration(migrations.Migration):
    dependencies = [
        ("spiegel_sessions", "0011_kitchen_tables"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON {TABLE} (organisation_id, session_id)",
            f"DROP INDEX {INDEX}",
        ),
    ]
