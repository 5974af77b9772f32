"""Benchmark: comparing two 500-relationship sessions (target: under 300 ms).

    .venv/bin/python benchmarks/compare.py

Builds a large session (benchmarks/data.py), carries it forward into a second one and
makes a year's worth of changes there (moves, removals, new relationships, ratings,
actions done and dropped). Then it times, five times each, taking the median:

- the baseline: plain ``json.loads`` of both sessions' JSON exports (text already in
  memory), the least any comparison of the two must do to read them;
- the comparison alone, on states already in memory;
- the whole command: reading both files, comparing, and writing Markdown, and HTML with
  both maps (what ``facilitator compare A B`` does: it reads each session's tables and
  SQLite's quick check, not the journal);
- for information, the same with each journal checked against the tables, as opening a
  session for a workshop does.

Prints a table: figure, baseline, ratio and the target.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.data import build_large_session  # noqa: E402
from facilitator.domain import commands  # noqa: E402
from facilitator.export import export  # noqa: E402
from facilitator.history.compare import compare  # noqa: E402
from facilitator.history.files import create_carried, read_session  # noqa: E402
from facilitator.history.report import render_comparison  # noqa: E402

TARGET_MS = 300.0
RUNS = 5


def _later(first: Path, target: Path) -> Path:
    """The large session carried forward, with many real changes."""
    rng = random.Random(3)
    session, _ = create_carried(first, target, title="A year on", date="2027-03-01")
    state = session.state
    rel_ids = list(state.relationships)
    for rid in rng.sample(rel_ids, 120):
        session.apply(commands.edit(state, "relationship", rid, closeness=rng.randint(1, 4)))
    for rid in rng.sample(rel_ids, 30):
        if rid in state.relationships:
            session.apply(commands.remove(state, "relationship", rid))
    for i in range(30):
        session.apply([commands.add(state, "relationship", name=f"New agency {i}", closeness=3)])
    session.apply(commands.choose_criteria(state, ["trust", "shared-goals"], "direct"))
    for rid in list(state.relationships)[:40]:
        session.apply(commands.rate(state, rid, "trust", rng.randint(1, 5), "Why it changed."))
    for aid in list(state.rows["action"])[:10]:
        session.apply(commands.edit(state, "action", aid, status=rng.choice(["done", "dropped"])))
    session.close()
    return target


def _median_ms(work: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="facilitator-bench-") as folder:
        first = build_large_session(Path(folder) / "first.facilitator", relationships=500)
        later = _later(first, Path(folder) / "later.facilitator")
        a, b = read_session(first).state, read_session(later).state
        texts = [export(a, "json"), export(b, "json")]
        baseline = _median_ms(lambda: [json.loads(t) for t in texts])
        alone = _median_ms(lambda: compare(a, b))

        def whole(fmt: str, verify: bool = False) -> Callable[[], object]:
            def run() -> object:
                before = read_session(first, verify=verify).state
                after = read_session(later, verify=verify).state
                return render_comparison(before, after, fmt)

            return run

        md = _median_ms(whole("md"))
        html = _median_ms(whole("html"))
        checked = _median_ms(whole("md", verify=True))
        cmp = compare(a, b)
        sizes = f"{len(a.relationships)} and {len(b.relationships)} relationships"
    rows = [
        ("plain JSON loading of both (baseline)", baseline, None),
        ("compare, states in memory", alone, baseline),
        ("read both files + compare + Markdown", md, baseline),
        ("read both files + compare + HTML with maps", html, baseline),
        ("the same, Markdown, journals checked too (as open)", checked, None),
    ]
    header = ["what", "ours", "ratio to baseline", "target"]
    table = [header]
    for what, ms, base in rows:
        timed = base is not None
        target = f"< {TARGET_MS:.0f} ms" if timed else ""
        verdict = (" met" if ms < TARGET_MS else " MISSED") if timed else ""
        ratio = f"{ms / baseline:.1f}" if ms is not baseline else "-"
        table.append([what, f"{ms:.1f} ms", ratio, target + verdict])
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    print(f"compare benchmark · {sizes} · {len(cmp.relationships)} compared · median of {RUNS}")
    for number, row in enumerate(table):
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        if number == 0:
            print("-+-".join("-" * w for w in widths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
