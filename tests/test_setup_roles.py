"""Setup names each role the same way in the add box and in the participant dialog."""

from __future__ import annotations

from textual.widgets import Select

from facilitator.tui.dialogs import ParticipantDialog
from tests.tui_helpers import app_on, new_session_file, wait_for_workshop


def _options(select: Select) -> list[tuple[str, str]]:
    return [(str(prompt), value) for prompt, value in select._options if value is not Select.NULL]


async def test_role_names_match_between_the_add_box_and_the_dialog(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        add_box = app.screen.query_one("#new-role", Select)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantDialog)
        dialog = app.screen.query_one("#role", Select)
        assert _options(add_box) == _options(dialog)
        assert ("Paid worker", "worker") in _options(add_box)
        # The longest name fits in the add box at 80 columns.
        longest = max(len(prompt) for prompt, _ in _options(add_box))
        assert add_box.content_region.width >= longest + 2
