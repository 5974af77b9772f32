"""The Export dialog: several formats at once, the last choice kept, buttons in view."""

from __future__ import annotations

from textual.widgets import Button

from facilitator.tui.export_dialog import ExportDialog, FormatList
from facilitator.tui.ticks import TickBox
from tests.tui_helpers import app_on, new_session_file, wait_for_workshop

EXPECTED = ("md", "html", "csv", "json", "graphml", "svg")


async def _wait_for_result(pilot, dialog: ExportDialog, start: str) -> str:
    for _ in range(100):
        await pilot.pause(0.05)
        text = str(dialog.query_one("#export-result").render())
        if text.startswith(start):
            return text
    raise AssertionError(f"no result starting {start!r}; it says {text!r}")


def _in_view(widget, height: int = 24) -> bool:
    region = widget.region
    return region.width > 0 and region.height > 0 and region.bottom <= height


async def test_one_export_writes_several_formats_and_the_buttons_stay_in_view(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("ctrl+r")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#formats", FormatList).has_focus
        await pilot.press("down", "space", "down", "down", "down", "down", "space")  # html, svg
        assert dialog.chosen_formats() == ("md", "html", "svg")
        assert dialog.query_one("#target").value.endswith("exports")
        assert _in_view(dialog.query_one("#go", Button))
        await pilot.press("ctrl+s")
        text = await _wait_for_result(pilot, dialog, "Saved")
        assert text.startswith("Saved 3 files")
        folder = path.parent / "exports"
        assert sorted(p.suffix for p in folder.iterdir()) == [".html", ".md", ".svg"]
        # After exporting, Export and Close are still on the screen.
        for button in ("#go", "#close"):
            assert _in_view(dialog.query_one(button, Button)), button
        # "a" ticks every format; again, none.
        dialog.query_one("#formats", FormatList).focus()
        await pilot.press("a")
        assert dialog.chosen_formats() == EXPECTED
        await pilot.press("a")
        assert dialog.chosen_formats() == ()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Tick at least one format" in str(dialog.query_one("#export-result").render())


async def test_the_last_choice_is_kept_for_the_next_export(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("ctrl+r")
        dialog = app.screen
        formats = dialog.query_one("#formats", FormatList)
        formats.deselect_all()
        formats.select("json")
        formats.select("csv")
        dialog.query_one("#anon", TickBox).value = True
        await pilot.pause()
        await pilot.press("ctrl+s")
        await _wait_for_result(pilot, dialog, "Saved")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        await pilot.press("ctrl+r")
        again = app.screen
        assert isinstance(again, ExportDialog) and again is not dialog
        assert again.chosen_formats() == ("csv", "json")
        assert again.query_one("#anon", TickBox).value is True
        assert "-anonymised" not in again.query_one("#target").value  # a folder for two
        written = sorted(p.name for p in (path.parent / "exports").iterdir())
        # Anonymised exports are named by the date alone: the title may name somebody.
        assert written == ["2026-03-14-anonymised.csv.zip", "2026-03-14-anonymised.json"]
