"""`make bench`: speed and memory figures, each beside a floor measured in the same run.

Runs in-process on a throwaway SQLite database (or BENCH_DATABASE_URL). Every figure is a
server-side time: Django's test client drives the full middleware stack (session, auth, CSRF,
CSP), with no network in between, so the floor (a trivial view, a one-page PDF) cancels out
the machine's speed. Prints a table; exits non-zero only if something breaks, not on targets.
"""

import os
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory(prefix="spiegel-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spiegel.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3"
)
os.environ.setdefault("SPIEGEL_PLAIN_STATIC", "1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

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


def peak_memory(call):
    """Peak Python heap of one call, in MiB (tracemalloc slows the call, so it is not timed)."""
    tracemalloc.start()
    call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def bench_pdf_floor():
    from spiegel.pdf import render_pdf

    def floor(i):
        return render_pdf("reports/floor.html", {"text": f"Pagina {i}"}, language="nl")

    samples = timed(floor, 20)
    peak = peak_memory(lambda: floor(0))
    print("PDF floor (one-page document, same renderer)")
    row("one-page PDF", samples, extra=f"peak {peak:.1f} MiB Python heap")
    return samples


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    print(
        f"Spiegel bench — Django {django.get_version()}, {connection.vendor}, "
        f"Python {sys.version.split()[0]}"
    )
    with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):
        bench_capture()
    bench_pdf_floor()


if __name__ == "__main__":
    assert not settings.DEBUG
    main()
