"""Killing the writer at any moment loses no acknowledged change and damages nothing."""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from facilitator.domain.events import replay
from facilitator.store.sessionfile import SessionFile

WRITER = Path(__file__).with_name("crash_writer.py")
KILLS = 200
EARLY = 0.15  # share of kills made without waiting for the first ack
TIMEOUT = 15.0  # seconds to wait for any one line before giving up


class WriterServer:
    """``crash_writer.py --serve``: forks one writer per request, reports its pid and end."""

    def __init__(self, stderr_path: Path) -> None:
        self._stderr = open(stderr_path, "w+b")  # noqa: SIM115 - closed in close()
        root = Path(__file__).resolve().parent.parent
        env = {**os.environ, "PYTHONPATH": str(root)}
        self.proc = subprocess.Popen(
            [sys.executable, str(WRITER), "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            cwd=root,
            env=env,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self.lines.put(raw.decode().strip())
        self.lines.put(None)

    def next_line(self) -> str:
        try:
            line = self.lines.get(timeout=TIMEOUT)
        except queue.Empty:
            raise AssertionError(
                f"the writer said nothing for {TIMEOUT} s{self.errors()}"
            ) from None
        if line is None:
            raise AssertionError(f"the writer server ended{self.errors()}")
        return line

    def start(self, path: Path) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{path}\n".encode())
        self.proc.stdin.flush()
        kind, pid = self.next_line().split()
        assert kind == "pid"
        return int(pid)

    def errors(self) -> str:
        self._stderr.flush()
        self._stderr.seek(0)
        text = self._stderr.read().decode(errors="replace")
        return f":\n{text}" if text else ""

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._stderr.close()


def test_killing_the_writer_loses_no_acknowledged_change(tmp_path: Path) -> None:
    path = tmp_path / "crash.facilitator"
    SessionFile.create(path, title="Crash test").close()

    seed = random.randrange(2**32)
    rng = random.Random(seed)
    acked: dict[int, str] = {}  # N -> the relationship id the writer reported
    kills_after_acks = 0
    server = WriterServer(tmp_path / "writer-stderr.txt")
    try:
        for _ in range(KILLS):
            pid = server.start(path)
            pending: list[str] = []
            if rng.random() < EARLY:
                # Kill during start-up: opening, checking, recovering the WAL...
                threading.Event().wait(rng.uniform(0, 0.05))
            else:
                line = server.next_line()
                assert line.startswith("ack "), f"{line!r} (seed {seed}){server.errors()}"
                pending.append(line)
                threading.Event().wait(rng.uniform(0, 0.03))
            os.kill(pid, signal.SIGKILL)
            while True:
                line = server.next_line()
                if line.startswith("dead "):
                    break
                pending.append(line)
            _, dead_pid, status = line.split()
            status = int(status)
            assert int(dead_pid) == pid
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
                f"the writer ended by itself (status {status}, seed {seed}){server.errors()}"
            )
            for ack in pending:
                word, n, rel_id = ack.split()
                assert word == "ack", ack
                assert int(n) not in acked, f"r{n} acknowledged twice (seed {seed})"
                acked[int(n)] = rel_id
            kills_after_acks += bool(pending)
    finally:
        server.close()

    assert kills_after_acks >= KILLS // 2
    assert len(acked) > KILLS

    # The file is whole, even before the store opens (and recovers) it.
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()

    with SessionFile.open(path) as session:
        assert session.integrity_check() == ["ok"]
        state = session.reload()
        names = Counter(rel.name for rel in state.relationships.values())
        duplicated = [name for name, count in names.items() if count > 1]
        assert not duplicated, f"seed {seed}"
        for n, rel_id in acked.items():
            assert rel_id in state.relationships, f"acknowledged r{n} was lost (seed {seed})"
            assert state.relationships[rel_id].name == f"r{n}"
        numbers = sorted(int(name[1:]) for name in names)
        assert numbers == list(range(len(numbers)))  # nothing skipped, nothing reused
        journal = session.read_journal()
        assert [e.seq for e in journal] == sorted({e.seq for e in journal})
        replayed = replay(journal)
        assert replayed.snapshot() == state.snapshot() == session.state.snapshot()
        assert list(replayed.relationships) == list(state.relationships)
