"""Tick boxes read on or off by symbol and word, never by colour alone, in every theme."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.app import App, ComposeResult

from facilitator.tui.app import PROJECTOR_THEMES
from facilitator.tui.dialogs import ParticipantDialog
from facilitator.tui.export_dialog import ExportDialog
from facilitator.tui.ticks import TICK, TickBox, TickList, ticked_words
from tests.tui_helpers import app_on, new_session_file, wait_for_workshop

TUI = Path(__file__).parent.parent / "facilitator" / "tui"


class _Boxes(App):
    def on_mount(self) -> None:
        for theme in PROJECTOR_THEMES:
            self.register_theme(theme)

    def compose(self) -> ComposeResult:
        yield TickBox("Anonymise", False, id="off")
        yield TickBox("Anonymise", True, id="on")
        yield TickList(("Advice", "a", True), ("Funding", "f"), ("Routes in", "r"), id="list")


def _line(widget, y: int = 0) -> str:
    return "".join(segment.text for segment in widget.render_line(y))


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "projector-dark"])
async def test_on_and_off_differ_in_symbol_and_word(theme):
    app = _Boxes()
    async with app.run_test(size=(60, 12)) as pilot:
        app.theme = theme
        await pilot.pause()
        off, on = app.query_one("#off", TickBox), app.query_one("#on", TickBox)
        off_text, on_text = str(off.render()), str(on.render())
        assert TICK in on_text and " yes " in on_text
        assert TICK not in off_text and " no " in off_text and "X" not in off_text
        await pilot.click("#off")
        assert off.value and TICK in str(off.render()) and " yes " in str(off.render())


async def test_a_tick_list_ticks_only_the_ticked_and_says_how_many():
    app = _Boxes()
    async with app.run_test(size=(60, 12)) as pilot:
        listing = app.query_one("#list", TickList)
        await pilot.pause()
        rows = [_line(listing, y) for y in range(3)]
        assert TICK in rows[0] and "Advice" in rows[0]
        assert all(TICK not in row and "X" not in row for row in rows[1:])
        listing.focus()
        await pilot.press("down", "space")  # tick Funding
        assert TICK in _line(listing, 1)
        await pilot.press("space")
        assert listing.border_subtitle == "1 of 3 ticked"
        await pilot.press("space")
        assert listing.border_subtitle == "2 of 3 ticked"
        listing.deselect_all()
        assert listing.border_subtitle == "none ticked"
        listing.select_all()
        assert listing.border_subtitle == "all ticked"


def test_ticked_words():
    assert ticked_words(0, 0) == ""
    assert ticked_words(0, 4) == "none ticked"
    assert ticked_words(1, 1) == "ticked"
    assert ticked_words(3, 3) == "all ticked"
    assert ticked_words(2, 7) == "2 of 7 ticked"


def test_every_tick_box_in_the_app_is_a_tick_box_or_a_tick_list():
    """Nothing builds Textual's own Checkbox or SelectionList, whose off looks like on."""
    offenders = []
    for path in sorted(TUI.glob("*.py")):
        if path.name == "ticks.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                func = node.func.value if isinstance(node.func, ast.Subscript) else node.func
                name = getattr(func, "id", getattr(func, "attr", ""))
                if name in {"Checkbox", "SelectionList", "Switch", "RadioButton"}:
                    offenders.append(f"{path.name}:{node.lineno} {name}")
            if isinstance(node, ast.ClassDef):
                for base in node.bases:
                    base = base.value if isinstance(base, ast.Subscript) else base
                    if getattr(base, "id", "") in {"Checkbox", "SelectionList"}:
                        offenders.append(f"{path.name}:{node.lineno} subclasses {base.id}")
    assert offenders == []


async def test_happy_to_be_named_reads_no_until_ticked(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("ctrl+n")
        dialog = app.screen
        assert isinstance(dialog, ParticipantDialog)
        consent = dialog.query_one("#consent", TickBox)
        assert " no " in str(consent.render()) and TICK not in str(consent.render())
        consent.focus()
        await pilot.press("space")
        assert " yes " in str(consent.render()) and TICK in str(consent.render())


async def _export_dialog_anonymised(pilot) -> None:
    await wait_for_workshop(pilot)
    await pilot.press("ctrl+r")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ExportDialog)
    pilot.app.screen.query_one("#anon", TickBox).value = True
    await pilot.pause(0.2)


def _projector(app) -> None:
    """Projector mode as F10 sets it, without the notice that would cover the buttons."""
    app.add_class("-projector")
    app.theme = "projector-dark" if app.current_theme.dark else "projector-light"


def _snapshot_path(tmp_path: Path) -> Path:
    # A fixed folder name: the target path shows in the picture.
    return new_session_file(tmp_path / "x" / "sessions")


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_export_anonymise_on_snapshot_projector(snap_compare, tmp_path, monkeypatch, theme):
    path = _snapshot_path(tmp_path)
    monkeypatch.setattr(
        "facilitator.tui.export_dialog.default_target", lambda *a: Path("~/sessions/exports")
    )

    async def ready(pilot):
        await wait_for_workshop(pilot)
        pilot.app.theme = f"textual-{theme}"
        _projector(pilot.app)
        await _export_dialog_anonymised(pilot)

    assert snap_compare(app_on(path), terminal_size=(80, 24), run_before=ready)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_participant_dialog_snapshot(snap_compare, tmp_path, theme):
    path = _snapshot_path(tmp_path)

    async def ready(pilot):
        await wait_for_workshop(pilot)
        pilot.app.theme = theme
        pilot.app.push_screen(ParticipantDialog({"name": "Ann", "present": True}))
        await pilot.pause(0.2)
        pilot.app.screen.query_one("#present", TickBox).focus()  # scrolls both into view
        await pilot.pause(0.2)

    assert snap_compare(app_on(path), terminal_size=(80, 24), run_before=ready)
