"""A shared PostgreSQL database of sessions, for an organisation with many facilitators.

The database holds the very tables of a session file (:mod:`facilitator.store.tables`,
the journal included; typing drafts stay on the laptop), made from the same SQLModel
tables with one more column, ``journal_root`` (the digest of the session's first journal
entry, which never changes), leading each primary key, so that every session pushed
lives side by side in one set of tables. They sit in a schema of their
own, ``facilitator``, with one more table, ``pushed_session``, listing the sessions: the
session's id (the digest of its journal's first entry, which never changes), and its
journal's latest digest and length.

Pushing is idempotent: a session already there with the same journal is left alone; one
whose journal has grown since is replaced by the newer copy, in one transaction; an
older copy, or one whose journal has gone another way, changes nothing. PostgreSQL is an
optional extra (``pip install 'facilitator[server]'``, which brings psycopg 3).
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    delete,
    insert,
    select,
    text,
)
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from facilitator.domain.model import (
    ENTITY_TYPES,
    SESSION_FIELDS,
    SessionInfo,
    SessionState,
    entity_fields,
)
from facilitator.programme.loader import SessionRecord, Unreadable
from facilitator.store import tables as t

SERVER_EXTRA = "pip install 'facilitator[server]'"
SCHEMA = "facilitator"

shared_metadata = MetaData(schema=SCHEMA)  # kept apart from the session file's own tables

REGISTRY = Table(
    "pushed_session",
    shared_metadata,
    Column("journal_root", String, primary_key=True),
    Column("title", String, nullable=False, default=""),
    Column("area", String, nullable=False, default=""),
    Column("date", String, nullable=False, default=""),
    Column("journal_digest", String, nullable=False),
    Column("events", Integer, nullable=False),
    Column("pushed_at", String, nullable=False),
)

_PUSHED = {"session_info", "event", *(model.__tablename__ for model in t.ENTITY_TABLES.values())}
FILE_TABLES = [table for table in t.metadata.sorted_tables if table.name in _PUSHED]
"""The session file's tables that are copied."""


def _shared(table: Table) -> Table:
    """A session file's table with ``journal_root`` in front (and leading its primary key).

    Foreign keys are left out: each session's rows are checked against its journal
    before they are pushed, and they are replaced all together."""
    columns = [Column("journal_root", String, nullable=False)]
    columns += [
        Column(col.name, col.type, nullable=col.nullable, autoincrement=False)
        for col in table.columns
    ]
    key = PrimaryKeyConstraint("journal_root", *(col.name for col in table.primary_key.columns))
    return Table(table.name, shared_metadata, *columns, key)


SHARED_TABLES = {table.name: _shared(table) for table in FILE_TABLES}

_LOCK_KEY = 0x46414331  # one advisory lock for every push: pushes are rare and quick


class ServerError(Exception):
    """The database could not be used; ``str()`` is one line that never holds a password."""


@dataclass(frozen=True)
class PushResult:
    session_id: str
    status: str  # added | updated | unchanged | newer-there
    events: int
    events_before: int = 0


# -- connecting ---------------------------------------------------------------------------


def parse_url(url: str) -> URL:
    """The address of a PostgreSQL database, for the psycopg driver; ServerError if not one."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise ServerError(
            "that is not a database address; give one like postgresql://user@host/database."
        ) from None
    if parsed.get_backend_name() != "postgresql" and parsed.drivername != "postgres":
        raise ServerError(
            f"only PostgreSQL databases are supported (postgresql://…), not {parsed.drivername}."
        )
    if not parsed.database:
        raise ServerError("the address names no database: add /DATABASE at its end.")
    return parsed.set(drivername="postgresql+psycopg")


def shown(url: URL) -> str:
    """The address as it may be printed: the password, if any, hidden."""
    return url.set(drivername="postgresql").render_as_string(hide_password=True)


def _scrub(message: str, url: URL) -> str:
    text_ = " ".join(message.split())
    if url.password:
        secret = str(url.password)
        for form in (secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote(secret)):
            text_ = text_.replace(form, "***")
    return text_


def connect(url: str) -> tuple[Engine, URL]:
    """An engine on the database, tried once; ServerError saying why it cannot be reached."""
    parsed = parse_url(url)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise ServerError(f"PostgreSQL needs the server extra: {SERVER_EXTRA}") from None
    from sqlalchemy import create_engine

    engine = create_engine(parsed, connect_args={"connect_timeout": 5}, pool_pre_ping=True)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (DBAPIError, SQLAlchemyError) as exc:
        engine.dispose()
        raise ServerError(
            f"cannot reach the database at {shown(parsed)} ({_reason(exc, parsed)})."
        ) from None
    return engine, parsed


def _reason(exc: BaseException, url: URL) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = [line for line in str(orig).splitlines() if line.strip()]
    return _scrub(lines[0] if lines else type(orig).__name__, url)


# -- pushing ------------------------------------------------------------------------------


def push(path: Path, url: str) -> PushResult:
    """Copy the session file at ``path`` into the database at ``url`` (see the module)."""
    from facilitator.store.catalog import check_ordinary_file

    parse_url(url)
    check_ordinary_file(Path(path))  # a missing file is said before any connection is tried
    engine, parsed = connect(url)
    try:
        return push_with(engine, parsed, path)
    finally:
        engine.dispose()


def push_with(engine: Engine, url: URL, path: Path) -> PushResult:
    """:func:`push` on an engine already connected (to push many sessions in a row)."""
    from facilitator.programme.loader import open_verified

    with open_verified(path) as session, session.engine.connect() as source:
        rows = {table.name: source.execute(select(table)).mappings().all() for table in FILE_TABLES}
    events = rows["event"]
    if not events:
        raise ServerError(f"{Path(path).name} has an empty journal; nothing to push.")
    digests = [e["digest"] for e in sorted(events, key=lambda e: e["seq"])]
    info = rows["session_info"][0] if rows["session_info"] else {}
    try:
        with engine.begin() as conn:
            return _push_rows(conn, rows, digests, info)
    except (DBAPIError, SQLAlchemyError) as exc:
        raise ServerError(
            f"the database at {shown(url)} refused the session ({_reason(exc, url)}); "
            "nothing changed there."
        ) from None


def _push_rows(conn: Connection, rows: dict[str, Any], digests: list[str], info: Any) -> PushResult:
    session_id, digest = digests[0], digests[-1]
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{SCHEMA}"'))
    shared_metadata.create_all(conn, checkfirst=True)
    there = conn.execute(select(REGISTRY).where(REGISTRY.c.journal_root == session_id)).first()
    before = 0
    if there is not None:
        before = there.events
        if there.journal_digest == digest:
            return PushResult(session_id, "unchanged", len(digests), before)
        grew = before <= len(digests) and digests[before - 1] == there.journal_digest
        if not grew:
            if _digest_at(conn, session_id, len(digests)) == digest:
                return PushResult(session_id, "newer-there", len(digests), before)
            raise ServerError(
                "this session's journal and the one in the database part ways (was one of "
                "them changed from a copy?); nothing changed there."
            )
        for table in (*SHARED_TABLES.values(), REGISTRY):
            conn.execute(delete(table).where(table.c.journal_root == session_id))
    for name, table in SHARED_TABLES.items():
        if rows[name]:
            conn.execute(insert(table), [{"journal_root": session_id, **r} for r in rows[name]])
    conn.execute(
        insert(REGISTRY).values(
            journal_root=session_id,
            title=info.get("title", ""),
            area=info.get("area", ""),
            date=info.get("date", ""),
            journal_digest=digest,
            events=len(digests),
            pushed_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )
    )
    return PushResult(session_id, "updated" if there is not None else "added", len(digests), before)


def _digest_at(conn: Connection, session_id: str, count: int) -> str | None:
    """The digest of the database copy's ``count``-th journal entry, if it has that many."""
    event = SHARED_TABLES["event"]
    query = (
        select(event.c.digest)
        .where(event.c.journal_root == session_id)
        .order_by(event.c.seq)
        .offset(count - 1)
        .limit(1)
    )
    return conn.execute(query).scalar()


# -- reading ------------------------------------------------------------------------------


BATCH = 50  # sessions fetched a round trip: few round trips, and memory stays bounded


def _sessions_sql() -> str:
    """A query giving each of a batch of sessions (``:ids``) as one JSON document."""
    parts = [
        f"'session_info', (SELECT row_to_json(i) FROM \"{SCHEMA}\".session_info i "
        "WHERE i.journal_root = s.id)"
    ]
    for kind, model in t.ENTITY_TABLES.items():
        parts.append(
            f"'{kind}', (SELECT coalesce(json_agg(r ORDER BY r.seq), '[]'::json) "
            f'FROM "{SCHEMA}".{model.__tablename__} r WHERE r.journal_root = s.id)'
        )
    return (
        f"SELECT s.id, json_build_object({', '.join(parts)}) "
        "FROM unnest(CAST(:ids AS text[])) WITH ORDINALITY AS s(id, n) ORDER BY s.n"
    )


def _state_from(document: dict[str, Any]) -> SessionState:
    state = SessionState()
    info = document["session_info"]
    if info is None:
        raise ValueError("its session details are missing")
    state.info = SessionInfo(**{name: info[name] for name in SESSION_FIELDS})
    for kind in t.ENTITY_TABLES:
        cls = ENTITY_TYPES[kind]
        names = entity_fields(kind)
        rows = state.rows[kind]
        for row in document[kind]:
            rows[row["id"]] = cls(**{name: row[name] for name in names})
    return state


def read_database(url: str) -> Iterator[SessionRecord | Unreadable]:
    """Every session in the database, one at a time, as the roll-up reads files."""
    engine, parsed = connect(url)
    try:
        with engine.connect() as conn:
            if not engine.dialect.has_table(conn, REGISTRY.name, schema=SCHEMA):
                return
            listed = conn.execute(
                select(
                    REGISTRY.c.journal_root,
                    REGISTRY.c.journal_digest,
                    REGISTRY.c.events,
                ).order_by(REGISTRY.c.area, REGISTRY.c.date, REGISTRY.c.journal_root)
            ).all()
            conn.rollback()
            query = text(_sessions_sql())
            for start in range(0, len(listed), BATCH):
                batch = listed[start : start + BATCH]
                documents = dict(conn.execute(query, {"ids": [row[0] for row in batch]}).all())
                conn.rollback()
                for session_id, digest, events in batch:
                    source = f"session {session_id[:12]} in {shown(parsed)}"
                    try:
                        state = _state_from(documents[session_id])
                    except (ValueError, TypeError, KeyError) as exc:
                        yield Unreadable(
                            source, f"{source} cannot be read ({_reason(exc, parsed)})."
                        )
                        continue
                    yield SessionRecord(source, state, session_id, digest, events)
                del documents
    except (DBAPIError, SQLAlchemyError) as exc:
        raise ServerError(
            f"reading the database at {shown(parsed)} failed ({_reason(exc, parsed)})."
        ) from None
    finally:
        engine.dispose()
