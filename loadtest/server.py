"""gunicorn on 127.0.0.1 for the load test: started, watched, stopped, its workers' memory.

The server runs in its own session (a Ctrl-C reaches the harness, which stops it in order),
and gets SIGTERM from the kernel should the harness die without cleaning up (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.pgcluster import free_port

PR_SET_PDEATHSIG = 1


class ServerError(RuntimeError):
    pass


def app_env(database_url: str, static_root: Path) -> dict[str, str]:
    """A production environment: DEBUG off, a real secret key, the one host, plain http."""
    env = {
        key: value
        for key, value in os.environ.items()
        # The harness decides these; a developer's shell must not change what is measured.
        if key not in {"SPIEGEL_PLAIN_STATIC", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="loadtest.settings",
        LOADTEST_STATIC_ROOT=str(static_root),
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",  # plain http on loopback; no TLS proxy in front
        # The demo's coordinator and facilitator log in by password alone: the pages are
        # measured, not the second factor (which costs no query per page once checked).
        SPIEGEL_REQUIRE_MFA="0",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def die_with_parent() -> None:
    """preexec_fn: the child gets SIGTERM when the harness dies, even by SIGKILL."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def memory_mb(pid: int) -> dict[str, float]:
    """A process's memory from /proc/<pid>/smaps_rollup, in MB: `rss`; `own`, the pages only
    it holds (Private_Clean + Private_Dirty); `shared`, the pages it shares with other
    processes (a gunicorn worker: with the master and the other workers); `pss`, its share of
    the machine's memory (each shared page divided among the processes holding it)."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value) / 1024
    own = fields["Private_Clean"] + fields["Private_Dirty"]
    return {"rss": fields["Rss"], "own": own, "shared": fields["Rss"] - own, "pss": fields["Pss"]}


class OwnMemorySampler:
    """The largest own memory (private pages) of a set of processes while it runs, sampled
    every `interval` s in a thread. The kernel keeps a peak of RSS (VmHWM) but none of the
    private pages; RSS alone counts the pages a worker shares with gunicorn's master."""

    def __init__(self, pids: list[int], interval: float = 0.02) -> None:
        self.pids, self.interval = pids, interval
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        for pid in self.pids:
            with contextlib.suppress(OSError, KeyError, ValueError):
                self.peak_mb = max(self.peak_mb, memory_mb(pid)["own"])

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> OwnMemorySampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


class Gunicorn:
    """gunicorn as production runs it: with the project's gunicorn.conf.py, read from `cwd`
    (the project root), unless `config` names another file."""

    def __init__(
        self,
        *,
        env: dict[str, str],
        workers: int,
        log: Path,
        cwd: Path,
        config: Path | None = None,
    ) -> None:
        self.env, self.workers, self.log, self.cwd = env, workers, log, cwd
        self.config = config
        self.port: int | None = None
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        for attempt in range(3):  # the free port can be taken between probing and binding
            self.port = free_port()
            with self.log.open("ab") as log:
                self.process = subprocess.Popen(  # noqa: S603 - fixed arguments, our own app
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "spiegel.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{self.port}",
                        "--workers",
                        str(self.workers),
                        "--worker-class",
                        "sync",
                        # A slow page must be measured, not killed by the default 30 s.
                        "--timeout",
                        "120",
                        "--graceful-timeout",
                        "5",
                        # gunicorn 27's control socket is one path per user
                        # (~/.gunicorn/gunicorn.ctl): a second server would take it over.
                        "--no-control-socket",
                        *(["--config", str(self.config)] if self.config else []),
                    ],
                    cwd=self.cwd,
                    env=self.env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                    start_new_session=True,
                    preexec_fn=die_with_parent,  # the harness runs no threads yet
                )
            try:
                self._wait_ready(timeout)
                return
            except ServerError:
                self.stop()
                if attempt == 2:
                    raise

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise ServerError(
                    f"gunicorn exited with {self.process.returncode}{self.log_tail()}"
                )
            with contextlib.suppress(OSError, http.client.HTTPException):
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                try:
                    connection.request("GET", "/healthz")
                    response = connection.getresponse()
                    response.read()
                    if response.status == 200 and len(self.worker_pids()) == self.workers:
                        return
                finally:
                    connection.close()
            if time.monotonic() > deadline:
                raise ServerError(f"gunicorn not ready after {timeout} s{self.log_tail()}")
            time.sleep(0.2)

    def log_tail(self, lines: int = 30) -> str:
        if not self.log.exists():
            return ""
        tail = self.log.read_text(errors="replace").splitlines()[-lines:]
        return "\n--- gunicorn log (last lines) ---\n" + "\n".join(tail)

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [int(child) for child in children]

    def reset_peak_memory(self) -> bool:
        """Reset each worker's peak RSS (VmHWM) to its current RSS; False if the kernel refuses."""
        done = True
        for pid in self.worker_pids():
            try:
                Path(f"/proc/{pid}/clear_refs").write_text("5")
            except OSError:
                done = False
        return done

    def peak_memory_mb(self) -> float:
        """The largest VmHWM (peak resident memory) of the workers, in MB."""
        peaks = [0]
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]))
        return max(peaks) / 1024

    def stop(self) -> None:
        """SIGTERM (graceful), then SIGKILL to the whole group; safe to call more than once."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
