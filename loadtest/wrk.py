"""One wrk run against one page: requests per second, median and 99th percentile latency.

wrk prints its usual report (with --latency); report.lua adds one line with the exact figures
in microseconds, which is what is parsed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from loadtest.server import die_with_parent

SCRIPT = Path(__file__).with_name("report.lua")


class WrkError(RuntimeError):
    pass


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    timeouts: int
    output: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def find_wrk() -> str:
    wrk = shutil.which("wrk")
    if not wrk:
        raise WrkError("wrk is missing: install the Debian package `wrk` (make loadtest does)")
    return wrk


def run(
    url: str, *, session: str, seconds: int, connections: int, threads: int, timeout: int
) -> Result:
    command = [
        find_wrk(),
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={timeout}s",
        "--latency",
        "-s",
        str(SCRIPT),
        "-H",
        f"Cookie: sessionid={session}",
        url,
    ]
    try:
        result = subprocess.run(  # noqa: S603 - fixed arguments, the target is loopback
            command,
            capture_output=True,
            text=True,
            timeout=seconds + timeout + 30,
            check=False,
            preexec_fn=die_with_parent,
        )
    except subprocess.TimeoutExpired as error:
        raise WrkError(f"wrk on {url} did not finish in time") from error
    if result.returncode != 0:
        raise WrkError(f"wrk on {url} failed ({result.returncode}):\n{result.stderr}")
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("LOADTEST ")), None)
    if line is None:
        raise WrkError(f"wrk on {url} printed no summary:\n{result.stdout}{result.stderr}")
    data = json.loads(line.removeprefix("LOADTEST "))
    errors = {k: data[k] for k in ("connect", "read", "write", "status") if data[k]}
    if errors:
        raise WrkError(f"wrk on {url}: errors {errors}\n{result.stdout}")
    if data["requests"] == 0:
        raise WrkError(f"wrk on {url}: no request completed\n{result.stdout}")
    return Result(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        timeouts=data["timeout"],
        output=result.stdout,
    )
