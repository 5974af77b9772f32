"""The criteria stage's tables and text boxes; each posts what its keys ask for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

from facilitator.tui.criteria.votes import label
from facilitator.tui.tables import PlainTable


class CriteriaTable(PlainTable):
    """The eight criteria. Space (or a number 1-8) marks one; Enter or c chooses two."""

    BINDINGS = [
        Binding(
            "space", "toggle_mark", "Mark", show=False, tooltip="Mark or unmark this criterion"
        ),
        Binding("c", "choose", "Choose", tooltip="Choose the two marked criteria directly"),
        Binding("enter", "choose", "Choose", show=False),
        *[Binding(str(n), f"mark_number({n})", show=False) for n in range(1, 9)],
    ]

    @dataclass
    class Mark(Message):
        """Mark (or unmark) the criterion on this row."""

        row: int

    class Choose(Message):
        """Choose the two marked criteria."""

    def action_toggle_mark(self) -> None:
        self.post_message(self.Mark(self.cursor_row))

    def action_mark_number(self, number: int) -> None:
        self.move_cursor(row=number - 1)
        self.post_message(self.Mark(number - 1))

    def action_choose(self) -> None:
        self.post_message(self.Choose())


class DotGrid(PlainTable):
    """People (rows) by criteria (columns): the dots each person placed."""

    BINDINGS = [
        Binding("0", "set_dots(0)", "Set dots", key_display="0-9", show=False),
        *[Binding(str(n), f"set_dots({n})", show=False) for n in range(1, 10)],
        Binding("plus,equals_sign,space", "add_dots(1)", "One more", show=False),
        Binding("minus,backspace,delete", "add_dots(-1)", "One fewer", show=False),
    ]

    @dataclass
    class Dots(Message):
        """Set the highlighted cell to ``dots`` (when given), or add ``delta`` to it."""

        dots: int | None
        delta: int = 0

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=True, **kwargs)
        self.people: list[str] = []  # participant id of each row, in order
        self.criteria: list[str] = []  # criterion id of each column, in order

    def cell_at_cursor(self) -> tuple[str | None, str | None]:
        row, column = self.cursor_coordinate
        person = self.people[row] if 0 <= row < len(self.people) else None
        criterion = self.criteria[column] if 0 <= column < len(self.criteria) else None
        return person, criterion

    def action_cursor_down(self) -> None:
        # The totals row is for reading, not for dots: stop on the last person.
        if self.cursor_row < len(self.people) - 1:
            super().action_cursor_down()

    def action_cursor_right(self) -> None:
        # So is the dots-left column: stop on the last criterion.
        if self.cursor_column < len(self.criteria) - 1:
            super().action_cursor_right()

    def action_set_dots(self, dots: int) -> None:
        self.post_message(self.Dots(dots))

    def action_add_dots(self, delta: int) -> None:
        self.post_message(self.Dots(None, delta))


class OwnWordsArea(TextArea):
    """The group's own words for one chosen criterion; saved on leaving it or ctrl+s."""

    BINDINGS = [
        Binding("ctrl+s", "save_words", "Save", tooltip="Save these words now"),
        Binding("escape", "done", "Done", tooltip="Save and go back to the list"),
    ]

    @dataclass
    class Save(Message):
        """Save what is typed in ``area``; ``announce`` says so once saved."""

        area: OwnWordsArea
        announce: bool = False

    class Done(Message):
        """Back to the list of the eight."""

    def __init__(self, criterion_id: str) -> None:
        super().__init__(id=f"own-words-{criterion_id}", soft_wrap=True, tab_behavior="focus")
        self.criterion_id = criterion_id
        self.draft_key = f"criteria.own-words.{criterion_id}"
        self.border_title = f"What “{label(criterion_id)}” means to us"

    def action_save_words(self) -> None:
        self.post_message(self.Save(self, announce=True))

    def action_done(self) -> None:
        self.post_message(self.Done())

    async def action_undo(self) -> None:
        if self.history.undo_stack:
            super().action_undo()
        else:
            # Nothing typed here to take back: undo the session's last change instead.
            await self.run_action("screen.undo")

    def on_blur(self, event: events.Blur) -> None:
        if self.is_attached and getattr(self.app, "session", None) is not None:
            self.post_message(self.Save(self))
