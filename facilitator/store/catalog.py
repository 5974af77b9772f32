"""Looking at session files without opening them for writing.

Uses the standard library's ``sqlite3`` only (read-only connections), so the home
screen can list the sessions folder before the database layer has even loaded,
and so that looking never changes a file.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

from facilitator.domain.vocabulary import STAGE_IDS
from facilitator.store import APPLICATION_ID, FILE_SUFFIX, SCHEMA_VERSION, walcheck
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


def _read_start(path: Path, size: int = 100) -> bytes:
    """The first ``size`` bytes of the file (through the store's own descriptor if it has
    the file open, so that looking never drops SQLite's locks)."""
    st = path.stat()
    fd = HELD_DESCRIPTORS.get((st.st_dev, st.st_ino))
    if fd is not None:
        return os.pread(fd, size, 0)
    with open(path, "rb") as fh:
        return fh.read(size)


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "some of its text is not valid UTF-8"
    return " ".join(str(exc).split())


def _absolute(path: Path) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):  # a link that leads round in a circle
        return os.path.abspath(path)


def readonly_uri(path: Path) -> str:
    """An SQLite URI that opens ``path`` read-only ("#", "?" and "%" in its name escaped).

    With no changes waiting in a ``-wal`` the file holds them all, so it is opened as
    *immutable*: SQLite then needs no ``-shm`` or ``-wal`` of its own and makes none,
    so reading works on a read-only folder, disk or file and leaves nothing behind.
    """
    uri = "file:" + urllib.parse.quote(_absolute(path)) + "?mode=ro"
    if not walcheck.has_changes_in_wal(path):
        uri += "&immutable=1"
    return uri


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection that cannot change the file."""
    conn = sqlite3.connect(readonly_uri(path), uri=True, timeout=1.0)
    conn.execute("PRAGMA busy_timeout=1000")
    return conn


def _cannot_read(path: Path, exc: BaseException) -> err.SessionFileError:
    """What to say when SQLite cannot read a file: damage only if it is damage."""
    text = _one_line(exc)
    if "unable to open" in text or "readonly" in text or "read-only" in text:
        if walcheck.has_changes_in_wal(path) and not os.access(path.parent, os.W_OK):
            return err.ReadOnlyError(
                f"{path.name} cannot be read in this read-only folder: it was not closed "
                f"cleanly, and its changes in {path.name}-wal need a folder that can be "
                "written to. Copy both files to one, then try again.",
                path,
            )
        return err.SessionFileError(f"{path.name} cannot be read here ({text}).", path)
    return err.CorruptFileError(f"{path.name} cannot be read ({text}).", path)


def check_ordinary_file(path: Path) -> None:
    """Raise a SessionFileError unless ``path`` is an ordinary file (or a link to one).

    A folder, a device or a named pipe is refused before anything opens it (reading
    a pipe would wait for ever)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise err.ForeignFileError(
                f"{path} is a link that leads round in a circle (a symlink loop), "
                "not a session file.",
                path,
            ) from None
        if exc.errno == errno.EACCES:
            raise err.SessionFileError(
                f"{path} cannot be reached: permission denied.", path
            ) from None
        if isinstance(exc, FileNotFoundError | NotADirectoryError):
            raise err.NotFoundError(f"There is no session file at {path}.", path) from None
        raise err.SessionFileError(
            f"{path} cannot be read ({exc.strerror or exc}).", path
        ) from None
    if stat.S_ISDIR(st.st_mode):
        raise err.ForeignFileError(f"{path} is a folder, not a session file.", path)
    if not stat.S_ISREG(st.st_mode):
        raise err.ForeignFileError(
            f"{path} is not a session file (it is a device or a pipe, not an ordinary file).",
            path,
        )


def check_writable(path: Path) -> None:
    """Raise ReadOnlyError if ``path`` cannot be changed here (the file, its folder or the
    disk is read-only): said plainly, since it is not damage."""
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        return
    raise err.ReadOnlyError(
        f"{path.name} is read-only here (the file, its folder or the disk cannot be "
        "written to); it is not damaged. Replay or export it as it is, or copy it to a "
        "folder you can write to, to carry on working in it.",
        path,
    )


def inspect_file(path: Path, *, check: bool = True) -> SessionSummary:
    """Read a session file's summary, or raise a SessionFileError saying what is wrong.

    ``check`` runs SQLite's ``quick_check`` as well (a few milliseconds for a
    workshop-sized file).
    """
    path = Path(path)
    check_ordinary_file(path)
    # With changes waiting in a -wal, the whole file is read first (see walcheck).
    waiting = walcheck.has_changes_in_wal(path)
    try:
        header = _read_start(path, path.stat().st_size if waiting else 100)
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
        raise _cannot_read(path, exc) from None
    try:
        if waiting:
            walcheck.check_wal_belongs(path, header, conn)
        return _summarise(conn, path, check)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise err.LockedError(f"{path.name} is busy in another program.", path) from None
        if "unable to open" in str(exc) or "readonly" in str(exc):
            raise _cannot_read(path, exc) from None
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
    if version < 1:
        raise err.CorruptFileError(
            f"{path.name} is damaged: its header gives no format version.", path
        )
    if version > SCHEMA_VERSION:
        raise err.NewerVersionError(
            f"{path.name} was saved by a newer facilitator (format {version}; this one reads "
            f"up to {SCHEMA_VERSION}). Upgrade facilitator to open it.",
            path,
        )


def _holds_format(conn: sqlite3.Connection) -> int:
    """The format the tables are in (not what the header says): 2 has journal digests."""
    columns = {r[1] for r in conn.execute("PRAGMA table_info(event)").fetchall()}
    return 2 if "digest" in columns else 1


COUNTED = ("participant", "relationship", "conversation", "action", "event")
"""The tables whose rows a summary counts."""


def _summarise(conn: sqlite3.Connection, path: Path, check: bool) -> SessionSummary:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    _check_ids(path, app_id, version)
    if version < SCHEMA_VERSION and _holds_format(conn) > version:
        raise err.CorruptFileError(
            f"{path.name} is damaged: its header says format {version}, but it holds "
            f"format {_holds_format(conn)}.",
            path,
        )
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
        if not entry.name.endswith(FILE_SUFFIX):
            continue
        path = Path(entry.path)
        try:
            if not entry.is_file():
                continue
        except OSError:  # a link that leads nowhere it can follow: said, not skipped
            try:
                check_ordinary_file(path)
            except err.SessionFileError as exc:
                found.append(SessionSummary(path=str(path), title=path.stem, problem=str(exc)))
            continue
        try:
            found.append(inspect_file(path, check=False))
        except err.SessionFileError as exc:
            found.append(SessionSummary(path=str(path), title=path.stem, problem=str(exc)))
    found.sort(key=lambda s: (s.last_change, s.path), reverse=True)
    return found


def resolve_sessions_dir(option: str | os.PathLike | None = None) -> Path:
    """The sessions folder: the option, else $FACILITATOR_SESSIONS_DIR, else ./sessions."""
    chosen = option or os.environ.get("FACILITATOR_SESSIONS_DIR") or "sessions"
    return Path(_absolute(Path(chosen).expanduser()))


def ensure_sessions_dir(folder: Path) -> Path:
    """Create the sessions folder on first use, private to its owner."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder
