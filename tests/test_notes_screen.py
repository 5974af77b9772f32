"""The Notes stage: the notes people take away, kept up to date, with or without names."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from facilitator.demo import build_demo
from facilitator.domain import commands
from facilitator.tui.app import make_app
from tests.tui_helpers import screen_text, wait_for_workshop, wait_until


async def test_notes_preview_follows_changes_and_hides_names_on_request(tmp_path):
    path = tmp_path / "sessions" / "demo.facilitator"
    path.parent.mkdir()
    build_demo(path).close()
    app = make_app(sessions_dir=path.parent, open_path=path)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("f8")
        await wait_until(pilot, lambda: "Notes preview ·" in screen_text(app), "the preview")
        shown = screen_text(app)
        assert "Notes preview · ctrl+r to export" in shown
        assert "Wrenhollow relationship mapping workshop" in shown
        assert "Maureen Oakley" in shown
        # A preview is one widget, however long the notes (a widget per paragraph and
        # table cell made moving between stages take seconds).
        pane = app.screen.current_pane()
        assert len(list(pane.walk_children())) < 10

        await pilot.press("a")
        await wait_until(pilot, lambda: "anonymised" in screen_text(app), "the anonymised preview")
        shown = screen_text(app)
        assert "Notes preview, anonymised" in shown
        assert "Maureen Oakley" not in shown and "Participant 1" in shown
        await pilot.press("a")
        await wait_until(pilot, lambda: "Maureen Oakley" in screen_text(app), "names again")

        # A change anywhere shows in the notes when they are next looked at.
        state = app.session.state
        app.session.apply(commands.update_session(state, title="Spring review in Wrenhollow"))
        app.screen.refresh_panes()
        await pilot.press("f2")
        await pilot.press("f8")
        await wait_until(pilot, lambda: "Spring review in Wrenhollow" in screen_text(app), "change")


@given(st.lists(st.sampled_from(["", "- a point", "| a | b |", "## Heading", "text"]), max_size=80))
def test_preview_is_whole_or_cut_at_a_blank_line_with_a_word_on_the_rest(lines):
    from facilitator.tui.notes import preview_text

    text = "\n".join(lines)
    shown = preview_text(text, limit=30)
    if len(text.splitlines()) <= 30:
        assert shown == text
        return
    kept = shown.splitlines()[:-2]
    assert text.splitlines()[: len(kept)] == kept
    assert len(kept) <= 30
    assert kept[-1].strip() == "" or len(kept) == 15  # a blank line, or half the limit
    rest = len(text.splitlines()) - len(kept)
    assert shown.splitlines()[-1].startswith(f"*The preview stops here: {rest:,} more lines.")
