"""The relationship details dialog: Enter moves on, ctrl+s or Save saves."""

from __future__ import annotations

from textual.widgets import Button, Input, Select

from facilitator.tui.stages.relationship_dialog import RelationshipDialog
from tests.test_stage1_screen import map_app, open_stage1


async def _open_details(pilot, rid: str = "rel06") -> RelationshipDialog:
    pane = await open_stage1(pilot)
    pane.select(rid)
    await pilot.press("escape", "d")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, RelationshipDialog)
    return dialog


async def test_enter_moves_to_the_next_field_and_ctrl_s_or_save_saves(tmp_path):
    app = await map_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_details(pilot)
        assert dialog.query_one("#rel-name", Input).has_focus
        await pilot.press("end", "space", "X", "enter")
        await pilot.pause()
        assert app.screen is dialog  # still open
        assert dialog.focused is dialog.query_one("#rel-agency-type", Select)
        assert app.session.state.relationships["rel06"].name == "Riverside Homes"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RelationshipDialog)
        assert app.session.state.relationships["rel06"].name == "Riverside Homes X"

        # The Save button, in view at 80x24, saves too.
        dialog = await _open_details_again(pilot)
        await pilot.press("end", "space", "Y")
        save = dialog.query_one("#save", Button)
        assert save.region.bottom <= 24 and save.region.width > 0
        await pilot.click("#save")
        await pilot.pause()
        assert not isinstance(app.screen, RelationshipDialog)
        assert app.session.state.relationships["rel06"].name == "Riverside Homes X Y"


async def _open_details_again(pilot) -> RelationshipDialog:
    await pilot.press("d")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, RelationshipDialog)
    return dialog
