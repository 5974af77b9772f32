"""Whether the ``-wal`` file beside a session belongs to it.

SQLite trusts any write-ahead log it finds beside a database: a ``-wal`` copied from
another session (two files moved together by hand, a sync tool that mixed them up)
is read as if it were this file's own, and the first program to write folds it in
for good. Nothing in the log names its database, but a session's journal only ever
grows: the file's own log can add entries to the journal it finds in the file, never
change the ones already there. So the journal is read twice, without the log (from
a private copy of the file's bytes, in memory) and with it (read-only), and the log
is refused if the second does not carry on from the first. Neither read can write to
either file.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from facilitator.store import errors as err

WAL_HEADER_SIZE = 32  # a log no longer than its header holds no changes


def wal_path(path: Path) -> Path:
    return Path(f"{path}-wal")


def has_changes_in_wal(path: Path) -> bool:
    """True if a ``-wal`` beside ``path`` might hold changes not yet in the file itself."""
    try:
        return os.stat(wal_path(path)).st_size > WAL_HEADER_SIZE
    except OSError:
        return False


def _file_alone(data: bytes) -> sqlite3.Connection | None:
    """The database in ``data`` as it is without any log, or None if it cannot be read."""
    if len(data) < 100:
        return None
    image = bytearray(data)
    image[18] = image[19] = 1  # the copy is not in WAL mode: nothing else is looked for
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(bytes(image))
        if conn.execute("PRAGMA quick_check").fetchone() != ("ok",):
            conn.close()
            return None
    except sqlite3.Error:
        conn.close()
        return None
    return conn


def _last_entry(conn: sqlite3.Connection) -> tuple | None:
    return conn.execute("SELECT * FROM event ORDER BY seq DESC LIMIT 1").fetchone()


def check_wal_belongs(path: Path, data: bytes, with_wal: sqlite3.Connection) -> None:
    """Raise ForeignWalError if the log beside ``path`` is not its own.

    ``data`` is the file's bytes read *before* ``with_wal`` (a read-only connection
    that sees the log) was opened: a log only ever moves forward from what the file
    holds, so the later view must contain the earlier one's latest journal entry.
    """
    alone = _file_alone(data)
    if alone is None:
        return  # the file cannot be read alone (a checkpoint was cut short): trust the log
    try:
        try:
            last = _last_entry(alone)
        except sqlite3.Error:
            return  # no journal to compare: the file's own checks will speak
        if last is None:
            return
        try:
            seq = last[0]
            found = with_wal.execute("SELECT * FROM event WHERE seq = ?", (seq,)).fetchone()
        except sqlite3.Error:
            found = None
        if found != last:
            raise err.ForeignWalError(
                f"{wal_path(path).name} does not belong to {path.name} (it holds changes to "
                f"another session); both files are left as they are. Move "
                f"{wal_path(path).name} out of the folder to use {path.name} as it was last "
                "saved.",
                path,
            )
    finally:
        alone.close()
