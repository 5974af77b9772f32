"""A session writer for tests to kill: it commits changes until it is stopped.

``crash_writer.py FILE``
    Open FILE through the store and add relationships named ``r<N>`` in a loop,
    numbering on from the highest N already there. After each ``apply`` returns it
    prints ``ack <N> <id>`` (and flushes), so every acknowledged change is one that
    the store said was saved.

``crash_writer.py --hold FILE``
    Open FILE, print ``ready`` and wait, holding the session open.

``crash_writer.py --serve``
    A fork server, so a test can kill hundreds of writers without paying Python's
    start-up each time. For each FILE read from stdin it forks a writer (as above),
    prints ``pid <pid>``, waits for the writer to end and prints ``dead <pid>
    <status>``. The writer's ``ack`` lines go to the same stdout. The server never
    opens a session file itself, so it holds no lock and no SQLite state.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

from facilitator.domain import commands
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.store.sessionfile import SessionFile

MAX_SECONDS = 20.0  # a writer nobody kills stops by itself


def say(line: str) -> None:
    """One line to stdout in a single write, so lines from killed writers stay whole."""
    os.write(1, f"{line}\n".encode())


def next_number(session: SessionFile) -> int:
    numbers = [
        int(rel.name[1:])
        for rel in session.state.relationships.values()
        if rel.name.startswith("r") and rel.name[1:].isdigit()
    ]
    return max(numbers, default=-1) + 1


def write_until_killed(path: Path) -> None:
    session = SessionFile.open(path)
    n = next_number(session)
    deadline = time.monotonic() + MAX_SECONDS
    while time.monotonic() < deadline:
        event = commands.add(session.state, "relationship", name=f"r{n}")
        session.apply([event])
        say(f"ack {n} {event.payload['id']}")
        n += 1
    session.close()


def hold(path: Path) -> None:
    session = SessionFile.open(path)
    say("ready")
    time.sleep(MAX_SECONDS * 3)
    session.close()


def warm_up() -> None:
    """Open, write and close a scratch session, so that forked writers start warm."""
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder) / "warm-up.facilitator"
        SessionFile.create(scratch, title="Warm-up").close()
        session = SessionFile.open(scratch)
        session.apply([commands.add(session.state, "relationship", name="r0")])
        session.close()


def serve() -> None:
    load_vocabulary()
    warm_up()  # nothing of it stays open: the writers are forked from a clean process
    for line in sys.stdin:
        path = Path(line.strip())
        pid = os.fork()
        if pid == 0:  # the writer
            code = 0
            try:
                write_until_killed(path)
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
                code = 1
            finally:
                os._exit(code)
        say(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"dead {pid} {status}")


def main(argv: list[str]) -> None:
    if argv == ["--serve"]:
        serve()
    elif len(argv) == 2 and argv[0] == "--hold":
        hold(Path(argv[1]))
    elif len(argv) == 1:
        write_until_killed(Path(argv[0]))
    else:
        sys.exit("usage: crash_writer.py [--serve | --hold FILE | FILE]")


if __name__ == "__main__":
    main(sys.argv[1:])
