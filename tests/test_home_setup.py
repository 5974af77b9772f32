"""The home screen and the Setup stage, driven as a facilitator would."""

from __future__ import annotations

import pytest

from facilitator.domain import commands
from facilitator.store.sessionfile import SessionFile
from facilitator.tui.app import make_app
from facilitator.tui.dialogs import ConfirmDialog, MessageDialog, ParticipantDialog
from facilitator.tui.help import HelpScreen
from facilitator.tui.home import HomeScreen
from facilitator.tui.workshop import WorkshopScreen
from tests.tui_helpers import (
    app_on,
    fixed_clock,
    new_session_file,
    notifications,
    screen_text,
    type_text,
    wait_for_workshop,
)


def _home_app(folder):
    return make_app(sessions_dir=folder)


async def test_home_lists_sessions_and_shows_the_folder(tmp_path):
    folder = tmp_path / "sessions"
    new_session_file(folder)
    app = _home_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert f"Sessions folder: {folder}" in str(home.query_one("#sessions-dir").render())
        listing = home.query_one("#sessions")
        assert listing.option_count == 1
        line = str(listing.get_option_at_index(0).prompt)
        assert line.startswith("2026-03-14 Spring mapping workshop ")
        assert " Hollin Vale " in line and " Setup " in line
        heading = str(home.query_one("#sessions-heading").render())
        # The columns line up under their headings, on screen too.
        assert heading.index("Title") == line.index("Spring")
        assert heading.index("Area") == line.index("Hollin")
        heading_x = home.query_one("#sessions-heading").content_region.x
        assert heading_x == listing.content_region.x
        # The detail line names the highlighted file from the start.
        assert "File: 2026-03-14-" in str(home.query_one("#session-detail").render())


async def test_new_session_from_home_creates_a_private_file_and_opens_it(tmp_path):
    folder = tmp_path / "sessions"
    app = _home_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await type_text(pilot, "Autumn workshop")
        await pilot.press("tab")
        await type_text(pilot, "Brook End")
        await pilot.press("enter")
        await wait_for_workshop(pilot)
        files = list(folder.glob("*.facilitator"))
        assert len(files) == 1 and files[0].name.endswith("-autumn-workshop.facilitator")
        assert files[0].stat().st_mode & 0o777 == 0o600
        assert app.session.state.info.area == "Brook End"


async def test_new_session_needs_a_title(tmp_path):
    app = _home_app(tmp_path / "sessions")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.press("enter")
        await pilot.pause()
        assert "Give the session a title" in str(app.screen.query_one("#form-error").render())
        assert not list((tmp_path / "sessions").glob("*.facilitator"))


async def test_setup_fields_and_participants_are_saved_and_reloaded(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        # Quick add two people from the add box (where the cursor starts).
        await type_text(pilot, "Amira Khan")
        await pilot.press("enter")
        await type_text(pilot, "Dev Patel")
        await pilot.press("enter")
        # Details for a third through the dialog.
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, ParticipantDialog)
        await type_text(pilot, "Cllr Ruth Obi")
        app.screen.query_one("#role").value = "councillor"
        app.screen.query_one("#agency").value = "Borough council"
        app.screen.query_one("#consent").value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Facilitator and date fields, committed when focus leaves them.
        screen = app.screen
        screen.query_one("#facilitator").focus()
        await pilot.pause()
        await type_text(pilot, "Jo Field")
        screen.query_one("#date").focus()  # leaving the field saves it
        await pilot.pause()
        await type_text(pilot, "2026-03-15")  # replaces the selected old date
        await pilot.press("enter")
        await pilot.pause()
        state = app.session.state
        assert [p.name for p in state.participants.values()] == [
            "Amira Khan",
            "Dev Patel",
            "Cllr Ruth Obi",
        ]
    with SessionFile.open(path) as session:
        state = session.state
        people = list(state.participants.values())
        assert [p.name for p in people] == ["Amira Khan", "Dev Patel", "Cllr Ruth Obi"]
        assert people[2].role == "councillor" and people[2].agency == "Borough council"
        assert people[2].consent_named and not people[0].consent_named
        assert state.info.facilitator == "Jo Field"
        assert state.info.date == "2026-03-15"


async def test_edit_consent_remove_and_undo_a_participant(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await type_text(pilot, "Amira Khan")
        await pilot.press("enter")
        before = app.session.state.snapshot()
        table = app.screen.query_one("#participants")
        table.focus()
        await pilot.press("space")  # consent to be named
        assert next(iter(app.session.state.participants.values())).consent_named
        await pilot.press("ctrl+z")
        assert app.session.state.snapshot() == before
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert not app.session.state.participants
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.session.state.snapshot() == before
        await pilot.press("enter")
        assert isinstance(app.screen, ParticipantDialog)
        app.screen.query_one("#name").value = "Amira K."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert next(iter(app.session.state.participants.values())).name == "Amira K."


async def test_empty_participant_name_is_refused_with_a_message(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await type_text(pilot, "   ")
        await pilot.press("enter")
        await pilot.pause()
        assert not app.session.state.participants
        messages = [n.message for n in notifications(app)]
        assert any("cannot be empty" in m for m in messages), messages


async def test_help_lists_keys_and_closes(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(f"{key} {what}" for key, what in app.screen.key_rows)
        assert "ctrl+z Undo" in text and "F4 Go to Stage 1" in text
        await pilot.press("escape")
        assert isinstance(app.screen, WorkshopScreen)


async def test_palette_offers_the_screen_actions(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("Undo", "Stages", "Help", "Add person"):
            assert wanted in titles, titles


async def test_stage_keys_move_and_record_the_stage(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("f4")
        await pilot.pause()
        assert app.session.state.info.current_stage == "all-relationships"
        await pilot.press("ctrl+pageup")
        assert app.session.state.info.current_stage == "criteria"
        await pilot.press("ctrl+g")
        await pilot.press("end", "enter")
        await pilot.pause()
        assert app.session.state.info.current_stage == "notes"
    with SessionFile.open(path) as session:
        assert session.state.info.current_stage == "notes"


async def test_opening_a_locked_session_shows_a_dialog_not_a_traceback(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    holder = SessionFile.open(path)
    try:
        app = app_on(path)
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(40):
                await pilot.pause(0.05)
                if isinstance(app.screen, MessageDialog):
                    break
            assert isinstance(app.screen, MessageDialog)
            assert "open in another facilitator window" in app.screen.message
            await pilot.press("enter")
            assert isinstance(app.screen, HomeScreen)
    finally:
        holder.close()


async def test_foreign_file_in_folder_is_listed_with_its_problem(tmp_path):
    folder = tmp_path / "sessions"
    new_session_file(folder)
    (folder / "notes.facilitator").write_text("not a database")
    app = _home_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        listing = app.screen.query_one("#sessions")
        assert listing.option_count == 2
        rows = [str(listing.get_option_at_index(i).prompt).split() for i in range(2)]
        bad = [i for i, row in enumerate(rows) if row[:2] == ["⚠", "problem"]]
        assert len(bad) == 1 and rows[bad[0]][2] == "notes.facilitator"
        listing.highlighted = bad[0]
        await pilot.pause()
        detail = str(app.screen.query_one("#session-detail").render())
        assert "not a facilitator session" in detail


# -- snapshots --------------------------------------------------------------------------------


def _snapshot_folder(tmp_path):
    folder = tmp_path / "sessions"
    path = new_session_file(folder)
    with SessionFile.open(path, clock=fixed_clock) as session:
        from facilitator.domain import commands

        for i, (name, role, consent) in enumerate(
            [
                ("Amira Khan", "chair", True),
                ("Dev Patel", "worker", True),
                ("Cllr Ruth Obi", "councillor", False),
                ("Sam Reid", "resident-member", True),
            ]
        ):
            session.apply(
                [
                    commands.add(
                        session.state,
                        "participant",
                        entity_id=f"p{i}",
                        name=name,
                        role=role,
                        consent_named=consent,
                    )
                ]
            )
        session.apply(commands.update_session(session.state, facilitator="Jo Field"))
    return folder, path


def test_home_screen_snapshot(snap_compare, tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    folder, _ = _snapshot_folder(tmp_path)
    # The folder's real path varies per run; show a fixed one.
    monkeypatch.setattr(HomeScreen, "folder_label", lambda self: "Sessions folder: ~/sessions")
    assert snap_compare(_home_app(folder), terminal_size=(80, 24))


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_setup_screen_snapshot(snap_compare, tmp_path, theme):
    _, path = _snapshot_folder(tmp_path)

    async def ready(pilot):
        pilot.app.theme = theme
        await wait_for_workshop(pilot)
        await pilot.pause(0.2)

    assert snap_compare(app_on(path), terminal_size=(80, 24), run_before=ready)


async def test_timebox_counts_down_and_time_spent_is_recorded(tmp_path, monkeypatch):
    import facilitator.tui.workshop as workshop_module

    now = [1000.0]
    monkeypatch.setattr(workshop_module, "monotonic", lambda: now[0])
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("ctrl+t")
        await type_text(pilot, "10")
        await pilot.press("enter")
        await pilot.pause()
        bar = app.screen.query_one("#stagebar")
        assert bar.clock == "⏱ 10:00 left"
        now[0] += 9 * 60
        app.screen._tick()
        assert bar.clock == "⚠ 1:00 left"
        now[0] += 90
        app.screen._tick()
        assert bar.clock == "⏱ 0:30 over"
        await pilot.press("f3")  # leaving the stage keeps the time spent on it
        await pilot.pause()
        kept = app.session.state.rows["stage_time"]["setup"]
        assert (kept.timebox_minutes, kept.spent_seconds) == (10, 630)
        # Moving between stages is not something ctrl+z takes back.
        await pilot.press("ctrl+z")
        assert app.session.state.info.current_stage == "criteria"
        assert app.session.state.rows["stage_time"]["setup"].timebox_minutes == 10
        assert "Nothing left to undo." in [n.message for n in notifications(app)]
        now[0] += 45
    with SessionFile.open(path) as session:
        assert session.state.rows["stage_time"]["criteria"].spent_seconds == 45
        assert session.state.rows["stage_time"]["setup"].spent_seconds == 630


async def test_projector_mode_hides_the_footer_and_switches_theme(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        footer = app.screen.query_one("Footer")
        assert footer.display
        await pilot.press("f10")
        await pilot.pause()
        assert app.theme == "projector-dark"
        assert app.screen.query_one("Footer").styles.display == "none"
        await pilot.press("f9")
        assert app.theme == "projector-light"
        await pilot.press("f10")
        await pilot.pause()
        assert app.theme == "textual-dark"
        assert app.screen.query_one("Footer").styles.display != "none"


async def test_unreadable_folder_is_said_plainly_and_the_app_keeps_running(tmp_path, monkeypatch):
    import facilitator.tui.home as home_module

    folder = tmp_path / "sessions"
    new_session_file(folder)

    def refuse(_folder):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(home_module, "list_sessions", refuse)
    app = _home_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hint = str(app.screen.query_one("#empty-hint").render())
        assert "cannot be read: Permission denied" in hint
        # Once it can be read again, F5 lists it.
        monkeypatch.undo()
        await pilot.press("f5")
        await pilot.pause()
        assert app.screen.query_one("#sessions").option_count == 1
        assert not app.screen.query_one("#empty-hint").display


async def test_a_folder_that_cannot_be_made_is_said_plainly_and_new_explains_why(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app = _home_app(blocker / "sessions")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hint = str(app.screen.query_one("#empty-hint").render())
        assert "cannot be made: Not a directory" in hint
        assert "--sessions-dir" in hint
        # Starting a session there says what went wrong, in a dialog, and the app goes on.
        await pilot.press("n")
        await type_text(pilot, "Autumn workshop")
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause(0.02)
            if "could not be created" in screen_text(app):
                break
        assert "That session could not be created" in screen_text(app)
        assert "Not a directory" in screen_text(app)
        assert app.is_running and blocker.read_text() == "not a folder"


async def test_session_list_moves_by_keys_and_opens_by_enter_or_click(tmp_path):
    folder = tmp_path / "sessions"
    paths = [
        new_session_file(folder, title=f"Workshop number {i}", name=f"w{i:02d}.facilitator")
        for i in range(30)
    ]
    app = _home_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        listing = home.query_one("#sessions")
        assert listing.option_count == 30 and listing.highlighted == 0
        await pilot.press("down", "down", "up")
        assert listing.highlighted == 1
        await pilot.press("end")
        await pilot.pause()
        assert listing.highlighted == 29
        assert listing.scroll_offset.y > 0  # the last line was scrolled into view
        chosen = home.selected()
        assert f"File: {chosen.path.rsplit('/', 1)[1]}" in str(
            home.query_one("#session-detail").render()
        )
        await pilot.press("home", "pagedown")
        assert listing.highlighted > 10  # a page further on
        await pilot.press("home", "down", "down", "down")
        assert listing.highlighted == 3
        await pilot.press("enter")
        await wait_for_workshop(pilot)
        assert str(app.session.path) == home.sessions[3].path
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.screen is home
        # A click on a line opens that session.
        await pilot.click("#sessions", offset=(5, 2))
        await wait_for_workshop(pilot)
        assert str(app.session.path) == home.sessions[2 + listing.scroll_offset.y].path
    assert len(paths) == 30


async def _wait_for_problem(pilot) -> None:
    """Until the dialog saying why a session could not be opened is showing."""
    for _ in range(50):
        await pilot.pause(0.05)
        if isinstance(pilot.app.screen, ConfirmDialog | MessageDialog):
            return


async def test_a_file_named_on_the_command_line_that_cannot_be_opened_ends_with_status_1(
    tmp_path,
):
    import sqlite3

    path = new_session_file(tmp_path / "sessions")
    with SessionFile.open(path) as session:
        session.apply([commands.add(session.state, "participant", name="Ann")])
    conn = sqlite3.connect(path)
    conn.execute("UPDATE participant SET name = 'Someone else'")
    conn.commit()
    conn.close()
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait_for_problem(pilot)
        assert isinstance(app.screen, ConfirmDialog | MessageDialog)
        assert "damaged" in str(app.screen.query_one(".dialog-text").render())
        await pilot.press("escape", "ctrl+q")  # "not now" to the backup
        await pilot.pause()
    assert app.return_code == 1
    # Opening another session afterwards is a normal run again.
    other = new_session_file(tmp_path / "sessions", name="other.facilitator")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait_for_problem(pilot)
        await pilot.press("escape")
        app.open_session(other)
        await wait_for_workshop(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_title_or_date_that_cannot_be_saved_is_said_and_the_typing_stays(tmp_path):
    """Clearing the title (or typing a date that is no date) and leaving the box used to
    show the 'Something went wrong' dialog; now it is a warning, and nothing is lost."""
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        screen = app.screen
        title = screen.query_one("#title")
        before = app.session.state.info.title
        title.focus()
        await pilot.pause()
        title.value = ""
        screen.query_one("#date").focus()  # leaving the title box saves it
        await pilot.pause()
        date = screen.query_one("#date")
        await pilot.pause()
        date.value = "20240101"
        screen.query_one("#facilitator").focus()
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)  # no error dialog over it
        warnings = [n.message for n in notifications(app) if n.severity == "warning"]
        assert len(warnings) == 2, warnings
        assert "YYYY-MM-DD" in warnings[1] or "date" in warnings[1].lower()
        assert title.value == "" and date.value == "20240101"  # the typing stays
        assert app.session.state.info.title == before  # and nothing wrong was saved
