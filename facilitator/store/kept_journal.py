"""A new session file holding a journal brought in from elsewhere (a JSON export).

The entries keep their numbers, times and stages, so the hash chain comes out exactly
as it was in the file that was exported, and replay starts at the session's real
beginning. The caller checks the journal first (see
:func:`facilitator.store.importing.import_json`); the file's own check on opening, that
its tables say what its journal says, still applies.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine, insert
from sqlalchemy.exc import DBAPIError

from facilitator.domain import events as ev
from facilitator.store import chain
from facilitator.store import errors as err
from facilitator.store import tables as t
from facilitator.store.sessionfile import (
    SessionFile,
    SessionLock,
    _reason,
    _write_event,
    create_schema,
    start_new_file,
)


def create_with_journal(path: Path, entries: Sequence[ev.JournalEntry]) -> SessionFile:
    """Create a session file at ``path`` whose journal is ``entries``, and open it.

    Refuses to overwrite a file; a half-made file is removed. Raises the store's
    ``SessionFileError`` subclasses, or ``ValueError`` if the tables built from the
    entries do not match them (the file is removed then too).
    """
    path = Path(path)
    engine, lock = start_new_file(path)
    try:
        with engine.begin() as conn:
            create_schema(conn)
            conn.execute(insert(t.SessionInfoRow.__table__).values(id=1))
            digest = chain.GENESIS
            for entry in entries:
                _, digest = _write_event(
                    conn, entry.txn, entry.at, entry.stage, entry.event, digest, seq=entry.seq
                )
        return SessionFile(path, engine, lock, readonly=False)
    except (DBAPIError, sqlite3.Error) as exc:
        _remove(path, lock, engine)
        reason = _reason(exc)
        if reason in ("the disk is full", "the file or its folder is read-only"):
            raise err.WriteError(f"Cannot create {path}: {reason}.", path) from None
        raise ValueError(f"its entries do not fit a session file: {reason}") from None
    except BaseException:
        _remove(path, lock, engine)
        raise


def _remove(path: Path, lock: SessionLock, engine: Engine) -> None:
    """Let go of a half-made file and delete it."""
    lock.release()
    engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
