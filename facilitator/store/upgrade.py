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

UpgradeStep = Callable[[sqlite3.Connection], None]

# STEPS[n] turns a version-n file into a version-(n + 1) file. Version 1 is the first
# released schema, so there is nothing to do yet; each future schema change adds a
# step here and a fixture file tests/fixtures/schema-v<n>.facilitator.
STEPS: dict[int, UpgradeStep] = {}

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
    target = folder / f"{path.stem}.{stamp}.{reason}{path.suffix}"
    n = 2
    while target.exists():
        target = folder / f"{path.stem}.{stamp}.{reason}-{n}{path.suffix}"
        n += 1
    fd = os.open(target, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    src = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
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
        raise err.UpgradeError(
            f"{Path(path).name} uses format {from_version}, which this version cannot upgrade.",
            path,
        )
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
            raise err.UpgradeError(
                f"Upgrading {Path(path).name} failed ({exc}); the file is unchanged and a "
                f"copy is in {saved.parent}.",
                path,
            ) from None
    finally:
        conn.close()
    return saved
