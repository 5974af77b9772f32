"""Text put back after a crash stays when typing goes on: the first key adds to it."""

from __future__ import annotations

import pytest
from textual.widgets import Input

import facilitator.tui.conversation.timer as conversation_module
from facilitator.domain import conversation as cv
from facilitator.store.sessionfile import SessionFile
from tests.test_conversation_screen import typed, workshop_file
from tests.tui_helpers import app_on, fixed_clock, new_session_file, wait_for_workshop


@pytest.fixture(autouse=True)
def still_clock(monkeypatch):
    monkeypatch.setattr(conversation_module, "monotonic", lambda: 1000.0)


async def test_a_restored_name_in_setup_keeps_its_text_when_typing_goes_on(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    session = SessionFile.open(path, clock=fixed_clock)
    session.save_draft("setup.new-participant", "Kathleen Whit")
    session.close()
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        box = app.screen.query_one("#new-participant", Input)
        assert app.focused is box
        assert box.value == "Kathleen Whit"
        assert box.cursor_position == len("Kathleen Whit")
        await typed(pilot, "low")
        assert box.value == "Kathleen Whitlow"


async def test_a_restored_note_keeps_its_text_when_typing_goes_on(tmp_path):
    path = workshop_file(tmp_path / "sessions", conversation_stage=True)
    session = SessionFile.open(path, clock=fixed_clock)
    bank = cv.choose_bank(None, None).bank
    event = cv.start_event(
        session.state, bank, agency_name="Vale Homes", agency_type=None, started_at="2026-03-14"
    )
    session.apply([event])
    conv_id = event.payload["id"]
    pid = session.state.conversations[conv_id].current_prompt_id
    session.apply(
        [
            cv.commands.add(
                session.state,
                "prompt_answer",
                conversation_id=conv_id,
                prompt_id=pid,
                text="An earlier note",
            )
        ]
    )
    session.save_draft(f"conversation.note.{conv_id}.{pid}", "Half a thou")
    session.close()
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("enter")  # pick the conversation up
        await pilot.pause()
        box = app.screen.query_one("#note-input", Input)
        assert app.focused is box
        assert box.value == "Half a thou"
        await typed(pilot, "ght")
        assert box.value == "Half a thought"
