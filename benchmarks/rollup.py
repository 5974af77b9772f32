"""Benchmark: the programme roll-up over many session files, and from PostgreSQL.

    .venv/bin/python benchmarks/rollup.py            # 150 and 1,500 files, folder and database
    .venv/bin/python benchmarks/rollup.py --no-database

Generates the session files once into a temporary folder (they take a while), then
times ``facilitator rollup`` over them in a fresh process each, next to a baseline taken
in the same run over the same files: ``facilitator list``, which opens every file too.
Peak memory is the roll-up process's own (ru_maxrss). Targets: 1,500 files in under
10 s, from the folder and from the database; memory flat from 150 to 1,500 files.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facilitator.domain import commands  # noqa: E402
from facilitator.domain.vocabulary import load_vocabulary  # noqa: E402
from facilitator.store.sessionfile import SessionFile  # noqa: E402

AREAS = ["Northfield", "Southmead", "Easton", "Westbury", "Hartcliffe", "Lawrence Hill"]


def build_area_session(path: Path, number: int) -> None:
    """One area's workshop: people, two criteria, about 20 relationships, actions, times."""
    rng = random.Random(number)
    vocab = load_vocabulary()
    area = f"{rng.choice(AREAS)} {number // 2}"  # two sessions an area
    session = SessionFile.create(path, title=f"Mapping {number}", area=area, date="2026-04-01")
    state = session.state
    people = []
    for i in range(6):
        event = commands.add(state, "participant", name=f"Person {number}-{i}", role="chair")
        session.apply([event])
        people.append(event.payload["id"])
    crits = rng.sample([t.id for t in vocab.criteria], 2)
    session.apply(commands.choose_criteria(state, crits, "direct"))
    batch = []
    for i in range(rng.randint(12, 28)):
        agency = rng.choice(vocab.agency_types)
        batch.append(
            commands.add(
                state,
                "relationship",
                name=f"{agency.label} {i}",
                agency_type=agency.id,
                rel_type=rng.choice([t.id for t in vocab.relationship_types]),
                closeness=rng.randint(1, 4),
                purposes=rng.sample([t.id for t in vocab.purposes], rng.randint(0, 3)),
                holder_roles=rng.sample([t.id for t in vocab.holders], rng.randint(0, 2)),
                holder_participants=rng.sample(people, rng.randint(0, 1)),
            )
        )
    for i in range(rng.randint(2, 8)):
        status = rng.choice(["open", "in-progress", "done", "dropped"])
        batch.append(commands.add(state, "action", what=f"Step {i}", status=status))
    for stage in ("setup", "criteria", "all-relationships"):
        batch.append(
            commands.add(state, "stage_time", entity_id=stage, spent_seconds=rng.randint(600, 3600))
        )
    session.apply(batch)
    session.close()


def make_folder(base: Path, count: int) -> Path:
    folder = base / f"files-{count}"
    folder.mkdir()
    source = base / "files-all"
    for i in range(count):
        (folder / f"s{i:05d}.facilitator").symlink_to(source / f"s{i:05d}.facilitator")
    return folder


PEAK = (
    "import resource, sys\n"
    "from facilitator.cli import main\n"
    "try:\n"
    "    main(sys.argv[1:], standalone_mode=False)\n"
    "except SystemExit:\n"
    "    pass\n"
    "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def run(args: list[str]) -> tuple[float, float]:
    """Seconds and peak MiB of one facilitator command in a fresh process."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", PEAK, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    peak = [line for line in out.stderr.splitlines() if line.startswith("PEAK")]
    if not peak:
        raise SystemExit(f"{args[0]} failed: {out.stderr[-500:]}")
    return seconds, int(peak[-1].split()[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-database", action="store_true")
    parser.add_argument("--files", type=int, default=1500)
    options = parser.parse_args()
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory(prefix="facilitator-bench-rollup-") as scratch:
        base = Path(scratch)
        (base / "files-all").mkdir()
        started = time.perf_counter()
        for i in range(options.files):
            build_area_session(base / "files-all" / f"s{i:05d}.facilitator", i)
        print(f"generated {options.files} files in {time.perf_counter() - started:.0f} s")
        peaks = {}
        for count in (options.files // 10, options.files):
            folder = make_folder(base, count)
            listing, _ = run(["--sessions-dir", str(folder), "list", "--json"])
            seconds, peak = run(["rollup", str(folder), "-o", str(base / f"r{count}.html")])
            peaks[count] = peak
            target = "< 10 s" if count == options.files else "-"
            met = "met" if seconds < 10 or count != options.files else "MISSED"
            rows.append(
                [
                    f"rollup, {count} files (folder)",
                    f"{seconds:.2f} s",
                    f"{listing:.2f} s",
                    f"{seconds / listing:.2f}",
                    target,
                    met if target != "-" else "-",
                ]
            )
            rows.append([f"peak memory, {count} files", f"{peak:.0f} MiB", "-", "-", "-", "-"])
        small, large = peaks[options.files // 10], peaks[options.files]
        flat = large < small * 1.2
        rows.append(
            [
                "memory growth 10x files",
                f"{large / small:.2f}x",
                "-",
                "-",
                "< 1.2x",
                "met" if flat else "MISSED",
            ]
        )
        if not options.no_database:
            rows.extend(database_rows(base, options.files))
    widths = [max(len(r[i]) for r in rows + [HEAD]) for i in range(len(HEAD))]
    for row in [HEAD, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    print(json.dumps({"rows": rows}))


HEAD = ["what", "ours", "baseline", "ratio", "target", "verdict"]


def database_rows(base: Path, count: int) -> list[list[str]]:
    """Push every file to a PostgreSQL server started here, then roll up from it."""
    from facilitator.programme.loader import session_files
    from facilitator.programme.server import connect, push_with
    from tests.postgres_server import postgresql_server

    gen = postgresql_server.__wrapped__()  # the test fixture's own start-up, outside pytest
    server = next(gen)
    try:
        url = f"postgresql://{server.user}@{server.host}:{server.port}/postgres"
        engine, parsed = connect(url)
        started = time.perf_counter()
        for path in session_files(base / "files-all")[:count]:
            push_with(engine, parsed, path)
        pushing = time.perf_counter() - started
        engine.dispose()
        folder_seconds, _ = run(
            ["rollup", str(base / f"files-{count}"), "-o", str(base / "f.html"), "--force"]
        )
        seconds, peak = run(["rollup", "--from", url, "-o", str(base / "db.html")])
        return [
            [f"push {count} sessions (one connection)", f"{pushing:.1f} s", "-", "-", "-", "-"],
            [
                f"rollup, {count} sessions (PostgreSQL)",
                f"{seconds:.2f} s",
                f"{folder_seconds:.2f} s",
                f"{seconds / folder_seconds:.2f}",
                "< 10 s",
                "met" if seconds < 10 else "MISSED",
            ],
            [f"peak memory, {count} sessions (PostgreSQL)", f"{peak:.0f} MiB", "-", "-", "-", "-"],
        ]
    finally:
        next(gen, None)


if __name__ == "__main__":
    main()
