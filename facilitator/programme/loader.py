"""Reading session files for a roll-up: one at a time, read-only, never stopping.

A file of an older format is upgraded in a private temporary copy; the file itself is
never changed, and nothing is written beside it. A file that cannot be read (damaged,
another program's, from a newer version) comes back as an :class:`Unreadable` with a
one-line reason, and the reading goes on.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from facilitator.domain.model import ENTITY_TYPES, SESSION_FIELDS, SessionInfo, SessionState
from facilitator.store import FILE_SUFFIX, SCHEMA_VERSION
from facilitator.store import errors as err
from facilitator.store.catalog import connect_readonly, inspect_file


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
    """Read one session file without changing it.

    Raises a :class:`~facilitator.store.errors.SessionFileError` with a one-line
    message if it cannot be read.
    """
    path = Path(path)
    summary = inspect_file(path, check=True)
    if summary.schema_version < SCHEMA_VERSION:
        return _read_older(path, summary.schema_version)
    return _read_tables(path, source=str(path))


def _read_older(path: Path, version: int) -> SessionRecord:
    """Upgrade a private copy of an older file and read that; the file stays as it was."""
    from facilitator.store import upgrade

    with tempfile.TemporaryDirectory(prefix="facilitator-rollup-") as scratch:
        copy = upgrade.backup(path, reason="rollup", backups_dir=Path(scratch))
        upgrade.upgrade_file(copy, version, backups_dir=Path(scratch))
        return _read_tables(copy, source=str(path))


def _read_tables(path: Path, *, source: str) -> SessionRecord:
    conn = connect_readonly(path)
    try:
        conn.execute("BEGIN")  # one snapshot of the file for everything read
        state = _load_state(conn)
        first = conn.execute("SELECT digest FROM event ORDER BY seq LIMIT 1").fetchone()
        last = conn.execute("SELECT digest, seq FROM event ORDER BY seq DESC LIMIT 1").fetchone()
        events = conn.execute("SELECT count(*) FROM event").fetchone()[0]
    except (sqlite3.Error, ValueError) as exc:  # ValueError: bad JSON or UTF-8
        raise err.CorruptFileError(
            f"{Path(source).name} is damaged and cannot be read ({_one_line(exc)}).", source
        ) from None
    finally:
        conn.close()
    if first is None:
        raise err.CorruptFileError(f"{Path(source).name} is damaged: its journal is empty.")
    return SessionRecord(source, state, first[0], last[0], events)


def _load_state(conn: sqlite3.Connection) -> SessionState:
    state = SessionState()
    info = conn.execute(f"SELECT {', '.join(SESSION_FIELDS)} FROM session_info WHERE id = 1")
    row = info.fetchone()
    if row is None:
        raise ValueError("its session details are missing")
    state.info = SessionInfo(**dict(zip(SESSION_FIELDS, row, strict=True)))
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


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


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
