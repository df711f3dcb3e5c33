"""`make bench`: speed and memory figures, each beside a floor measured in the same run.

Runs in-process on a throwaway SQLite database (or BENCH_DATABASE_URL). Every figure is a
server-side time: Django's test client drives the full middleware stack (session, auth, CSRF,
CSP), with no network in between, so the floor (a trivial view, a one-page PDF) cancels out
the machine's speed. Prints a table; exits non-zero only if something breaks, not on targets.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory(prefix="spiegel-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spiegel.settings")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or (
    f"sqlite:///{_tmp.name}/bench.sqlite3"
)
os.environ.setdefault("SPIEGEL_PLAIN_STATIC", "1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# The demo users have no second factor; the pages are measured as after it (the check is
# then a flag in the session, no query), as make loadtest does.
os.environ.setdefault("SPIEGEL_REQUIRE_MFA", "0")

# WhiteNoise warns that collectstatic never ran; the bench serves no static files.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

CAPTURES = int(os.environ.get("BENCH_CAPTURES", "300"))
# BENCH_ONLY=capture|pdf|privacy|themes|workers runs one part (comma-separated for several).
ONLY = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
WARMUP = int(os.environ.get("BENCH_WARMUP", "5"))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed(call, n):
    """Milliseconds of `n` calls; the first WARMUP calls are dropped."""
    samples = []
    for i in range(n + WARMUP):
        start = time.perf_counter()
        call(i)
        elapsed = (time.perf_counter() - start) * 1000
        if i >= WARMUP:
            samples.append(elapsed)
    return samples


def row(label, samples, floor=None, extra=""):
    median, p95 = statistics.median(samples), percentile(samples, 0.95)
    ratio = f"{median / statistics.median(floor):5.1f}×" if floor else "  —  "
    print(f"  {label:<38} median {median:7.2f} ms   p95 {p95:7.2f} ms   {ratio} floor  {extra}")


def live_world():
    from sessions.constants import Status
    from sessions.models import Session
    from tests.factories import PanelMemberFactory, QuestionFactory, RuleFactory, World

    world = World()
    for _ in range(5):
        PanelMemberFactory(session=world.session)
    for position in range(2, 9):
        QuestionFactory(session=world.session, position=position)
    RuleFactory(session=world.session)
    Session.objects.filter(pk=world.session.pk).update(status=Status.LIVE)
    world.session.refresh_from_db()
    return world


def bench_capture():
    world = live_world()
    session = world.session
    client = Client()
    client.force_login(world.facilitator)
    questions = list(session.questions.values_list("pk", flat=True))
    speakers = list(session.panel_members.values_list("pk", flat=True))
    url = f"/sessions/{session.pk}/live/findings/"

    def capture(i):
        response = client.post(
            url,
            {
                "client_id": str(uuid.uuid4()),
                "text": f"Notitie {i}: ik moest drie keer bellen voordat ik iemand sprak.",
                "kind": "improvement",
                "question": questions[i % len(questions)],
                "speaker": speakers[i % len(speakers)],
            },
            headers={"accept": "application/json"},
        )
        assert response.status_code == 201, (response.status_code, response.content[:300])

    def trivial(i):
        assert client.get("/bench/trivial/").status_code == 200

    floor = timed(trivial, CAPTURES)
    samples = timed(capture, CAPTURES)
    with CaptureQueriesContext(connection) as queries:
        capture(CAPTURES + WARMUP + 1)
    print(f"Storing one note ({CAPTURES} captures, {WARMUP} warm-up calls dropped)")
    row("trivial view (floor)", floor)
    row("POST /sessions/<id>/live/findings/", samples, floor, f"{len(queries)} queries")
    print("  targets: median ≤ 30 ms, ≤ 5 queries per capture")


def pdf_case(case):
    """One PDF case in this (fresh) process: JSON with seconds per render, pages, peak RSS."""
    import datetime as dt

    from django.http import QueryDict
    from django.utils import timezone

    from findings.models import ImprovementAction
    from findings.reports.documents import (
        actions_report_request,
        render_actions_report,
        render_session_document,
    )
    from sessions.access import get_session_for
    from spiegel.pdf import render_pdf
    from tests.pdf_helpers import pdf_info

    def floor():
        return render_pdf("reports/floor.html", {"text": "Spiegel"}, language="nl")

    floor()  # imports, fonts, caches
    if case == "floor":
        render, repeat = floor, 10
    else:
        from tests.factories import ReportWorld

        world = ReportWorld()
        world.add_findings(80 - world.session.findings.count())
        if case == "session":
            world.add_actions(15 - world.session.actions.count())
            session = get_session_for(world.coordinator, world.session.pk)
            repeat = 5

            def render():
                return render_session_document("report", session)

        else:
            today = timezone.localdate()
            missing = 1000 - ImprovementAction.objects.count()
            ImprovementAction.objects.bulk_create(
                ImprovementAction(
                    session=world.session,
                    organisation=world.org_a,
                    title=f"Verbeteractie {i}: terugbelbelofte binnen twee werkdagen nakomen",
                    owner=[world.listener, world.coordinator][i % 2],
                    created_by=world.coordinator,
                    due_date=today + dt.timedelta(days=i % 90 - 30),
                    status=["open", "in_progress", "open", "done"][i % 4],
                    closing_note="Gedaan." if i % 4 == 3 else "",
                )
                for i in range(missing)
            )
            query = QueryDict(f"organisation={world.org_a.pk}")
            repeat = 2

            def render():
                request = actions_report_request(world.coordinator, query)
                return render_actions_report(request.context(language="nl"), language="nl")

    # What the render itself takes: its first time in this process, untimed (as the floor's
    # first one is), its largest own memory (private pages, sampled in a thread) above the
    # process's before it. The process's peak also holds what the case loaded first:
    # Deduce's ~1 GB, since the data goes through the privacy guard, as in the task worker
    # that renders large reports.
    from loadtest.server import OwnMemorySampler, memory_mb

    before = memory_mb(os.getpid())["own"]
    with OwnMemorySampler([os.getpid()], interval=0.01) as sampler:
        render()
    growth = sampler.peak_mb - before

    seconds, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        data = render()
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pages = pdf_info(data)["pages"]
    print(
        json.dumps(
            {"seconds": seconds, "cpu": cpu, "pages": pages, "rss_mb": peak, "render_mb": growth}
        )
    )


def run_case(case):
    result = subprocess.run(  # noqa: S603 - our own module with fixed arguments
        [sys.executable, "-m", "bench", "--pdf-case", case],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "BENCH_DATABASE_URL": ""},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def bench_pdfs():
    print("PDF reports (each case in a fresh process; peak = the process's maximum RSS)")
    floor = run_case("floor")
    floor_page = statistics.median(floor["seconds"]) / floor["pages"]
    floor_cpu = statistics.median(floor["cpu"]) / floor["pages"]
    rows = [("one-page document (floor)", floor)]
    rows.append(("session report: 80 findings, 15 actions", run_case("session")))
    rows.append(("actions overview: 1,000 actions", run_case("actions")))
    for label, result in rows:
        median = statistics.median(result["seconds"])
        per_page = median / result["pages"]
        # CPU time beside the wall time: on a shared machine the floor and a report meet
        # different loads; the process's own CPU time moves much less with them.
        cpu_page = statistics.median(result["cpu"]) / result["pages"]
        print(
            f"  {label:<40} {median:6.2f} s  {result['pages']:3d} pages  "
            f"{per_page:6.3f} s/page = {per_page / floor_page:4.1f}× floor  "
            f"(CPU {cpu_page / floor_cpu:4.1f}×)  peak {result['rss_mb']:6.0f} MB, "
            f"the render +{result['render_mb']:4.0f} MB"
        )
    print(
        "  targets: session report ≤ 1 s and ≤ 2× the floor per page; "
        "1,000 actions ≤ 10 s and the render ≤ 300 MB"
    )
    print(
        "  peak: the process's largest RSS, with what it loaded before (the floor: Django and "
        "WeasyPrint; the reports: also Deduce); the render: its own memory above that"
    )


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    if sys.argv[1:2] == ["--pdf-case"]:
        pdf_case(sys.argv[2])
        return
    print(
        f"Spiegel bench — Django {django.get_version()}, {connection.vendor}, "
        f"Python {sys.version.split()[0]}"
    )
    if not ONLY or "capture" in ONLY:
        with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):
            bench_capture()
    if not ONLY or "pdf" in ONLY:
        bench_pdfs()
    if not ONLY or "privacy" in ONLY:
        from bench.privacy import bench_privacy

        bench_privacy()
    if not ONLY or "workers" in ONLY:
        from bench.workers import bench_workers

        bench_workers()
    if not ONLY or "themes" in ONLY:
        from bench.themes import bench_themes

        bench_themes()


if __name__ == "__main__":
    assert not settings.DEBUG
    main()
