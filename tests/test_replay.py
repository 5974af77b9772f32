"""Replay: the journal rebuilds the session as it was at any moment, read-only."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from facilitator.demo import build_demo
from facilitator.domain.events import replay
from facilitator.domain.replay import Timeline
from facilitator.store.sessionfile import SessionFile
from facilitator.tui.app import make_app
from facilitator.tui.replay import ReplayScreen
from tests.tui_helpers import wait_for_workshop, wait_until


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.facilitator"
    build_demo(path).close()
    return path


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_timeline_state_at_matches_a_session_that_stopped_there(demo_file, tmp_path):
    """Re-run the demo's journal into a new file, copying the file at transaction ends."""
    with SessionFile.open(demo_file, readonly=True) as source:
        entries = list(source.journal)
    timeline = Timeline(entries, checkpoint_every=7)  # small, to cross many checkpoints
    # An empty session file (no creation events), into which the demo's own
    # transactions are applied one by one, as the facilitator made them.
    path = tmp_path / "rerun.facilitator"
    from sqlalchemy import insert

    from facilitator.store import tables
    from facilitator.store.sessionfile import _create_empty, create_schema, make_engine

    _create_empty(path)
    engine = make_engine(path)
    with engine.begin() as conn:
        create_schema(conn)
        conn.execute(insert(tables.SessionInfoRow.__table__).values(id=1))
    engine.dispose()
    session = SessionFile.open(path)
    by_txn: dict[int, list] = {}
    for entry in entries:
        by_txn.setdefault(entry.txn, []).append(entry)
    position = 0
    checked = 0
    for txn in sorted(by_txn):
        group = by_txn[txn]
        session.apply([e.event for e in group])
        position += len(group)
        if txn % 5 == 0 or position == len(entries):
            stopped = tmp_path / f"stopped-{position}.facilitator"
            shutil.copy(path, stopped)
            wal = path.with_name(path.name + "-wal")
            if wal.exists():
                shutil.copy(wal, stopped.with_name(stopped.name + "-wal"))
            with SessionFile.open(stopped, readonly=True) as copy:
                assert copy.state.snapshot() == timeline.state_at(position).snapshot()
            checked += 1
    session.close()
    assert checked >= 5
    assert timeline.state_at(len(entries)).snapshot() == replay(entries).snapshot()


def test_seeking_does_not_disturb_later_seeks(demo_file):
    with SessionFile.open(demo_file, readonly=True) as source:
        timeline = Timeline(source.journal, checkpoint_every=10)
        final = source.state.snapshot()
    middle = timeline.state_at(len(timeline) // 2).snapshot()
    timeline.state_at(3).relationships.clear()  # a caller changing its copy...
    assert timeline.state_at(len(timeline) // 2).snapshot() == middle  # ...changes nothing
    assert timeline.state_at(len(timeline)).snapshot() == final
    assert timeline.state_at(0).snapshot() == Timeline([]).state_at(0).snapshot()


async def test_replay_screen_steps_seeks_and_plays_without_touching_the_file(
    demo_file, monkeypatch
):
    from facilitator.tui import replay

    monkeypatch.setattr(replay, "FAST_TICK", 0.001)  # "fastest" without the clock's pace
    before = _digest(demo_file)
    app = make_app(sessions_dir=demo_file.parent, replay_path=demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        total = len(screen.replay.timeline)
        assert screen.replay.position == 0
        await pilot.press("right", "right", "right")
        assert screen.replay.position == 3
        await pilot.press("left")
        assert screen.replay.position == 2
        # Seek to the start of stage 1, and the map's stage is what shows.
        starts = screen.replay.timeline.stage_starts()
        await pilot.press("s")
        await pilot.pause()
        options = app.screen.query_one("OptionList")
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        index = next(
            (i for i, text in enumerate(labels) if text.startswith("All relationships")), None
        )
        assert index is not None, (app.screen, labels)
        options.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert screen.replay.position == starts["all-relationships"]
        assert screen.query_one("ContentSwitcher").current == "all-relationships"
        # Go to 50%.
        await pilot.press("g")
        from tests.tui_helpers import type_text

        await type_text(pilot, "50%")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.replay.position == round(total * 0.5)
        # Nothing can be changed in a replay.
        await pilot.press("ctrl+z")
        assert screen.replay.position == round(total * 0.5)
        # Play as fast as possible to the end.
        await pilot.press("3", "space")
        await wait_until(
            pilot, lambda: screen.replay.position == total, "playing to the end", seconds=60
        )
        assert screen.replay.state.snapshot() == screen.replay.timeline.final.snapshot()
        # At the end (a finished conversation, with lists that could be changed in the
        # session itself): Tab and Enter stay on the timeline, whose keys keep working,
        # and the Footer offers nothing that changes the session.
        await pilot.press("f7")
        await pilot.pause()
        pane = screen.current_pane()
        assert not [w for w in pane.query("*") if w.focusable], "a stage could take the focus"
        # (Enter offers the conversations to look at; Escape puts that away again.)
        await pilot.press("tab", "enter", "escape", "tab")
        await pilot.pause()
        assert app.focused is screen.query_one("#timeline")
        footer = " ".join(key.description for key in app.screen.query("FooterKey") if key.display)
        for word in ("Change", "Remove", "Reopen", "Action"):
            assert word not in footer, footer
        await pilot.press("home")
        assert screen.replay.position == 0
    assert _digest(demo_file) == before


def test_replay_mid_stage1_snapshot(snap_compare, demo_file, tmp_path):
    copy = tmp_path / "demo.facilitator"
    shutil.copy(demo_file, copy)

    async def mid_stage1(pilot):
        await wait_for_workshop(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReplayScreen)
        starts = screen.replay.timeline.stage_starts()
        screen.seek((starts["all-relationships"] + starts["good-relationship"]) // 2)
        # Wait until the stage is built and locked (slower when the machine is busy).
        for _ in range(200):
            await pilot.pause(0.05)
            pane = screen.current_pane()
            boxes = list(pane.query("Input"))
            if pane.is_mounted and boxes and all(box.disabled for box in boxes):
                break
        await pilot.pause(0.3)

    app = make_app(sessions_dir=copy.parent, replay_path=copy)
    assert snap_compare(app, terminal_size=(80, 24), run_before=mid_stage1)
