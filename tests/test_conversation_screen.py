"""The conversation stage (F7), driven from the keyboard at 80×24 as a facilitator would."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.keys import _character_to_key
from textual.widgets import DataTable, Input, OptionList, Static, TextArea

import facilitator.tui.conversation.timer as conversation_module
from facilitator.domain import commands
from facilitator.domain import conversation as cv
from facilitator.store.sessionfile import SessionFile
from facilitator.tui.app import make_app
from facilitator.tui.conversation.dialogs import (
    ActionDialog,
    AgencyDialog,
    NoteDialog,
    ReviewDialog,
)
from facilitator.tui.dialogs import ConfirmDialog, MessageDialog
from facilitator.tui.pickers import PickDialog
from facilitator.tui.workshop import WorkshopScreen
from tests.tui_helpers import (
    app_on,
    fixed_clock,
    new_session_file,
    wait_for_drafts,
    wait_for_workshop,
)

HEALTH = "Hollin Vale Primary Care Network"


@pytest.fixture(autouse=True)
def still_clock(monkeypatch):
    """The section timer reads a clock that does not move, so screens are the same each run."""
    monkeypatch.setattr(conversation_module, "monotonic", lambda: 1000.0)


async def paste(pilot, text: str) -> None:
    """Put text in the focused field at the cursor, as pasting would (quicker than keys)."""
    field = pilot.app.focused
    if isinstance(field, TextArea):
        field.insert(text)
    else:
        field.insert_text_at_cursor(text)


async def typed(pilot, text: str) -> None:
    """Type text key by key (any printable character), in one go."""
    keys = ["space" if ch == " " else ch if ch.isalnum() else _character_to_key(ch) for ch in text]
    await pilot.press(*keys)


def workshop_file(folder: Path, conversation_stage: bool = False) -> Path:
    """A session with two people in the room and a health agency chosen to develop."""
    path = new_session_file(folder)
    session = SessionFile.open(path, clock=fixed_clock)
    st = session.state
    for pid, name, role in (("p1", "Jo Bloggs", "chair"), ("p2", "Sam Okafor", "worker")):
        session.apply([commands.add(st, "participant", entity_id=pid, name=name, role=role)])
    session.apply(
        [
            commands.add(st, "relationship", entity_id="r1", name=HEALTH, agency_type="health"),
            commands.add(
                st,
                "relationship",
                entity_id="r2",
                name="Vale Homes",
                agency_type="housing-association",
            ),
        ]
    )
    session.apply(commands.pick_for_stage(st, "to-develop", "r1"))
    if conversation_stage:
        session.apply(commands.update_session(st, current_stage="conversation"))
    session.close()
    return path


def pane(app):
    return app.screen.query_one("#conversation")


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def options_text(app, selector: str) -> str:
    listing = app.screen.query_one(selector, OptionList)
    return "\n".join(
        str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)
    )


async def note(pilot, text: str, keys: bool = False) -> None:
    """Take a note and press Enter. Keys are slow under Pilot, so the words are pasted
    unless ``keys`` asks for the quick prefixes to be typed key by key."""
    quick = cv.parse_note(text)
    head = text[: len(text) - len(quick.text)] if keys and (quick.speaker or quick.tag) else ""
    await typed(pilot, head)
    await paste(pilot, text[len(head) :])
    await pilot.press("enter")


async def next_prompt(pilot) -> None:
    await pilot.press("ctrl+down")


async def add_action(pilot, what: str, org: str, person: str, when: str) -> None:
    """ctrl+n from wherever the facilitator is, fill the dialog, ctrl+s."""
    await pilot.press("ctrl+n")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ActionDialog)
    assert pilot.app.focused.id == "action-what"
    await paste(pilot, what)
    for field, value in (("#action-org", org), ("#action-person", person), ("#action-when", when)):
        dialog.query_one(field, Input).value = value
    await pilot.press("ctrl+s")
    await pilot.pause()


async def go_to(pilot, option_id: str) -> None:
    """Pick a step from the Esc list, moving up from the end of it, as a person would."""
    await pilot.press("escape")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, PickDialog)
    ids = [oid for oid, _ in dialog.options]
    listing = dialog.query_one(OptionList)
    await pilot.press("end")
    while ids[listing.highlighted] != option_id:
        await pilot.press("up")
    await pilot.press("enter")
    await pilot.pause()


async def test_a_whole_conversation_then_a_follow_up_then_a_restart(tmp_path):
    path = workshop_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("f7")
        await pilot.pause()
        assert f"Stage 3 chose {HEALTH}" in text_of(app, "#list-hint")

        # Start: stage 3's relationship is offered first.
        await pilot.press("ctrl+n")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickDialog)
        assert picker.options[0] == ("rel:r1", f"★ {HEALTH} · Health · the relationship to develop")
        await pilot.press("enter")
        await pilot.pause()
        state = app.session.state
        [(conv_id, conv)] = state.conversations.items()
        assert (conv.agency_name, conv.agency_type, conv.relationship_id) == (
            HEALTH,
            "health",
            "r1",
        )
        assert conv.current_prompt_id == "opening-welcome"
        assert conv.started_at.endswith("Z") and conv.bank_id == "standard"
        assert pane(app).step == "setup"

        # Who attends: the first name matches someone in the room.
        assert app.focused.id == "attendee-partnership"
        for name in ("Jo Bloggs", "Sam Okafor", "Priya"):
            await note(pilot, name)
        assert "Three on the partnership side" in text_of(app, "#attendee-warning")
        # Too many is a warning, not a block; taking Priya off again clears it.
        await pilot.press("shift+tab")
        assert app.focused.id == "attendees-partnership"
        await pilot.press("end", "delete")
        assert not isinstance(app.screen, ConfirmDialog)
        assert len(cv.attendees(state, conv_id, "partnership")) == 2
        assert text_of(app, "#attendee-warning") == ""
        await pilot.press("tab", "tab", "tab")
        assert app.focused.id == "attendee-agency"
        for name in ("Dr Asha Rahman", "Marcus Lee"):
            await note(pilot, name)
        people = {(a.side, a.name, a.participant_id) for a in state.rows["attendee"].values()}
        assert ("partnership", "Jo Bloggs", "p1") in people
        assert ("agency", "Marcus Lee", None) in people

        # Boundaries.
        await pilot.press("tab")
        assert app.focused.id == "boundaries-in"
        await paste(pilot, "What is happening in the community")
        await pilot.press("tab")
        await paste(pilot, "Individual patients")
        await next_prompt(pilot)
        conv = state.conversations[conv_id]
        assert conv.boundaries_in == "What is happening in the community"
        assert conv.boundaries_out == "Individual patients"
        assert pane(app).step == "prompt"
        assert app.focused.id == "note-input"
        assert text_of(app, "#prompt-position").startswith("Prompt 1 of 46 · Section: Opening")
        assert "12:00 left" in text_of(app, "#prompt-timer")

        # A follow-up probe, and the guidance (hidden until asked for).
        await pilot.press("ctrl+f")
        assert "What made you want to come along?" in text_of(app, "#prompt-text")
        guidance = app.screen.query_one("#prompt-guidance")
        assert not guidance.display
        await pilot.press("f12")
        assert guidance.display and "Alternate between" in text_of(app, "#prompt-guidance")

        # Prompt 1: plain and agreed notes.
        await note(pilot, "P: Jo chairs the partnership")
        await note(pilot, "A: = We will share these notes")
        await next_prompt(pilot)
        # Prompt 2.
        await note(pilot, "! A: Waiting lists are long", keys=True)
        await add_action(pilot, "Send the contact list", "Partnership", "Jo", "end of April")
        await next_prompt(pilot)
        # Prompt 3.
        await note(pilot, "+ B: A shared health fair in June")
        await next_prompt(pilot)
        # Prompt 4: speaker and tag set with quick keys rather than typed prefixes.
        await pilot.press("ctrl+b", "ctrl+y")
        title = app.screen.query_one("#note-input", Input).border_title
        assert title == "Said by Agency (stays) · ! Challenge (next note)"
        await note(pilot, "Staff move on often")
        assert app.screen.query_one("#note-input", Input).border_title.endswith("no tag")
        await next_prompt(pilot)
        # Prompt 5: skipped.
        skipped = state.conversations[conv_id].current_prompt_id
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert state.conversations[conv_id].skipped_prompts == [skipped]
        # Prompts 6 to 10.
        await note(pilot, "+ P: The community centre has free rooms")
        await next_prompt(pilot)
        await note(pilot, "? A: Could the partnership share local data")
        await add_action(pilot, "Share the area profile", "Partnership", "Sam", "May")
        await next_prompt(pilot)
        await note(pilot, "! P: People do not know who to call")
        await next_prompt(pilot)
        await note(pilot, "+ A: The network has a small grants fund")
        await add_action(pilot, "Send the grant criteria", HEALTH, "Asha", "next week")
        await next_prompt(pilot)
        await note(pilot, "= B: Meet every two months")
        assert text_of(app, "#prompt-position").startswith("Prompt 10 of 46")

        # Change a note: it is listed under the prompt.
        await pilot.press("shift+tab")
        assert app.focused.id == "prompt-notes"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        await pilot.press("end")
        await paste(pilot, " or so")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Meet every two months or so" in options_text(app, "#prompt-notes")

        answers = list(state.rows["prompt_answer"].values())
        answered = {a.prompt_id for a in answers if a.tag}
        assert len({a.prompt_id for a in answers}) >= 8 and len(answered) >= 7
        assert {a.speaker for a in answers} == {"partnership", "agency", "both"}
        assert {a.tag for a in answers} == {None, "challenge", "opportunity", "ask", "agreement"}
        assert len(cv.challenges(state, conv_id)) == 3
        assert len(cv.opportunities(state, conv_id)) == 3
        assert "Challenges 3 · Opportunities 3 · Actions 3" in text_of(app, "#prompt-tally")

        # The closing summary.
        await go_to(pilot, "summary")
        assert pane(app).step == "summary"
        panel = options_text(app, "#summary-panel")
        for words in ("Waiting lists are long", "free rooms", "Send the grant criteria"):
            assert words in panel
        await add_action(pilot, "Invite councillors to the fair", "Both", "Jo", "June")
        assert len(cv.actions_for(state, conv_id)) == 4
        await pilot.press("tab")
        assert app.focused.id == "summary-text"
        await paste(pilot, "A good first meeting.")
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        conv = state.conversations[conv_id]
        assert conv.finished and conv.summary == "A good first meeting."
        assert "Finished" in text_of(app, "#summary-status")
        # Still editable afterwards: change the first action's date.
        await pilot.press("shift+tab")
        assert app.focused.id == "summary-panel"
        listing = app.screen.query_one("#summary-panel", OptionList)
        while not (listing.highlighted_option.id or "").startswith("action:"):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        app.screen.query_one("#action-when", Input).value = "end of March"
        await pilot.press("ctrl+s")
        await pilot.pause()
        actions = cv.actions_for(state, conv_id)
        assert actions[0][1].by_when == "end of March"
        assert all(a.relationship_id == "r1" for _, a in actions)

        # A follow-up with the same agency starts by looking back at those actions.
        await go_to(pilot, "list")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        offer = app.screen
        assert isinstance(offer, PickDialog)
        assert offer.options[0][1].startswith("Follow up the ")
        assert offer.options[0][1].endswith("conversation (finished)")
        await pilot.press("enter")
        await pilot.pause()
        follow_id = next(c for c in state.conversations if c != conv_id)
        assert state.conversations[follow_id].previous_id == conv_id
        assert pane(app).step == "review"
        assert app.screen.query_one("#review-table", DataTable).row_count == 4
        await pilot.press("d", "down", "u", "down", "x", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewDialog)
        await paste(pilot, "Booked for June")
        app.screen.query_one("#review-status").value = "in-progress"
        await pilot.press("ctrl+s")
        await pilot.pause()
        reviews = {
            state.rows["action"][r.action_id].what: (r.status, r.note)
            for r in state.rows["action_review"].values()
        }
        assert reviews == {
            "Send the contact list": ("done", ""),
            "Share the area profile": ("in-progress", ""),
            "Send the grant criteria": ("dropped", ""),
            "Invite councillors to the fair": ("in-progress", "Booked for June"),
        }
        statuses = [a.status for _, a in cv.actions_for(state, conv_id)]
        assert statuses == ["done", "in-progress", "dropped", "in-progress"]
        await next_prompt(pilot)
        assert pane(app).step == "setup"

    # Start again on the same file: everything is there.
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        assert app.session.state.info.current_stage == "conversation"
        # Back where the facilitator stopped: the follow-up's who-is-here step.
        assert (pane(app).conv_id, pane(app).step) == (follow_id, "setup")
        await go_to(pilot, "list")
        table = app.screen.query_one("#conv-table", DataTable)
        assert table.row_count == 2
        assert str(table.get_row_at(0)[3]) == "✓ Finished"
        await pilot.press("enter")
        await pilot.pause()
        assert pane(app).step == "summary"
        panel = options_text(app, "#summary-panel")
        assert "Challenges (3)" in panel and "Opportunities (3)" in panel
        assert "Agreed actions (4)" in panel
        assert app.screen.query_one("#summary-text", TextArea).text == "A good first meeting."
        await go_to(pilot, "list")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert pane(app).step == "review"
        review = app.screen.query_one("#review-table", DataTable)
        assert [str(review.get_row_at(i)[0]) for i in range(4)] == [
            "✓ Done",
            "◐ Under way",
            "✗ Dropped",
            "◐ Under way",
        ]


async def test_a_bad_question_bank_shows_its_error_and_falls_back(tmp_path):
    path = workshop_file(tmp_path / "sessions", conversation_stage=True)
    bad = tmp_path / "our-questions.toml"
    bad.write_text('[bank]\nid = "ours"\ntitle = "Ours"\nversion = "one"\n', encoding="utf-8")
    app = make_app(sessions_dir=path.parent, open_path=path, questions=bad)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, MessageDialog) and app.screen.query(".dialog-text"):
                break
        dialog = app.screen
        assert isinstance(dialog, MessageDialog)
        await pilot.pause()
        message = str(dialog.query_one(".dialog-text", Static).render())
        assert f"{bad}:4: [bank]: field 'version' must be a whole number" in message
        assert "Using the standard questions instead" in message
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
        assert pane(app).bank.source == "packaged"
        await pilot.press("ctrl+n", "enter")
        await pilot.pause()
        conv = next(iter(app.session.state.conversations.values()))
        assert conv.bank_id == "standard"


OUR_BANK = """
[bank]
id = "ours"
title = "Ours"
version = 1

[[section]]
id = "only"
title = "Just one"
purpose = "Talk."
minutes = 3

[[section.prompt]]
id = "hello"
text = "What brings you here today?"

[[section.prompt]]
id = "health-only"
text = "Which health services do people use most?"
agency_types = ["health"]

[[section.prompt]]
id = "school-event"
text = "Is there one event this term we could try together?"
agency_types = ["school"]
"""


async def test_a_typed_agency_gets_the_prompts_for_its_type_from_the_folders_bank(tmp_path):
    path = workshop_file(tmp_path / "sessions", conversation_stage=True)
    (path.parent / "questions.toml").write_text(OUR_BANK, encoding="utf-8")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        assert not isinstance(app.screen, MessageDialog)
        # "Another agency" is last in the list of agencies on the map.
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("end", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AgencyDialog)
        await paste(pilot, "Brook End Academy")
        app.screen.query_one("#agency-type").value = "school"
        await pilot.press("ctrl+s")
        await pilot.pause()
        conv = next(iter(app.session.state.conversations.values()))
        assert (conv.agency_name, conv.agency_type, conv.relationship_id) == (
            "Brook End Academy",
            "school",
            None,
        )
        assert conv.bank_id == "ours"
        await pilot.press("ctrl+down")
        assert "What brings you here today?" in text_of(app, "#prompt-text")
        assert text_of(app, "#prompt-position").startswith("Prompt 1 of 2 · Section: Just one")
        assert "3:00 left" in text_of(app, "#prompt-timer")
        # Words typed but not saved go with their prompt when moving on.
        await typed(pilot, "Unsaved")
        await pilot.press("ctrl+down")
        notes = list(app.session.state.rows["prompt_answer"].values())
        assert [(n.text, n.prompt_id) for n in notes] == [("Unsaved", "hello")]
        # The school's own prompt comes next (the health one is left out), then the summary.
        assert "one event this term" in text_of(app, "#prompt-text")
        await pilot.press("ctrl+down")
        assert pane(app).step == "summary"
        # Back through the prompts to who is here.
        await pilot.press("ctrl+up", "ctrl+up", "ctrl+up")
        assert pane(app).step == "setup"
        # Half a note typed when the laptop dies is kept with its prompt.
        await pilot.press("ctrl+down")
        await paste(pilot, "Half a thou")
        await wait_for_drafts(pilot)  # written a moment after the last key
        conv_id = next(iter(app.session.state.conversations))

    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        assert pane(app).step == "prompt"  # back where it stopped, without a key
        assert app.screen.query_one("#note-input", Input).value == "Half a thou"
        # A conversation can be removed from the list, and ctrl+z brings it back.
        await go_to(pilot, "list")
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert not app.session.state.conversations
        assert not app.session.state.rows["prompt_answer"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert list(app.session.state.conversations) == [conv_id]
        assert app.screen.query_one("#conv-table", DataTable).row_count == 1


# -- screenshots -----------------------------------------------------------------------------


def conversation_file(folder: Path, *, finished: bool = False) -> Path:
    """A conversation with the health agency, halfway through, for screenshots."""
    path = workshop_file(folder, conversation_stage=True)
    session = SessionFile.open(path, clock=fixed_clock)
    st = session.state

    def add(kind: str, entity_id: str, **fields) -> None:
        session.apply([commands.add(st, kind, entity_id=entity_id, **fields)])

    add(
        "conversation",
        "c1",
        agency_name=HEALTH,
        agency_type="health",
        relationship_id="r1",
        boundaries_in="What is happening in the community",
        boundaries_out="Individual patients",
        current_prompt_id="community-happening",
        skipped_prompts=["know-worries"],
        started_at="2026-03-14T10:30:00Z",
        summary="A warm first meeting: both sides want a health fair in June." if finished else "",
        finished=finished,
    )
    for n, (side, name) in enumerate(
        (("partnership", "Jo Bloggs"), ("partnership", "Sam Okafor"), ("agency", "Dr Asha Rahman"))
    ):
        add("attendee", f"a{n}", conversation_id="c1", side=side, name=name)
    notes = [
        ("positive-gone-well", "The flu clinic at the centre went well", "agency", None),
        ("know-pressures", "Waiting lists for talking therapies are long", "agency", "challenge"),
        ("know-what-you-do", "Residents don't know who to call", "partnership", "challenge"),
        ("community-happening", "Lots of isolated older people on the estate", "partnership", None),
        (
            "community-happening",
            "Walking group could be a social prescribing route",
            "both",
            "opportunity",
        ),
        ("community-happening", "Could the network share its local data?", "partnership", "ask"),
    ]
    for n, (prompt, text, speaker, tag) in enumerate(notes):
        add(
            "prompt_answer",
            f"n{n}",
            conversation_id="c1",
            prompt_id=prompt,
            text=text,
            speaker=speaker,
            tag=tag,
        )
    add(
        "action",
        "x1",
        what="Send the partnership's contact list",
        who_org="Partnership",
        who_person="Jo",
        by_when="end of April",
        conversation_id="c1",
        relationship_id="r1",
    )
    add(
        "action",
        "x2",
        what="Share the area health profile",
        who_org=HEALTH,
        who_person="Asha",
        by_when="May",
        conversation_id="c1",
        relationship_id="r1",
    )
    session.close()
    return path


async def resume_first(pilot) -> None:
    await wait_for_workshop(pilot)
    # A blinking cursor would make the screenshot depend on the moment it is taken.
    for field in pilot.app.screen.query("Input, TextArea"):
        field.cursor_blink = False
    await pilot.press("enter")
    await pilot.pause()


async def settle(pilot) -> None:
    """Let the Footer finish rebuilding its keys before the screenshot."""
    for _ in range(3):
        await pilot.pause(0.05)


async def resume_and_settle(pilot) -> None:
    await resume_first(pilot)
    await settle(pilot)


def test_snapshot_prompt_80x24(tmp_path, snap_compare):
    app = app_on(conversation_file(tmp_path / "sessions"))

    async def run_before(pilot) -> None:
        await resume_first(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_snapshot_prompt_160x50(tmp_path, snap_compare):
    app = app_on(conversation_file(tmp_path / "sessions"))

    async def run_before(pilot) -> None:
        await resume_first(pilot)
        await pilot.press("ctrl+f", "f12")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(160, 50), run_before=run_before)


def test_snapshot_summary_80x24(tmp_path, snap_compare):
    app = app_on(conversation_file(tmp_path / "sessions", finished=True))
    assert snap_compare(app, terminal_size=(80, 24), run_before=resume_and_settle)


async def test_the_notes_list_keeps_the_newest_note_in_view(tmp_path):
    path = workshop_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("enter")  # the relationship stage 3 chose
        await pilot.pause()
        await next_prompt(pilot)  # past who attends, to the first prompt
        await pilot.pause()
        assert app.focused.id == "note-input"
        for i in range(1, 9):
            await note(pilot, f"Point number {i}")
        await pilot.pause()
        listing = app.screen.query_one("#prompt-notes", OptionList)
        assert listing.option_count == 8
        assert listing.size.height < 8  # they do not all fit...
        assert listing.scroll_y == listing.max_scroll_y > 0  # ...and the newest shows
        assert "Point number 8" in options_text(app, "#prompt-notes")
        assert app.focused.id == "note-input"  # still typing the next one
