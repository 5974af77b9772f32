"""Benchmark: 30 phones voting at once in the room, while the facilitator presses keys.

Run from the project folder:

    .venv/bin/python benchmarks/room.py [--phones 30] [--votes 20]

The app runs headless (Textual's Pilot) with the room open on 127.0.0.1. The phones are
threads in a separate process (as real phones are separate devices), each joining and
then sending its votes one after another as fast as the answers come. Measured:

- from a vote's POST leaving the phone to the wall having been redrawn with it (the
  clocks are the same monotonic system clock in both processes);
- votes lost: every vote must be in the journal exactly once, and every phone's dots
  must add up to what that phone meant;
- the facilitator's keys (moving in the criteria list) during the voting, against the
  same keys in the same run with no room open.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CRITERIA = [
    "mutual-knowledge",
    "understanding",
    "trust",
    "respect",
    "common-language",
    "shared-goals",
    "flexible-roles",
    "follow-through",
]

# The phones' side, run in its own process: prints one JSON document.
PHONES = r"""
import json, random, re, sys, threading, time
import httpx2 as httpx

address, phones, votes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
criteria, pace = json.loads(sys.argv[4]), float(sys.argv[5])
results, errors, retried = [], [], []
start = threading.Barrier(phones)

def plan(k):
    # Groups of three: +1, +1, -1 on one criterion, so each phone stays within its dots.
    for i in range(votes):
        yield criteria[(k + i // 3) % len(criteria)], (-1 if i % 3 == 2 else 1)

def phone(k):
    # Each phone from its own address, as on the hall's Wi-Fi (new phones are limited
    # per address).
    transport = httpx.HTTPTransport(local_address=f"127.0.0.{k + 2}")
    with httpx.Client(timeout=30, transport=transport) as c:
        page = c.get(address)
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        pid = re.findall(r'name="who" value="([0-9a-f]+)"', page.text)[k]
        r = c.post(address + "join", data={"csrf": csrf, "who": pid})
        if r.status_code != 303:
            errors.append(f"join {k}: {r.status_code}")
            return
        start.wait()
        taps = random.Random(k)
        for i, (criterion, delta) in enumerate(plan(k)):
            if pace:  # a person's thumb: a tap every `pace` seconds on average
                time.sleep(taps.uniform(0, 2 * pace))
            sid = f"bench-{k}-{i}"
            sent = time.perf_counter()
            for _attempt in range(20):  # refused for speed: send the same form again
                r = c.post(address + "add/vote", headers={"accept": "application/json"},
                           data={"csrf": csrf, "sid": sid, "criterion": criterion,
                                 "delta": str(delta)})
                if r.status_code != 429:
                    break
                retried.append(sid)
                time.sleep(0.5)
            answered = time.perf_counter()
            status = r.json()["status"] if r.status_code == 200 else r.status_code
            results.append({"phone": k, "pid": pid, "sid": sid, "sent": sent,
                            "answered": answered, "status": status,
                            "criterion": criterion, "delta": delta})

threads = [threading.Thread(target=phone, args=(k,)) for k in range(phones)]
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps({"results": results, "errors": errors, "retried": len(retried)}))
"""


def make_session(folder: Path, phones: int) -> Path:
    from facilitator.domain import commands
    from facilitator.store.sessionfile import SessionFile

    path = folder / "room-bench.facilitator"
    session = SessionFile.create(path, title="Room benchmark", area="Hollin Vale")
    for n in range(phones):
        session.apply(
            [commands.add(session.state, "participant", name=f"Person {n}", consent_named=True)]
        )
    session.apply(
        commands.update_session(session.state, current_stage="criteria", dots_per_person=10)
    )
    session.close()
    return path


def pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def keys(pilot, n: int) -> list[float]:
    """Time n key presses that move the cursor in the criteria list.

    Each is timed from the key being sent to the list's cursor having moved and the
    screen having been drawn after it (not to the app being idle: with phones sending
    all the time, the app is never idle, yet the key is handled).
    """
    table = pilot.app.focused
    times = []
    for i in range(n):
        before = table.cursor_row
        started = time.perf_counter()
        press = asyncio.ensure_future(pilot.press("down" if i % 2 == 0 else "up"))
        while table.cursor_row == before and not press.done():
            await asyncio.sleep(0.0005)
        drawn = asyncio.get_running_loop().create_future()
        table.call_after_refresh(lambda f=drawn: f.done() or f.set_result(None))
        await drawn
        times.append((time.perf_counter() - started) * 1000)
        await press
    return times


async def run(phones: int, votes: int, pace: float) -> dict:
    from facilitator.tui.app import make_app
    from facilitator.tui.room import RoomLink

    folder = Path(tempfile.mkdtemp(prefix="room-bench-"))
    path = make_session(folder, phones)
    app = make_app(sessions_dir=folder, open_path=path, room_host="127.0.0.1")
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(200):
            await pilot.pause(0.05)
            if app.session is not None and app.screen.is_mounted:
                break
        await pilot.pause(0.5)
        baseline = await keys(pilot, 100)  # no room open

        await pilot.press("ctrl+j", "escape")
        await pilot.pause()
        link = next(iter(app.screen.query(RoomLink)))
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            PHONES,
            link.address,
            str(phones),
            str(votes),
            json.dumps(CRITERIA),
            str(pace),
            stdout=asyncio.subprocess.PIPE,
        )
        writes: list[float] = []  # how long each write to the file held the UI loop
        session = app.session
        write = session.apply

        def timed_apply(events):
            started = time.perf_counter()
            try:
                return write(events)
            finally:
                writes.append((time.perf_counter() - started) * 1000)

        session.apply = timed_apply
        during: list[float] = []
        cpu, wall = time.process_time(), time.perf_counter()
        waiting = asyncio.ensure_future(proc.communicate())
        while not waiting.done():
            during += await keys(pilot, 10)
        out, _ = await waiting
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        del session.apply
        await pilot.pause()
        report = json.loads(out)
        hub = link.hub
        shown = {c.submission_id: c.shown for c in hub.contributions}
        results = report["results"]
        latency = [
            (shown[r["sid"]] - r["sent"]) * 1000 for r in results if shown.get(r["sid"]) is not None
        ]
        answered = [(r["answered"] - r["sent"]) * 1000 for r in results]

        # Lost or doubled: every vote once in the journal, and each phone's dots as meant.
        credited = [e for e in app.session.journal if "by" in e.payload]
        expected: dict[tuple[str, str], int] = {}
        for r in results:
            key = (r["pid"], r["criterion"])
            expected[key] = expected.get(key, 0) + r["delta"]
        actual = {
            (v.participant_id, v.criterion_id): v.dots
            for v in app.session.state.rows["criterion_vote"].values()
        }
        wrong = sum(1 for k, v in expected.items() if actual.get(k, 0) != v)
        accepted = sum(1 for r in results if r["status"] == "accepted")
    return {
        "sent": phones * votes,
        "answered": len(results),
        "accepted": accepted,
        "journal": len(credited),
        "wrong_totals": wrong,
        "errors": report["errors"],
        "retried": report["retried"],
        "latency": latency,
        "answer": answered,
        "keys_baseline": baseline,
        "keys_during": during,
        "writes": writes,
        "cpu": cpu,
        "wall": wall,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=30)
    parser.add_argument("--votes", type=int, default=20)
    parser.add_argument("--pace", type=float, default=0.5, help="seconds between taps")
    args = parser.parse_args(argv)
    paced = asyncio.run(run(args.phones, args.votes, args.pace))
    burst = asyncio.run(run(args.phones, args.votes, 0.0))
    both = (paced, burst)

    def cells(fn) -> list[str]:
        return [fn(r) for r in both]

    def ms(values: list[float], share: float) -> str:
        return f"{pct(values, share):.0f} ms" if values else "-"

    lost_ok = all(
        r["accepted"] == r["sent"] == r["journal"] and not r["wrong_totals"] for r in both
    )
    lat_p95 = pct(paced["latency"], 0.95)
    base = paced["keys_baseline"] + burst["keys_baseline"]
    key_ratio = pct(paced["keys_during"], 0.95) / pct(base, 0.95)
    rows = [
        ["Votes sent / accepted / in journal",
         *cells(lambda r: f"{r['sent']} / {r['accepted']} / {r['journal']}"), "-", "0 lost",
         lost_ok],
        ["Phones whose dots do not add up", *cells(lambda r: str(r["wrong_totals"])), "-", "0",
         lost_ok],
        ["POST to the wall redrawn (median)", *cells(lambda r: ms(r["latency"], 0.5)), "-", "-",
         None],
        ["POST to the wall redrawn (p95)", *cells(lambda r: ms(r["latency"], 0.95)), "-",
         "< 300 ms paced", lat_p95 < 300],
        ["POST to the answer (p95)", *cells(lambda r: ms(r["answer"], 0.95)), "-", "-", None],
        ["Facilitator key to cursor drawn (median)",
         *cells(lambda r: ms(r["keys_during"], 0.5)), ms(base, 0.5), "-", None],
        ["Facilitator key to cursor drawn (p95)", *cells(lambda r: ms(r["keys_during"], 0.95)),
         ms(base, 0.95), "paced/none <= 1.5", key_ratio <= 1.5],
        ["Writes to the file (count / p95)",
         *cells(lambda r: f"{len(r['writes'])} / {pct(r['writes'], 0.95):.0f} ms"), "-", "-",
         None],
        ["App CPU per vote", *cells(lambda r: f"{r['cpu'] / r['sent'] * 1000:.1f} ms"), "-", "-",
         None],
        ["Time for all the votes", *cells(lambda r: f"{r['wall']:.1f} s"), "-", "-", None],
    ]  # fmt: skip
    head = ["What", f"Paced ({args.pace} s)", "Burst", "No room, same run", "Target", ""]
    widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(5)]
    print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=False)))
    for row in rows:
        verdict = {True: "met", False: "MISSED", None: "-"}[row[5]]
        print(
            "  ".join([*(str(c).ljust(w) for c, w in zip(row[:5], widths, strict=True)), verdict])
        )
    print(
        f"({args.phones} phones x {args.votes} votes. Paced: each phone taps every "
        f"{args.pace} s on average; burst: each sends its next vote as soon as the last is "
        f"answered. Keys timed: {len(paced['keys_during'])} paced, "
        f"{len(burst['keys_during'])} burst, {len(base)} with no room. Sends refused by the "
        f"rate limit and sent again: {paced['retried']} paced, {burst['retried']} burst.)"
    )
    for r in both:
        if r["errors"]:
            print("errors:", *r["errors"], sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
