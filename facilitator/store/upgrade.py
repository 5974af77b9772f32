"""Schema versions, upgrades and backups.

A file's ``PRAGMA user_version`` is its schema version. Upgrading runs the steps
from that version to :data:`~facilitator.store.SCHEMA_VERSION` in order, all in one
transaction, after a backup copy has been taken into the sessions folder's
``.backups``. If a step fails, the transaction rolls back and the file is exactly
as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from facilitator.store import SCHEMA_VERSION
from facilitator.store import errors as err
from facilitator.store.catalog import readonly_uri

UpgradeStep = Callable[[sqlite3.Connection], None]


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """Version 2 adds the journal's hash chain: a digest for every entry."""
    from facilitator.store import chain

    conn.execute("ALTER TABLE event ADD COLUMN digest VARCHAR NOT NULL DEFAULT ''")
    conn.execute("DROP TRIGGER IF EXISTS event_append_only_update")
    digest = chain.GENESIS
    rows = conn.execute("SELECT seq, txn, at, stage, kind, payload FROM event ORDER BY seq")
    for seq, txn, at, stage, kind, payload in rows.fetchall():
        digest = chain.link(digest, seq, txn, at, stage, kind, payload)
        conn.execute("UPDATE event SET digest = ? WHERE seq = ?", (digest, seq))
    from facilitator.store.tables import JOURNAL_TRIGGERS

    for trigger in JOURNAL_TRIGGERS:
        conn.execute(trigger)


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """Version 3 gives a session an id and a record of the session it was carried from.

    Older sessions get empty values, which is also what replaying their journals gives.
    """
    for column in ("session_id", "origin_id", "origin_title", "origin_date", "origin_file"):
        conn.execute(f"ALTER TABLE session_info ADD COLUMN {column} VARCHAR NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE session_info ADD COLUMN origin_criteria JSON NOT NULL DEFAULT '[]'")


# STEPS[n] turns a version-n file into a version-(n + 1) file; each schema change adds
# a step here and keeps a fixture file tests/fixtures/schema-v<n>.facilitator for good.
STEPS: dict[int, UpgradeStep] = {1: _v1_to_v2, 2: _v2_to_v3}

BACKUPS_DIRNAME = ".backups"


def backups_dir_for(path: Path) -> Path:
    return Path(path).parent / BACKUPS_DIRNAME


def backup(path: Path, *, reason: str, backups_dir: Path | None = None) -> Path:
    """Copy a session file into the backups folder with SQLite's own backup API.

    The copy is consistent even with a WAL beside the original, and is created
    readable by its owner only.
    """
    path = Path(path)
    folder = backups_dir or backups_dir_for(path)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return copy_database(path, folder, f"{path.stem}.{stamp}.{reason}", path.suffix)


def copy_database(source: Path, folder: Path, stem: str, suffix: str) -> Path:
    """Copy a database with SQLite's backup API into a new private file named after stem."""
    target = folder / f"{stem}{suffix}"
    n = 2
    while target.exists():
        target = folder / f"{stem}-{n}{suffix}"
        n += 1
    fd = os.open(target, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    src = sqlite3.connect(readonly_uri(source), uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def upgrade_file(path: Path, from_version: int, *, backups_dir: Path | None = None) -> Path:
    """Upgrade a session file in place; returns the backup taken first."""
    missing = [v for v in range(from_version, SCHEMA_VERSION) if v not in STEPS]
    if missing:
        refused = err.UpgradeError(
            f"{Path(path).name} uses format {from_version}, which this version cannot upgrade.",
            path,
        )
        refused.reason = f"there is no upgrade from format {from_version}"
        raise refused
    saved = backup(path, reason=f"before-upgrade-v{from_version}", backups_dir=backups_dir)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("BEGIN IMMEDIATE")
        try:
            for version in range(from_version, SCHEMA_VERSION):
                STEPS[version](conn)
                conn.execute(f"PRAGMA user_version={version + 1}")
            problems = conn.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise sqlite3.IntegrityError(f"foreign key problems: {problems[:3]}")
            conn.execute("COMMIT")
        except Exception as exc:
            conn.execute("ROLLBACK")
            failed = err.UpgradeError(
                f"Upgrading {Path(path).name} failed ({exc}); the file is unchanged and a "
                f"copy is in {saved.parent}.",
                path,
            )
            failed.reason = " ".join(str(exc).split())
            raise failed from None
    finally:
        conn.close()
    return saved


KEEP_OPEN_BACKUPS = 3  # copies taken on opening, per session


def backups_of(path: Path, backups_dir: Path | None = None) -> list[Path]:
    """Backups of one session file, newest first."""
    folder = backups_dir or backups_dir_for(path)
    if not folder.is_dir():
        return []
    stem = Path(path).stem
    found = [p for p in folder.glob(f"{stem}.*{Path(path).suffix}") if p.is_file()]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def latest_backup(path: Path, backups_dir: Path | None = None) -> Path | None:
    found = backups_of(path, backups_dir)
    return found[0] if found else None


def backup_on_open(path: Path, backups_dir: Path | None = None) -> Path | None:
    """A copy of a healthy session as it was opened, keeping the newest few.

    If the file is later damaged (a failing disk, a bad copy), the newest of these is
    what the app offers instead. Failing to make one never stops a workshop.
    """
    try:
        made = backup(path, reason="opened", backups_dir=backups_dir)
    except (OSError, sqlite3.Error):
        return None
    opened = [p for p in backups_of(path, backups_dir) if ".opened" in p.name]
    for old in opened[KEEP_OPEN_BACKUPS:]:
        old.unlink(missing_ok=True)
    return made


def restore_copy(backup_path: Path, folder: Path) -> Path:
    """Copy a backup into the sessions folder under a new name; the damaged file stays."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    stem = backup_path.name.split(".")[0]
    return copy_database(backup_path, folder, f"{stem}-restored-{stamp}", backup_path.suffix)
