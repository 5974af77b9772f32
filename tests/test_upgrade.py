"""Old session files: the committed v1 fixture opens, and the upgrade machinery is safe."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

import facilitator.store as store
from facilitator.domain.events import replay
from facilitator.store import APPLICATION_ID, catalog, sessionfile, upgrade
from facilitator.store import errors as err
from facilitator.store.sessionfile import SessionFile

FIXTURE = Path(__file__).parent / "fixtures" / "schema-v1.facilitator"

EXPECTED_COUNTS = {
    "participant": 5,
    "criterion_vote": 5,
    "criterion_choice": 2,
    "relationship": 4,
    "rating": 5,
    "outcome": 2,
    "factor": 2,
    "action": 2,
    "conversation": 1,
    "attendee": 3,
    "prompt_answer": 3,
    "action_review": 0,
    "stage_time": 0,
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def user_version(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def columns(path: Path, table: str) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    finally:
        conn.close()


@pytest.fixture
def v1_copy(tmp_sessions: Path) -> Path:
    """The committed fixture, copied into a sessions folder (the fixture itself stays as it is)."""
    target = tmp_sessions / "riverside.facilitator"
    shutil.copyfile(FIXTURE, target)
    return target


@pytest.fixture(autouse=True)
def fixture_is_untouched():
    before = sha256(FIXTURE)
    yield
    assert sha256(FIXTURE) == before, "a test changed the committed fixture"
    assert not Path(f"{FIXTURE}-wal").exists() and not Path(f"{FIXTURE}-shm").exists()


# -- the v1 fixture --------------------------------------------------------------------------


def test_the_fixture_is_a_version_1_session() -> None:
    header = FIXTURE.read_bytes()[:100]
    assert header.startswith(b"SQLite format 3\x00")
    assert int.from_bytes(header[60:64], "big") == 1  # user_version
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID


def test_the_v1_fixture_opens_with_the_current_code(v1_copy: Path) -> None:
    summary = catalog.inspect_file(v1_copy)
    assert summary.schema_version == 1
    assert summary.title == "Riverside partnership review"
    assert summary.furthest_stage == "notes"
    assert summary.counts == {
        "participant": 5,
        "relationship": 4,
        "conversation": 1,
        "action": 2,
        "event": 52,
    }

    with SessionFile.open(v1_copy) as session:
        state = session.state
        assert state.counts() == EXPECTED_COUNTS
        info = state.info
        assert (info.title, info.area, info.date) == (
            "Riverside partnership review",
            "Riverside estate",
            "2025-03-14",
        )
        assert (info.venue_mode, info.facilitator) == ("hybrid", "Priya Natarajan")
        assert (info.current_stage, info.finished, info.notes) == (
            "notes",
            True,
            "Follow up in June.",
        )
        names = [p.name for p in state.participants.values()]
        assert names == [
            "Amira Khan",
            "Dev Patel",
            "Joan O'Neill",
            "Sam 🌻 Okafor",
            "Cllr Ruth Evans",
        ]
        rels = {r.name: (rid, r) for rid, r in state.relationships.items()}
        council_id, council = rels["Riverside Council"]
        surgery_id, surgery = rels["Bridge Street Surgery"]
        assert info.good_relationship_id == surgery_id
        assert info.develop_relationship_id == council_id
        assert council.purposes == ["co-design", "funding"]
        assert council.holder_participants == [next(iter(state.participants))]
        assert (
            council.notes == "Quarterly meetings with the housing team.\nNew officer since January."
        )
        assert council.want_conversation is True and council.closeness == 2
        assert rels["Neighbourhood policing team"][1].state == "dormant"
        assert rels["Riverside Academy"][1].agency_subtype is None

        choices = sorted(state.rows["criterion_choice"].values(), key=lambda c: c.position)
        assert [c.criterion_id for c in choices] == ["trust", "follow-through"]
        assert choices[0].own_words == "We believe what they say"
        scores = {
            (state.relationships[r.relationship_id].name, r.criterion_id): r.score
            for r in state.rows["rating"].values()
        }
        assert scores[("Bridge Street Surgery", "trust")] == 5
        assert scores[("Riverside Council", "follow-through")] == 2

        (talk_id, talk), *_ = state.conversations.items()
        assert talk.relationship_id == council_id and talk.finished
        notes = [a.text for a in state.rows["prompt_answer"].values()]
        assert (
            notes[1] == "Council wants residents on the estate board.\nWe want papers a week ahead."
        )
        actions = list(state.rows["action"].values())
        assert [a.status for a in actions] == ["in-progress", "open"]
        assert all(a.conversation_id == talk_id for a in actions)
        assert actions[0].who_person == "Mark Reid"

        journal = session.read_journal()
        assert len(journal) == 52
        assert any("undoes" in e.payload for e in journal)
        assert replay(journal).snapshot() == state.snapshot() == session.reload().snapshot()
        assert session.integrity_check() == ["ok"]


def test_the_fixture_maker_writes_the_same_session(tmp_path: Path, monkeypatch) -> None:
    """Regenerating the current version's fixture gives the committed session."""
    current = FIXTURE.parent / f"schema-v{store.SCHEMA_VERSION}.facilitator"
    assert current.exists(), "the schema has moved on: commit a fixture for the new version"
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_fixtures", FIXTURE.parent / "make_fixtures.py"
    )
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    from facilitator.domain import commands

    monkeypatch.setattr(commands, "new_id", commands.new_id)  # the maker replaces it
    made = tmp_path / "made.facilitator"
    maker.build(made)
    with SessionFile.open(made) as fresh, SessionFile.open(shutil.copy(current, tmp_path)) as old:
        assert fresh.state.snapshot() == old.state.snapshot()
        assert [(e.kind, e.payload, e.at) for e in fresh.read_journal()] == [
            (e.kind, e.payload, e.at) for e in old.read_journal()
        ]


# -- the real upgrade from version 1 to 2 ---------------------------------------------------


def test_version_1_upgrades_to_2_after_a_backup(v1_copy: Path, tmp_path: Path) -> None:
    """The v1 fixture, opened now, becomes the same session as the v2 fixture."""
    v2 = shutil.copy(FIXTURE.parent / "schema-v2.facilitator", tmp_path / "v2.facilitator")
    with SessionFile.open(v2) as made_as_v2:  # upgraded from 2 to the current version
        expected = made_as_v2.state.snapshot()
        expected_journal = [(e.kind, e.payload) for e in made_as_v2.journal]
    with SessionFile.open(v1_copy) as session:
        assert session.state.snapshot() == expected
        assert [(e.kind, e.payload) for e in session.journal] == expected_journal
        assert session.integrity_check() == ["ok"]
    assert user_version(v1_copy) == store.SCHEMA_VERSION
    assert "digest" in columns(v1_copy, "event")

    backups = sorted((v1_copy.parent / upgrade.BACKUPS_DIRNAME).glob("*before-upgrade*"))
    assert len(backups) == 1
    saved = backups[0]
    assert "before-upgrade-v1" in saved.name
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700
    assert user_version(saved) == 1 and "digest" not in columns(saved, "event")


def test_version_2_upgrades_to_3_with_an_id_and_no_origin(tmp_path: Path) -> None:
    """Version 3 adds the session's id and origin; an older session has neither."""
    v2 = shutil.copy(FIXTURE.parent / "schema-v2.facilitator", tmp_path / "v2.facilitator")
    v3 = shutil.copy(FIXTURE.parent / "schema-v3.facilitator", tmp_path / "v3.facilitator")
    assert "origin_id" not in columns(v2, "session_info")
    with SessionFile.open(v2) as upgraded, SessionFile.open(v3, readonly=True) as made_as_v3:
        info = upgraded.state.info
        assert (info.session_id, info.origin_id, info.origin_file) == ("", "", "")
        assert info.origin_criteria == []
        assert made_as_v3.state.info.session_id  # new sessions get an id when created
        assert upgraded.state.counts() == made_as_v3.state.counts()
        assert upgraded.state.info.title == made_as_v3.state.info.title
    assert user_version(v2) == 3
    for column in ("session_id", "origin_id", "origin_title", "origin_date", "origin_file"):
        assert column in columns(v2, "session_info")


def test_the_upgraded_journal_is_chained_so_tampering_shows(v1_copy: Path) -> None:
    SessionFile.open(v1_copy).close()
    conn = sqlite3.connect(v1_copy)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE event SET payload = '{}' WHERE seq = 5")
    # A row rewritten behind the journal's back (REPLACE skips the delete trigger).
    row = conn.execute(
        "SELECT seq, txn, at, stage, kind, payload, digest FROM event WHERE seq = 5"
    ).fetchone()
    conn.execute(
        "INSERT OR REPLACE INTO event VALUES (?, ?, ?, ?, ?, ?, ?)",
        (*row[:5], row[5].replace('"', "'", 0) + " ", row[6]),
    )
    conn.commit()
    conn.close()
    with pytest.raises(err.CorruptFileError) as caught:
        SessionFile.open(v1_copy)
    assert "journal does not add up at entry 5" in str(caught.value)


# -- the upgrade machinery, with a pretend version 3 ----------------------------------------


def add_pronouns(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE participant ADD COLUMN pronouns TEXT NOT NULL DEFAULT ''")


REAL_STEPS = dict(upgrade.STEPS)


def pretend_version(monkeypatch: pytest.MonkeyPatch, version: int, steps: dict) -> None:
    # Patched wherever it was imported by name.
    for module in (store, catalog, sessionfile, upgrade):
        monkeypatch.setattr(module, "SCHEMA_VERSION", version)
    monkeypatch.setattr(upgrade, "STEPS", dict(steps))


def test_steps_run_in_order_in_one_go(v1_copy: Path, monkeypatch) -> None:
    with SessionFile.open(shutil.copy(v1_copy, v1_copy.with_name("peek.facilitator"))) as s:
        before = s.state.snapshot()
    pretend_version(monkeypatch, 4, {**REAL_STEPS, 3: add_pronouns})
    with SessionFile.open(v1_copy) as session:
        assert session.state.snapshot() == before
    assert user_version(v1_copy) == 4
    assert "pronouns" in columns(v1_copy, "participant") and "digest" in columns(v1_copy, "event")


def test_a_failing_step_leaves_the_file_as_it_was(v1_copy: Path, monkeypatch) -> None:
    def broken(conn: sqlite3.Connection) -> None:
        add_pronouns(conn)
        conn.execute("UPDATE participant SET pronouns = 'they'")
        raise RuntimeError("step 3 could not finish")

    before = sha256(v1_copy)
    pretend_version(monkeypatch, 4, {**REAL_STEPS, 3: broken})
    with pytest.raises(err.UpgradeError) as caught:
        SessionFile.open(v1_copy)
    message = str(caught.value)
    assert "\n" not in message
    assert v1_copy.name in message and "step 3 could not finish" in message
    assert sha256(v1_copy) == before  # even the steps from 1 to 3 were rolled back
    assert user_version(v1_copy) == 1
    assert "pronouns" not in columns(v1_copy, "participant")
    assert "digest" not in columns(v1_copy, "event")

    # The file is not left locked, and opens again once the step is right.
    monkeypatch.setattr(upgrade, "STEPS", {**REAL_STEPS, 3: add_pronouns})
    with SessionFile.open(v1_copy) as session:
        assert session.state.counts() == EXPECTED_COUNTS
    assert user_version(v1_copy) == 4


def test_a_missing_step_is_refused_before_anything_is_written(v1_copy: Path, monkeypatch) -> None:
    before = sha256(v1_copy)
    pretend_version(monkeypatch, 5, {**REAL_STEPS, 3: add_pronouns})  # no step from 4 to 5
    with pytest.raises(err.UpgradeError) as caught:
        SessionFile.open(v1_copy)
    assert "\n" not in str(caught.value) and v1_copy.name in str(caught.value)
    assert sha256(v1_copy) == before
    assert not (v1_copy.parent / upgrade.BACKUPS_DIRNAME).exists()


def test_replay_does_not_upgrade(v1_copy: Path) -> None:
    before = sha256(v1_copy)
    with pytest.raises(err.SessionFileError) as caught:
        SessionFile.open(v1_copy, readonly=True)
    assert "\n" not in str(caught.value) and v1_copy.name in str(caught.value)
    assert sha256(v1_copy) == before
    assert user_version(v1_copy) == 1
