"""A throwaway PostgreSQL cluster for the test run (`SPIEGEL_TEST_DB=postgres`).

initdb in a temporary folder, a postmaster on a free port on 127.0.0.1 with its socket in that
folder, trust authentication for one user. Stopping (`pg_ctl stop -m immediate`) removes the
folder. PostgreSQL refuses to run as root, so as root every server command runs as the
`postgres` user through runuser, in a folder owned by that user.

A watchdog shell process stops the cluster should the Python process die without running its
exit handlers (SIGKILL, a crash).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

USER = "spiegel"
DATABASE = "spiegel"


class ClusterError(RuntimeError):
    pass


def find_bindir() -> Path:
    """$SPIEGEL_PG_BINDIR, else the newest /usr/lib/postgresql/<version>/bin, else the folder
    of `initdb` on PATH."""
    if os.environ.get("SPIEGEL_PG_BINDIR"):
        path = Path(os.environ["SPIEGEL_PG_BINDIR"])
        if not (path / "initdb").exists():
            raise ClusterError(f"SPIEGEL_PG_BINDIR={path} holds no initdb")
        return path
    candidates = []
    for path in Path("/usr/lib/postgresql").glob("*/bin"):
        match = re.fullmatch(r"\d+(?:\.\d+)?", path.parent.name)
        if match and (path / "initdb").exists() and (path / "pg_ctl").exists():
            candidates.append((tuple(int(p) for p in path.parent.name.split(".")), path))
    if candidates:
        return max(candidates)[1]
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise ClusterError(
        "PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/initdb and no "
        "initdb on PATH). Install the Debian package `postgresql`, or run `make test`."
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresCluster:
    def __init__(self) -> None:
        self.bindir = find_bindir()
        self.port: int | None = None
        self.root: Path | None = None
        self._owner_pid = os.getpid()
        self._watchdog: subprocess.Popen | None = None
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            try:
                self._pg_user = pwd.getpwnam("postgres")
            except KeyError:
                raise ClusterError(
                    "running as root, but there is no `postgres` user to run the server as"
                ) from None
            if not shutil.which("runuser"):
                raise ClusterError("running as root, but `runuser` is missing (util-linux)")

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgres://{USER}@127.0.0.1:{self.port}/{DATABASE}"

    def _command(self, tool: str, *args: str) -> list[str]:
        command = [str(self.bindir / tool), *args]
        return ["runuser", "-u", "postgres", "--", *command] if self._as_postgres else command

    def _run(self, tool: str, *args: str, timeout: float = 120) -> str:
        command = self._command(tool, *args)
        try:
            result = subprocess.run(
                command,
                cwd=self.root,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise ClusterError(f"{shlex.join(command)} timed out after {timeout} s") from error
        except OSError as error:
            raise ClusterError(f"{shlex.join(command)} could not run: {error}") from error
        if result.returncode != 0:
            raise ClusterError(
                f"{shlex.join(command)} failed with exit {result.returncode}:\n"
                f"{result.stdout}{result.stderr}{self._log_tail()}"
            )
        return result.stdout

    def _log_tail(self) -> str:
        log = self.root / "postgres.log" if self.root else None
        if log and log.exists():
            lines = log.read_text(errors="replace").splitlines()[-30:]
            return "\n--- postgres.log (last lines) ---\n" + "\n".join(lines)
        return ""

    def start(self) -> str:
        """Start the cluster; return its DATABASE_URL. Stops again on any failure."""
        atexit.register(self.stop)
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self.url

    def _start(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="spiegel-pg-"))
        if self._as_postgres:
            os.chown(self.root, self._pg_user.pw_uid, self._pg_user.pw_gid)
        self._run(
            "initdb",
            "--pgdata",
            str(self.datadir),
            "--username",
            USER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
            "--no-sync",
        )
        self._start_watchdog()
        for attempt in range(3):  # the free port can be taken between probing and binding
            self.port = free_port()
            options = " ".join(
                [
                    f"-p {self.port}",
                    "-c listen_addresses=127.0.0.1",
                    f"-c unix_socket_directories={self.root}",
                    # Durability is worthless for a throwaway cluster; speed is not.
                    "-c fsync=off",
                    "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                ]
            )
            try:
                self._run(
                    "pg_ctl",
                    "start",
                    "--pgdata",
                    str(self.datadir),
                    "--log",
                    str(self.root / "postgres.log"),
                    "--wait",
                    "--timeout",
                    "60",
                    "-o",
                    options,
                )
                break
            except ClusterError:
                if attempt == 2:
                    raise
        self._wait_ready()
        self._create_database()

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        command = self._command("pg_isready", "-h", "127.0.0.1", "-p", str(self.port), "-q")
        while True:
            result = subprocess.run(command, cwd=self.root, capture_output=True, check=False)
            if result.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise ClusterError(
                    f"PostgreSQL on 127.0.0.1:{self.port} not ready after {timeout} s"
                    + self._log_tail()
                )
            time.sleep(0.1)

    def _create_database(self) -> None:
        import psycopg2

        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user=USER, dbname="postgres"
        )
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{DATABASE}"')
        finally:
            connection.close()

    def _start_watchdog(self) -> None:
        """Stop the cluster and remove its folder once this process is gone, however it ends."""
        stop = shlex.join(
            self._command("pg_ctl", "stop", "--pgdata", str(self.datadir), "-m", "immediate")
        )
        script = (
            f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done; "
            f"if [ -d {shlex.quote(str(self.datadir))} ]; then {stop} >/dev/null 2>&1; "
            f"rm -rf {shlex.quote(str(self.root))}; fi"
        )
        self._watchdog = subprocess.Popen(
            ["/bin/sh", "-c", script],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C in the terminal must not end it first
        )

    def stop(self) -> None:
        """Stop the server and remove the folder; safe to call more than once."""
        if os.getpid() != self._owner_pid or self.root is None:
            return  # a forked child inherits atexit handlers: only the owner stops
        root, self.root = self.root, None
        datadir = root / "data"
        pidfile = datadir / "postmaster.pid"
        try:
            if pidfile.exists():
                command = self._command(
                    "pg_ctl", "stop", "--pgdata", str(datadir), "-m", "immediate", "--wait"
                )
                result = subprocess.run(
                    command, cwd=root, capture_output=True, timeout=60, check=False
                )
                if result.returncode != 0 and pidfile.exists():
                    # pg_ctl failed: end our own postmaster directly (SIGQUIT = immediate).
                    with contextlib.suppress(OSError, ValueError, IndexError):
                        pid = int(pidfile.read_text().splitlines()[0])
                        os.kill(pid, signal.SIGQUIT)
        finally:
            shutil.rmtree(root, ignore_errors=True)
            if self._watchdog is not None:
                with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                    os.killpg(self._watchdog.pid, signal.SIGKILL)  # its own session: sh + sleep
                    self._watchdog.wait(timeout=5)
                self._watchdog = None
