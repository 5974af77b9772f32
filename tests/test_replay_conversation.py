"""Replay shows a conversation as it stood at each moment: prompts, notes and actions."""

from __future__ import annotations

import hashlib

import pytest
from textual.widgets import Button

from facilitator.demo import build_demo
from facilitator.tui.app import make_app
from facilitator.tui.dialogs import SeekDialog
from facilitator.tui.pickers import PickDialog
from facilitator.tui.replay import ReplayScreen
from facilitator.tui.replay_conversation import ReplayConversation
from tests.tui_helpers import wait_for_workshop


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.facilitator"
    build_demo(path).close()
    return path


def record(screen) -> ReplayConversation:
    return screen.query_one(ReplayConversation)


async def test_enter_on_the_conversations_shows_one_as_it_stood(demo_file):
    before = hashlib.sha256(demo_file.read_bytes()).hexdigest()
    app = make_app(sessions_dir=demo_file.parent, replay_path=demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        await pilot.press("end", "f7")
        await pilot.pause()
        state = screen.replay.state
        first_id, first = next(iter(state.conversations.items()))
        await pilot.press("enter")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickDialog)
        assert [oid for oid, _ in picker.options] == list(state.conversations)
        await pilot.press("enter")  # the first conversation
        await pilot.pause()
        view = record(screen)
        assert view.display and not screen.query_one("#stages").display
        shown = view.text
        assert shown.startswith(f"Conversation with {first.agency_name}")
        notes = [n for n in state.rows["prompt_answer"].values() if n.conversation_id == first_id]
        actions = [a for a in state.rows["action"].values() if a.conversation_id == first_id]
        assert notes and actions
        for note in notes:
            assert note.text[:30] in " ".join(shown.split())
        for action in actions:
            assert action.what in shown
        assert f"Agreed actions ({len(actions)})" in shown
        assert first.summary.strip()[:30] in " ".join(shown.split())
        # The timeline keeps the focus, and moving back along it shows the conversation
        # as it was then: before its last note, one note fewer.
        assert app.focused is screen.query_one("#timeline")
        last_note = max(
            i
            for i, e in enumerate(screen.replay.timeline.entries, start=1)
            if e.event.entity == "prompt_answer"
            and e.event.payload.get("id")
            in {
                nid
                for nid, n in state.rows["prompt_answer"].items()
                if n.conversation_id == first_id
            }
        )
        screen.seek(last_note - 1)
        await pilot.pause()
        earlier = screen.replay.state
        kept = [n for n in earlier.rows["prompt_answer"].values() if n.conversation_id == first_id]
        assert len(kept) == len(notes) - 1
        missing = next(n for n in notes if n not in kept)
        assert missing.text[:30] not in " ".join(record(screen).text.split())
        # Before the conversation began, the view says so.
        screen.seek(0)
        await pilot.pause()
        assert "had not started yet" in record(screen).text
        # Escape goes back to the list of conversations, and then leaves the replay.
        await pilot.press("escape")
        await pilot.pause()
        assert not record(screen).display and screen.query_one("#stages").display
        assert isinstance(app.screen, ReplayScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReplayScreen)
    assert hashlib.sha256(demo_file.read_bytes()).hexdigest() == before


async def test_the_go_to_dialog_says_go(demo_file):
    app = make_app(sessions_dir=demo_file.parent, replay_path=demo_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, SeekDialog)
        assert str(app.screen.query_one("#save", Button).label) == "Go"


def test_the_record_marks_the_prompt_on_the_wall_and_the_skipped_ones(tmp_path):
    from facilitator.domain import conversation as cv
    from facilitator.store.sessionfile import SessionFile
    from facilitator.tui.replay_conversation import conversation_record
    from tests.test_conversation_screen import conversation_file

    bank = cv.choose_bank(None, None).bank
    for finished in (False, True):
        path = conversation_file(tmp_path / f"s{finished}", finished=finished)
        with SessionFile.open(path, readonly=True) as session:
            lines, current = conversation_record(session.state, bank, "c1")
        text = [line.plain for line in lines]
        skipped = next(i for i, t in enumerate(text) if t.endswith("(skipped)"))
        assert text[skipped + 1] == bank.prompt("know-worries").text
        marked = [i for i, t in enumerate(text) if t.endswith("▶ being discussed")]
        if finished:  # nothing is on the wall once it is finished
            assert (marked, current) == ([], 0)
        else:
            assert marked == [current]
            assert text[current + 1] == bank.prompt("community-happening").text
            assert "Lots of isolated older people on the estate" in text[current + 2]


def test_snapshot_replay_conversation_80x24(snap_compare, demo_file, tmp_path):
    import shutil

    copy = tmp_path / "demo.facilitator"
    shutil.copy(demo_file, copy)
    app = make_app(sessions_dir=copy.parent, replay_path=copy)

    async def run_before(pilot) -> None:
        await wait_for_workshop(pilot)
        await pilot.press("end", "f7", "enter")
        await pilot.pause()
        await pilot.press("down", "enter")  # the follow-up conversation
        for _ in range(3):
            await pilot.pause(0.05)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
