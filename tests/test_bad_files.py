"""Files that are not healthy sessions are refused with one clear line, and left untouched."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from facilitator.domain import commands
from facilitator.store import FILE_SUFFIX, SCHEMA_VERSION, catalog
from facilitator.store import errors as err
from facilitator.store.sessionfile import SessionFile

WRITER = Path(__file__).with_name("crash_writer.py")
PAGE = 4096
MARKER = "Marker Person"


# -- helpers ---------------------------------------------------------------------------------


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def sidecars(path: Path) -> list[Path]:
    return [p for p in (Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def check_error(exc: BaseException, path: Path) -> None:
    message = str(exc)
    assert "\n" not in message and "\r" not in message, message
    assert message.strip() == message and message
    assert path.name in message, message


def refused_by_both(path: Path, expected: type[err.SessionFileError] | tuple) -> None:
    """``inspect_file`` and ``SessionFile.open`` both refuse the file, changing nothing."""
    before = fingerprint(path) if path.is_file() else None
    had_sidecars = sidecars(path)
    for attempt in (catalog.inspect_file, SessionFile.open):
        with pytest.raises(expected) as caught:
            attempt(path)
        check_error(caught.value, path)
        if before is not None:
            assert fingerprint(path) == before, f"{attempt.__name__} changed {path.name}"
    assert sidecars(path) == had_sidecars


def detected(path: Path) -> list[str]:
    """What ``inspect_file`` and ``SessionFile.open`` make of a damaged file."""
    before = fingerprint(path)
    found = []
    for attempt in (catalog.inspect_file, SessionFile.open):
        try:
            result = attempt(path)
        except err.SessionFileError as exc:
            check_error(exc, path)
            found.append(type(exc).__name__)
        else:
            if isinstance(result, SessionFile):
                result.close()
            found.append("")
        assert fingerprint(path) == before, f"{attempt.__name__} changed {path.name}"
    return found


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed session of a few dozen pages: participants, relationships, long notes."""
    path = tmp_path_factory.mktemp("healthy") / f"healthy{FILE_SUFFIX}"
    session = SessionFile.create(path, title="Healthy workshop", area="Northside")
    for i in range(40):
        name = MARKER if i == 7 else f"Person {i}"
        session.apply([commands.add(session.state, "participant", name=name)])
        rel = commands.add(session.state, "relationship", name=f"Agency {i}", notes="w " * i * 8)
        session.apply([rel])
    session.close()
    assert not sidecars(path)
    return path


@pytest.fixture
def copy_of(healthy: Path, tmp_path: Path) -> Callable[[bytes | None, str], Path]:
    def make(data: bytes | None = None, name: str = "copy") -> Path:
        target = tmp_path / f"{name}{FILE_SUFFIX}"
        if data is None:
            shutil.copyfile(healthy, target)
        else:
            target.write_bytes(data)
        return target

    return make


# -- files that are not sessions -------------------------------------------------------------


def test_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / f"nowhere{FILE_SUFFIX}"
    refused_by_both(path, err.NotFoundError)
    assert not path.exists()
    assert not sidecars(path)


@pytest.mark.parametrize(
    "content",
    [
        b"Agenda for the workshop\nTea at ten.\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        b"",
        b"SQLite format 3",  # too short to be a database
        b"SQLite format 3\x00" + bytes(40),
        bytes(range(256)) * 40,
    ],
    ids=["text", "png", "empty", "magic-only", "short-header", "binary"],
)
def test_files_that_are_not_sqlite(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / f"odd{FILE_SUFFIX}"
    path.write_bytes(content)
    refused_by_both(path, (err.ForeignFileError, err.CorruptFileError))
    assert path.read_bytes() == content


def test_a_folder(tmp_path: Path) -> None:
    path = tmp_path / f"folder{FILE_SUFFIX}"
    path.mkdir()
    refused_by_both(path, (err.ForeignFileError, err.CorruptFileError))
    assert path.is_dir() and not any(path.iterdir())


@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_another_programs_database(journal_mode: str, tmp_path: Path) -> None:
    path = tmp_path / f"other{FILE_SUFFIX}"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode={journal_mode}")
    conn.execute("CREATE TABLE recipe (name TEXT, minutes INTEGER)")
    conn.execute("INSERT INTO recipe VALUES ('soup', 40)")
    conn.commit()
    conn.close()
    assert not sidecars(path)
    refused_by_both(path, err.ForeignFileError)


def test_a_file_from_a_newer_facilitator(copy_of) -> None:
    path = copy_of()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    assert not sidecars(path)
    refused_by_both(path, err.NewerVersionError)
    with pytest.raises(err.NewerVersionError):
        SessionFile.open(path, readonly=True)


# -- damaged sessions ------------------------------------------------------------------------


def test_truncated_copies_are_detected(healthy: Path, copy_of) -> None:
    data = healthy.read_bytes()
    pages = len(data) // PAGE
    assert pages >= 10
    cuts = [1, 16, 99, 100, 101, 1000, PAGE - 1, PAGE, PAGE + 1, 2 * PAGE + 1234]
    cuts += [p * PAGE for p in range(3, pages, max(1, pages // 8))]
    cuts += [len(data) // 2, len(data) - PAGE]
    for cut in cuts:
        path = copy_of(data[:cut], name=f"cut-{cut}")
        assert any(detected(path)), f"a copy cut at byte {cut} was not noticed"


def btree_pages(data: bytes) -> list[tuple[int, int, int]]:
    """(page start, page header offset, first cell offset) of every non-empty b-tree page."""
    found = []
    for start in range(0, len(data), PAGE):
        header = start + (100 if start == 0 else 0)
        kind = data[header]
        if kind not in (2, 5, 10, 13):
            continue
        (cells,) = struct.unpack(">H", data[header + 3 : header + 5])
        if not cells:
            continue
        pointers = header + (12 if kind in (2, 5) else 8)
        (first,) = struct.unpack(">H", data[pointers : pointers + 2])
        found.append((start, header, start + first))
    return found


def flipped(data: bytes, offset: int, count: int) -> bytes:
    out = bytearray(data)
    for i in range(offset, offset + count):
        out[i] ^= 0xFF
    return bytes(out)


def test_copies_with_flipped_bytes_are_detected(healthy: Path, copy_of) -> None:
    data = healthy.read_bytes()
    pages = btree_pages(data)
    assert len(pages) >= 10
    for start, header, cell in pages:
        page_no = start // PAGE + 1
        # The page's kind, and the start of its first cell, within the page's body.
        for where, offset, count in (("header", header, 1), ("cell", cell, 4)):
            path = copy_of(flipped(data, offset, count), name=f"flip-{page_no}-{where}")
            assert any(detected(path)), f"flipped bytes at {offset} ({where} of page {page_no})"


def test_text_that_is_not_utf8_is_reported_as_damage(healthy: Path, copy_of) -> None:
    data = healthy.read_bytes()
    marker = MARKER.encode()
    assert marker in data
    # Same length, so the file's structure stays sound and only the text is bad.
    bad = data.replace(marker, b"\xff\xfe" + marker[2:])
    path = copy_of(bad, name="bad-utf8")
    assert detected(path)[1] == "CorruptFileError"
    # The session's own title, which the home screen reads.
    title = b"Healthy workshop"
    path = copy_of(data.replace(title, b"\xc3" + title[1:]), name="bad-title")
    assert detected(path) == ["CorruptFileError", "CorruptFileError"]


def test_a_damaged_schema_is_reported_as_damage(healthy: Path, copy_of) -> None:
    data = healthy.read_bytes()
    table = b"CREATE TABLE participant ("
    assert table in data
    # SQLite's own error message then holds the bytes that are not UTF-8.
    path = copy_of(data.replace(table, b"CREATE TABLE participant \xff"), name="bad-schema")
    assert detected(path) == ["CorruptFileError", "CorruptFileError"]


def test_a_damaged_journal_entry_is_reported_as_damage(healthy: Path, copy_of) -> None:
    data = healthy.read_bytes()
    entry = b'{"fields": {"agency": ""'
    assert entry in data
    path = copy_of(data.replace(entry, b'<"fields": {"agency": ""', 1), name="bad-json")
    assert detected(path)[1] == "CorruptFileError"


# -- locks -----------------------------------------------------------------------------------


def test_a_second_window_is_refused_at_once(make_session) -> None:
    session = make_session()
    before = session.read_journal()
    outcome: list[BaseException] = []

    def second() -> None:
        try:
            SessionFile.open(session.path)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=second, daemon=True)
    thread.start()
    thread.join(timeout=5)
    assert not thread.is_alive(), "opening a locked session waited instead of refusing"
    assert len(outcome) == 1 and isinstance(outcome[0], err.LockedError)
    check_error(outcome[0], session.path)
    # The first window carries on as before.
    session.apply([commands.add(session.state, "participant", name="Still here")])
    assert session.read_journal()[: len(before)] == before
    # Read-only (replay) is allowed alongside.
    with SessionFile.open(session.path, readonly=True) as reader:
        assert reader.state.snapshot() == session.state.snapshot()


def _foreign_writer(path: Path) -> None:
    """Another program opens the file read-write, reads it and closes (e.g. a DB browser)."""
    code = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        "c.execute('SELECT count(*) FROM participant').fetchone()\n"
        "c.close()\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=30)


def _seen_by_another_process(path: Path) -> list[str]:
    code = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True)\n"
        "print('\\n'.join(r[0] for r in c.execute('SELECT name FROM participant ORDER BY seq')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], check=True, timeout=30, capture_output=True
    )
    return out.stdout.decode().split()


@pytest.mark.parametrize("look", ["refused-open", "inspect"])
def test_looking_at_an_open_session_keeps_sqlites_own_locks(look: str, make_session) -> None:
    """Closing any descriptor of a file drops every POSIX lock the process holds on it,
    SQLite's included; then another program's connection believes it is the last one,
    folds the WAL in and deletes it under the open session, whose next commits are lost
    to everyone else."""
    session = make_session()
    session.apply([commands.add(session.state, "participant", name="Before")])
    if look == "refused-open":
        with pytest.raises(err.LockedError):
            SessionFile.open(session.path)
    else:
        catalog.inspect_file(session.path)
        catalog.list_sessions(session.path.parent)
    _foreign_writer(session.path)
    assert Path(f"{session.path}-wal").exists()
    session.apply([commands.add(session.state, "participant", name="After")])
    assert _seen_by_another_process(session.path) == ["Before", "After"]


def test_the_lock_of_a_killed_process_goes_with_it(tmp_sessions: Path) -> None:
    path = tmp_sessions / f"held{FILE_SUFFIX}"
    SessionFile.create(path, title="Held").close()
    root = Path(__file__).resolve().parent.parent
    child = subprocess.Popen(
        [sys.executable, str(WRITER), "--hold", str(path)],
        stdout=subprocess.PIPE,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        with pytest.raises(err.LockedError) as caught:
            SessionFile.open(path)
        check_error(caught.value, path)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    with SessionFile.open(path) as session:
        assert session.state.info.title == "Held"
        assert session.integrity_check() == ["ok"]
