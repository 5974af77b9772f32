"""Reopening a session comes back to where the facilitator stopped: the same
conversation and step, the section timer going on from the time it had run, and the
stage's time kept even when the process was killed."""

from __future__ import annotations

import pytest

import facilitator.tui.conversation.timer as conversation_module
import facilitator.tui.workshop as workshop_module
from facilitator.domain import commands
from facilitator.store.sessionfile import SessionFile
from facilitator.tui.stagebar import StageBar
from facilitator.tui.workshop import WorkshopScreen
from tests.test_conversation_screen import HEALTH, note, text_of, workshop_file
from tests.tui_helpers import app_on, fixed_clock, wait_for_workshop


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(conversation_module, "monotonic", clock)
    monkeypatch.setattr(workshop_module, "monotonic", clock)
    return clock


def pane(app):
    return app.screen.query_one("#conversation")


def with_timebox(path, minutes: int = 15):
    session = SessionFile.open(path, clock=fixed_clock)
    st = session.state
    session.apply(
        [commands.add(st, "stage_time", entity_id="conversation", timebox_minutes=minutes)]
    )
    session.close()


async def start_and_reach_first_prompt(pilot) -> None:
    await wait_for_workshop(pilot)
    await pilot.press("ctrl+n")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("ctrl+down")
    await pilot.pause()


async def tick(pilot, clock: Clock, seconds: int) -> None:
    """Let time pass, a second at a time, with the screens' timers reading it."""
    for _ in range(seconds):
        clock.now += 1
        pilot.app.screen._tick()
        pane(pilot.app)._tick()
    await pilot.pause()


async def test_reopening_comes_back_to_the_summary_where_the_facilitator_quit(tmp_path, clock):
    path = workshop_file(tmp_path / "sessions", conversation_stage=True)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_and_reach_first_prompt(pilot)
        await note(pilot, "!Waiting lists")
        await pilot.press("ctrl+down", "ctrl+down")
        await pilot.pause()
        prompt = app.session.state.conversations[pane(app).conv_id].current_prompt_id
        await pilot.press("alt+s")  # the summary
        await pilot.pause()
        assert pane(app).step == "summary"
        conv_id = pane(app).conv_id
        await pilot.press("ctrl+q")
        await pilot.pause()

    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        assert (pane(app).conv_id, pane(app).step) == (conv_id, "summary")
        assert text_of(app, "#summary-heading").startswith(f"Summary · {HEALTH}")
        assert app.focused.id == "summary-panel"
        # And back on the prompt it was on.
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert pane(app).step == "prompt"
        assert app.session.state.conversations[conv_id].current_prompt_id == prompt


async def test_the_list_stays_the_list_and_a_removed_conversation_is_not_reopened(tmp_path, clock):
    path = workshop_file(tmp_path / "sessions", conversation_stage=True)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_and_reach_first_prompt(pilot)
        conv_id = pane(app).conv_id
    session = SessionFile.open(path, clock=fixed_clock)
    session.apply(commands.remove(session.state, "conversation", conv_id))
    session.close()
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        assert (pane(app).conv_id, pane(app).step) == (None, "list")


async def test_the_section_timer_and_the_stage_clock_go_on_after_a_quit(tmp_path, clock):
    path = workshop_file(tmp_path / "sessions", conversation_stage=True)
    with_timebox(path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_and_reach_first_prompt(pilot)
        assert "12:00 left" in text_of(app, "#prompt-timer")
        await tick(pilot, clock, 50)
        assert "11:10 left" in text_of(app, "#prompt-timer")
        assert app.screen.query_one(StageBar).clock == "⏱ 14:10 left"
        await pilot.press("ctrl+q")
        await pilot.pause()

    clock.now += 3600  # the laptop was closed for an hour: that is not workshop time
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        assert pane(app).step == "prompt"
        await tick(pilot, clock, 0)
        assert "11:10 left" in text_of(app, "#prompt-timer")
        assert app.screen.query_one(StageBar).clock == "⏱ 14:10 left"
        await tick(pilot, clock, 10)
        assert "11:00 left" in text_of(app, "#prompt-timer")
        assert app.screen.query_one(StageBar).clock == "⏱ 14:00 left"


async def test_a_killed_process_loses_only_the_last_few_seconds(tmp_path, clock, monkeypatch):
    path = workshop_file(tmp_path / "sessions", conversation_stage=True)
    with_timebox(path)
    app = app_on(path)
    with monkeypatch.context() as killed:
        # A killed process runs none of its closing steps.
        killed.setattr(WorkshopScreen, "flush", lambda self: None)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_and_reach_first_prompt(pilot)
            await tick(pilot, clock, 52)
            assert "11:08 left" in text_of(app, "#prompt-timer")
    session = SessionFile.open(path, clock=fixed_clock)
    assert session.state.rows["stage_time"]["conversation"].spent_seconds == 0
    session.close()

    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await tick(pilot, clock, 0)
        # Written every five seconds: 50 of the 52 seconds were kept.
        assert "11:10 left" in text_of(app, "#prompt-timer")
        assert app.screen.query_one(StageBar).clock == "⏱ 14:10 left"
        assert app.session.state.rows["stage_time"]["conversation"].spent_seconds == 50
