"""Looking at session files without opening them for writing.

Uses the standard library's ``sqlite3`` only (read-only connections), so the home
screen can list the sessions folder before the database layer has even loaded,
and so that looking never changes a file.
"""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

from facilitator.domain.vocabulary import STAGE_IDS
from facilitator.store import APPLICATION_ID, FILE_SUFFIX, SCHEMA_VERSION
from facilitator.store import errors as err

SQLITE_MAGIC = b"SQLite format 3\x00"

STAGE_ORDER = STAGE_IDS


@dataclass(frozen=True)
class SessionSummary:
    """What the home screen and ``facilitator list`` show about one session file."""

    path: str
    title: str = ""
    area: str = ""
    date: str = ""
    furthest_stage: str = "setup"
    last_change: str = ""  # UTC ISO time of the latest journal entry
    schema_version: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    problem: str = ""  # set when the file could not be read; the other fields are blank

    def as_dict(self) -> dict:
        return asdict(self)


HELD_DESCRIPTORS: dict[tuple[int, int], int] = {}
"""Descriptors the store keeps open on the session files it has open, by (device, inode).

Closing *any* descriptor of a file drops every POSIX lock this process holds on it,
SQLite's included; another program's connection could then think itself the last one
and fold in and delete the WAL under the open session. So the store registers the
descriptor its lock holds here, and looking at the file reads through that one.
"""


def _read_header(path: Path) -> bytes:
    st = path.stat()
    fd = HELD_DESCRIPTORS.get((st.st_dev, st.st_ino))
    if fd is not None:
        return os.pread(fd, 100, 0)
    with open(path, "rb") as fh:
        return fh.read(100)


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "some of its text is not valid UTF-8"
    return " ".join(str(exc).split())


def readonly_uri(path: Path) -> str:
    """An SQLite URI that opens ``path`` read-only ("#", "?" and "%" in its name escaped)."""
    return "file:" + urllib.parse.quote(str(Path(path).resolve())) + "?mode=ro"


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection that cannot change the file."""
    conn = sqlite3.connect(readonly_uri(path), uri=True, timeout=1.0)
    conn.execute("PRAGMA busy_timeout=1000")
    return conn


def check_ordinary_file(path: Path) -> None:
    """Raise a SessionFileError unless ``path`` is an ordinary file (or a link to one).

    A folder, a device or a named pipe is refused before anything opens it (reading
    a pipe would wait for ever)."""
    if not path.exists():
        raise err.NotFoundError(f"There is no session file at {path}.", path)
    if path.is_dir():
        raise err.ForeignFileError(f"{path} is a folder, not a session file.", path)
    if not path.is_file():
        raise err.ForeignFileError(
            f"{path} is not a session file (it is a device or a pipe, not an ordinary file).",
            path,
        )


def inspect_file(path: Path, *, check: bool = True) -> SessionSummary:
    """Read a session file's summary, or raise a SessionFileError saying what is wrong.

    ``check`` runs SQLite's ``quick_check`` as well (a few milliseconds for a
    workshop-sized file).
    """
    path = Path(path)
    check_ordinary_file(path)
    try:
        header = _read_header(path)
    except PermissionError:
        raise err.SessionFileError(
            f"{path.name} cannot be read: permission denied.", path
        ) from None
    if len(header) == 0:
        raise err.CorruptFileError(f"{path.name} is empty: it holds no session.", path)
    if not header.startswith(SQLITE_MAGIC):
        raise err.ForeignFileError(
            f"{path.name} is not a facilitator session file (not an SQLite database).", path
        )
    if len(header) < 100:
        raise err.CorruptFileError(f"{path.name} is damaged: it is cut short.", path)
    if not os.path.exists(f"{path}-wal"):
        # With no WAL beside it the header is up to date: refuse other programs' files
        # (and newer ones) without connecting, which would leave a -wal and -shm behind.
        _check_ids(path, int.from_bytes(header[68:72], "big"), int.from_bytes(header[60:64], "big"))
    try:
        conn = connect_readonly(path)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        raise err.CorruptFileError(
            f"{path.name} cannot be read ({_one_line(exc)}).", path
        ) from None
    try:
        return _summarise(conn, path, check)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise err.LockedError(f"{path.name} is busy in another program.", path) from None
        raise err.CorruptFileError(f"{path.name} is damaged ({_one_line(exc)}).", path) from None
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        raise err.CorruptFileError(f"{path.name} is damaged ({_one_line(exc)}).", path) from None
    finally:
        conn.close()


def _check_ids(path: Path, app_id: int, version: int) -> None:
    if app_id != APPLICATION_ID:
        raise err.ForeignFileError(
            f"{path.name} is an SQLite database, but not a facilitator session.", path
        )
    if version > SCHEMA_VERSION:
        raise err.NewerVersionError(
            f"{path.name} was saved by a newer facilitator (format {version}; this one reads "
            f"up to {SCHEMA_VERSION}). Upgrade facilitator to open it.",
            path,
        )


COUNTED = ("participant", "relationship", "conversation", "action", "event")
"""The tables whose rows a summary counts."""


def _summarise(conn: sqlite3.Connection, path: Path, check: bool) -> SessionSummary:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    _check_ids(path, app_id, version)
    if check:
        result = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        if result != ["ok"]:
            raise err.CorruptFileError(
                f"{path.name} is damaged ({' '.join(result[0].split())[:120]}). Open a backup "
                "from the sessions folder's .backups instead.",
                path,
            )
    # One statement (one snapshot of the file) for everything the summary needs.
    row = conn.execute(
        "SELECT title, area, date, current_stage,"
        " (SELECT group_concat(stage, char(31)) FROM (SELECT DISTINCT stage FROM event)),"
        " (SELECT at FROM event ORDER BY seq DESC LIMIT 1),"
        + ",".join(f" (SELECT count(*) FROM {table})" for table in COUNTED)
        + " FROM session_info WHERE id = 1"
    ).fetchone()
    if row is None:
        raise err.CorruptFileError(
            f"{path.name} is damaged: its session details are missing.", path
        )
    title, area, date, current, stage_list, last_at, *numbers = row
    stages = set(stage_list.split("\x1f")) if stage_list else set()
    stages.add(current)
    furthest = max((s for s in stages if s in STAGE_ORDER), key=STAGE_ORDER.index, default="setup")
    counts = dict(zip(COUNTED, numbers, strict=True))
    return SessionSummary(
        path=str(path),
        title=title,
        area=area,
        date=date,
        furthest_stage=furthest,
        last_change=last_at or "",
        schema_version=version,
        counts=counts,
    )


def list_sessions(folder: Path) -> list[SessionSummary]:
    """Summaries of every session file in a folder, newest change first.

    A file that cannot be read is listed with ``problem`` set, never skipped, so
    nobody wonders where a session went.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = []
    for entry in os.scandir(folder):
        if not entry.name.endswith(FILE_SUFFIX) or not entry.is_file():
            continue
        path = Path(entry.path)
        try:
            found.append(inspect_file(path, check=False))
        except err.SessionFileError as exc:
            found.append(SessionSummary(path=str(path), title=path.stem, problem=str(exc)))
    found.sort(key=lambda s: (s.last_change, s.path), reverse=True)
    return found


def resolve_sessions_dir(option: str | os.PathLike | None = None) -> Path:
    """The sessions folder: the option, else $FACILITATOR_SESSIONS_DIR, else ./sessions."""
    chosen = option or os.environ.get("FACILITATOR_SESSIONS_DIR") or "sessions"
    return Path(chosen).expanduser().resolve()


def ensure_sessions_dir(folder: Path) -> Path:
    """Create the sessions folder on first use, private to its owner."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder
