"""Keys that must work wherever the cursor is, dialogs that fit a small screen, and words
being typed that must come back after the app stops."""

from __future__ import annotations

import pytest
from textual.widgets import Button, DataTable

from facilitator.demo import build_demo
from facilitator.store.sessionfile import SessionFile
from facilitator.tui.conversation.dialogs import ActionDialog
from facilitator.tui.criteria.widgets import OwnWordsArea
from facilitator.tui.dialogs import ParticipantDialog
from facilitator.tui.export_dialog import saved_text
from facilitator.tui.help import HelpScreen
from facilitator.tui.stagebar import StageBar
from facilitator.tui.workshop import WorkshopScreen
from tests.tui_helpers import (
    app_on,
    new_session_file,
    notifications,
    type_text,
    wait_for_drafts,
    wait_for_workshop,
)


@pytest.fixture
def demo_path(tmp_path):
    path = tmp_path / "demo.facilitator"
    build_demo(path).close()
    return path


def _trust_words(app) -> OwnWordsArea:
    return app.screen.query_one("#own-words-trust", OwnWordsArea)


async def test_stage_keys_win_over_a_text_box_and_a_table(demo_path):
    """F6 and F7 mean "select" to a text area; here they must change stage, and the
    words in the box must be left exactly as they were."""
    app = app_on(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("f3", "w")
        await pilot.pause()
        area = _trust_words(app)
        assert app.focused is area
        before = area.text
        await pilot.press("f7")
        await pilot.pause()
        assert app.session.state.info.current_stage == "conversation"
        await pilot.press("f3")
        await pilot.pause()
        assert area.text == before and area.selected_text == ""
        # A table's own ctrl+PgDn (page right) gives way to "next stage" too.
        await pilot.press("f4")
        await pilot.pause()
        pane = app.screen.current_pane()
        await pane.run_action("toggle_view")  # the stage 1 table (v, from the map)
        await pilot.pause()
        pane.query_one(DataTable).focus()
        await pilot.pause()
        assert isinstance(app.focused, DataTable)
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        assert app.session.state.info.current_stage == "good-relationship"


async def test_help_and_palette_name_each_stage_key_once_and_rightly(demo_path):
    app = app_on(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = dict(app.screen.key_rows)
        assert rows["F2"] == "Go to Setup: Getting set up"
        assert rows["F4"].startswith("Go to Stage 1:")
        assert rows["F8"] == "Go to Notes"
        for rows in app.screen.sections.values():  # stage, everywhere, editing
            keys = [key for key, _ in rows]
            assert len(keys) == len(set(keys)), keys
        await pilot.press("escape")
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Go to Stage 2: One good relationship" in commands
        await commands["Go to Stage 2: One good relationship"].callback()
        await pilot.pause()
        assert app.session.state.info.current_stage == "good-relationship"


async def test_own_words_being_typed_come_back_after_quitting(demo_path):
    app = app_on(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("f3", "w")
        await pilot.pause()
        before = _trust_words(app).text
        await type_text(pilot, "Half typed ")
        await wait_for_drafts(pilot)  # written a moment after the last key
        await pilot.press("ctrl+q")
    with SessionFile.open(demo_path) as session:
        saved = [c.own_words for c in session.state.rows["criterion_choice"].values()]
        assert before in saved  # not committed: only a draft
    app = app_on(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("f3")
        await pilot.pause()
        assert _trust_words(app).text == "Half typed " + before
        assert any(n.title == "Restored" for n in notifications(app))


async def test_a_draft_of_spaces_alone_is_not_put_back(demo_path):
    with SessionFile.open(demo_path) as session:
        session.save_draft("setup.new-participant", "   ")
    app = app_on(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen.query_one("#new-participant").value == ""
        assert not any(n.title == "Restored" for n in notifications(app))


@pytest.mark.parametrize("height", [24, 18])
@pytest.mark.parametrize("dialog", ["participant", "action"])
async def test_form_dialogs_keep_their_buttons_on_a_short_screen(demo_path, dialog, height):
    """Add participant (Setup, ctrl+n) and Add an agreed action (Conversation): at 80x24
    every field shows whole; on a shorter screen the fields scroll, and Save and Cancel
    stay in view either way."""
    app = app_on(demo_path)
    async with app.run_test(size=(80, height)) as pilot:
        await wait_for_workshop(pilot)
        if dialog == "participant":
            await pilot.press("f2")
            await pilot.pause()
            await pilot.press("ctrl+n")
        else:
            app.push_screen(ActionDialog(organisations=["Council"], people=["Ann"]))
        for _ in range(20):
            await pilot.pause(0.05)
            if not isinstance(app.screen, WorkshopScreen):
                break
        await pilot.pause(0.1)
        dialog = app.screen.query_one(".dialog")
        for button in app.screen.query(Button):
            assert dialog.region.contains_region(button.region), (button, dialog.region)
            assert button.region.bottom <= height
        fields = app.screen.query_one(".form-fields")
        if height == 24:
            assert fields.virtual_size.height <= fields.size.height  # all of them fit
        else:
            assert fields.virtual_size.height > fields.size.height  # they do not all fit...
            fields.scroll_end(animate=False)  # ...and scroll
            await pilot.pause()
            assert fields.scroll_y > 0
        if isinstance(app.screen, ParticipantDialog):
            await type_text(pilot, "Ann")
            await pilot.press("ctrl+s")
            await pilot.pause()
            names = [p.name for p in app.session.state.participants.values()]
            assert "Ann" in names


async def test_the_stage_countdown_shows_at_80_columns(demo_path):
    app = app_on(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        bar = app.screen.query_one(StageBar)
        bar.clock, bar.clock_style = "⏱ 7:50 over", "bold"
        line = str(bar.render())
        assert line.rstrip().endswith("⏱ 7:50 over")
        assert "Setup" in line and "Notes" in line  # every stage still named
        bar.clock = ""
        assert "over" not in str(bar.render())


def test_several_saved_files_are_reported_in_a_few_lines(tmp_path):
    paths = [tmp_path / f"notes{suffix}" for suffix in (".md", ".html", ".csv.zip", ".json")]
    text = saved_text(paths)
    assert text.startswith(f"Saved 4 files in {tmp_path}: ")
    assert all(p.name in text for p in paths)
    assert "\n" not in text
    assert saved_text(paths[:1]) == f"Saved: {paths[0]}"


async def test_the_app_puts_back_the_signal_handlers_it_found(tmp_path):
    """While it runs, SIGTERM and SIGHUP close the session cleanly; afterwards the
    program around it (here, the test runner) has its own handlers back."""
    import signal

    before = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP)}
    app = app_on(new_session_file(tmp_path / "sessions"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        during = {sig: signal.getsignal(sig) for sig in before}
        assert all(during[sig] is not before[sig] for sig in before)
    assert {sig: signal.getsignal(sig) for sig in before} == before


def test_drafts_that_fail_are_kept_in_order_and_retried_including_a_clearing():
    from facilitator.tui.drafts import RETRY_SECONDS, DraftKeeper

    stored: dict[str, str] = {"old": "left over"}
    timers: list[tuple[float, object]] = []
    said: list[str] = []
    disk_full = True

    def save(key: str, text: str) -> None:
        if disk_full:
            raise OSError(28, "No space left on device")
        if text:
            stored[key] = text
        else:
            stored.pop(key, None)

    class Timer:
        def stop(self) -> None:
            pass

    def set_timer(delay: float, callback) -> Timer:
        timers.append((delay, callback))
        return Timer()

    keeper = DraftKeeper(
        save, set_timer, lambda exc: said.append(f"failed: {exc}"), lambda: said.append("back")
    )
    keeper.typed("a", "first")
    keeper.typed("b", "second")
    keeper.flush()
    keeper.forget("old")  # committed elsewhere: its draft must go, once it can
    assert keeper.pending == {"a": "first", "b": "second", "old": ""}
    assert said == ["failed: [Errno 28] No space left on device"]  # once, not per failure
    assert timers[-1][0] == RETRY_SECONDS
    timers[-1][1]()  # a retry while the disk is still full: nothing said, still pending
    assert said == ["failed: [Errno 28] No space left on device"] and keeper.failing
    disk_full = False
    timers[-1][1]()
    assert stored == {"a": "first", "b": "second"} and keeper.pending == {}
    assert said[-1] == "back" and not keeper.failing


async def test_at_100_columns_the_countdown_costs_the_key_hints_first(demo_path):
    app = app_on(demo_path)
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_for_workshop(pilot)
        bar = app.screen.query_one(StageBar)
        # (Each check draws the bar at once: the demo's own countdown ticks every second.)
        bar.clock = ""
        assert "F2 Setup" in str(bar.render())  # room for the key hints without a clock
        bar.clock, bar.clock_style = "⏱ 7:50 over", "bold"
        line = str(bar.render())
        assert line.rstrip().endswith("⏱ 7:50 over")
        assert "F2" not in line and " ▶ " in line  # hints gone, labels still spaced
