"""Carry forward and compare through the command line, on real session files."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from facilitator.cli import main
from facilitator.demo import DEMO_TITLE, build_demo
from facilitator.demo_later import LATER_TITLE, build_demo_later, later_path
from facilitator.domain import conversation as conv_rules
from facilitator.export import export
from facilitator.history.files import read_session
from facilitator.store.importing import import_json
from facilitator.store.sessionfile import SessionFile


@pytest.fixture(scope="module")
def demo_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    first = tmp_path_factory.mktemp("demo") / "wrenhollow.facilitator"
    build_demo(first).close()
    build_demo_later(first).close()
    return first, later_path(first)


def run(folder: Path, *args: str):
    return CliRunner().invoke(main, ["--sessions-dir", str(folder), *args])


def test_new_from_carries_the_map_people_criteria_and_open_actions(
    demo_pair, tmp_sessions: Path
) -> None:
    first, _ = demo_pair
    result = run(
        tmp_sessions, "new", "Next year", "--date", "2025-05-01", "--from", str(first), "--no-open"
    )
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path.parent == tmp_sessions and path.name == "2025-05-01-next-year.facilitator"
    assert "Carried forward 20 relationships, 6 participants" in result.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    old = read_session(first).state
    with SessionFile.open(path) as new:
        state = new.state
        info = state.info
        assert (info.origin_id, info.origin_title, info.origin_date, info.origin_file) == (
            old.info.session_id,
            DEMO_TITLE,
            "2024-03-14",
            first.name,
        )
        assert info.session_id and info.session_id != old.info.session_id
        assert info.area == old.info.area
        # The map, with the same ids; stage 2 and 3 notes stay behind.
        assert list(state.relationships) == list(old.relationships)
        for rid, rel in state.relationships.items():
            before = old.relationships[rid]
            assert (rel.name, rel.closeness, rel.rel_type, rel.holder_roles) == (
                before.name,
                before.closeness,
                before.rel_type,
                before.holder_roles,
            )
            assert not rel.works_notes and not rel.want_conversation
        # People, with consent asked again.
        assert [p.name for p in state.participants.values()] == [
            p.name for p in old.participants.values()
        ]
        assert not any(p.consent_named for p in state.participants.values())
        # Criteria offered, not chosen.
        assert info.origin_criteria == ["trust", "follow-through"]
        assert not state.rows["criterion_choice"]
        assert not state.rows["rating"]
        # Open actions only, ready for a follow-up's look back.
        statuses = {a.status for a in state.rows["action"].values()}
        assert statuses <= {"open", "in-progress"} and state.rows["action"]
        open_before = {
            aid for aid, a in old.rows["action"].items() if a.status in ("open", "in-progress")
        }
        assert set(state.rows["action"]) == open_before
        (carried_conv,) = state.conversations
        earlier = conv_rules.earlier_conversations(
            state, "Wrenhollow and Dene Primary Care Network"
        )
        assert [cid for cid, _ in earlier] == [carried_conv]
        # Through the journal: undo and replay both see it.
        assert new.journal and ev_replay(new) == state.snapshot()


def ev_replay(session: SessionFile):
    from facilitator.domain.events import replay

    return replay(session.journal).snapshot()


def test_a_follow_up_in_the_carried_session_looks_back_at_every_open_action(demo_pair) -> None:
    _, later = demo_pair
    state = read_session(later).state
    talk = next(cid for cid, c in state.conversations.items() if c.previous_id)
    looked_back = {a.what for _, a in conv_rules.previous_actions(state, talk)}
    assert any("drop-in" in what for what in looked_back)
    assert any("asthma" in what for what in looked_back)
    assert len(state.rows["action_review"]) == 2


def test_new_from_a_missing_or_foreign_file_fails_in_one_line(tmp_sessions: Path) -> None:
    result = run(
        tmp_sessions, "new", "X", "--from", str(tmp_sessions / "nope.facilitator"), "--no-open"
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("facilitator: ") and result.stderr.count("\n") == 1
    junk = tmp_sessions / "junk.facilitator"
    junk.write_text("not a session")
    result = run(tmp_sessions, "new", "X", "--from", str(junk), "--no-open")
    assert result.exit_code == 1 and "not a facilitator session" in result.stderr
    assert [p.name for p in tmp_sessions.iterdir()] == ["junk.facilitator"]


def test_compare_prints_markdown_of_the_demo_year(demo_pair, tmp_path: Path) -> None:
    first, later = demo_pair
    result = run(tmp_path, "compare", str(later), str(first))  # any order: by date
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("# What changed")
    assert f"{DEMO_TITLE} (2024-03-14)" in text and f"{LATER_TITLE} (2025-03-20)" in text
    assert "Linked:** yes" in text
    for line in ("New relationships: 1", "Relationships gone: 2", "Moved closer: 2"):
        assert line in text
    assert "Earlier actions done: 1" in text and "Earlier actions dropped: 1" in text


def test_compare_writes_html_with_both_maps_and_json(demo_pair, tmp_path: Path) -> None:
    first, later = demo_pair
    target = tmp_path / "changes.html"
    result = run(tmp_path, "compare", str(first), str(later), "-f", "html", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    page = target.read_text()
    assert page.count("<svg") == 1 and page.count('class="moved"') == 4
    assert 'class="new"' in page and page.count('class="gone"') == 2
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    again = run(tmp_path, "compare", str(first), str(later), "-f", "html", "-o", str(target))
    assert again.exit_code == 1 and "already exists" in again.stderr
    result = run(tmp_path, "compare", str(first), str(later), "-f", "json")
    doc = json.loads(result.stdout)
    assert doc["counts"]["new"] == 1 and doc["counts"]["actions done"] == 1


def test_compare_three_sessions_gives_a_timeline(demo_pair, tmp_path: Path) -> None:
    first, later = demo_pair
    third = tmp_path / "third.facilitator"
    session, _ = __import__("facilitator.history.files", fromlist=["x"]).create_carried(
        later, third, title="Two years on", date="2026-03-20"
    )
    session.close()
    result = run(tmp_path, "compare", str(first), str(later), str(third), "-f", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["format"] == "facilitator-timeline"
    assert [date for _, date in doc["sessions"]] == ["2024-03-14", "2025-03-20", "2026-03-20"]
    pcn = next(r for r in doc["relationships"] if r["name"].startswith("Wrenhollow and Dene"))
    assert [p["ring"] for p in pcn["points"]] == [3, 2, 2]
    assert pcn["trend"] == "closer"


def test_compare_needs_two_readable_sessions(demo_pair, tmp_path: Path) -> None:
    first, _ = demo_pair
    result = run(tmp_path, "compare", str(first))
    assert result.exit_code == 1 and "at least two" in result.stderr
    result = run(tmp_path, "compare", str(first), str(tmp_path / "gone.facilitator"))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1


def test_compare_reads_an_older_format_without_changing_it(tmp_path: Path) -> None:
    import hashlib
    import shutil

    fixtures = Path(__file__).parent / "fixtures"
    old = shutil.copy(fixtures / "schema-v1.facilitator", tmp_path / "old.facilitator")
    new = shutil.copy(fixtures / "schema-v3.facilitator", tmp_path / "new.facilitator")
    before = hashlib.sha256(Path(old).read_bytes()).hexdigest()
    result = run(tmp_path, "compare", str(old), str(new))
    assert result.exit_code == 0, result.stderr
    assert "Nothing changed" in result.stdout
    assert hashlib.sha256(Path(old).read_bytes()).hexdigest() == before


def test_demo_write_writes_both_workshops(tmp_path: Path) -> None:
    target = tmp_path / "demo.facilitator"
    result = run(tmp_path, "demo", "--write", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == [str(target), str(later_path(target))]
    assert read_session(later_path(target)).state.info.origin_file == target.name


def test_the_origin_survives_a_json_export_and_import(demo_pair, tmp_path: Path) -> None:
    _, later = demo_pair
    state = read_session(later).state
    data = export(state, "json")
    doc = json.loads(data)
    assert doc["session"]["origin_title"] == DEMO_TITLE
    with import_json(data, tmp_path / "copy.facilitator") as copy:
        assert copy.state.info.origin_id == state.info.origin_id
        assert copy.state.info.origin_criteria == ["trust", "follow-through"]


def test_a_quick_read_gives_the_same_state_without_the_journal(demo_pair) -> None:
    _, later = demo_pair
    checked = read_session(later).state
    with SessionFile.open(later, readonly=True, verify=False) as quick:
        assert quick.state.snapshot() == checked.snapshot()
        assert quick.journal == ()
    with SessionFile.open(later, readonly=True) as full:
        assert full.journal  # the default still reads and checks the journal
