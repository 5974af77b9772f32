"""F1 help: the stage's own keys first, general keys next, editing keys last."""

from __future__ import annotations

from facilitator.tui.help import EDITING, GENERAL, STAGE, HelpScreen
from tests.tui_helpers import app_on, new_session_file, wait_for_workshop


async def _help(pilot, stage_key: str) -> HelpScreen:
    await wait_for_workshop(pilot)
    await pilot.press(stage_key)
    await pilot.pause()
    await pilot.press("f1")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, HelpScreen)
    return screen


def _position(rows: list[tuple[str, str]], text: str) -> int:
    return next(i for i, (_, what) in enumerate(rows) if what.startswith(text))


async def test_setup_help_starts_with_the_stage_keys_and_ends_with_editing(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        help_screen = await _help(pilot, "f2")  # focus is in a text box
        rows = help_screen.key_rows
        assert rows[0] == ("ctrl+n", "Add person")
        assert _position(rows, "Add person") < _position(rows, "Undo")
        assert _position(rows, "Undo") < _position(rows, "Select all")
        assert _position(rows, "Go to Notes") < _position(rows, "Paste")
        stage = dict(help_screen.sections[STAGE])
        assert stage["space"] == "Consent (in the participant table)"
        assert ("ctrl+z", "Undo") in help_screen.sections[GENERAL]
        assert any(what == "Select all" for _, what in help_screen.sections[EDITING])
        assert not any(what == "Undo" for _, what in help_screen.sections[EDITING])


async def test_stage1_help_names_the_map_keys_before_anything_else(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        help_screen = await _help(pilot, "f4")
        stage = dict(help_screen.sections[STAGE])
        assert stage["v"] == "Table/map (when not typing)"
        assert stage["plus"] == "Zoom (in the relationship map)"
        first_general = _position(help_screen.key_rows, "Undo")
        assert _position(help_screen.key_rows, "Table/map") < first_general
        for rows in help_screen.sections.values():  # a key is said once in each part
            keys = [key for key, _ in rows]
            assert len(keys) == len(set(keys)), keys
