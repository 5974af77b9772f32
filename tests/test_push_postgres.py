"""Pushing sessions to a shared PostgreSQL database and rolling them up from there,
against a real server the tests start (see tests/postgres_server.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import port_for
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from facilitator.cli import main
from facilitator.domain import commands
from facilitator.programme.loader import read_session
from facilitator.programme.server import read_database
from facilitator.store.sessionfile import SessionFile
from tests.postgres_server import database_url, postgresql_server  # noqa: F401
from tests.test_rollup import build

FIXTURES = Path(__file__).parent / "fixtures"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def count(url: str, sql: str) -> int:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def two_sessions(folder: Path) -> list[Path]:
    folder.mkdir()
    a = build(
        folder / "a.facilitator",
        area="Northfield",
        criteria=["trust", "respect"],
        rels=[{"name": "Northshire Council", "agency_type": "local-authority"}],
        actions=["done"],
    )
    b = folder / "b.facilitator"
    shutil.copy(FIXTURES / "schema-v1.facilitator", b)  # an older format, pushed as it is read
    return [a, b]


def test_push_then_rollup_from_the_database_matches_the_files(
    tmp_path: Path,
    database_url: str,  # noqa: F811
) -> None:
    files = two_sessions(tmp_path / "sessions")
    for path in files:
        result = invoke("push", str(path), "--to", database_url)
        assert result.exit_code == 0, result.output
        assert "added" in result.output
    from_db = {r.session_id: r for r in read_database(database_url)}
    for path in files:
        local = read_session(path)
        assert from_db[local.session_id].state.snapshot() == local.state.snapshot()
        assert from_db[local.session_id].journal_digest == local.journal_digest

    by_folder = invoke("rollup", str(tmp_path / "sessions"), "-o", str(tmp_path / "f.html"))
    by_db = invoke("rollup", "--from", database_url, "-o", str(tmp_path / "d.html"))
    assert by_folder.exit_code == 0 and by_db.exit_code == 0, by_db.output
    strip = lambda page: page.split("<h2", 1)[1]  # noqa: E731 (the summary names the source)
    assert strip((tmp_path / "d.html").read_text()) == strip((tmp_path / "f.html").read_text())


def test_pushing_twice_changes_nothing_and_a_grown_journal_updates(
    tmp_path: Path,
    database_url: str,  # noqa: F811
) -> None:
    path = two_sessions(tmp_path / "sessions")[0]
    assert invoke("push", str(path), "--to", database_url).exit_code == 0
    events = count(database_url, "SELECT events FROM facilitator.pushed_session")
    again = invoke("push", str(path), "--to", database_url)
    assert again.exit_code == 0 and "unchanged" in again.output
    assert count(database_url, "SELECT count(*) FROM facilitator.pushed_session") == 1

    with SessionFile.open(path) as session:
        session.apply([commands.add(session.state, "relationship", name="Dene Library")])
    grown = invoke("push", str(path), "--to", database_url)
    assert grown.exit_code == 0 and "updated (1 new journal entries)" in grown.output
    assert count(database_url, "SELECT count(*) FROM facilitator.pushed_session") == 1
    assert count(database_url, "SELECT events FROM facilitator.pushed_session") == events + 1
    (record,) = read_database(database_url)
    assert "Dene Library" in {r.name for r in record.state.relationships.values()}


def test_an_older_copy_or_a_diverged_one_changes_nothing(
    tmp_path: Path,
    database_url: str,  # noqa: F811
) -> None:
    path = two_sessions(tmp_path / "sessions")[0]
    older = tmp_path / "older.facilitator"
    shutil.copy(path, older)
    with SessionFile.open(path) as session:
        session.apply([commands.add(session.state, "relationship", name="Dene Library")])
    assert invoke("push", str(path), "--to", database_url).exit_code == 0
    stale = invoke("push", str(older), "--to", database_url)
    assert stale.exit_code == 0 and "later copy" in stale.output
    with SessionFile.open(older) as session:
        session.apply([commands.add(session.state, "relationship", name="Another")])
    diverged = invoke("push", str(older), "--to", database_url)
    assert diverged.exit_code == 1 and "part ways" in diverged.stderr
    (record,) = read_database(database_url)
    assert "Another" not in {r.name for r in record.state.relationships.values()}


def test_refusals_never_print_the_password(
    tmp_path: Path,
    database_url: str,  # noqa: F811
) -> None:
    path = two_sessions(tmp_path / "sessions")[0]
    secret = "Tr0ub4dor-s3cret"
    with_password = database_url.replace("postgres@", f"postgres:{secret}@")
    ok = invoke("push", str(path), "--to", with_password)  # trust auth takes any password
    assert ok.exit_code == 0 and secret not in ok.output
    down = f"postgresql://someone:{secret}@127.0.0.1:{port_for.select_random()}/db"
    for args in (
        ("push", str(path), "--to", down),
        ("rollup", "--from", down, "-o", str(tmp_path / "x.html")),
        ("push", str(path), "--to", f"mysql://someone:{secret}@host/db"),
        ("push", str(path), "--to", "not an address"),
        ("push", str(tmp_path / "missing.facilitator"), "--to", with_password),
    ):
        result = invoke(*args)
        assert result.exit_code == 1, (args, result.output)
        assert secret not in result.output
        assert result.stderr.startswith("facilitator: ")
        assert "Traceback" not in result.output
    assert "cannot reach the database" in invoke("push", str(path), "--to", down).stderr
    missing = invoke("push", str(tmp_path / "missing.facilitator"), "--to", down)
    assert "There is no session file" in missing.stderr  # said before trying the server
    assert not (tmp_path / "x.html").exists()
