"""The entry points do not import each other at load time: cli and launch both start the app
through facilitator.tui.run, so neither needs the other to load."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("module", "absent"),
    [("facilitator.cli", "facilitator.launch"), ("facilitator.launch", "facilitator.cli")],
)
def test_entry_point_loads_without_the_other(module: str, absent: str) -> None:
    code = f"import sys, {module}; print({absent!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_run_app_is_the_same_for_both_entry_points() -> None:
    from facilitator import cli
    from facilitator.tui import run

    assert cli.run_app is run.run_app


def test_cli_builds_no_sql() -> None:
    """The command line asks the store (SessionFile's integrity check) instead of its own SQL."""
    from pathlib import Path

    import facilitator.cli

    assert "PRAGMA" not in Path(facilitator.cli.__file__).read_text()
