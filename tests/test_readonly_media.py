"""A healthy session on read-only media: read-only commands work, and nobody says "damaged".

The file (or its whole folder) is made read-only with a read-only bind mount in a
mount namespace of its own (``unshare``), which stops root as well as anyone else; as
an ordinary user without ``unshare``, plain permissions do the same.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator.domain import commands
from facilitator.store.sessionfile import SessionFile

READ_ONLY_MOUNT = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'

REPLAY = """
import sys
from pathlib import Path
from facilitator.store.sessionfile import SessionFile
from facilitator.tui.replay import ReplaySession
replay = ReplaySession(SessionFile.open(Path(sys.argv[1]), readonly=True))
print("replaying", replay.state.info.title, len(replay.journal))
"""


def _unshare_works() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    return probe.returncode == 0


UNSHARE = _unshare_works()


def on_read_only(target: Path, *argv: str) -> subprocess.CompletedProcess:
    """Run ``argv`` with ``target`` (a file or a folder) read-only for it."""
    if UNSHARE:
        command = ["unshare", "-rm", "sh", "-c", READ_ONLY_MOUNT, "sh", str(target), *argv]
        return subprocess.run(
            command, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120
        )
    mode = target.stat().st_mode
    target.chmod(0o555 if target.is_dir() else 0o444)
    try:
        return subprocess.run(
            list(argv), capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120
        )
    finally:
        target.chmod(mode)


@pytest.fixture
def session_file(tmp_path: Path) -> Path:
    if not UNSHARE and os.geteuid() == 0:
        pytest.skip("needs unshare: as root, permissions alone cannot make a file read-only")
    folder = tmp_path / "media"
    folder.mkdir()
    path = folder / "spring.facilitator"
    with SessionFile.create(path, title="Spring", date="2026-03-14") as session:
        session.apply([commands.add(session.state, "participant", name="Ann")])
    return path


def facilitator(*args: str) -> list[str]:
    return [sys.executable, "-m", "facilitator", *args]


@pytest.mark.parametrize("what", ["folder", "file"])
def test_read_only_commands_work_and_open_says_read_only(session_file, tmp_path, what):
    target = session_file.parent if what == "folder" else session_file
    before = session_file.read_bytes()

    checked = on_read_only(target, *facilitator("check", str(session_file)))
    assert checked.returncode == 0, checked.stderr
    assert "healthy" in checked.stdout

    out = tmp_path / "notes.md"
    exported = on_read_only(target, *facilitator("export", str(session_file), "-o", str(out)))
    assert exported.returncode == 0, exported.stderr
    assert "Spring" in out.read_text()

    replayed = on_read_only(target, sys.executable, "-c", REPLAY, str(session_file))
    assert replayed.returncode == 0, replayed.stderr
    assert replayed.stdout.split()[:2] == ["replaying", "Spring"]

    opened = on_read_only(target, *facilitator("open", str(session_file)))
    assert opened.returncode == 1
    message = opened.stderr.strip()
    assert message.count("\n") == 0, message
    assert "read-only" in message and "not damaged" in message, message
    assert "damaged (" not in message

    assert session_file.read_bytes() == before
    assert sorted(p.name for p in session_file.parent.iterdir()) == ["spring.facilitator"]


def test_looking_leaves_no_wal_or_shm_behind(session_file):
    """Reading a cleanly closed file needs nothing beside it, so nothing is made."""
    from click.testing import CliRunner

    from facilitator.cli import main

    result = CliRunner().invoke(main, ["check", str(session_file)])
    assert result.exit_code == 0, result.output
    with SessionFile.open(session_file, readonly=True) as session:
        assert session.state.info.title == "Spring"
    assert sorted(p.name for p in session_file.parent.iterdir()) == ["spring.facilitator"]
