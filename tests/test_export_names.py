"""Export file names: an anonymised export never carries the session's title in its name."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from facilitator.cli import main
from facilitator.export import FORMATS, export_file_name
from facilitator.store.sessionfile import SessionFile, session_path
from facilitator.tui.export_dialog import default_target

TITLE = "Workshop with Kathleen Whitlow"


@pytest.fixture
def named_session(tmp_path: Path) -> Path:
    path = session_path(tmp_path / "sessions", TITLE, "2024-05-01")
    SessionFile.create(path, title=TITLE, area="Wrenhollow", date="2024-05-01").close()
    assert "kathleen-whitlow" in path.name  # the title is in the session's own name
    return path


def test_cli_names_anonymised_exports_by_date_alone(named_session: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["export", str(named_session), "-f", "all", "--anonymise"])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (named_session.parent / "exports").iterdir())
    assert written == sorted(
        f"2024-05-01-anonymised{s}"
        for s in (".md", ".html", ".csv.zip", ".json", ".graphml", ".svg")
    )
    # Not anonymised, the session's own name stays.
    plain = runner.invoke(main, ["export", str(named_session), "-f", "md"])
    assert plain.exit_code == 0, plain.output
    assert (
        named_session.parent / "exports" / "2024-05-01-workshop-with-kathleen-whitlow.md"
    ).exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_dialog_offers_the_same_names(named_session: Path, fmt: str) -> None:
    anonymised = default_target(named_session, fmt, True)
    assert anonymised.name == export_file_name(named_session, fmt, anonymise=True)
    assert "kathleen" not in anonymised.name.casefold()
    assert "whitlow" not in anonymised.name.casefold()
    assert default_target(named_session, fmt, False).name.startswith(
        "2024-05-01-workshop-with-kathleen-whitlow."
    )


def test_a_file_name_without_a_date_gives_no_title_either() -> None:
    assert export_file_name("Kathleen.facilitator", "md", anonymise=True) == (
        "session-anonymised.md"
    )
    assert export_file_name("Kathleen.facilitator", "csv") == "Kathleen.csv.zip"
    assert export_file_name("2024-05-01.facilitator", "svg", anonymise=True) == (
        "2024-05-01-anonymised.svg"
    )
