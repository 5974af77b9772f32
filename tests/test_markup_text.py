"""People's words are shown as typed, everywhere: text that looks like markup is not markup.

Textual and Rich read square brackets in plain strings as style tags. A workshop title
such as "Residents [north]" would lose its brackets, "[/x]" would stop a screen from
drawing, and "[@click=app.quit]" would even become a link. Every free-text field of
the demo session is given such text here; then every screen is visited.
"""

from __future__ import annotations

from pathlib import Path

from facilitator.demo import build_demo
from facilitator.domain import commands
from facilitator.tui.app import make_app
from tests.tui_helpers import screen_text, wait_for_workshop

HOSTILE = "[/x][b]"  # an unmatched closing tag, then an opening one
LINK = "[@click=app.quit]q[/]"

TEXT_FIELDS = {
    "participant": ("name", "agency"),
    "criterion_choice": ("reason", "own_words"),
    "relationship": ("name", "notes", "works_notes", "better_looks_like"),
    "rating": ("why",),
    "outcome": ("text",),
    "factor": ("notes",),
    "action": ("what", "who_org", "who_person", "notes"),
    "conversation": ("agency_name", "boundaries_in", "boundaries_out", "summary"),
    "attendee": ("name",),
    "prompt_answer": ("text",),
    "action_review": ("note",),
}


def hostile_demo(folder: Path) -> Path:
    """The demo session with markup-like text at the start of every free-text field."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "demo.facilitator"
    session = build_demo(path)
    try:
        session.apply(
            commands.update_session(
                session.state,
                title=f"{HOSTILE} Wrenhollow {LINK}",
                area=f"{HOSTILE}North [side]",
                facilitator=f"{LINK} Jo",
            )
        )
        for kind, names in TEXT_FIELDS.items():
            for entity_id, entity in list(session.state.of(kind).items()):
                fields = {n: f"{HOSTILE}{getattr(entity, n)}" for n in names if getattr(entity, n)}
                if fields:
                    session.apply(commands.edit(session.state, kind, entity_id, **fields))
    finally:
        session.close()
    return path


async def test_markup_like_words_show_as_typed_on_every_screen(tmp_path):
    path = hostile_demo(tmp_path / "sessions")
    app = make_app(sessions_dir=path.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "[/x][b] Wrenhollow" in screen_text(app)
        await pilot.press("enter")  # open it
        await wait_for_workshop(pilot)
        seen = []
        for key in ("f2", "f3", "f4", "f5", "f6", "f7", "f8"):
            await pilot.press(key)
            await pilot.pause(0.2)
            seen.append(screen_text(app))
        # The stage 1 table and the details of a relationship too.
        await pilot.press("f4")
        await pilot.pause()
        pane = app.screen.current_pane()
        pane.action_toggle_view()
        await pilot.pause()
        seen.append(screen_text(app))
        pane.action_details()
        await pilot.pause(0.2)
        seen.append(screen_text(app))
        await pilot.press("escape")
        await pilot.pause()
        # Pick lists name relationships and people too.
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("ctrl+y")
        await pilot.pause(0.2)
        seen.append(screen_text(app))
        await pilot.press("escape")
        await pilot.pause()
        from facilitator.tui.pickers import PickDialog

        people = [(pid, p.name) for pid, p in app.session.state.participants.items()]
        app.push_screen(PickDialog("Who from the room?", people))
        await pilot.pause(0.2)
        picked = screen_text(app)
        assert picked.count(HOSTILE) >= 3
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        # Undo says what it took back, naming the relationship.
        pane.action_toggle_view()
        await pilot.pause()
        pane.action_ring(4)
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.is_running
        everything = "\n".join(seen)
        assert everything.count(HOSTILE) >= 10, "the brackets should show as typed"
        assert "[side]" in everything or "[side" in everything
        assert "[@click=app.quit]q[/]" in everything
