"""`python -m bench.pages`: time the main pages against the data in DATABASE_URL.

Meant for the scale data set on PostgreSQL (`manage.py demo --force --scale 10000`, see
docs/performance.md). Logs in with Django's test client as the demo's coordinator and listener,
and for each page prints the median of a few requests beside a trivial view timed the same way
(the same middleware), the number of SQL queries, the size of the HTML and the time the
database spent. With `--explain N` it prints `EXPLAIN (ANALYZE, BUFFERS)` of the N slowest
queries of each page (PostgreSQL only); `--top N` prints the N slowest queries of the whole run
with their plans, the figures docs/performance.md keeps.

    DATABASE_URL=postgres://… python -m bench.pages [--runs 5] [--explain 3] [--top 3]

It changes nothing in the database except the logins' django_session rows.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spiegel.settings")
os.environ.setdefault("SPIEGEL_PLAIN_STATIC", "1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# The demo users have no second factor; the pages are measured as after it (the check is
# then a flag in the session, no query), as make loadtest does.
os.environ.setdefault("SPIEGEL_REQUIRE_MFA", "0")
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ROLES = ("coordinator", "listener")


def pages_for(user):
    """The pages to time for `user`: (label, url), with one of their held sessions."""
    from findings.models import ImprovementAction
    from sessions.constants import OVER
    from sessions.models import Session

    session = (
        Session.objects.for_user(user).filter(status__in=OVER).order_by("-starts_at", "-pk").first()
    )
    action = ImprovementAction.objects.visible_to(user).order_by("-pk").first()
    pages = [
        ("trivial", "/bench/trivial/"),
        ("/", "/"),
        ("/sessions/", "/sessions/"),
        ("/sessions/?page=50", "/sessions/?page=50"),
        ("/sessions/?q=", "/sessions/?q=wijk"),
    ]
    if session:
        pages += [
            ("/sessions/<id>/", f"/sessions/{session.pk}/"),
            ("/sessions/<id>/debrief/", f"/sessions/{session.pk}/debrief/"),
        ]
    pages += [
        ("/actions/", "/actions/"),
        ("/actions/?page=100", "/actions/?page=100"),
        ("/actions/?status=open&…", "/actions/?status=open&overdue=on&sort=owner"),
        ("/actions/?owner=me&status=unfinished", f"/actions/?owner={user.pk}&status=unfinished"),
    ]
    if action:  # a session with actions the user may see, sorted by status
        pages.append(
            ("/actions/?session=<id>", f"/actions/?session={action.session_id}&sort=status")
        )
    if action:
        pages.append(("/actions/<id>/", f"/actions/{action.pk}/"))
    pages.append(("/actions/insights/", "/actions/insights/"))
    return pages


def measure(client, url, runs):
    """Median milliseconds over `runs` requests (after one warm-up), the size of the answer,
    and the queries of one more request (with their database times)."""
    response = client.get(url)
    status = response.status_code
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    queries = [(float(q["time"]) * 1000, q["sql"]) for q in context.captured_queries]
    return {
        "status": status,
        "median": statistics.median(samples),
        "size": len(response.content),
        "queries": queries,
    }


def explain(sql):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain", type=int, default=0, metavar="N")
    parser.add_argument("--top", type=int, default=0, metavar="N")
    parser.add_argument("--sql", action="store_true", help="print every page's SQL")
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated usernames")
    parser.add_argument("--only", default="", help="time only pages whose label contains this")
    args = parser.parse_args(argv)

    from participants.models import User

    setup_test_environment()
    postgres = connection.vendor == "postgresql"
    heaviest = []
    with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["*"], DEBUG=False):
        for role in args.roles.split(","):
            user = User.objects.get(username=role)
            client = Client()
            client.force_login(user)
            floor = None
            print(f"\n{role}")
            print(f"  {'page':<38} {'ms':>8} {'×floor':>7} {'queries':>7} {'db ms':>7} {'KB':>7}")
            for label, url in pages_for(user):
                if args.only and label != "trivial" and args.only not in label:
                    continue
                result = measure(client, url, args.runs)
                if label == "trivial":
                    floor = result["median"]
                db = sum(t for t, _sql in result["queries"])
                print(
                    f"  {label:<38} {result['median']:8.1f} {result['median'] / floor:6.1f}×"
                    f" {len(result['queries']):7d} {db:7.1f} {result['size'] / 1024:7.1f}"
                    + ("" if result["status"] == 200 else f"  HTTP {result['status']}")
                )
                slowest = sorted(result["queries"], reverse=True)
                heaviest += [(t, role, label, sql) for t, sql in slowest[:3]]
                if args.sql:
                    for t, sql in result["queries"]:
                        print(f"      {t:7.1f} ms  {sql[:300]}")
                if args.explain and postgres:
                    for t, sql in slowest[: args.explain]:
                        print(f"\n    -- {t:.1f} ms\n    {sql}\n")
                        print("    " + explain(sql).replace("\n", "\n    "))
    if args.top:
        print(f"\nThe {args.top} slowest queries of the run")
        seen = set()
        for t, role, label, sql in sorted(heaviest, reverse=True):
            if len(seen) == args.top:
                break
            if (label, sql[:200]) in seen:
                continue
            seen.add((label, sql[:200]))
            print(f"\n### {label} ({role}), {t:.1f} ms\n\n```sql\n{sql}\n```\n")
            if postgres:
                print("```\n" + explain(sql) + "\n```")


if __name__ == "__main__":
    main()
