"""The Compare view and starting from an earlier session, driven from the keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.demo import build_demo
from facilitator.demo_later import build_demo_later, later_path
from facilitator.domain import commands
from facilitator.history.compare import compare
from facilitator.history.files import read_session
from facilitator.tui.app import make_app
from facilitator.tui.compare import (
    CLOSER_MARK,
    FURTHER_MARK,
    GONE_MARK,
    NEW_MARK,
    CompareScreen,
    text_map,
)
from facilitator.tui.criteria.pane import CriteriaPane
from facilitator.tui.home import HomeScreen
from facilitator.tui.pickers import PickDialog
from facilitator.tui.workshop import WorkshopScreen
from tests.tui_helpers import app_on, new_session_file, notifications, type_text, wait_for_workshop


@pytest.fixture
def demo_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "sessions"
    folder.mkdir()
    first = folder / "wrenhollow.facilitator"
    build_demo(first).close()
    build_demo_later(first).close()
    return folder


def _messages(app) -> list[str]:
    return [n.message for n in notifications(app)]


async def _wait_for(pilot, kind: type) -> None:
    for _ in range(200):
        await pilot.pause(0.02)
        if isinstance(pilot.app.screen, kind) and pilot.app.screen.is_mounted:
            await pilot.pause()
            return
    raise AssertionError(f"{kind.__name__} never showed; screen is {pilot.app.screen!r}")


def test_the_text_maps_mark_what_moved_came_and_went(demo_folder: Path) -> None:
    first = demo_folder / "wrenhollow.facilitator"
    cmp = compare(read_session(first).state, read_session(later_path(first)).state)
    before = text_map(cmp, "before", 60, 20).plain
    after = text_map(cmp, "after", 60, 20).plain
    assert before.count(GONE_MARK) == 2 and NEW_MARK not in before
    assert after.count(CLOSER_MARK) == 2 and after.count(FURTHER_MARK) == 1
    assert after.count(NEW_MARK) == 1 and GONE_MARK not in after


async def test_compare_two_sessions_from_the_home_screen(demo_folder: Path) -> None:
    app = make_app(sessions_dir=demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait_for(pilot, HomeScreen)
        await pilot.press("c")
        await _wait_for(pilot, PickDialog)
        await pilot.press("enter")  # the earlier one is offered first
        await _wait_for(pilot, CompareScreen)
        screen = app.screen
        assert screen.comparison.before.date == "2024-03-14"
        assert screen.comparison.after.date == "2025-03-20"
        lines = str(screen.query_one("#compare-lines").render())
        assert "Moved closer: 2" in lines and "Relationships gone: 2" in lines
        assert "Brightwater Housing: gone" in lines
        after_map = str(screen.query_one("#map-after").render())
        assert after_map.startswith("After · 2025-03-20") and CLOSER_MARK in after_map
        await pilot.press("m")
        assert not screen.query_one("#compare-maps").display
        await pilot.press("escape")
        await _wait_for(pilot, HomeScreen)


async def test_compare_needs_another_session_in_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    new_session_file(folder)
    app = make_app(sessions_dir=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait_for(pilot, HomeScreen)
        await pilot.press("c")
        await pilot.pause()
        assert "no other session" in _messages(app)[-1]
        assert isinstance(app.screen, HomeScreen)


async def test_start_from_an_earlier_session_on_the_home_screen(demo_folder: Path) -> None:
    app = make_app(sessions_dir=demo_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait_for(pilot, HomeScreen)
        await pilot.press("down")  # the 2024 workshop (newest first)
        await pilot.press("f")
        await pilot.pause()
        assert "Start from: Wrenhollow relationship mapping workshop" in str(
            app.screen.query_one(".dialog-title").render()
        )
        await type_text(pilot, "Spring 2026")
        await pilot.press("enter")
        await wait_for_workshop(pilot)
        state = app.session.state
        assert state.info.origin_title == "Wrenhollow relationship mapping workshop"
        assert state.info.origin_file == "wrenhollow.facilitator"
        assert len(state.relationships) == 20
        assert not any(p.consent_named for p in state.participants.values())
        assert "Carried forward 20 relationships" in _messages(app)[-1]
        note = app.screen.query_one("#carried-consent")
        assert note.display and "ask everyone again" in str(note.render())
        # The earlier two criteria are offered: marked, not chosen, until c.
        await pilot.press("f3")
        await pilot.pause()
        pane = app.screen.query_one(CriteriaPane)
        assert pane.marks == ["trust", "follow-through"]
        assert commands.chosen_criteria(state) == []
        assert "Last time the group chose" in str(pane.query_one("#criteria-chosen").render())
        await pilot.press("c")
        await pilot.pause()
        assert commands.chosen_criteria(app.session.state) == ["trust", "follow-through"]
        # F11: compare with the session it came from.
        await pilot.press("f11")
        await _wait_for(pilot, CompareScreen)
        assert app.screen.comparison.linked
        await pilot.press("escape")
        await _wait_for(pilot, WorkshopScreen)


async def test_f11_in_a_session_not_carried_forward_says_so(tmp_path: Path) -> None:
    app = app_on(new_session_file(tmp_path / "sessions"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("f11")
        await pilot.pause()
        assert "not started from an earlier one" in _messages(app)[-1]
        assert isinstance(app.screen, WorkshopScreen)
        assert app.screen.query_one("#carried-consent").display is False


def test_snapshot_compare_80x24(demo_folder: Path, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _wait_for(pilot, HomeScreen)
        await pilot.press("c")
        await _wait_for(pilot, PickDialog)
        await pilot.press("enter")
        await _wait_for(pilot, CompareScreen)

    app = make_app(sessions_dir=demo_folder)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
