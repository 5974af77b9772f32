"""The programme roll-up: tallies over hand-built sessions, its files, and the command."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.cli import main
from facilitator.domain import commands
from facilitator.programme import report
from facilitator.programme.loader import read_folder, read_session
from facilitator.programme.tally import ProgrammeTally
from facilitator.store.sessionfile import SessionFile

FIXTURES = Path(__file__).parent / "fixtures"


def build(path: Path, *, area: str, rels: list[dict], actions: list[str] = (), **extra) -> Path:
    """A session holding the given relationships (each a dict of fields) and actions."""
    session = SessionFile.create(path, title=f"Mapping in {area}", area=area, date="2026-05-01")
    state = session.state
    people = {}
    for name, role, consent in extra.get("people", []):
        event = commands.add(state, "participant", name=name, role=role, consent_named=consent)
        session.apply([event])
        people[name] = event.payload["id"]
    if "criteria" in extra:
        session.apply(commands.choose_criteria(state, extra["criteria"], "direct"))
    for fields in rels:
        fields = dict(fields)
        fields["holder_participants"] = [people[n] for n in fields.get("holder_participants", [])]
        session.apply([commands.add(state, "relationship", **fields)])
    for status in actions:
        session.apply([commands.add(state, "action", what="Meet again", status=status)])
    for stage, seconds in extra.get("times", {}).items():
        session.apply([commands.add(state, "stage_time", entity_id=stage, spent_seconds=seconds)])
    session.close()
    return path


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    """Three areas' sessions whose counts are known (see each test)."""
    folder = tmp_path / "programme"
    folder.mkdir()
    build(
        folder / "a.facilitator",
        area="Northfield",
        people=[("Ada Quill", "chair", False)],
        criteria=["trust", "shared-goals"],
        rels=[
            {
                "name": "Northshire County Council",
                "agency_type": "local-authority",
                "rel_type": "powerful-ally",
                "closeness": 1,
                "purposes": ["funding", "co-design"],
                "holder_roles": ["chair", "worker"],
            },
            {
                "name": "Northfield Primary",
                "agency_type": "school",
                "rel_type": "friend",
                "closeness": 3,
                "purposes": ["sharing"],
                "holder_participants": ["Ada Quill"],
            },
        ],
        actions=["done", "open"],
        times={"setup": 600, "criteria": 1200},
    )
    build(
        folder / "b.facilitator",
        area="Southmead",
        criteria=["trust", "follow-through"],
        rels=[
            {
                "name": "Southmead Housing",
                "agency_type": "housing-association",
                "rel_type": "client-contractor",
                "closeness": 2,
                "holder_roles": ["worker"],
            },
            {"name": "Southmead police team", "agency_type": "police"},
        ],
        actions=["done", "done", "dropped"],
        times={"setup": 1800},
    )
    # The same area again a year later: still Area 1.
    build(
        folder / "c.facilitator",
        area="northfield ",
        rels=[{"name": "Northshire County Council", "agency_type": "local-authority"}],
    )
    return folder


def tally_of(folder: Path, **kwargs) -> tuple[ProgrammeTally, list[tuple[str, dict]]]:
    rows: list[tuple[str, dict]] = []
    tally = ProgrammeTally(on_row=lambda name, row: rows.append((name, row)), **kwargs)
    for record in read_folder(folder):
        tally.add(record.state)
    return tally, rows


def table(tally: ProgrammeTally, name: str) -> list[dict]:
    return next(t for t in tally.tables() if t.name == name).rows


def by(rows: list[dict], key: str, value_column: str) -> dict:
    return {row[key]: row[value_column] for row in rows}


def test_the_tallies_count_what_the_sessions_hold(programme: Path) -> None:
    tally, rows = tally_of(programme)
    assert tally.sessions == 3
    assert tally.relationships == 5
    types = table(tally, "agency_types")
    assert by(types, "id", "relationships") == {
        "local-authority": 2,
        "housing-association": 1,
        "school": 1,
        "police": 1,
    }
    assert by(types, "id", "areas")["local-authority"] == 2  # two sessions, one area twice
    holders = table(tally, "holders")
    assert {(r["holder"], r["id"]): r["relationships"] for r in holders} == {
        ("group", "chair"): 1,
        ("group", "worker"): 2,
        ("person", "chair"): 1,
    }
    assert by(table(tally, "holders_per_relationship"), "holders", "relationships") == {
        "nobody recorded": 2,
        "one (fragile)": 2,
        "two": 1,
        "three or more": 0,
    }
    assert by(table(tally, "purposes"), "id", "relationships") == {
        "co-design": 1,
        "funding": 1,
        "sharing": 1,
    }
    assert by(table(tally, "relationship_types"), "id", "relationships") == {
        "powerful-ally": 1,
        "friend": 1,
        "client-contractor": 1,
        "": 2,
    }
    criteria = {r["id"]: r for r in table(tally, "criteria")}
    assert criteria["trust"]["sessions"] == 2 and criteria["trust"]["first"] == 2
    assert criteria["shared-goals"]["second"] == 1
    assert criteria["follow-through"]["by_direct"] == 1
    assert criteria["respect"]["sessions"] == 0
    fragile = {r["agency_type"]: r for r in table(tally, "fragile")}
    assert fragile["school"]["fragile"] == 1 and fragile["school"]["fragile_percent"] == 100
    assert fragile["housing-association"]["fragile"] == 1
    assert fragile["local-authority"]["fragile"] == 0
    assert by(table(tally, "actions"), "status", "actions") == {
        "open": 1,
        "in-progress": 0,
        "done": 3,
        "dropped": 1,
    }
    times = {r["stage"]: r for r in table(tally, "stage_time")}
    assert times["setup"]["sessions"] == 2
    assert times["setup"]["total_minutes"] == 40
    assert times["setup"]["mean_minutes"] == 20.0
    assert times["criteria"]["least_minutes"] == 20
    sessions = [row for name, row in rows if name == "sessions"]
    assert [s["area"] for s in sessions] == ["Area 1", "Area 2", "Area 1"]
    assert [s["actions_done"] for s in sessions] == [1, 2, 0]


def test_anonymised_by_default_and_named_on_request(programme: Path) -> None:
    tally, rows = tally_of(programme)
    text = repr(rows) + repr([t.rows for t in tally.tables()])
    for name in ("Northfield", "Southmead", "Ada Quill", "Northshire", "Mapping in"):
        assert name not in text
    fragile = [row for name, row in rows if name == "fragile_relationships"]
    assert {row["agency"] for row in fragile} == {"School or college A", "Housing association A"}
    assert {row["held_by"] for row in fragile} == {"the chair", "paid worker"}

    named, named_rows = tally_of(programme, named=True)
    fragile = [row for name, row in named_rows if name == "fragile_relationships"]
    assert {row["agency"] for row in fragile} == {"Northfield Primary", "Southmead Housing"}
    # Ada did not agree to be named: even a named roll-up calls her by her role.
    assert "Ada Quill" not in repr(named_rows)
    assert {row["area"] for name, row in named_rows if name == "sessions"} >= {"Northfield"}


def test_an_older_format_file_is_counted_and_left_exactly_as_it_was(tmp_path: Path) -> None:
    old = tmp_path / "old.facilitator"
    shutil.copy(FIXTURES / "schema-v1.facilitator", old)
    before = hashlib.sha256(old.read_bytes()).hexdigest()
    record = read_session(old)
    assert record.state.counts()["relationship"] == 4
    assert hashlib.sha256(old.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.facilitator"]  # no -wal, -shm


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(min_size=1, max_size=40))
def test_csv_cells_are_formula_safe_and_read_back(tmp_path_factory, text: str) -> None:
    folder = tmp_path_factory.mktemp("csv")
    out = report.CsvFolder(folder / "tables")
    out.start(report.csv_names())
    tally = ProgrammeTally(named=True, on_row=out.row)
    tally.add_unreadable(str(folder / "x.facilitator"), text)
    out.row("sessions", {"area": text, "title": "=" + text, "date": "2026-01-01"})
    written = out.finish(tally.tables(), report.unread_rows(tally))
    sessions = (folder / "tables" / "sessions.csv").read_bytes().decode("utf-8")
    assert sessions.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(sessions.removeprefix("\ufeff"), newline="")))
    assert len(rows) == 1
    for cell in (rows[0]["area"], rows[0]["title"]):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert rows[0]["title"] == "'=" + report._cell(text)
    assert all(p.exists() for p in written)
    assert not list((folder / "tables").glob(".*.tmp"))


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_rollup_lists_unreadable_files_and_still_writes_the_report(
    programme: Path, tmp_path: Path
) -> None:
    (programme / "notes.facilitator").write_text("not a session")
    shutil.copy(programme / "a.facilitator", programme / "cut.facilitator")
    with open(programme / "cut.facilitator", "r+b") as fh:
        fh.truncate(3000)
    newer = programme / "newer.facilitator"
    shutil.copy(programme / "b.facilitator", newer)
    with open(newer, "r+b") as fh:  # format version 99 in the header
        fh.seek(60)
        fh.write((99).to_bytes(4, "big"))
    out = tmp_path / "report.html"
    result = invoke("rollup", str(programme), "-o", str(out), "--csv", str(tmp_path / "csv"))
    assert result.exit_code == 3, result.output
    for name in ("notes.facilitator", "cut.facilitator", "newer.facilitator"):
        assert f"not counted: {name}" in result.stderr
    page = out.read_text()
    assert "3 sessions read" in page
    assert "3 files could not be read" in page
    assert "newer facilitator" in page
    assert "notes.facilitator" not in page  # anonymised: files are numbered
    unread = (tmp_path / "csv" / "unread_files.csv").read_text(encoding="utf-8-sig")
    assert unread.count("\n") == 4


def test_the_report_page_needs_nothing_from_outside(programme: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = invoke("rollup", str(programme), "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert page.count("<svg") >= 10
    assert "<script" not in page
    assert not re.search(r"(src|href)=", page)
    assert not re.findall(r"https?://(?!www\.w3\.org/)", page)
    again = tmp_path / "again.html"
    invoke("rollup", str(programme), "-o", str(again))
    assert again.read_bytes() == out.read_bytes()  # repeatable, chart ids included


def test_rollup_refusals(tmp_path: Path, programme: Path) -> None:
    missing = invoke("rollup", str(tmp_path / "nowhere"))
    assert missing.exit_code == 1 and "no folder" in missing.stderr
    both = invoke("rollup", str(programme), "--from", "postgresql://h/db")
    assert both.exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    none = invoke("rollup", str(empty), "-o", str(tmp_path / "r.html"))
    assert none.exit_code == 1 and "no sessions" in none.stderr
    out = tmp_path / "r.html"
    assert invoke("rollup", str(programme), "-o", str(out)).exit_code == 0
    again = invoke("rollup", str(programme), "-o", str(out))
    assert again.exit_code == 1 and "--force" in again.stderr
    assert invoke("rollup", str(programme), "-o", str(out), "--force").exit_code == 0
    bad = invoke("rollup", "--from", "mysql://someone:hunter2@host/db")
    assert bad.exit_code == 1 and "PostgreSQL" in bad.stderr and "hunter2" not in bad.output


def test_fragile_agencies_get_the_same_letters_as_the_anonymised_export(tmp_path: Path) -> None:
    from facilitator.demo import build_demo
    from facilitator.export.anonymise import anonymise
    from facilitator.programme.tally import agency_aliases

    build_demo(tmp_path / "demo.facilitator").close()
    state = read_session(tmp_path / "demo.facilitator").state
    exported = anonymise(state)
    assert agency_aliases(state) == {rid: rel.name for rid, rel in exported.relationships.items()}


def test_named_text_in_the_page_is_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "<b>area & co"
    folder.mkdir()
    build(folder / "x.facilitator", area="Easton", rels=[{"name": "Easton Library"}])
    (folder / "<img src=x onerror=alert(1)>.facilitator").write_text("not a session")
    out = tmp_path / "r.html"
    result = invoke("rollup", str(folder), "-o", str(out), "--named")
    assert result.exit_code == 3, result.output
    page = out.read_text()
    assert "<img" not in page and "<b>area" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.facilitator" in page
    assert "&lt;b&gt;area &amp; co" in page


def test_the_programme_package_does_not_load_the_terminal_ui() -> None:
    import json
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "import facilitator.programme.loader, facilitator.programme.tally\n"
        "import facilitator.programme.report, facilitator.programme.server\n"
        "import facilitator.cli_programme\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = {name.split(".")[0] for name in json.loads(out.stdout)}
    assert "facilitator" in loaded
    assert "textual" not in loaded
