"""Files and the command line: what a facilitator meets with odd files and odd options.

Each test runs the command line as a user would (click's runner, or a real process)
and checks both what it says and that the files it was given are left as they were.
"""

from __future__ import annotations

import hashlib
import shutil
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner

import facilitator.cli as cli
from facilitator.domain import commands
from facilitator.store import errors as err
from facilitator.store.sessionfile import SessionFile

FIXTURES = Path(__file__).parent / "fixtures"

GOOD_BANK = """\
[bank]
id = "our-bank"
title = "Our bank"
version = 1

[[section]]
id = "opening"
title = "Opening"
purpose = "Start well."
minutes = 10

[[section.prompt]]
id = "opening-welcome"
text = "Who is here?"
"""

# Line 8 lacks its closing quote.
BROKEN_BANK = GOOD_BANK.replace('title = "Opening"', 'title = "Opening')


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args))


def one_line_failure(result) -> str:
    """The output of a run that must have failed with one line and status 1."""
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "Usage:" not in result.output, result.output
    assert result.output.strip().count("\n") == 0, result.output
    return result.output.strip()


@pytest.fixture
def no_app(monkeypatch):
    """Running the app is replaced by a record of what it would have been asked to do."""
    calls: list[dict] = []

    def fake_run_app(sessions_dir, **kwargs):
        calls.append({"sessions_dir": sessions_dir, **kwargs})

    monkeypatch.setattr(cli, "run_app", fake_run_app)
    return calls


def make_file(folder: Path, title: str = "Spring", name: str = "s") -> Path:
    path = folder / f"{name}.facilitator"
    with SessionFile.create(path, title=title, date="2026-03-14") as session:
        session.apply([commands.add(session.state, "participant", name="Ann")])
    return path


# -- 13: "healthy" means it opens --------------------------------------------------------


def with_header_version(source: Path, target: Path, version: int) -> Path:
    data = bytearray(source.read_bytes())
    data[60:64] = struct.pack(">I", version)
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize("claimed", [0, 1], ids=["zeroed", "claims-1"])
def test_check_is_not_healthy_for_a_file_open_refuses(tmp_path, claimed, no_app):
    healthy = make_file(tmp_path)
    path = with_header_version(healthy, tmp_path / "t.facilitator", claimed)
    before = digest(path)
    message = one_line_failure(invoke("check", str(path)))
    assert "t.facilitator" in message and "healthy" not in message
    with pytest.raises(err.SessionFileError) as refused:
        SessionFile.open(path)
    # The same reason, from the same checks.
    assert str(refused.value) in message
    assert one_line_failure(invoke("open", str(path))) == message
    assert not no_app
    assert digest(path) == before


def test_check_of_an_older_format_is_healthy_only_if_it_upgrades(tmp_path):
    v1 = shutil.copy(FIXTURES / "schema-v1.facilitator", tmp_path / "v1.facilitator")
    before = digest(Path(v1))
    result = invoke("check", str(v1))
    assert result.exit_code == 0, result.output
    assert "healthy" in result.output
    assert digest(Path(v1)) == before  # the upgrade was tried on a copy
    with SessionFile.open(Path(v1), backups_dir=tmp_path / "b"):
        pass


def test_check_healthy_agrees_with_open_for_many_tamperings(tmp_path):
    """For header fields that name the format, check says healthy exactly when open works."""
    healthy = make_file(tmp_path)
    for offset in (60, 68):  # user_version, application_id
        for value in (0, 1, 2, 3, 0x46414331):
            path = tmp_path / f"x-{offset}-{value}.facilitator"
            data = bytearray(healthy.read_bytes())
            data[offset : offset + 4] = struct.pack(">I", value)
            path.write_bytes(bytes(data))
            checked = invoke("check", str(path)).exit_code == 0
            try:
                SessionFile.open(path, backups_dir=tmp_path / "b").close()
                opened = True
            except err.SessionFileError:
                opened = False
            assert checked == opened, (offset, value, checked, opened)


# -- 14: a -wal that belongs to another file ----------------------------------------------


def foreign_wal(tmp_path: Path) -> Path:
    """A healthy file with, beside it, the -wal of another session left open."""
    mine = make_file(tmp_path, "Mine", "mine")
    other = make_file(tmp_path, "Theirs", "theirs")
    session = SessionFile.open(other, backups_dir=tmp_path / "b")
    session.apply(commands.update_session(session.state, title="Theirs, changed"))
    shutil.copyfile(f"{other}-wal", f"{mine}-wal")
    session.close()
    return mine


def test_a_foreign_wal_is_refused_and_both_files_are_left_unchanged(tmp_path, no_app):
    path = foreign_wal(tmp_path)
    wal = Path(f"{path}-wal")
    before = (digest(path), digest(wal))
    for command in ("check", "open", "export", "replay"):
        message = one_line_failure(invoke(command, str(path)))
        assert "mine.facilitator-wal" in message and "does not belong" in message, message
        assert (digest(path), digest(wal)) == before, command
    with pytest.raises(err.ForeignWalError):
        SessionFile.open(path, backups_dir=tmp_path / "b")
    with pytest.raises(err.ForeignWalError):
        SessionFile.open(path, readonly=True)
    assert (digest(path), digest(wal)) == before
    assert not no_app
    # Moved away, the file opens as it was last saved.
    wal.rename(tmp_path / "elsewhere-wal")
    with SessionFile.open(path, backups_dir=tmp_path / "b") as session:
        assert session.state.info.title == "Mine"


def test_a_wal_left_by_a_crash_of_the_same_file_is_still_folded_in(tmp_path):
    path = make_file(tmp_path, "Mine", "mine")
    session = SessionFile.open(path, backups_dir=tmp_path / "b")
    session.apply(commands.update_session(session.state, title="Renamed before the crash"))
    saved_wal = Path(f"{path}-wal").read_bytes()
    saved_db = path.read_bytes()
    session.close()
    path.write_bytes(saved_db)  # as the crash left them: the change only in the -wal
    Path(f"{path}-wal").write_bytes(saved_wal)
    assert invoke("check", str(path)).exit_code == 0
    with SessionFile.open(path, backups_dir=tmp_path / "b") as again:
        assert again.state.info.title == "Renamed before the crash"


# -- 16: links that go round in a circle, and folders with a session's name ----------------


@pytest.mark.parametrize("command", ["open", "replay", "check", "export", "import"])
def test_a_symlink_loop_and_a_folder_get_one_line(tmp_path, command, no_app):
    loop = tmp_path / "x.facilitator"
    loop.symlink_to(loop.name)
    folder = tmp_path / "y.facilitator"
    folder.mkdir()
    message = one_line_failure(invoke(command, str(loop)))
    assert "x.facilitator" in message and ("loop" in message or "circle" in message), message
    message = one_line_failure(invoke(command, str(folder)))
    assert "y.facilitator" in message and "folder" in message, message
    assert not no_app


def test_list_names_a_loop_in_the_folder_and_a_looping_folder(tmp_path):
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    make_file(sessions, "Spring", "spring")
    (sessions / "x.facilitator").symlink_to("x.facilitator")
    result = invoke("--sessions-dir", str(sessions), "list")
    assert result.exit_code == 0, result.output
    assert "Spring" in result.output and "x.facilitator" in result.output
    looping = tmp_path / "looping"
    looping.symlink_to("looping")
    message = one_line_failure(invoke("--sessions-dir", str(looping), "list"))
    assert "looping" in message and ("loop" in message or "circle" in message)


# -- 19: options after the command ---------------------------------------------------------


def test_options_work_after_the_command(tmp_path, no_app):
    sessions = tmp_path / "sessions"
    result = invoke("new", "Late options", "--no-open", "--sessions-dir", str(sessions))
    assert result.exit_code == 0, result.output
    created = Path(result.output.strip())
    assert created.parent == sessions.resolve()
    result = invoke("list", "--json", "--sessions-dir", str(sessions))
    assert result.exit_code == 0, result.output
    assert '"Late options"' in result.output
    bank = tmp_path / "bank.toml"
    bank.write_text(GOOD_BANK)
    result = invoke("open", str(created), "--questions", str(bank), "--sessions-dir", str(sessions))
    assert result.exit_code == 0, result.output
    [call] = no_app
    assert call["questions"] == bank and call["sessions_dir"] == sessions.resolve()


# -- 20: a broken question bank is found before the workshop starts -------------------------


def test_a_broken_bank_stops_the_launch_with_its_line(tmp_path, no_app):
    bank = tmp_path / "ours.toml"
    bank.write_text(BROKEN_BANK)
    path = make_file(tmp_path)
    for args in (
        ["--questions", str(bank)],
        ["--questions", str(bank), "open", str(path)],
        ["open", str(path), "--questions", str(bank)],
        ["new", "Spring", "--questions", str(bank), "--sessions-dir", str(tmp_path / "d")],
        ["demo", "--questions", str(bank)],
    ):
        message = one_line_failure(invoke(*args))
        assert f"{bank}:8:" in message, (args, message)
    assert not no_app
    assert not (tmp_path / "d").exists()


def test_check_questions_says_where_a_bank_is_wrong(tmp_path):
    bank = tmp_path / "ours.toml"
    bank.write_text(BROKEN_BANK)
    message = one_line_failure(invoke("check-questions", str(bank)))
    assert message.startswith(f"facilitator: {bank}:8:")
    bank.write_text(GOOD_BANK)
    result = invoke("check-questions", str(bank))
    assert result.exit_code == 0, result.output
    assert "1 section" in result.output and "1 prompt" in result.output
    result = invoke("check-questions")  # no file: the bank the app would use
    assert result.exit_code == 0 and "standard" in result.output, result.output


def test_the_quick_start_leaves_a_broken_bank_to_the_command_line(tmp_path):
    from facilitator.launch import app_options

    bank = tmp_path / "ours.toml"
    bank.write_text(BROKEN_BANK)
    assert app_options(["--questions", str(bank)]) is None
    bank.write_text(GOOD_BANK)
    assert app_options(["--questions", str(bank)]) == {"--questions": str(bank)}


# -- 21: dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day", ["20240101", " 2024-01-01", "2024-01-01 ", "2024-W01-1", "2024-1-1"]
)
def test_new_refuses_dates_not_written_yyyy_mm_dd(tmp_path, day):
    sessions = tmp_path / "sessions"
    message = one_line_failure(
        invoke("--sessions-dir", str(sessions), "new", "Spring", "--date", day, "--no-open")
    )
    assert "YYYY-MM-DD" in message
    assert not list(sessions.glob("*")) if sessions.exists() else True


def test_a_date_is_checked_wherever_it_names_a_file(tmp_path):
    from facilitator.domain.commands import DomainError
    from facilitator.store.sessionfile import session_path

    for day in ("20240101", " 2024-01-01", "2024/01/01"):
        with pytest.raises(DomainError, match="YYYY-MM-DD"):
            session_path(tmp_path, "Spring", day)
    assert session_path(tmp_path, "Spring", "2024-01-01").name == "2024-01-01-spring.facilitator"


def test_a_session_date_must_be_yyyy_mm_dd(tmp_path):
    from facilitator.domain.commands import DomainError

    path = make_file(tmp_path)
    with (
        SessionFile.open(path, backups_dir=tmp_path / "b") as session,
        pytest.raises(DomainError, match="YYYY-MM-DD"),
    ):
        commands.update_session(session.state, date="20240101")


def test_import_refuses_a_date_that_would_make_an_odd_file_name(tmp_path):
    import json

    source = make_file(tmp_path)
    out = tmp_path / "s.json"
    assert invoke("export", str(source), "-f", "json", "-o", str(out)).exit_code == 0
    doc = json.loads(out.read_text())
    doc["session"]["date"] = "20240101"
    out.write_text(json.dumps(doc))
    sessions = tmp_path / "sessions"
    result = invoke("--sessions-dir", str(sessions), "import", str(out))
    assert result.exit_code == 1, result.output
    assert not list(sessions.glob("20240101*"))


def test_check_json_for_a_refused_file(tmp_path):
    path = with_header_version(make_file(tmp_path), tmp_path / "t.facilitator", 0)
    result = invoke("check", str(path), "--json")
    assert result.exit_code == 1
    assert '"ok": false' in result.output
