"""The suite passes on any date, not only on the day a test was written.

A sample of the date-sensitive test modules runs in a subprocess with the clock a year ahead
(SPIEGEL_TEST_CLOCK_AHEAD_DAYS, see tests/conftest.py): a literal date that must lie in the
future, or a fixed date compared with today, fails here long before the calendar gets there.
`make test CLOCK_AHEAD_DAYS=365` runs the whole suite shifted.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAYS = 365

# Planning, invitations and reminders, actions and their due dates, insights over the last
# year, retention, evaluation links, capture after the meeting: about 15 s together.
DATE_SENSITIVE = [
    "tests/sessions/test_invitations.py",
    "tests/sessions/test_lifecycle.py",
    "tests/sessions/test_evaluation.py",
    "tests/findings/test_actions.py",
    "tests/findings/test_reminders.py",
    "tests/findings/test_insights.py",
    "tests/findings/test_capture.py",
    "tests/participants/test_retention.py",
]


def test_the_date_sensitive_tests_pass_a_year_from_now():
    env = {**os.environ, "SPIEGEL_TEST_CLOCK_AHEAD_DAYS": str(DAYS), "SPIEGEL_TEST_DB": "sqlite"}
    env.pop("DATABASE_URL", None)  # a PostgreSQL run exports its cluster's address
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *DATE_SENSITIVE, "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    passed = re.search(r"(\d+) passed", output)
    assert passed and int(passed.group(1)) > 0, output[-2000:]
    assert f"The clock ran {DAYS} days ahead" in output, output[-2000:]
