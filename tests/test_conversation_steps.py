"""The conversation stage's shape: one widget per step with its own keys, changes posted
up as messages and committed in one place, and the same keys in the Footer as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Footer

import facilitator.tui.conversation.timer as timer_module
from facilitator.tui.conversation.list_step import ConversationList
from facilitator.tui.conversation.pane import ConversationPane
from facilitator.tui.conversation.prompt_step import PromptStep
from facilitator.tui.conversation.review_step import ReviewStep
from facilitator.tui.conversation.setup_step import SetupStep
from facilitator.tui.conversation.step import ConversationStep
from facilitator.tui.conversation.summary_step import SummaryStep
from facilitator.tui.dialogs import ConfirmDialog
from tests.test_conversation_screen import note, paste, workshop_file
from tests.tui_helpers import app_on, wait_for_workshop

PACKAGE = Path(__file__).parent.parent / "facilitator" / "tui" / "conversation"

#: What the Footer shows on each step, after the keys of the focused widget.
STAGE_KEYS = ["ctrl+z=Undo", "ctrl+g=Stages", "ctrl+q=Quit", "f1=Help", "ctrl+p=palette"]
FOOTERS = {
    "list": ["ctrl+n=New"],
    "setup": ["ctrl+down=Next", "ctrl+up=Back", "ctrl+n=Action", "escape=Steps"],
    "prompt": [
        "ctrl+e=So far",
        "ctrl+down=Next",
        "ctrl+up=Back",
        "ctrl+f=Follow-up",
        "ctrl+n=Action",
        "ctrl+o=Skip",
        "f12=Guidance",
        "escape=Steps",
    ],
    "summary": [
        "enter=Change",
        "delete=Remove",
        "ctrl+up=Back",
        "ctrl+f=Finish",
        "ctrl+n=Action",
        "escape=Steps",
    ],
    "finished": [
        "enter=Change",
        "delete=Remove",
        "ctrl+up=Back",
        "ctrl+f=Reopen",
        "ctrl+n=Action",
        "escape=Steps",
    ],
    "review": [
        "enter=Note",
        "d=Done",
        "u=Under way",
        "x=Dropped",
        "ctrl+down=Next",
        "ctrl+n=Action",
        "escape=Steps",
    ],
}


@pytest.fixture(autouse=True)
def still_clock(monkeypatch):
    monkeypatch.setattr(timer_module, "monotonic", lambda: 1000.0)


def footer(app) -> list[str]:
    keys = app.screen.query_one(Footer).query("FooterKey")
    return [f"{k.key}={k.description}" for k in keys]  # type: ignore[attr-defined]


def actions(widget_class: type) -> list[str]:
    return [b.action for b in widget_class.BINDINGS]  # type: ignore[union-attr]


def test_each_step_answers_to_its_own_keys_and_the_pane_to_none() -> None:
    assert "BINDINGS" not in ConversationPane.__dict__
    assert "check_action" not in ConversationPane.__dict__
    assert actions(ConversationList) == ["new_conversation"]
    assert "back" not in actions(ReviewStep) and "next" in actions(ReviewStep)
    assert "to_summary" not in actions(SummaryStep)
    assert {"finish", "reopen"} <= set(actions(SummaryStep))
    # The tally's ctrl+e comes before the note box's own ctrl+e, and only on the prompt.
    for step in (ConversationList, ReviewStep, SetupStep, SummaryStep):
        assert "toggle_panel" not in actions(step)
    panel = [b for b in PromptStep.BINDINGS if b.action == "toggle_panel"]  # type: ignore[union-attr]
    assert [b.priority for b in panel] == [True, False]


def test_no_module_of_the_conversation_is_over_400_lines() -> None:
    sizes = {p.name: len(p.read_text().splitlines()) for p in PACKAGE.glob("*.py")}
    assert {"pane.py", "prompt_step.py", "step.py", "dialogs.py"} <= set(sizes)
    assert max(sizes.values()) <= 400, sizes


async def test_the_footer_shows_each_steps_keys_in_the_same_order(tmp_path) -> None:
    app = app_on(workshop_file(tmp_path / "sessions", conversation_stage=True))
    # Wide enough that the Footer drops none (which keys stay at 80 columns is
    # tests/test_layout_80x24.py's business): the order is what is checked here.
    async with app.run_test(size=(200, 24)) as pilot:
        await wait_for_workshop(pilot)
        assert footer(app) == FOOTERS["list"] + STAGE_KEYS
        await pilot.press("ctrl+n", "enter")  # the relationship stage 3 chose
        await pilot.pause()
        assert footer(app) == FOOTERS["setup"] + STAGE_KEYS
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert footer(app) == FOOTERS["prompt"] + STAGE_KEYS
        await pilot.press("alt+s")
        await pilot.pause()
        assert footer(app) == FOOTERS["summary"] + STAGE_KEYS
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert footer(app) == FOOTERS["finished"] + STAGE_KEYS
        # A follow-up of the finished conversation begins by looking back.
        await pilot.press("escape", "end", "enter")  # Steps → All conversations
        await pilot.pause()
        await pilot.press("ctrl+n", "enter", "enter")
        await pilot.pause()
        assert app.screen.query_one("#conversation").step == "review"
        assert footer(app) == FOOTERS["review"] + STAGE_KEYS


async def test_a_note_goes_up_as_one_change_and_is_committed_once(tmp_path) -> None:
    app = app_on(workshop_file(tmp_path / "sessions", conversation_stage=True))
    posted: list[ConversationStep.Change] = []

    def hook(message) -> None:
        if isinstance(message, ConversationStep.Change):
            posted.append(message)

    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("ctrl+n", "enter", "ctrl+down")
        await pilot.pause()
        before = len(app.session.journal)
        posted.clear()
        await note(pilot, "!The waiting list is long")
        await pilot.pause()
        notes = list(app.session.state.rows["prompt_answer"].values())
        assert [(n.text, n.tag) for n in notes] == [("The waiting list is long", "challenge")]
        assert len(app.session.journal) == before + 1
        # One message up (the hook sees it at each widget it bubbles through).
        assert len({id(m) for m in posted}) == 1
        assert app.screen.query_one("#note-input").value == ""  # cleared once saved


async def test_a_bug_in_a_step_is_reported_and_the_conversation_goes_on(tmp_path, monkeypatch):
    from facilitator.domain import conversation as cv
    from facilitator.tui.workshop import WorkshopScreen

    monkeypatch.setenv("FACILITATOR_RAISE_ERRORS", "0")
    app = app_on(workshop_file(tmp_path / "sessions", conversation_stage=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("ctrl+n", "enter", "ctrl+down")
        await pilot.pause()
        await paste(pilot, "Posts stay empty")
        with monkeypatch.context() as patch:

            def boom(_text):
                raise RuntimeError("injected failure")

            patch.setattr(cv, "parse_note", boom)
            await pilot.press("enter")  # the note box's Enter: the prompt step's handler
            await pilot.pause()
        assert [str(e) for e in app.failures] == ["injected failure"]
        assert isinstance(app.screen, WorkshopScreen)
        await pilot.press("enter")  # the same note, now saved
        await pilot.pause()
        notes = [n.text for n in app.session.state.rows["prompt_answer"].values()]
        assert notes == ["Posts stay empty"]
