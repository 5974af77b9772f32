"""Taking notes in a conversation: quick tags typed without a space, the speaker that
stays on, and the word back on how each note was read (80×24, keyboard only)."""

from __future__ import annotations

import pytest
from textual.widgets import Input

import facilitator.tui.conversation.timer as conversation_module
from tests.test_conversation_screen import note, options_text, typed, workshop_file
from tests.tui_helpers import app_on, wait_for_workshop


@pytest.fixture(autouse=True)
def still_clock(monkeypatch):
    monkeypatch.setattr(conversation_module, "monotonic", lambda: 1000.0)


async def first_prompt(pilot) -> None:
    """Start a conversation with the relationship stage 3 chose and reach its first prompt."""
    await wait_for_workshop(pilot)
    await pilot.press("ctrl+n")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("ctrl+down")
    await pilot.pause()
    assert pilot.app.focused.id == "note-input"


def note_box(app) -> Input:
    return app.screen.query_one("#note-input", Input)


async def test_a_tag_typed_without_a_space_is_read_and_said_back(tmp_path):
    path = workshop_file(tmp_path / "sessions", conversation_stage=True)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_prompt(pilot)
        await typed(pilot, "!Waiting well")
        await pilot.press("enter")
        await pilot.pause()
        [saved] = app.session.state.rows["prompt_answer"].values()
        assert (saved.text, saved.tag, saved.speaker) == (
            "Waiting well",
            "challenge",
            "partnership",
        )
        assert "! Challenge  Waiting well" in options_text(app, "#prompt-notes")
        assert note_box(app).border_subtitle == "✓ Saved as a challenge, said by the partnership"
        # After a speaker, with or without a space; the word back changes with each note.
        await typed(pilot, "A:+Shared rooms")
        await pilot.press("enter")
        await pilot.pause()
        assert note_box(app).border_subtitle == "✓ Saved as an opportunity, said by the agency"
        # Words that only start with a sign stay as typed, untagged.
        await note(pilot, "+44 1632 960000 is the surgery")
        await note(pilot, "!!! urgent")
        notes = [(n.text, n.tag) for n in app.session.state.rows["prompt_answer"].values()]
        assert notes[1:] == [
            ("Shared rooms", "opportunity"),
            ("+44 1632 960000 is the surgery", None),
            ("!!! urgent", None),
        ]
        assert (
            note_box(app).border_subtitle
            == "✓ Saved as a note with no tag, said by the partnership"
        )
        # The word back gives way to the key reminder as soon as the next note is typed.
        await typed(pilot, "x")
        assert note_box(app).border_subtitle == "ctrl+b who · ctrl+y tag"


async def test_the_speaker_set_with_ctrl_b_stays_on_and_says_so(tmp_path):
    path = workshop_file(tmp_path / "sessions", conversation_stage=True)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_prompt(pilot)
        assert note_box(app).border_title == "Said by Partnership (stays) · no tag"
        await pilot.press("ctrl+b", "ctrl+y")
        assert note_box(app).border_title == "Said by Agency (stays) · ! Challenge (next note)"
        await note(pilot, "Staff move on often")
        # The tag was for that note only; the speaker stays, and the label still says so.
        assert note_box(app).border_title == "Said by Agency (stays) · no tag"
        await note(pilot, "Posts stay empty for months")
        await note(pilot, "P: We lose the contact each time")
        speakers = [n.speaker for n in app.session.state.rows["prompt_answer"].values()]
        assert speakers == ["agency", "agency", "partnership"]
        # A typed prefix is for its own note: the speaker kept is still the agency.
        assert note_box(app).border_title == "Said by Agency (stays) · no tag"


async def test_the_tally_has_a_plain_key_in_the_footer_and_palette_names(tmp_path):
    from textual.widgets import Footer

    from facilitator.tui.app import FacilitatorApp

    path = workshop_file(tmp_path / "sessions", conversation_stage=True)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_prompt(pilot)
        panel = app.screen.query_one("#prompt-panel")
        assert not panel.display  # too narrow to show it without being asked
        footer_keys = {
            (k.key, k.description)
            for k in app.screen.query_one(Footer).query("FooterKey")  # type: ignore[attr-defined]
        }
        assert ("ctrl+e", "So far") in footer_keys
        await note(pilot, "!Waiting lists")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert panel.display
        assert "Waiting lists" in options_text(app, "#prompt-panel")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert not panel.display
        # The palette finds it by what it shows.
        titles = [c.title for c in FacilitatorApp.get_system_commands(app, app.screen)]
        for word in ("challenges", "opportunities", "actions", "summary"):
            assert any(word in t.casefold() for t in titles), word
        summary = next(t for t in titles if t.casefold().startswith("summary"))
        runner = next(
            c.callback
            for c in FacilitatorApp.get_system_commands(app, app.screen)
            if c.title == summary
        )
        await runner()
        await pilot.pause()
        assert app.screen.query_one("#conversation").step == "summary"
