"""At 80x24, nothing a facilitator needs is cut, hidden or covered.

The made-up demo workshop gives every screen realistic, crowded content. Each defect has
a check that reads the screen (and fails if it comes back) and an SVG snapshot.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Footer, Input, Select, SelectionList, Static
from textual.widgets._footer import FooterKey

import facilitator.tui.conversation.timer as conversation_module
import facilitator.tui.workshop as workshop_module
from facilitator.demo import build_demo
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.footer import FittedFooter, FooterItem, choose_keys
from facilitator.tui.stages.map_widget import RelationshipMap
from tests.test_conversation_screen import conversation_file, resume_first
from tests.tui_helpers import app_on, new_session_file, screen_text, wait_for_workshop

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def still_clocks(monkeypatch):
    """Stage and section timers read clocks that do not move: screens repeat exactly."""
    monkeypatch.setattr(workshop_module, "monotonic", lambda: 1000.0)
    monkeypatch.setattr(conversation_module, "monotonic", lambda: 1000.0)


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.facilitator"
    build_demo(path).close()
    return path


@pytest.fixture
def demo(demo_master, tmp_path) -> Path:
    """A fresh copy of the demo workshop for one test."""
    folder = tmp_path / "sessions"
    folder.mkdir()
    copy = folder / demo_master.name
    shutil.copy(demo_master, copy)
    return copy


async def settle(pilot, seconds: float = 0.3) -> None:
    await pilot.pause()
    await pilot.pause(seconds)


def keys(*pressed: str):
    """Open the workshop, press keys one by one, and let the screen settle."""

    async def run(pilot) -> None:
        await wait_for_workshop(pilot)
        for key in pressed:
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)

    return run


async def note_box_toast(pilot) -> None:
    """A conversation prompt, with a message about the note box just shown."""
    await resume_first(pilot)
    await pilot.press("exclamation_mark", "enter")  # a tag with no words: a warning
    await settle(pilot)


# What each screen is opened on and how it is reached: (session, steps).
SCREENS = {
    "criteria-descriptions": ("new", keys("f3")),
    "vote-heading": ("demo", keys("f3", "v")),
    "map-names": ("demo", keys("f4")),
    "stage1-table": ("demo", keys("f4", "escape", "v", "up", "up")),
    "relationship-dialog": ("demo", keys("f4", "escape", "v", "enter")),
    "dropdown": ("demo", keys("f4", "escape", "v", "enter", "tab", "enter")),
    "summary-footer": ("demo", keys("f7", "enter")),
    "note-toast": ("conversation", note_box_toast),
    "action-dialog": ("demo", keys("f7", "enter", "ctrl+n")),
    "next-step-dialog": ("demo", keys("f6", "ctrl+o", "ctrl+o", "ctrl+o", "ctrl+n")),
}


def session_for(kind: str, demo_path: Path, tmp_path: Path) -> Path:
    if kind == "demo":
        return demo_path
    if kind == "conversation":
        return conversation_file(tmp_path / "conversation")
    return new_session_file(tmp_path / "new")


@pytest.mark.parametrize("name", list(SCREENS))
def test_snapshot_80x24(name, snap_compare, demo, tmp_path):
    kind, run_before = SCREENS[name]
    app = app_on(session_for(kind, demo, tmp_path))
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


# -- the Footer ------------------------------------------------------------------------------


def footer_problems(app) -> list[str]:
    """Keys that run past the edge or under the palette key; empty when all fit."""
    footer = app.screen.query_one(Footer)
    shown = [k for k in footer.query(FooterKey) if k.display]
    palette = [k for k in shown if k.has_class("-command-palette")]
    right = palette[0].region.x if palette else footer.region.right
    problems = []
    for key in shown:
        if key in palette:
            continue
        if key.region.right > right or key.region.width < len(key.description):
            problems.append(f"{key.key_display} {key.description}: {key.region}")
    return problems


def footer_words(app) -> str:
    return " ".join(k.description for k in app.screen.query(FooterKey) if k.display)


FOOTER_SCREENS = {
    "setup": keys("f2"),
    "criteria": keys("f3"),
    "vote": keys("f3", "v"),
    "map": keys("f4", "escape"),
    "table": keys("f4", "escape", "v"),
    "stage 2": keys("f5"),
    "stage 3": keys("f6"),
    "conversations": keys("f7"),
    "summary": keys("f7", "enter"),
    "notes": keys("f8"),
}


async def test_every_footer_fits_80_columns_with_help_and_its_own_keys(demo):
    app = app_on(demo)
    async with app.run_test(size=SIZE) as pilot:
        for where, run in FOOTER_SCREENS.items():
            await run(pilot)
            assert footer_problems(app) == [], where
            words = footer_words(app)
            assert "Help" in words, (where, words)
            if where == "summary":
                # The stage's own keys win over the workshop's: Esc Steps stays.
                assert "Steps" in words, words


async def test_conversation_prompt_footer_keeps_esc_steps(tmp_path):
    app = app_on(conversation_file(tmp_path / "sessions"))
    async with app.run_test(size=SIZE) as pilot:
        await resume_first(pilot)
        await settle(pilot)
        assert footer_problems(app) == []
        words = footer_words(app)
        for word in ("Next", "Back", "Steps", "Help"):
            assert word in words, words


async def test_a_wide_screen_keeps_every_key(demo):
    app = app_on(demo)
    async with app.run_test(size=(160, 30)) as pilot:
        await keys("f7", "enter")(pilot)
        words = footer_words(app)
        for word in ("Steps", "Undo", "Stages", "Quit", "Help"):
            assert word in words, words


def _item(rank: int, order: int, width: int) -> FooterItem:
    from textual.binding import Binding

    return FooterItem(Binding(str(order), "x", "x"), True, "", rank, order, width)


def test_choose_keys_keeps_the_most_important_whole_keys_in_their_own_order():
    items = [_item(3, 0, 10), _item(1, 1, 10), _item(0, 2, 8), _item(2, 3, 30), _item(2, 4, 5)]
    kept = choose_keys(items, 30)
    # Rank 0 and 1 first (18), the 30-wide one cannot fit, the 5-wide one can; rank 3 not.
    assert [i.order for i in kept] == [1, 2, 4]
    assert sum(i.width for i in kept) <= 30
    assert choose_keys(items, 200) == sorted(items, key=lambda i: i.order)


# -- criteria --------------------------------------------------------------------------------


async def test_criteria_descriptions_are_whole_before_the_choice(tmp_path):
    app = app_on(new_session_file(tmp_path / "sessions"))
    async with app.run_test(size=SIZE) as pilot:
        await keys("f3")(pilot)
        assert "…" not in screen_text(app)
        table = app.screen.query_one("#criteria-table")
        assert table.region.bottom < SIZE[1] - 1  # the whole table is in view
        for row, term in enumerate(load_vocabulary().criteria):
            assert str(table.get_row_at(row)[3]) == term.description


async def test_vote_heading_is_one_line_and_says_how_to_change_dots_each(demo):
    app = app_on(demo)
    async with app.run_test(size=SIZE) as pilot:
        await keys("f3", "v")(pilot)
        heading = app.screen.query_one("#vote-heading", Static)
        assert heading.region.height == 1, heading.region
        text = str(heading.render())
        assert "2 dots each (e to change)" in text
        assert "e: dots each" not in screen_text(app)


# -- stage 1 ---------------------------------------------------------------------------------


async def test_every_relationship_on_the_crowded_map_shows_a_name(demo):
    app = app_on(demo)
    async with app.run_test(size=SIZE) as pilot:
        await keys("f4")(pilot)
        layout = app.screen.query_one(RelationshipMap).current_layout()
        assert len(layout.marks) >= 15
        nameless = [m.tag for m in layout.marks.values() if not m.name]
        assert nameless == []


async def test_table_says_purposes_and_holders_of_the_selected_row(demo):
    app = app_on(demo)
    async with app.run_test(size=SIZE) as pilot:
        await keys("f4", "escape", "v", "up", "up")(pilot)
        status = str(app.screen.query_one("#rel-status", Static).render())
        state = app.session.state
        selected = app.screen.current_pane().selected
        rel = state.relationships[selected]
        vocab = load_vocabulary()
        assert "For: " in status and "Held by: " in status
        for purpose in rel.purposes:
            assert vocab.get("purposes", purpose).short in status
        for role in rel.holder_roles:
            assert vocab.get("holders", role).short in status


# -- dialogs ---------------------------------------------------------------------------------


async def test_dialog_check_lists_show_whole_labels(demo):
    app = app_on(demo)
    async with app.run_test(size=SIZE) as pilot:
        await keys("f4", "escape", "v", "enter")(pilot)
        for checklist in app.screen.query(SelectionList):
            assert checklist.styles.text_wrap == "wrap"
            assert checklist.styles.text_overflow != "ellipsis"
        text = " ".join(screen_text(app).split())
        for cut in ("memb…", "trust…", "resident …", "doing t…"):
            assert cut not in text


async def test_an_open_dropdown_has_its_own_background(demo):
    app = app_on(demo)
    async with app.run_test(size=SIZE) as pilot:
        await keys("f4", "escape", "v", "enter", "tab", "enter")(pilot)
        select = app.screen.query_one("#rel-agency-type", Select)
        assert select.expanded
        overlay = select.query_one("SelectOverlay")
        dialog = app.screen.query_one(".dialog")
        assert overlay.styles.background != dialog.styles.background
        assert overlay.styles.border_top[0] not in ("", "none", "hidden")


@pytest.mark.parametrize(
    "steps",
    [("f7", "enter", "ctrl+n"), ("f6", "ctrl+o", "ctrl+o", "ctrl+o", "ctrl+n")],
    ids=["agreed action", "next step"],
)
async def test_every_field_of_the_action_dialogs_shows_whole(demo, steps):
    app = app_on(demo)
    async with app.run_test(size=SIZE) as pilot:
        await keys(*steps)(pilot)
        fields = app.screen.query_one(".form-fields")
        assert fields.max_scroll_y == 0, "the fields have to be scrolled"
        boxes = [*app.screen.query(Input), *app.screen.query(Select)]
        assert len(boxes) >= 4
        for box in boxes:
            assert fields.region.contains_region(box.region), (box.id, box.region)
        assert any(box.id in ("by_when", "action-when") for box in boxes)
        buttons = app.screen.query_one(".dialog-buttons")
        assert buttons.region.bottom <= SIZE[1]
        # An error line appears without pushing a field out of sight.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Say what" in screen_text(app)
        assert fields.max_scroll_y == 0
        for box in boxes:
            assert fields.region.contains_region(box.region), (box.id, box.region)


# -- toasts ----------------------------------------------------------------------------------


async def test_a_message_never_covers_the_note_box(tmp_path):
    app = app_on(conversation_file(tmp_path / "sessions"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await note_box_toast(pilot)
        box = app.focused
        assert isinstance(box, Input) and box.id == "note-input"
        toasts = list(app.screen.query("Toast"))
        assert toasts, "no message was shown"
        for toast in toasts:
            assert not toast.region.overlaps(box.region), (toast.region, box.region)


async def test_a_message_stays_low_when_the_box_is_at_the_top(demo):
    app = app_on(demo)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await keys("f4")(pilot)  # the add box is at the top
        box = app.focused
        assert box is not None and box.id == "rel-quick-add"
        app.notify("A message")
        await settle(pilot)
        toasts = list(app.screen.query("Toast"))
        assert toasts
        for toast in toasts:
            assert not toast.region.overlaps(box.region)
            assert toast.region.y > SIZE[1] // 2


class _Busy(Static, can_focus=True):
    BINDINGS = [
        (key, f"note('{key}')", word)
        for key, word in zip(
            "abcdefg", ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Fox", "Golf"], strict=True
        )
    ]

    def action_note(self, key: str) -> None:
        pass


class _Keeps(_Busy):
    FOOTER_FIRST = {"note('g')"}


@pytest.mark.parametrize("widget", [_Busy, _Keeps])
async def test_a_widget_can_keep_one_of_its_keys_in_a_narrow_footer(widget):
    from textual.app import App

    class Small(App):
        def compose(self):
            yield widget("busy")
            yield FittedFooter()

        def on_mount(self):
            self.query_one(widget).focus()

    app = Small()
    async with app.run_test(size=(40, 5)) as pilot:
        await settle(pilot)
        assert footer_problems(app) == []
        words = footer_words(app).split()
        assert "Alpha" in words and len(words) < 8  # not all of them fit in 40 columns
        assert ("Golf" in words) == (widget is _Keeps)
