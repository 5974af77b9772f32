"""A JSON import keeps the exported journal when it replays to the imported session."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from facilitator.cli import main
from facilitator.demo import build_demo
from facilitator.domain import events as ev
from facilitator.export import export
from facilitator.store.importing import import_json
from facilitator.store.sessionfile import SessionFile


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory):
    sf = build_demo(tmp_path_factory.mktemp("demo") / "demo.facilitator")
    yield sf
    sf.close()


def with_journal(sf: SessionFile) -> bytes:
    return export(sf.state, "json", journal=sf.journal)


def digests(path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT seq, digest FROM event ORDER BY seq").fetchall()


def test_export_import_export_is_identical_journal_included(demo_file, tmp_path: Path) -> None:
    first = with_journal(demo_file)
    told: list[str] = []
    imported = import_json(first, tmp_path / "copy.facilitator", tell=told.append)
    try:
        assert with_journal(imported) == first
        assert list(imported.journal) == list(demo_file.journal)
        assert told == []
    finally:
        imported.close()
    # The hash chain is the original's, entry for entry.
    assert digests(tmp_path / "copy.facilitator") == digests(demo_file.path)
    # The kept file opens (its tables match its journal), undoes and carries on.
    with SessionFile.open(tmp_path / "copy.facilitator") as reopened:
        assert reopened.state.snapshot() == demo_file.state.snapshot()
        assert reopened.undo() is not None
        assert reopened.journal[-1].seq == demo_file.journal[-1].seq + 1


def test_replay_of_an_imported_session_starts_at_its_real_beginning(
    demo_file, tmp_path: Path
) -> None:
    imported = import_json(with_journal(demo_file), tmp_path / "copy.facilitator")
    try:
        first = imported.journal[0]
        assert (first.seq, first.at) == (demo_file.journal[0].seq, demo_file.journal[0].at)
        # Half-way through, the replay shows what the workshop held then, not everything.
        middle = demo_file.journal[len(demo_file.journal) // 2].seq
        assert (
            ev.replay(imported.journal, upto_seq=middle).snapshot()
            == ev.replay(demo_file.journal, upto_seq=middle).snapshot()
        )
        assert ev.replay(imported.journal, upto_seq=middle).snapshot() != (
            imported.state.snapshot()
        )
    finally:
        imported.close()


def _tamper_text(doc: dict) -> None:
    entry = next(e for e in doc["journal"] if e["kind"] == "relationship.added")
    entry["payload"]["fields"]["notes"] = "written in later"


def _tamper_stage(doc: dict) -> None:
    doc["journal"][3]["stage"] = "stage3"


def _tamper_order(doc: dict) -> None:
    doc["journal"][2]["seq"], doc["journal"][3]["seq"] = 4, 3


def _tamper_before(doc: dict) -> None:
    entry = next(
        e for e in doc["journal"] if e["kind"].endswith(".changed") and e["payload"]["before"]
    )
    key = next(iter(entry["payload"]["before"]))
    entry["payload"]["before"][key] = "not what it was"


def _tamper_kind(doc: dict) -> None:
    entry = next(e for e in doc["journal"] if e["kind"] == "relationship.added")
    entry["payload"]["fields"]["notes"] = {"not": "text"}


def _tamper_drop(doc: dict) -> None:
    del doc["journal"][-1]


def _tamper_shape(doc: dict) -> None:
    doc["journal"][0] = {"seq": 1}


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (_tamper_text, "does not replay to the session in the file"),
        (_tamper_stage, "not the stage it was at"),
        (_tamper_order, "out of order"),
        (_tamper_before, "does not say what it replaced"),
        (_tamper_drop, "does not replay to the session in the file"),
        (_tamper_kind, "holds a value of the wrong kind"),
        (_tamper_shape, "does not have the keys of a journal entry"),
    ],
)
def test_a_tampered_journal_gives_way_to_a_fresh_one(
    demo_file, tmp_path: Path, tamper, reason
) -> None:
    doc = json.loads(with_journal(demo_file))
    tamper(doc)
    told: list[str] = []
    imported = import_json(json.dumps(doc), tmp_path / "copy.facilitator", tell=told.append)
    try:
        assert len(told) == 1 and "\n" not in told[0]
        assert reason in told[0] and "starts at the import" in told[0]
        # The session itself still came in whole, with a journal of its own.
        assert imported.state.snapshot() == demo_file.state.snapshot()
        assert len(imported.journal) != len(demo_file.journal)
        assert ev.replay(imported.journal).snapshot() == demo_file.state.snapshot()
    finally:
        imported.close()


def test_cli_import_keeps_the_journal_or_says_why(demo_file, tmp_path: Path) -> None:
    source = tmp_path / "demo.json"
    source.write_bytes(with_journal(demo_file))
    runner = CliRunner()
    kept = runner.invoke(main, ["import", str(source), "-o", str(tmp_path / "kept.facilitator")])
    assert kept.exit_code == 0 and "journal" not in kept.output
    with SessionFile.open(tmp_path / "kept.facilitator", readonly=True) as sf:
        assert list(sf.journal) == list(demo_file.journal)
    doc = json.loads(source.read_bytes())
    _tamper_text(doc)
    source.write_text(json.dumps(doc))
    fresh = runner.invoke(main, ["import", str(source), "-o", str(tmp_path / "fresh.facilitator")])
    assert fresh.exit_code == 0
    assert "The journal in the file was not kept" in fresh.output
    assert "Traceback" not in fresh.output


def test_a_journal_the_tables_refuse_leaves_no_file(tmp_path: Path) -> None:
    from facilitator.store.kept_journal import create_with_journal

    vote = ev.JournalEntry(
        1,
        1,
        "2024-01-01T00:00:00.000Z",
        "setup",
        "criterion_vote.added",
        {"id": "v1", "fields": {"participant_id": "nobody", "criterion_id": "trust"}},
    )
    with pytest.raises(ValueError, match="do not fit a session file"):
        create_with_journal(tmp_path / "x.facilitator", [vote])
    assert list(tmp_path.iterdir()) == []
