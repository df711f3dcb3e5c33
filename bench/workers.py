"""What the privacy guard costs gunicorn's workers: their memory and their first check.

Starts gunicorn twice on the bench's database, each time with WORKERS sync workers (3, as
deploy/systemd/spiegel-web.service runs):
- as production does, with the project's gunicorn.conf.py: the master loads the guard's
  detector (Deduce, ~1 GB of word lists) before it forks the workers;
- without that file: each worker loads Deduce on its first check (as before it existed).

Every worker checks the measuring set's notes (`/bench/privacy/` in bench/urls.py,
tests/data/privacy_notes.jsonl) a few times. Printed per run: how long gunicorn took to
answer, the first check of each worker, the later checks, each worker's own memory (pages only
it holds) and shared memory (pages it shares with the master and the other workers), and the
memory of all gunicorn's processes together (the sum of their PSS: shared pages counted once).
Target: a worker's own memory ≤ 150 MB, the target `make loadtest` holds a worker to during
the largest export.
"""

import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from loadtest import client
from loadtest.server import Gunicorn, app_env, memory_mb

ROOT = Path(__file__).resolve().parent.parent
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
ROUNDS = 3  # checks per worker after its first
TARGET_OWN_MB = 150


def _check(port: int) -> dict:
    return client.get_json(port, "/bench/privacy/")


def _run(env: dict[str, str], tmp: Path, config: Path | None) -> dict:
    server = Gunicorn(env=env, workers=WORKERS, log=tmp / "gunicorn.log", cwd=ROOT, config=config)
    start = time.perf_counter()
    try:
        server.start(timeout=180)
        started = time.perf_counter() - start
        pids = set(server.worker_pids())
        first, later = {}, []
        with ThreadPoolExecutor(WORKERS) as pool:
            # WORKERS requests at a time: a sync worker takes one at a time, so each goes to
            # an idle worker; repeat until every worker answered ROUNDS more times.
            for _ in range(10 * (ROUNDS + 1)):
                for answer in pool.map(lambda _: _check(server.port), range(WORKERS)):
                    if answer["pid"] in first:
                        later.append(answer["seconds"])
                    else:
                        first[answer["pid"]] = answer["seconds"]
                if set(first) >= pids and len(later) >= ROUNDS * WORKERS:
                    break
        memory = [memory_mb(pid) for pid in pids]
        total = memory_mb(server.process.pid)["pss"] + sum(m["pss"] for m in memory)
        return {
            "started": started,
            "first": sorted(first.values()),
            "later": statistics.median(later) if later else float("nan"),
            "own": max(m["own"] for m in memory),
            "shared": min(m["shared"] for m in memory),
            "total": total,
            "answered": len(first),
        }
    finally:
        server.stop()


def bench_workers():
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        print("Privacy guard in gunicorn's workers: skipped (the bench's SQLite only)")
        return
    database_url = f"sqlite:///{database['NAME']}"
    with tempfile.TemporaryDirectory(prefix="spiegel-workers-") as folder:
        tmp = Path(folder)
        (tmp / "static").mkdir()
        env = app_env(database_url, tmp / "static")
        without = tmp / "without.conf.py"
        without.write_text("# gunicorn's defaults: no preload, Deduce loaded per worker\n")
        runs = [
            ("gunicorn.conf.py: Deduce in the master", _run(env, tmp, None)),
            ("without it: Deduce in each worker", _run(env, tmp, without)),
        ]
    print(f"Privacy guard in gunicorn's workers ({WORKERS} sync workers; a check: the 211 notes)")
    for label, run in runs:
        first = run["first"]
        print(
            f"  {label:<40} ready {run['started']:5.1f} s  first check "
            f"{first[0]:5.2f}–{first[-1]:5.2f} s  later {run['later']:5.2f} s  "
            f"a worker's own {run['own']:6,.0f} MB, shared {run['shared']:6,.0f} MB  "
            f"all processes {run['total']:6,.0f} MB"
            + ("" if run["answered"] == WORKERS else f"  ({run['answered']} workers answered)")
        )
    print(
        f"  target: a worker's own memory ≤ {TARGET_OWN_MB} MB; 'all processes' sums PSS "
        "(a shared page counted once)"
    )
