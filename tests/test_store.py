"""The session file store: pragmas, file modes, commits, the journal, the schema and text."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from facilitator.domain import commands
from facilitator.domain.commands import DomainError
from facilitator.domain.model import ENTITY_TYPES, SESSION_FIELDS, entity_fields
from facilitator.domain.text import NAME_MAX, TextError, clean_text
from facilitator.store import APPLICATION_ID, SCHEMA_VERSION, catalog, upgrade
from facilitator.store import errors as err
from facilitator.store import tables as t
from facilitator.store.sessionfile import SessionFile


def ro_connect(path: Path) -> sqlite3.Connection:
    """A plain read-only connection, separate from the store's."""
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def pragmas(session: SessionFile) -> dict[str, object]:
    names = (
        "journal_mode",
        "synchronous",
        "foreign_keys",
        "busy_timeout",
        "application_id",
        "user_version",
    )
    with session.engine.connect().execution_options(reading=True) as conn:
        found = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in names}
        conn.rollback()
    return found


def add_participant(session: SessionFile, name: str = "Ann", **fields) -> str:
    event = commands.add(session.state, "participant", name=name, **fields)
    session.apply([event])
    return event.payload["id"]


# -- pragmas and file modes ---------------------------------------------------------------


def test_every_connection_has_the_pragmas(make_session) -> None:
    session = make_session()
    add_participant(session)
    expected = {
        "journal_mode": "wal",
        "synchronous": 2,  # FULL
        "foreign_keys": 1,
        "application_id": APPLICATION_ID,
        "user_version": SCHEMA_VERSION,
    }
    found = pragmas(session)
    assert found["busy_timeout"] > 0
    assert {k: v for k, v in found.items() if k != "busy_timeout"} == expected

    # A read-only session (replay) on the same file gets them too.
    reader = SessionFile.open(session.path, readonly=True)
    try:
        found = pragmas(reader)
        assert found["busy_timeout"] > 0
        assert {k: v for k, v in found.items() if k != "busy_timeout"} == expected
    finally:
        reader.close()

    # And after closing and opening again.
    session.close()
    again = SessionFile.open(session.path)
    try:
        found = pragmas(again)
        assert found["busy_timeout"] > 0
        assert {k: v for k, v in found.items() if k != "busy_timeout"} == expected
    finally:
        again.close()

    # The catalog's look-only connection waits rather than failing at once.
    conn = catalog.connect_readonly(session.path)
    try:
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    finally:
        conn.close()


def test_files_are_private_to_their_owner_whatever_the_umask(tmp_sessions: Path) -> None:
    old = os.umask(0)
    try:
        path = tmp_sessions / "private.facilitator"
        session = SessionFile.create(path, title="Private")
        try:
            add_participant(session)
            wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
            assert wal.exists() and shm.exists()
            assert mode_of(path) == 0o600
            assert mode_of(wal) == 0o600
            assert mode_of(shm) == 0o600
            saved = upgrade.backup(path, reason="test")
        finally:
            session.close()
    finally:
        os.umask(old)
    assert saved.parent == tmp_sessions / upgrade.BACKUPS_DIRNAME
    assert mode_of(saved) == 0o600
    assert mode_of(saved.parent) == 0o700
    for extra in saved.parent.iterdir():
        assert mode_of(extra) == 0o600, extra.name
    # The backup is a whole, readable session.
    summary = catalog.inspect_file(saved)
    assert summary.counts["participant"] == 1


def test_create_refuses_to_overwrite(make_session) -> None:
    session = make_session()
    before = session.path.read_bytes()
    with pytest.raises(err.SessionFileError) as caught:
        SessionFile.create(session.path, title="Again")
    assert "\n" not in str(caught.value)
    assert session.path.read_bytes() == before


# -- every change commits at once -----------------------------------------------------------


def test_a_change_is_on_disk_when_apply_returns(make_session) -> None:
    session = make_session()
    written = session.apply(
        [
            commands.add(session.state, "participant", name="Ann"),
            commands.add(session.state, "relationship", name="The council"),
        ]
    )
    assert len({e.txn for e in written}) == 1
    conn = ro_connect(session.path)
    try:
        rows = conn.execute("SELECT seq, txn, kind, payload FROM event ORDER BY seq").fetchall()
        assert [r[0] for r in rows[-2:]] == [e.seq for e in written]
        assert [r[2] for r in rows[-2:]] == ["participant.added", "relationship.added"]
        assert json.loads(rows[-2][3])["fields"]["name"] == "Ann"
        assert conn.execute("SELECT name FROM participant").fetchall() == [("Ann",)]
        assert conn.execute("SELECT name, seq FROM relationship").fetchall() == [
            ("The council", written[1].seq)
        ]
    finally:
        conn.close()

    # A later change, seen by a connection that was already open.
    conn = ro_connect(session.path)
    try:
        assert conn.execute("SELECT count(*) FROM participant").fetchone()[0] == 1
        pid = next(iter(session.state.participants))
        session.apply(commands.edit(session.state, "participant", pid, name="Anne"))
        assert conn.execute("SELECT name FROM participant").fetchall() == [("Anne",)]
        session.apply(commands.remove(session.state, "participant", pid))
        assert conn.execute("SELECT count(*) FROM participant").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM event").fetchone()[0] == len(session.journal)
    finally:
        conn.close()


def test_the_journal_is_append_only(make_session) -> None:
    session = make_session()
    add_participant(session)
    count = len(session.journal)
    conn = sqlite3.connect(session.path)
    try:
        for sql in (
            "UPDATE event SET kind = 'x'",
            "UPDATE event SET payload = '{}' WHERE seq = 1",
            "DELETE FROM event",
            "DELETE FROM event WHERE seq = 1",
        ):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(sql)
            conn.rollback()
    finally:
        conn.close()
    with session.engine.connect() as sa_conn, pytest.raises(Exception, match="append-only"):
        sa_conn.exec_driver_sql("DELETE FROM event")
    assert session.read_journal() == list(session.journal)
    assert len(session.read_journal()) == count


def test_undo_appends_and_never_deletes(make_session) -> None:
    session = make_session()
    pid = add_participant(session, "Ann")
    session.apply(commands.edit(session.state, "participant", pid, name="Anne"))
    before = session.read_journal()
    target, entries = session.undo()
    assert session.state.participants[pid].name == "Ann"
    assert all(e.payload["undoes"] == target for e in entries)
    after = session.read_journal()
    assert after[: len(before)] == before
    assert len(after) == len(before) + len(entries)
    assert session.reload().snapshot() == session.state.snapshot()


# -- the schema and the domain ---------------------------------------------------------------


def test_every_entity_kind_has_a_table() -> None:
    assert set(t.ENTITY_TABLES) == set(ENTITY_TYPES)
    for kind, model in t.ENTITY_TABLES.items():
        assert model.__tablename__ == kind


@pytest.mark.parametrize("kind", sorted(ENTITY_TYPES))
def test_table_columns_match_the_dataclass_fields(kind: str, make_session) -> None:
    session = make_session()
    conn = ro_connect(session.path)
    try:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({kind})")]
    finally:
        conn.close()
    assert columns, f"no table {kind}"
    assert {"id", "seq"} <= set(columns)
    assert sorted(c for c in columns if c not in ("id", "seq")) == sorted(entity_fields(kind))
    model_columns = [c.name for c in t.ENTITY_TABLES[kind].__table__.columns]
    assert sorted(c for c in model_columns if c not in ("id", "seq")) == sorted(entity_fields(kind))


def test_session_info_columns_match_the_session_fields(make_session) -> None:
    session = make_session()
    conn = ro_connect(session.path)
    try:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(session_info)")]
        assert conn.execute("SELECT count(*) FROM session_info").fetchone()[0] == 1
    finally:
        conn.close()
    assert sorted(c for c in columns if c != "id") == sorted(SESSION_FIELDS)


# -- text ------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")

_TRICKY = st.sampled_from(
    [" ", "  ", "\t", "\r", "\n", "\r\n", "\x00", "\x0b", "\x1b", "\x7f", "\x85", "\x9f"]
    + ["\u2028", "\u2029", "\u0301", "\u200f", "\ufeff", "\ud800", "e", "👍🏽", "ש", "ﬁ"]
)
any_text = st.lists(
    _TRICKY | st.text(st.characters(codec=None, exclude_categories=()), max_size=4), max_size=20
).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    value=any_text,
    multiline=st.booleans(),
    required=st.booleans(),
    max_len=st.integers(0, 80),
)
@example(value="a \x0b b", multiline=False, required=True, max_len=10)
def test_clean_text_never_fails_except_with_a_text_error(
    value: str, multiline: bool, required: bool, max_len: int
) -> None:
    try:
        out = clean_text(
            value, what="note", max_len=max_len, multiline=multiline, required=required
        )
    except TextError as exc:
        message = str(exc)
        assert message.startswith("Note ") and "\n" not in message
        return
    assert not _CONTROL.search(out)
    assert "\r" not in out
    if not multiline:
        assert "\n" not in out and "\t" not in out
    assert out == out.strip()
    assert len(out) <= max_len
    assert not required or out
    assert unicodedata.is_normalized("NFC", out)
    out.encode("utf-8")  # no lone surrogates left
    # Cleaning is stable: text read back from a file and saved again does not change.
    assert clean_text(out, max_len=max_len, multiline=multiline) == out


@given(value=st.one_of(st.integers(), st.binary(), st.lists(st.text()), st.floats()))
def test_clean_text_refuses_what_is_not_text(value: object) -> None:
    with pytest.raises(TextError, match="must be text"):
        clean_text(value)


def test_clean_text_keeps_newlines_only_when_multiline() -> None:
    assert clean_text("a\r\nb\rc\u2028d\x85e", multiline=True) == "a\nb\nc\nd\ne"
    assert clean_text("a\r\nb\tc", multiline=False) == "a b c"
    assert clean_text("  a\x00b\x1bc\x7f  ") == "abc"


def test_participant_names_are_required_and_limited(make_session) -> None:
    session = make_session()
    for empty in ("", "   ", "\n\t", "\x00\x01"):
        with pytest.raises(DomainError) as caught:
            commands.add(session.state, "participant", name=empty)
        assert str(caught.value) == "Name cannot be empty."

    longest = "x" * NAME_MAX
    pid = add_participant(session, longest)
    assert session.reload().participants[pid].name == longest

    for length in (NAME_MAX + 1, NAME_MAX * 3):
        with pytest.raises(DomainError) as caught:
            commands.add(session.state, "participant", name="y" * length)
        message = str(caught.value)
        assert "\n" not in message
        assert f"{length:,}" in message and f"{NAME_MAX:,}" in message
        assert message.startswith("Name ")
    with pytest.raises(DomainError):
        commands.edit(session.state, "participant", pid, name="z" * (NAME_MAX + 1))


EMOJI_AND_RTL = [
    "Zoë 👩🏽‍🌾 and 🏳️‍🌈",
    "مرحبا بكم في الورشة",
    "שלום, עולם",
    "mixed: abc مرحبا 123 עברית 👍🏿",
    "\u200fRTL mark and combining: e\u0301 \u202b embedded \u202c",
]


@pytest.mark.parametrize("text", EMOJI_AND_RTL)
def test_emoji_and_right_to_left_text_survive_the_file(text: str, make_session) -> None:
    session = make_session(title=text)
    expected = unicodedata.normalize("NFC", text)
    pid = add_participant(session, text)
    event = commands.add(session.state, "relationship", name=text, notes=f"{text}\n{text}")
    session.apply([event])
    path = session.path
    session.close()
    with SessionFile.open(path) as again:
        assert again.state.info.title == expected
        assert again.state.participants[pid].name == expected
        rel = again.state.relationships[event.payload["id"]]
        assert rel.name == expected
        assert rel.notes == f"{expected}\n{expected}"
        assert again.reload().snapshot() == again.state.snapshot()
    assert catalog.inspect_file(path).title == expected


# -- a disk that refuses the write ----------------------------------------------------------


def test_a_full_disk_is_a_one_line_write_error_and_loses_nothing(make_session) -> None:
    session = make_session()
    kept = add_participant(session, "Kept")
    before = session.state.snapshot()
    journal = list(session.journal)
    with session.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        conn.exec_driver_sql(f"PRAGMA max_page_count={pages}")
        conn.rollback()

    big = "n" * 15_000
    events = [
        commands.add(session.state, "participant", name="Lost"),
        commands.add(session.state, "relationship", name="Lost too", notes=big),
        commands.add(session.state, "relationship", name="And this", notes=big),
    ]
    with pytest.raises(err.WriteError) as caught:
        session.apply(events)
    message = str(caught.value)
    assert "\n" not in message
    assert "disk is full" in message
    assert session.state.snapshot() == before
    assert list(session.journal) == journal
    assert session.reload().snapshot() == before
    assert session.read_journal() == journal

    path = session.path
    session.close()
    with SessionFile.open(path) as again:
        assert again.state.snapshot() == before
        assert again.read_journal() == journal
        assert list(again.state.participants) == [kept]
        assert again.integrity_check() == ["ok"]
        # And the session carries on once there is room again.
        add_participant(again, "After")
        assert [p.name for p in again.reload().participants.values()] == ["Kept", "After"]


def test_a_closed_or_read_only_session_refuses_changes(make_session) -> None:
    session = make_session()
    event = commands.add(session.state, "participant", name="Ann")
    reader = SessionFile.open(session.path, readonly=True)
    try:
        with pytest.raises(err.WriteError):
            reader.apply([event])
    finally:
        reader.close()
    session.close()
    with pytest.raises(err.WriteError):
        session.apply([event])


@given(st.text(max_size=120))
@example("نشاط المجتمع")
@example("地域の集まり 2026")
@example("कार्यशाला योजना")
@example("東京 A")
@example("\u0301abc")
@example("../../etc/passwd")
@example("x\u202eevil\u200b")
@example(".hidden")
def test_file_names_from_titles_are_safe_and_keep_some_of_the_title(title) -> None:
    from facilitator.domain.text import slugify

    slug = slugify(title)
    assert 0 < len(slug) <= 40
    assert not slug.startswith((".", "-")) and not slug.endswith("-")
    # Letters, marks, digits and dashes only: no separators, spaces, controls, format or
    # bidi characters, and no mark without its letter at the start of a word.
    assert all(ch == "-" or unicodedata.category(ch)[0] in "LMN" for ch in slug), slug
    assert all(unicodedata.category(word[0])[0] in "LN" for word in slug.split("-")), slug
    letters = [ch for ch in title if ch.isalpha() and unicodedata.category(ch) != "Lm"]
    if letters and slug != "session":
        assert any(ch.isalpha() for ch in slug)


def test_a_title_in_another_script_names_its_file_in_that_script(tmp_path) -> None:
    from facilitator.domain.text import slugify
    from facilitator.store.sessionfile import session_path

    path = session_path(tmp_path, "نشاط المجتمع", "2026-03-14")
    assert path.name == "2026-03-14-نشاط-المجتمع.facilitator"
    # A vowel sign stays with its word; a few Latin letters do not crowd out the rest.
    assert slugify("कार्यशाला योजना") == "कार्यशाला-योजना"
    assert slugify("東京 A") == "東京-a"
    with SessionFile.create(path, title="نشاط المجتمع") as session:
        assert session.state.info.title == "نشاط المجتمع"
    assert catalog.list_sessions(tmp_path)[0].title == "نشاط المجتمع"


def test_a_file_name_with_hash_percent_or_question_mark_opens_that_file(tmp_path) -> None:
    """SQLite reads those as parts of a URI: "a#b" once opened a file called "a"."""
    path = tmp_path / "a#b%41?.facilitator"
    with SessionFile.create(path, title="Odd name") as session:
        session.apply([commands.add(session.state, "participant", name="Ann")])
    with SessionFile.open(path) as session:
        assert [p.name for p in session.state.participants.values()] == ["Ann"]
    with SessionFile.open(path, readonly=True) as session:
        assert session.state.info.title == "Odd name"
    assert catalog.inspect_file(path, check=True).title == "Odd name"
    assert [s.title for s in catalog.list_sessions(tmp_path)] == ["Odd name"]
    names = {p.name for p in tmp_path.iterdir()}
    assert names <= {path.name, path.name + "-wal", path.name + "-shm", ".backups"}
