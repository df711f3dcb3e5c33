"""`make loadtest`'s verdicts: each page beside the floor measured right before it."""

from loadtest.__main__ import Page, print_table
from loadtest.wrk import Result


def result(p50):
    return Result(
        requests=500,
        seconds=10,
        p50_ms=p50,
        p99_ms=p50 * 1.2,
        max_ms=p50 * 2,
        timeouts=0,
        output="",
    )


def run_table(pages):
    """Print the table for pages given as (path, p50, the p50 of the floor right before it),
    after a first floor run of 15 ms; returns the targets it says were missed."""
    rows = []
    for path, p50, floor_p50 in pages:
        row = Page(path, "coordinator", result=result(p50))
        row.floor = result(floor_p50)
        rows.append(row)
    return print_table(Page("/bench/trivial/", "coordinator", "floor", result(15)), rows)


def test_each_page_is_judged_beside_the_floor_measured_right_before_it(capsys):
    # The run began on a fast minute (floor 15 ms). Both pages took 240 ms: one while the
    # machine was slow (floor 30 ms, so 8×), one while it was fast again (16×).
    missed = run_table([("/slow-minute/", 240, 30), ("/fast-minute/", 240, 15)])

    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip().startswith("/")}
    assert "8.0×" in lines["/slow-minute/"] and lines["/slow-minute/"].rstrip().endswith("ok")
    assert "16.0×" in lines["/fast-minute/"] and "MISSED" in lines["/fast-minute/"]
    assert missed == [
        "/fast-minute/ (coordinator): median > 10× floor",
        "/fast-minute/ (coordinator): p99 > 15× floor",
    ]


def test_the_floors_range_over_the_run_is_printed(capsys):
    run_table([("/a/", 100, 25), ("/b/", 100, 17)])

    assert "the floor's p50 over the run: 17.0–25.0 ms" in capsys.readouterr().out


def test_single_requests_are_shown_beside_the_floor_taken_in_turn_but_judge_nothing(capsys):
    row = Page("/alone/", "coordinator", result=result(200), single_ms=24.0, single_floor_ms=4.0)
    row.floor = result(15)  # 13× under load: missed, whatever one request alone took

    missed = print_table(Page("/bench/trivial/", "coordinator", "floor", result(15)), [row])

    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.strip().startswith("/alone/"))
    assert "24.0" in line and "6.0×" in line and "MISSED" in line
    assert missed == ["/alone/ (coordinator): median > 10× floor"]
    floor_line = next(line for line in out.splitlines() if line.strip().startswith("floor"))
    assert line.count("×") == 3 and floor_line.count("×") == 2  # no 1-by-1 ratio of its own
    assert "beside as many of the floor taken in turn (4.0–4.0 ms)" in out


def test_a_download_is_shown_beside_the_floor_but_judged_by_its_own_targets(capsys):
    export = Page("/actions/export.csv", "coordinator", result=result(4000), download=True)
    export.floor = result(13)

    missed = print_table(Page("/bench/trivial/", "coordinator", "floor", result(15)), [export])

    line = next(
        line for line in capsys.readouterr().out.splitlines() if "/actions/export.csv" in line
    )
    assert "307.7×" in line and line.rstrip().endswith("own targets, below")
    assert missed == []  # first byte, whole file and memory are checked apart, after the table
