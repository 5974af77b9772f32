"""Reading and writing one session file.

Every connection runs in WAL mode with ``synchronous=FULL`` (a commit is on disk
before it is acknowledged), foreign keys on and a busy timeout, and opens its
transactions with an explicit ``BEGIN`` so that reads and DDL are transactional
too. Each change is one transaction holding both the journal entries and the rows
they describe: either both are on disk or neither is.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, delete, event, insert, select, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlalchemy.util import LRUCache

from facilitator.domain import events as ev
from facilitator.domain.clock import utc_now
from facilitator.domain.model import (
    ENTITY_TYPES,
    SESSION_FIELDS,
    SessionInfo,
    SessionState,
    entity_fields,
)
from facilitator.store import APPLICATION_ID, FILE_SUFFIX, SCHEMA_VERSION, chain
from facilitator.store import errors as err
from facilitator.store import tables as t
from facilitator.store.catalog import (
    HELD_DESCRIPTORS,
    SessionSummary,
    check_ordinary_file,
    check_writable,
    inspect_file,
    readonly_uri,
)

BUSY_TIMEOUT_MS = 1000

# Each session file has an engine of its own, and so would compile the same reading
# statements again; sharing them makes reading several sessions (comparing) quicker.
_READ_STATEMENTS: Any = LRUCache(200)


def make_engine(path: Path, *, readonly: bool = False) -> Engine:
    """An engine on one session file, with this project's pragmas on every connection."""
    # The connection is made here rather than from a URL, so that a file name holding
    # "#", "?" or "%" opens that file and no other.
    target = readonly_uri(path) if readonly else str(path)

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(
            target, uri=readonly, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )

    engine = create_engine("sqlite://", creator=connect, poolclass=StaticPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let us emit BEGIN ourselves (below) instead of the driver's late, partial BEGIN.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        # (The WAL journal is switched on by ``use_wal`` once the file has been checked:
        # switching rewrites the file's header, and a damaged file must stay as it was.)
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock up front, so a transaction never fails half-way
        # for want of it; readers take a plain (deferred) BEGIN.
        reading = readonly or conn.get_execution_options().get("reading", False)
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    return engine


def use_wal(engine: Engine) -> None:
    """Put the file in WAL journal mode (it stays so): a reader never waits for a writer,
    and a commit is one append. Outside any transaction, as SQLite requires."""
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA journal_mode=WAL")
    finally:
        raw.close()


class SessionLock:
    """An exclusive advisory lock on a session file, held while a window has it open.

    ``flock`` locks vanish with the process, so a killed app never leaves a stale
    lock behind, and a second app finds out at once rather than after a timeout.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._key: tuple[int, int] | None = None

    def acquire(self) -> None:
        # Open in this process already: refuse without opening (and then closing) another
        # descriptor, which would drop SQLite's own locks on the file (see catalog).
        st = self.path.stat()
        if (st.st_dev, st.st_ino) in HELD_DESCRIPTORS:
            raise self._locked()
        fd = os.open(self.path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise self._locked() from None
            raise
        st = os.fstat(fd)
        self._fd, self._key = fd, (st.st_dev, st.st_ino)
        HELD_DESCRIPTORS[self._key] = fd

    def _locked(self) -> err.LockedError:
        return err.LockedError(
            f"{self.path.name} is open in another facilitator window; "
            "close it there first, or open it read-only with replay.",
            self.path,
        )

    def release(self) -> None:
        if self._fd is not None:
            if self._key is not None:
                HELD_DESCRIPTORS.pop(self._key, None)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = self._key = None


def start_new_file(path: Path) -> tuple[Engine, SessionLock]:
    """An empty private file at ``path`` (never over an existing one), locked for this
    process and in WAL mode: the start of every new session file. The caller builds the
    schema and removes the file if that fails."""
    if path.exists():
        raise err.SessionFileError(f"{path} already exists.", path)
    try:
        _create_empty(path)
    except OSError as exc:
        raise err.WriteError(f"Cannot create {path}: {exc.strerror}.", path) from None
    engine = make_engine(path)
    lock = SessionLock(path)
    lock.acquire()
    try:
        use_wal(engine)
    except BaseException:
        engine.dispose()
        lock.release()
        path.unlink(missing_ok=True)
        raise
    return engine, lock


def _create_empty(path: Path) -> None:
    """Create the file itself, readable by its owner only (SQLite's -wal and -shm copy it)."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise NotADirectoryError(errno.ENOTDIR, "a file is in the way of its folder") from None
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def create_schema(conn: Connection) -> None:
    """Create the current schema in an empty database (inside the caller's transaction)."""
    t.metadata.create_all(conn)
    for trigger in t.JOURNAL_TRIGGERS:
        conn.exec_driver_sql(trigger)
    conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
    conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")


class SessionFile:
    """An open session: its state in memory, kept in step with the file on every change."""

    def __init__(
        self,
        path: Path,
        engine: Engine,
        lock: SessionLock | None,
        *,
        readonly: bool,
        clock: Callable[[], str] = utc_now,
        verify: bool = True,
    ) -> None:
        self.path = path
        self.engine = engine
        self.readonly = readonly
        self._lock = lock
        self._clock = clock
        self._mutex = threading.RLock()
        self._closed = False
        with self._read() as conn:
            self.state = _load_state(conn)
            if not verify:  # a quick read-only look at the state: no journal at all
                self._journal, self._last_digest = [], chain.GENESIS
            else:
                self._journal, self._last_digest = _load_journal(conn)
        # The tables must say exactly what the journal says: a damaged row is caught here.
        if verify and ev.replay(self._journal).snapshot() != self.state.snapshot():
            raise ValueError("its records do not match its journal")
        self._next_txn = max((e.txn for e in self._journal), default=0) + 1

    # -- opening and creating -------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path,
        *,
        title: str,
        area: str = "",
        date: str | None = None,
        clock: Callable[[], str] = utc_now,
    ) -> SessionFile:
        """Create a new session file (refusing to overwrite one) and open it."""
        from facilitator.domain import commands

        path = Path(path)
        engine, lock = start_new_file(path)
        try:
            with engine.begin() as conn:
                create_schema(conn)
                conn.execute(insert(t.SessionInfoRow.__table__).values(id=1))
            session = cls(path, engine, lock, readonly=False, clock=clock)
            session.apply(
                commands.update_session(
                    session.state,
                    title=title,
                    area=area,
                    date=date or dt.date.today().isoformat(),
                    session_id=commands.new_id(),
                )
            )
        except BaseException:
            lock.release()
            engine.dispose()
            path.unlink(missing_ok=True)
            raise
        return session

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        readonly: bool = False,
        clock: Callable[[], str] = utc_now,
        backups_dir: Path | None = None,
        verify: bool = True,
    ) -> SessionFile:
        """Open a session file, after checking it is ours, healthy and not open elsewhere.

        ``verify=False`` (read-only only) reads the session's state from its tables and
        skips its journal: no hash chain check, no replay, and an empty ``journal``. It
        is for quick looks such as comparing two sessions.

        Raises a :class:`~facilitator.store.errors.SessionFileError` subclass, having
        written nothing to the file, if it is not.
        """
        from facilitator.store import upgrade

        path = Path(path)
        lock = None
        if not readonly:
            check_ordinary_file(path)
            check_writable(path)
            lock = SessionLock(path)
            try:
                lock.acquire()
            except PermissionError:
                raise err.WriteError(f"{path} cannot be opened: permission denied.") from None
        try:
            try:
                info = inspect_file(path)  # raises for foreign, corrupt and newer files
            except err.CorruptFileError as exc:
                raise _with_backup(exc, path, backups_dir) from None
            if info.schema_version < SCHEMA_VERSION:
                if readonly:
                    raise err.SessionFileError(
                        f"{path.name} uses an older format; open it normally once to upgrade "
                        "it, then replay it.",
                        path,
                    )
                upgrade.upgrade_file(path, info.schema_version, backups_dir=backups_dir)
            # Read and checked through a read-only connection, even to open it for
            # changes: a connection that could write might fold a -wal into the file as
            # it closes, and a file that is refused must stay exactly as it was.
            engine = make_engine(path, readonly=True)
            try:
                opened = cls(
                    path,
                    engine,
                    lock,
                    readonly=True,
                    clock=clock,
                    verify=verify or not readonly,
                )
            except (DBAPIError, sqlite3.Error, ValueError) as exc:  # ValueError: bad UTF-8, JSON
                engine.dispose()
                damaged = err.CorruptFileError(
                    f"{path.name} is damaged and cannot be read ({_reason(exc)}).", path
                )
                raise _with_backup(damaged, path, backups_dir) from None
            if not readonly:
                engine.dispose()
                opened.engine = make_engine(path)
                opened.readonly = False
                try:
                    use_wal(opened.engine)  # the writing engine: a read-only one cannot switch
                except (DBAPIError, sqlite3.Error) as exc:
                    opened.close()
                    raise err.WriteError(
                        f"{path.name} cannot be opened for changes ({_reason(exc)}); it can "
                        "still be replayed or exported.",
                        path,
                    ) from None
                upgrade.backup_on_open(path, backups_dir)
            return opened
        except BaseException:
            if lock:
                lock.release()
            raise

    # -- reading ----------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        options = {"reading": True, "compiled_cache": _READ_STATEMENTS}
        with self._mutex, self.engine.connect().execution_options(**options) as conn:
            try:
                yield conn
            finally:
                conn.rollback()

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def journal(self) -> Sequence[ev.JournalEntry]:
        return tuple(self._journal)

    def reload(self) -> SessionState:
        """State as the tables hold it (not the in-memory copy): used to check them."""
        with self._read() as conn:
            return _load_state(conn)

    def read_journal(self) -> list[ev.JournalEntry]:
        with self._read() as conn:
            return _load_journal(conn)[0]

    # -- writing ----------------------------------------------------------------------------

    def apply(self, events: Sequence[ev.Event]) -> list[ev.JournalEntry]:
        """Commit events as one transaction: journal entries and table rows together.

        The in-memory state changes only after the commit succeeds. Raises
        :class:`~facilitator.store.errors.WriteError` if the disk refuses the write.
        """
        if not events:
            return []
        if self.readonly:
            raise err.WriteError("This session is open read-only.", self.path)
        if self._closed:
            raise err.WriteError("This session has been closed.", self.path)
        with self._mutex:
            # Check the events against a scratch copy first, so a bad command never
            # reaches the file.
            for event in events:
                ev.validate(event)
            stage = self.state.info.current_stage
            txn = self._next_txn
            at = self._clock()
            written: list[ev.JournalEntry] = []
            digest = self._last_digest
            try:
                with self.engine.begin() as conn:
                    for event in events:
                        entry, digest = _write_event(conn, txn, at, stage, event, digest)
                        written.append(entry)
                        stage = _stage_after(event, stage)
            except (OperationalError, DBAPIError, sqlite3.Error, OSError) as exc:
                raise err.WriteError(
                    f"Could not save the change ({_reason(exc)}). Nothing was half-saved; "
                    "what was saved before is safe.",
                    self.path,
                ) from None
            self._next_txn += 1
            self._last_digest = digest
            for entry in written:
                ev.apply_event(self.state, entry.event)
            self._journal.extend(written)
            return written

    def undo(self) -> tuple[int, list[ev.JournalEntry]] | None:
        """Undo the latest change that has not been undone; None if there is nothing."""
        found = ev.undo_events(self._journal)
        if found is None:
            return None
        target, inverse = found
        return target, self.apply(inverse)

    # -- drafts -----------------------------------------------------------------------------

    def save_draft(self, key: str, text: str) -> None:
        """Keep text that is being typed, so that a crash loses at most the last second."""
        if self.readonly or self._closed:
            return
        with self._mutex:
            try:
                with self.engine.begin() as conn:
                    if text:
                        conn.exec_driver_sql(
                            "INSERT INTO draft(key, text, updated_at) VALUES (?, ?, ?) "
                            "ON CONFLICT(key) DO UPDATE SET text=excluded.text, "
                            "updated_at=excluded.updated_at",
                            (key, text, self._clock()),
                        )
                    else:
                        conn.execute(delete(t.DraftRow.__table__).where(t.DraftRow.key == key))
            except (OperationalError, DBAPIError, sqlite3.Error) as exc:
                raise err.WriteError(f"Could not save typing ({_reason(exc)}).") from None

    def drafts(self) -> dict[str, str]:
        with self._read() as conn:
            rows = conn.execute(select(t.DraftRow.key, t.DraftRow.text)).all()
        return {k: v for k, v in rows}

    # -- health -----------------------------------------------------------------------------

    def integrity_check(self) -> list[str]:
        """SQLite's full integrity check: ``["ok"]`` when the file is sound."""
        with self._read() as conn:
            return [r[0] for r in conn.exec_driver_sql(INTEGRITY_CHECK).all()]

    def close(self) -> None:
        """Checkpoint the WAL into the file and let go of it."""
        if self._closed:
            return
        with self._mutex:
            self._closed = True
            try:
                if not self.readonly:
                    with self.engine.connect() as conn:
                        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            except (DBAPIError, sqlite3.Error):
                pass  # the WAL stays; SQLite will fold it in next time
            finally:
                self.engine.dispose()
                if self._lock:
                    self._lock.release()

    def __enter__(self) -> SessionFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


INTEGRITY_CHECK = "PRAGMA integrity_check"


def integrity_of(path: Path) -> list[str]:
    """The same check as :meth:`SessionFile.integrity_check`, on a read-only connection, so
    that checking a file never changes it."""
    from facilitator.store.catalog import connect_readonly

    conn = connect_readonly(path)
    try:
        return [r[0] for r in conn.execute(INTEGRITY_CHECK).fetchall()]
    finally:
        conn.close()


def verify(path: Path) -> SessionSummary:
    """Everything opening ``path`` checks, without changing it; raises what opening would.

    ``facilitator check`` calls this, so that "healthy" means the file opens. A file in
    an older format is upgraded as a trial, on a private copy that is then deleted.
    """
    import tempfile

    from facilitator.store import upgrade

    path = Path(path)
    summary = inspect_file(path, check=True)
    if summary.schema_version >= SCHEMA_VERSION:
        SessionFile.open(path, readonly=True).close()
        return summary
    with tempfile.TemporaryDirectory(prefix="facilitator-check-") as scratch:
        copy = upgrade.copy_database(path, Path(scratch), path.stem, path.suffix)
        try:
            upgrade.upgrade_file(copy, summary.schema_version, backups_dir=Path(scratch))
        except err.UpgradeError as exc:
            raise err.UpgradeError(
                f"{path.name} uses format {summary.schema_version} and cannot be upgraded "
                f"({exc.reason}).",
                path,
            ) from None
        SessionFile.open(copy, readonly=True).close()
    return summary


def _with_backup(
    exc: err.CorruptFileError, path: Path, backups_dir: Path | None
) -> err.CorruptFileError:
    """The same error, naming the newest backup of the file if there is one."""
    from facilitator.store import upgrade

    latest = upgrade.latest_backup(path, backups_dir)
    message = str(exc).rstrip(".")
    if latest is not None:
        message = message.split(" Open a backup")[0].rstrip(".")
        message += f". The newest backup is {latest.name}."
    out = err.CorruptFileError(message, path)
    out.backup = latest
    return out


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).splitlines()[0] if str(orig) else type(orig).__name__
    if "disk is full" in text or getattr(orig, "errno", None) == errno.ENOSPC:
        return "the disk is full"
    if "readonly" in text or "read-only" in text:
        return "the file or its folder is read-only"
    return text


def _stage_after(event: ev.Event, stage: str) -> str:
    if event.kind == "session.changed":
        return event.payload["fields"].get("current_stage", stage)
    return stage


def _write_event(
    conn: Connection,
    txn: int,
    at: str,
    stage: str,
    event: ev.Event,
    prev: str,
    seq: int | None = None,
) -> tuple[ev.JournalEntry, str]:
    """Append one event (with ``seq`` given, that number: a journal kept from an export)."""
    payload = json.dumps(event.payload, ensure_ascii=False, sort_keys=True)
    table = t.EventRow.__table__
    values = {"txn": txn, "at": at, "stage": stage, "kind": event.kind, "payload": payload}
    if seq is not None:
        values["seq"] = seq
    result = conn.execute(insert(table).values(**values))
    seq = result.inserted_primary_key[0]
    digest = chain.link(prev, seq, txn, at, stage, event.kind, payload)
    # The digest needs the seq SQLite just gave the row; set it before the append-only
    # guard applies (the trigger allows filling in an empty digest, nothing else).
    conn.execute(update(table).where(table.c.seq == seq).values(digest=digest))
    _apply_to_tables(conn, seq, event)
    return ev.JournalEntry(seq, txn, at, stage, event.kind, json.loads(payload)), digest


def _apply_to_tables(conn: Connection, seq: int, event: ev.Event) -> None:
    p = event.payload
    if event.entity == "session":
        conn.execute(update(t.SessionInfoRow.__table__).values(**p["fields"]))
        return
    table = t.ENTITY_TABLES[event.entity].__table__
    if event.verb == ev.ADDED:
        conn.execute(insert(table).values(id=p["id"], seq=seq, **p["fields"]))
    elif event.verb == ev.CHANGED:
        result = conn.execute(update(table).where(table.c.id == p["id"]).values(**p["fields"]))
        if result.rowcount != 1:
            raise ev.EventError(f"{event.kind}: no row {p['id']}")
    else:
        result = conn.execute(delete(table).where(table.c.id == p["id"]))
        if result.rowcount != 1:
            raise ev.EventError(f"{event.kind}: no row {p['id']}")


def _load_state(conn: Connection) -> SessionState:
    state = SessionState()
    info_row = conn.execute(select(t.SessionInfoRow.__table__)).mappings().first()
    if info_row is not None:
        state.info = SessionInfo(**{k: info_row[k] for k in SESSION_FIELDS})
    for kind, model in t.ENTITY_TABLES.items():
        table = model.__table__
        cls = ENTITY_TYPES[kind]
        names = entity_fields(kind)
        rows = state.rows[kind]
        for row in conn.execute(select(table).order_by(table.c.seq)).mappings():
            rows[row["id"]] = cls(**{n: _plain(row[n]) for n in names})
    return state


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _load_journal(conn: Connection) -> tuple[list[ev.JournalEntry], str]:
    """The journal, its hash chain checked; and the last digest, to carry the chain on."""
    table = t.EventRow.__table__
    entries = []
    digest = chain.GENESIS
    for r in conn.execute(select(table).order_by(table.c.seq)):
        digest = chain.link(digest, r.seq, r.txn, r.at, r.stage, r.kind, r.payload)
        if digest != r.digest:
            raise ValueError(f"its journal does not add up at entry {r.seq}")
        entries.append(ev.JournalEntry(r.seq, r.txn, r.at, r.stage, r.kind, json.loads(r.payload)))
    return entries, digest


def session_path(folder: Path, title: str, date: str | None = None) -> Path:
    """A new, unused file name in the folder: ``<date>-<slug>.facilitator``."""
    from facilitator.domain.commands import DomainError
    from facilitator.domain.dates import day_problem
    from facilitator.domain.text import slugify

    day = dt.date.today().isoformat() if date is None else date
    problem = day_problem(day)
    if problem:
        raise DomainError(problem)
    base = f"{day}-{slugify(title)}"
    candidate = folder / f"{base}{FILE_SUFFIX}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{base}-{n}{FILE_SUFFIX}"
        n += 1
    return candidate
