"""`make loadtest`'s verdicts: each page beside the floor measured right before it."""

from loadtest.__main__ import Page, print_table
from loadtest.wrk import Result


def result(p50, p99):
    return Result(
        requests=500, seconds=10, p50_ms=p50, p99_ms=p99, max_ms=p99, timeouts=0, output=""
    )


def test_each_page_is_judged_beside_the_floor_measured_right_before_it(capsys):
    # The run began on a fast minute (floor 15 ms); the machine then slowed down to a floor
    # of 30 ms while both pages ran at 240 ms: 16× the first floor, 8× their own.
    floor = Page("/bench/trivial/", "coordinator", "trivial view (floor)", result(15, 20))
    slow_minute = Page("/a/", "coordinator", result=result(240, 300))
    slow_minute.floor = result(30, 40)
    fast_minute = Page("/b/", "coordinator", result=result(240, 300))
    fast_minute.floor = result(15, 20)

    missed = print_table(floor, [slow_minute, fast_minute])

    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if "/" in line}
    assert "8.0×" in lines["/a/"] and lines["/a/"].rstrip().endswith("ok")
    assert "16.0×" in lines["/b/"] and "MISSED" in lines["/b/"]
    assert missed == ["/b/ (coordinator): median > 10× floor"]


def test_the_floors_range_over_the_run_is_printed(capsys):
    floor = Page("/bench/trivial/", "coordinator", "trivial view (floor)", result(15, 20))
    page = Page("/a/", "coordinator", result=result(100, 120))
    page.floor = result(25, 30)
    other = Page("/b/", "coordinator", result=result(100, 120))
    other.floor = result(17, 21)

    print_table(floor, [page, other])

    assert "the floor's p50 over the run: 17.0–25.0 ms" in capsys.readouterr().out
