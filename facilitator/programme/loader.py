"""Reading session files for a roll-up: one at a time, read-only, never stopping.

A file of an older format is upgraded in a private temporary copy; the file itself is
never changed, and nothing is written beside it. A file that cannot be read (damaged,
another program's, from a newer version) comes back as an :class:`Unreadable` with a
one-line reason, and the reading goes on.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from facilitator.domain.model import ENTITY_TYPES, SESSION_FIELDS, SessionInfo, SessionState
from facilitator.store import FILE_SUFFIX, SCHEMA_VERSION
from facilitator.store import errors as err
from facilitator.store.catalog import (
    SQLITE_MAGIC,
    _check_ids,
    check_ordinary_file,
    readonly_uri,
)

if TYPE_CHECKING:
    from facilitator.store.sessionfile import SessionFile


@dataclass(frozen=True)
class SessionRecord:
    """One session as read: where from, its state, and its journal's first and last digest."""

    source: str
    state: SessionState
    session_id: str  # the digest of the journal's first entry: it never changes
    journal_digest: str  # the digest of its latest entry: it changes with every change
    events: int


@dataclass(frozen=True)
class Unreadable:
    """A file the roll-up could not read, and why (one line)."""

    source: str
    problem: str


def _columns(kind: str) -> tuple[tuple[str, bool], ...]:
    """(field name, holds a list) for each field of an entity kind."""
    return tuple(
        (f.name, f.default_factory is list) for f in dataclasses.fields(ENTITY_TYPES[kind])
    )


_COLUMNS = {kind: _columns(kind) for kind in ENTITY_TYPES}
_BOOL_FIELDS = {
    kind: {f.name for f in dataclasses.fields(cls) if isinstance(f.default, bool)}
    for kind, cls in ENTITY_TYPES.items()
}


def session_files(folder: Path) -> list[Path]:
    """Every session file in a folder (not its sub-folders), in name order."""
    return sorted(
        p for p in Path(folder).iterdir() if p.name.endswith(FILE_SUFFIX) and not p.is_dir()
    )


def read_session(path: Path) -> SessionRecord:
    """Read one session file without changing it or writing anything beside it.

    Raises a :class:`~facilitator.store.errors.SessionFileError` with a one-line
    message if it cannot be read.
    """
    path = Path(path)
    with still_connection(path) as (conn, version):
        if version < SCHEMA_VERSION:
            with _upgraded_copy(conn, path, version) as copy:
                copy_conn = sqlite3.connect(readonly_uri(copy), uri=True)
                try:
                    return _read_tables(copy_conn, source=str(path))
                finally:
                    copy_conn.close()
        return _read_tables(conn, source=str(path))


@contextlib.contextmanager
def still_connection(path: Path) -> Iterator[tuple[sqlite3.Connection, int]]:
    """A read-only connection to a session file that has been checked, and its version.

    While no facilitator window has the file open (the app holds an exclusive lock on
    it), a shared lock keeps it so and the file is read as immutable: SQLite then writes
    no ``-wal`` or ``-shm`` file beside it, so a folder on a read-only share reads too.
    """
    path = Path(path)
    check_ordinary_file(path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        raise err.SessionFileError(
            f"{path.name} cannot be read: {_os_reason(exc)}.", path
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            quiet = not os.path.exists(f"{path}-wal")
        except OSError:
            quiet = False  # open in the app: read it the ordinary read-only way
        header = os.pread(fd, 100, 0)
        _check_header(path, header)
        if not os.path.exists(f"{path}-wal"):
            _check_ids(
                path, int.from_bytes(header[68:72], "big"), int.from_bytes(header[60:64], "big")
            )
        uri = readonly_uri(path) + ("&immutable=1" if quiet else "")
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=1.0)
        except sqlite3.Error as exc:
            raise err.CorruptFileError(
                f"{path.name} cannot be read ({_one_line(exc)}).", path
            ) from None
        try:
            version = _checked(conn, path)
            yield conn, version
        finally:
            conn.close()
    finally:
        os.close(fd)  # and with it the shared lock


def _check_header(path: Path, header: bytes) -> None:
    if not header:
        raise err.CorruptFileError(f"{path.name} is empty: it holds no session.", path)
    if not header.startswith(SQLITE_MAGIC):
        raise err.ForeignFileError(
            f"{path.name} is not a facilitator session file (not an SQLite database).", path
        )
    if len(header) < 100:
        raise err.CorruptFileError(f"{path.name} is damaged: it is cut short.", path)


def _checked(conn: sqlite3.Connection, path: Path) -> int:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        _check_ids(path, app_id, version)
        result = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.Error as exc:
        raise err.CorruptFileError(f"{path.name} is damaged ({_one_line(exc)}).", path) from None
    if result != ["ok"]:
        raise err.CorruptFileError(f"{path.name} is damaged ({_one_line(result[0])[:120]}).", path)
    return version


@contextlib.contextmanager
def _upgraded_copy(conn: sqlite3.Connection, path: Path, version: int) -> Iterator[Path]:
    """A private copy of an older file, upgraded to the current format (then removed)."""
    from facilitator.store import upgrade

    with tempfile.TemporaryDirectory(prefix="facilitator-programme-") as scratch:
        copy = Path(scratch) / f"copy{FILE_SUFFIX}"
        target = sqlite3.connect(copy)
        try:
            conn.backup(target)
        finally:
            target.close()
        if version < SCHEMA_VERSION:
            upgrade.upgrade_file(copy, version, backups_dir=Path(scratch))
        yield copy


def _read_tables(conn: sqlite3.Connection, *, source: str) -> SessionRecord:
    try:
        conn.execute("BEGIN")  # one snapshot of the file for everything read
        state = _load_state(conn)
        first = conn.execute("SELECT digest FROM event ORDER BY seq LIMIT 1").fetchone()
        last = conn.execute("SELECT digest FROM event ORDER BY seq DESC LIMIT 1").fetchone()
        events = conn.execute("SELECT count(*) FROM event").fetchone()[0]
    except (sqlite3.Error, ValueError, TypeError) as exc:  # ValueError: bad JSON or UTF-8
        raise err.CorruptFileError(
            f"{Path(source).name} is damaged and cannot be read ({_one_line(exc)}).", source
        ) from None
    finally:
        conn.rollback()
    if first is None:
        raise err.CorruptFileError(f"{Path(source).name} is damaged: its journal is empty.")
    return SessionRecord(source, state, first[0], last[0], events)


_INFO_LISTS = tuple(
    name for name in SESSION_FIELDS if isinstance(getattr(SessionInfo(), name), list)
)


def _load_state(conn: sqlite3.Connection) -> SessionState:
    state = SessionState()
    info = conn.execute(f"SELECT {', '.join(SESSION_FIELDS)} FROM session_info WHERE id = 1")
    row = info.fetchone()
    if row is None:
        raise ValueError("its session details are missing")
    values = dict(zip(SESSION_FIELDS, row, strict=True))
    for name in _INFO_LISTS:  # kept as JSON text, like the entities' lists
        values[name] = json.loads(values[name]) if values[name] else []
    state.info = SessionInfo(**values)
    state.info.finished = bool(state.info.finished)
    for kind, columns in _COLUMNS.items():
        cls = ENTITY_TYPES[kind]
        names = ", ".join(name for name, _ in columns)
        rows = state.rows[kind]
        for eid, *values in conn.execute(f"SELECT id, {names} FROM {kind} ORDER BY seq"):
            fields = {}
            for (name, is_list), value in zip(columns, values, strict=True):
                if is_list:
                    value = json.loads(value) if value else []
                elif name in _BOOL_FIELDS[kind]:
                    value = bool(value)
                fields[name] = value
            rows[eid] = cls(**fields)
    return state


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def read_folder(folder: Path) -> Iterator[SessionRecord | Unreadable]:
    """Each session file in the folder, read in turn: a record, or why it could not be."""
    for path in session_files(folder):
        yield read_or_explain(path)


def read_or_explain(path: Path) -> SessionRecord | Unreadable:
    """A file's record, or an :class:`Unreadable` saying why not; never raises for the file."""
    try:
        return read_session(path)
    except err.SessionFileError as exc:
        return Unreadable(str(path), str(exc))
    except (OSError, sqlite3.Error, ValueError) as exc:
        return Unreadable(str(path), f"{path.name} cannot be read ({_one_line(exc)}).")


@contextlib.contextmanager
def open_verified(path: Path) -> Iterator[SessionFile]:
    """A private copy of a session, opened with every check opening makes (the journal's
    chain, the tables against the journal); an older format is upgraded in the copy."""
    from facilitator.store.sessionfile import SessionFile

    with (
        still_connection(path) as (conn, version),
        _upgraded_copy(conn, Path(path), version) as copy,
        SessionFile.open(copy, readonly=True, backups_dir=copy.parent) as session,
    ):
        yield session
