"""The privacy guard's precision and recall per kind, on hand-marked mirror-meeting notes.

`tests/data/privacy_notes.marked.txt` holds the notes with their identifiers marked by hand as
[[kind:text]]; `python -m bench.privacy --build` writes them as JSONL with character spans
(`tests/data/privacy_notes.jsonl`), which `make bench` and the tests read.

A detection counts as right when it overlaps a marked span of the same kind (the reviewer sees
the hit and its neighbourhood either way); each marked span is found or not, each detection is
right or not. Runs on this machine only: the detector makes no network call.
"""

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKED = ROOT / "tests" / "data" / "privacy_notes.marked.txt"
JSONL = ROOT / "tests" / "data" / "privacy_notes.jsonl"

CODES = {
    "n": "name",
    "p": "place",
    "a": "address",
    "d": "date",
    "t": "phone",
    "e": "email",
    "b": "bsn",
    "i": "institution",
}
MARK = re.compile(r"\[\[([a-z]):(.+?)\]\]")

TARGETS = {"phone": 0.95, "email": 0.95, "bsn": 0.95, "name": 0.85}
PRECISION_TARGET = 0.7


def parse(line: str) -> dict:
    text, spans, position = [], [], 0
    last = 0
    for match in MARK.finditer(line):
        text.append(line[last : match.start()])
        position += match.start() - last
        value = match.group(2)
        spans.append(
            {"start": position, "end": position + len(value), "kind": CODES[match.group(1)]}
        )
        text.append(value)
        position += len(value)
        last = match.end()
    text.append(line[last:])
    return {"text": "".join(text), "spans": spans}


def build() -> int:
    """Notes after the line starting "## held-out" were written after the detector was tuned
    on the first ones and never used to tune it: their figures are the honest ones."""
    notes, held_out = [], False
    for line in MARKED.read_text(encoding="utf-8").splitlines():
        if line.startswith("## held-out"):
            held_out = True
        if line.strip() and not line.startswith("#"):
            notes.append(parse(line.rstrip("\n")) | {"held_out": held_out})
    with JSONL.open("w", encoding="utf-8") as out:
        for note in notes:
            out.write(json.dumps(note, ensure_ascii=False) + "\n")
    return len(notes)


def load() -> list[dict]:
    return [json.loads(line) for line in JSONL.read_text(encoding="utf-8").splitlines() if line]


def measure(notes=None) -> dict:
    """{kind: (true positives of detections, detections, found marks, marks)}."""
    from findings.privacy import detect

    detected, right, marked, found = Counter(), Counter(), Counter(), Counter()
    for note in notes or load():
        gold = note["spans"]
        spans = detect(note["text"])
        for span in spans:
            detected[span.kind] += 1
            if any(
                g["kind"] == span.kind and g["start"] < span.end and span.start < g["end"]
                for g in gold
            ):
                right[span.kind] += 1
        for g in gold:
            marked[g["kind"]] += 1
            if any(
                s.kind == g["kind"] and g["start"] < s.end and s.start < g["end"] for s in spans
            ):
                found[g["kind"]] += 1
    kinds = sorted(set(detected) | set(marked))
    return {k: (right[k], detected[k], found[k], marked[k]) for k in kinds}


def ratio(a, b):
    return a / b if b else 1.0


def report(figures: dict, notes: list[dict], title: str) -> None:
    empty = sum(1 for note in notes if not note["spans"])
    print(f"Privacy guard, {title} ({len(notes)} hand-marked notes, {empty} without identifiers)")
    print(
        f"  {'kind':<12} {'marked':>6} {'found':>6} {'recall':>7}   {'hits':>5} {'right':>6} "
        f"{'precision':>9}   target"
    )
    totals = [0, 0, 0, 0]
    for kind, (right, detected, found, marked) in figures.items():
        totals = [t + v for t, v in zip(totals, (right, detected, found, marked), strict=True)]
        target = f"recall ≥ {TARGETS[kind]:.2f}, " if kind in TARGETS else ""
        print(
            f"  {kind:<12} {marked:6d} {found:6d} {ratio(found, marked):7.2f}   {detected:5d} "
            f"{right:6d} {ratio(right, detected):9.2f}   {target}precision ≥ {PRECISION_TARGET}"
        )
    right, detected, found, marked = totals
    print(
        f"  {'all':<12} {marked:6d} {found:6d} {ratio(found, marked):7.2f}   {detected:5d} "
        f"{right:6d} {ratio(right, detected):9.2f}"
    )


def bench_privacy() -> None:
    notes = load()
    report(measure(notes), notes, "all notes")
    held_out = [note for note in notes if note.get("held_out")]
    report(measure(held_out), held_out, "held-out notes only")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if "--build" in sys.argv[1:]:
        print(f"{build()} notes written to {JSONL.relative_to(ROOT)}")
    else:
        bench_privacy()
