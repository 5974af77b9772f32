"""The command line, run as a user would (through click's runner and as a real process)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from facilitator import __version__
from facilitator.cli import main
from facilitator.store import SCHEMA_VERSION
from facilitator.store.sessionfile import SessionFile


@pytest.fixture
def run(tmp_path):
    folder = tmp_path / "sessions"

    def invoke(*args: str):
        return CliRunner().invoke(main, ["--sessions-dir", str(folder), *args])

    invoke.folder = folder
    return invoke


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_version_and_help():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output
    for command in ("new", "open", "list", "check", "export", "import", "demo", "replay"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0, (command, result.output)
        assert "Usage:" in result.output


def test_python_dash_m_runs_the_same_cli():
    done = subprocess.run(
        [sys.executable, "-m", "facilitator", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert "relationship-mapping" in done.stdout.replace("\n", " ") or "workshops" in done.stdout


def test_new_creates_a_private_dated_file_and_list_shows_it(run):
    result = run(
        "new", "Spring workshop", "--area", "Hollin Vale", "--date", "2026-03-14", "--no-open"
    )
    assert result.exit_code == 0, result.output
    path = run.folder / "2026-03-14-spring-workshop.facilitator"
    assert result.output.strip() == str(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert run.folder.stat().st_mode & 0o777 == 0o700

    listed = run("list", "--json")
    data = json.loads(listed.output)
    assert data["sessions_dir"] == str(run.folder)
    [only] = data["sessions"]
    assert (only["title"], only["area"], only["date"]) == (
        "Spring workshop",
        "Hollin Vale",
        "2026-03-14",
    )
    table = run("list")
    assert "Spring workshop" in table.output


def test_new_refuses_a_bad_date_with_one_line(run):
    result = run("new", "Spring", "--date", "14/03/2026", "--no-open")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "YYYY-MM-DD" in result.output
    result = run("new", "Spring", "--date", "2026-02-30", "--no-open")
    assert result.exit_code == 1
    assert result.output.strip() == "facilitator: There is no such day as 2026-02-30."
    assert not list(run.folder.glob("*.facilitator"))


def test_check_healthy_and_counts(run):
    run("new", "Spring", "--date", "2026-03-14", "--no-open")
    path = next(run.folder.glob("*.facilitator"))
    before = _digest(path)
    result = run("check", str(path), "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["ok"] and data["integrity"] == ["ok"]
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["counts"]["participant"] == 0
    assert _digest(path) == before


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda p: None, "There is no session file"),
        (lambda p: p.write_text("hello"), "not a facilitator session"),
        (
            lambda p: sqlite3.connect(p).execute("CREATE TABLE x(y)").connection.commit(),
            "not a facilitator session",
        ),
    ],
    ids=["missing", "text", "other-sqlite"],
)
def test_check_and_open_refuse_bad_files_without_changing_them(run, tmp_path, make, expected):
    path = tmp_path / "bad.facilitator"
    make(path)
    before = _digest(path) if path.exists() else None
    for command in ("check", "open", "export", "replay"):
        result = run(command, str(path))
        assert result.exit_code == 1, (command, result.output)
        assert expected in result.output
        assert result.output.strip().count("\n") == 0, result.output
        assert "Traceback" not in result.output
    assert (_digest(path) if path.exists() else None) == before


def test_check_refuses_a_newer_file(run):
    run("new", "Spring", "--no-open")
    path = next(run.folder.glob("*.facilitator"))
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    result = run("check", str(path))
    assert result.exit_code == 1 and "newer facilitator" in result.output


def test_demo_export_import_round_trip(run, tmp_path):
    demo = tmp_path / "demo.facilitator"
    assert run("demo", "--write", str(demo)).exit_code == 0
    before = _digest(demo)
    out = tmp_path / "out"
    result = run("export", str(demo), "--format", "all", "-o", str(out))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        f"demo{s}" for s in (".md", ".html", ".csv.zip", ".json", ".graphml", ".svg")
    )
    assert all((out / n).stat().st_mode & 0o777 == 0o600 for n in names)
    assert _digest(demo) == before  # exporting never changes the session

    again = run("export", str(demo), "--format", "md", "-o", str(out / "demo.md"))
    assert again.exit_code == 1 and "already exists" in again.output
    assert (
        run("export", str(demo), "-f", "md", "-o", str(out / "demo.md"), "--force").exit_code == 0
    )

    imported = run("import", str(out / "demo.json"), "-o", str(tmp_path / "copy.facilitator"))
    assert imported.exit_code == 0, imported.output
    with (
        SessionFile.open(tmp_path / "copy.facilitator") as copy,
        SessionFile.open(demo, readonly=True) as original,
    ):
        assert copy.state.snapshot() == original.state.snapshot()


def test_import_reports_bad_json_in_one_line(run, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else"}')
    result = run("import", str(bad))
    assert result.exit_code == 1
    assert result.output.startswith("facilitator: bad.json:")
    assert result.output.strip().count("\n") == 0


def test_anonymised_export_has_no_names(run, tmp_path):
    demo = tmp_path / "demo.facilitator"
    run("demo", "--write", str(demo))
    result = run("export", str(demo), "-f", "md", "--anonymise", "-o", str(tmp_path / "a.md"))
    assert result.exit_code == 0
    text = (tmp_path / "a.md").read_text()
    with SessionFile.open(demo, readonly=True) as session:
        for person in session.state.participants.values():
            assert person.name not in text
        assert session.state.info.area not in text


# -- the program's entry point: straight to the app, or the full command line ---------------


def test_app_options_take_only_what_opens_the_app(tmp_path):
    from facilitator.launch import app_options

    bank = tmp_path / "bank.toml"
    packaged = Path(__file__).parents[1] / "facilitator" / "content" / "questions.toml"
    bank.write_bytes(packaged.read_bytes())  # a bank that can be used (an empty one cannot)
    folder = tmp_path / "sessions"
    assert app_options([]) == {}
    assert app_options(["--sessions-dir", str(folder)]) == {"--sessions-dir": str(folder)}
    assert app_options([f"--sessions-dir={folder}", "--questions", str(bank)]) == {
        "--sessions-dir": str(folder),
        "--questions": str(bank),
    }
    # Anything else is the full command line's to answer (and to explain).
    for argv in (
        ["list"],
        ["--help"],
        ["--version"],
        ["--sessions-dir"],
        ["--sessions-dir", "--questions", str(bank)],
        ["--sessions-dir", "a", "--sessions-dir", "b"],
        ["--sessions-dir="],
        ["--questions", str(tmp_path / "missing.toml")],
        ["--sessions-dir", str(bank)],  # a file, not a folder
        ["--sessions-dir", str(folder), "demo"],
    ):
        assert app_options(argv) is None, argv


@given(st.lists(st.sampled_from(["--sessions-dir", "--questions", "x", "-h", "list", "="])))
def test_app_options_never_takes_more_than_its_two_options(argv):
    from facilitator.launch import APP_OPTIONS, app_options

    found = app_options(argv)
    if found is not None:
        assert set(found) <= set(APP_OPTIONS)
        assert all(value and not value.startswith("-") for value in found.values())
        assert not [a for a in argv if a not in APP_OPTIONS and a not in found.values()]


def test_entry_point_hands_commands_to_the_command_line(tmp_path, capsys):
    from facilitator.launch import main as launch

    with pytest.raises(SystemExit) as stopped:
        launch(["--version"])
    assert stopped.value.code == 0
    assert __version__ in capsys.readouterr().out
    with pytest.raises(SystemExit) as stopped:
        launch(["--sessions-dir", str(tmp_path), "list", "--json"])
    assert stopped.value.code == 0
    assert json.loads(capsys.readouterr().out)["sessions"] == []


def test_a_file_in_the_way_of_a_folder_is_said_in_one_line(run, tmp_path):
    blocker = tmp_path / "names.txt"
    blocker.write_text("not a folder")
    demo = tmp_path / "demo.facilitator"
    assert run("demo", "--write", str(demo)).exit_code == 0
    as_json = tmp_path / "demo.json"
    assert run("export", str(demo), "-f", "json", "-o", str(as_json)).exit_code == 0
    # (--sessions-dir naming a file is refused by the option itself; the environment
    # variable is not.)
    cases = [
        (["new", "Spring", "--no-open"], "a file is in the way"),
        (["--sessions-dir", str(blocker / "sub"), "new", "Spring", "--no-open"], "in the way"),
        (["list"], "is a file, not a folder"),
        (["export", str(demo), "-f", "all", "-o", str(blocker)], "a file is in the way"),
        (["export", str(demo), "-f", "all", "-o", str(blocker / "sub")], "in the way"),
        (["demo", "--write", str(blocker / "x.facilitator")], "in the way of its folder"),
        (["import", str(as_json), "-o", str(tmp_path / "out") + "/"], "is a folder"),
    ]
    for args, message in cases:
        result = CliRunner().invoke(main, args, env={"FACILITATOR_SESSIONS_DIR": str(blocker)})
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output, (args, result.output)
        assert result.output.strip().count("\n") == 0 and "Traceback" not in result.output
    assert blocker.read_text() == "not a folder"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args", [["list"], ["list", "--json"], ["--version"], ["check"]])
def test_output_that_cannot_be_written_stops_with_one_line(tmp_path, args):
    folder = tmp_path / "sessions"
    path = SessionFile.create(folder / "s.facilitator", title="Spring")
    path.close()
    if args == ["check"]:
        args = ["check", str(folder / "s.facilitator")]
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "facilitator", "--sessions-dir", str(folder), *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr.strip() == "facilitator: stopped: No space left on device."


def test_a_named_pipe_is_refused_at_once_not_waited_on(tmp_path):
    pipe = tmp_path / "pipe.facilitator"
    os.mkfifo(pipe)
    for command in ("check", "export", "open", "replay"):
        program = [sys.executable, "-m", "facilitator", "--sessions-dir", str(tmp_path)]
        done = subprocess.run(
            [*program, command, str(pipe)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 1, (command, done.stderr)
        assert "not an ordinary file" in done.stderr and "Traceback" not in done.stderr


def test_a_tampered_file_is_found_by_check_and_left_unchanged_by_open(run, tmp_path):
    from facilitator.domain import commands
    from facilitator.store.errors import CorruptFileError

    path = tmp_path / "s.facilitator"
    with SessionFile.create(path, title="Spring") as session:
        session.apply([commands.add(session.state, "participant", name="Ann")])
    # Changed behind the app's back by another tool, which also left the file in
    # SQLite's ordinary (rollback) journal mode.
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("UPDATE participant SET name = 'Someone else'")
    conn.close()
    before = _digest(path)
    result = run("check", str(path))
    assert result.exit_code == 1
    assert "do not match its journal" in result.output
    with pytest.raises(CorruptFileError, match="do not match its journal"):
        SessionFile.open(path)
    assert _digest(path) == before  # not even switched to WAL mode
    assert not (tmp_path / "s.facilitator-wal").exists()
