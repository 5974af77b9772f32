"""File names and titles that try to steer the terminal, or to pass for markup, are shown
as text: in ``facilitator list``, in every one-line message, and on the home screen."""

from __future__ import annotations

import re
import sqlite3
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.cli import main
from facilitator.domain.printable import printable
from facilitator.store.sessionfile import SessionFile
from facilitator.tui.app import make_app

# What a terminal would act on: C0 and C1 controls and DEL (a newline ends a line of
# output, and is allowed only there).
CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HOSTILE = [
    "\x1b]0;pwned\x07",  # sets the terminal's title
    "\x1b[2J\x1b[H",  # clears the screen
    "[bold]loud",
    "[red]",
    "line\nbreak",
    "car\rriage",
    "\x9b31m",  # the one-byte form of ESC [
    "\u202eevil",  # reads right to left
    "tab\there",
]

name_part = st.text(
    alphabet=st.sampled_from(list("ab []=:\\\x1b\x07\n\r\t\x9b\x7f\u202e\u2066;dol")),
    max_size=24,
).filter(lambda s: s.strip() and s not in (".", ".."))


def hostile_folder(folder: Path, parts: list[str]) -> list[str]:
    """Fill ``folder`` with a damaged file and a healthy session per name part."""
    names = []
    for i, part in enumerate(parts):
        damaged = f"{part}-{i}.facilitator"
        (folder / damaged).write_bytes(b"not a session")
        healthy = folder / f"{part}-{i}-ok.facilitator"
        with SessionFile.create(healthy, title="Placeholder", date="2026-03-14"):
            pass
        # A title changed behind the app's back (it never stores controls itself).
        conn = sqlite3.connect(healthy)
        conn.execute("UPDATE session_info SET title = ?, area = ?", (part, part))
        conn.commit()
        conn.close()
        names += [damaged, healthy.name]
    return names


def assert_safe(output: str) -> None:
    found = CONTROLS.findall(output)
    assert not found, (found, output)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(name_part, min_size=1, max_size=3, unique=True))
def test_list_shows_hostile_names_as_text(parts):
    with tempfile.TemporaryDirectory(prefix="hostile-") as scratch:
        check_list(Path(scratch), parts)


def check_list(folder: Path, parts: list[str]) -> None:
    names = hostile_folder(folder, parts)
    result = CliRunner().invoke(
        main, ["--sessions-dir", str(folder), "list"], env={"COLUMNS": "2000"}
    )
    assert result.exit_code == 0, result.output
    assert_safe(result.output)
    for name in names:
        if name.endswith("-ok.facilitator"):
            continue  # listed by its title
        assert printable(name) in result.output, (name, result.output)
    for part in parts:
        assert printable(part).strip() in result.output, (part, result.output)
    for name in names:
        for command in ("check", "open", "export", "replay"):
            if command in ("open", "replay") and name.endswith("-ok.facilitator"):
                continue  # it would start the app
            checked = CliRunner().invoke(main, [command, str(folder / name)])
            assert_safe(checked.output)


def test_the_known_escapes_reach_nobody(tmp_path):
    folder = tmp_path
    hostile_folder(folder, HOSTILE)
    result = CliRunner().invoke(
        main, ["--sessions-dir", str(folder), "list"], env={"COLUMNS": "2000"}
    )
    assert_safe(result.output)
    assert "\\x1b]0;pwned\\x07" in result.output
    assert "[bold]loud" in result.output  # shown as typed, not made bold


async def test_the_home_screen_shows_hostile_names_as_text(tmp_path):
    folder = tmp_path
    hostile_folder(folder, HOSTILE)
    app = make_app(sessions_dir=folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        home = app.screen
        listing = home.query_one("#sessions")
        details = []
        for index in range(listing.option_count):
            listing.highlighted = index
            await pilot.pause()
            prompt = listing.get_option_at_index(index).prompt
            assert_safe(str(prompt))
            detail = str(home.query_one("#session-detail").render())
            assert_safe(detail)
            details.append(detail)
        joined = "\n".join(details)
        assert "\\x1b]0;pwned\\x07" in joined
        assert "[bold]loud" in joined
