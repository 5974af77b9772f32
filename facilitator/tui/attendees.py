"""The boxes for who is at a conversation: names typed there are never lost.

Tab in a name box takes the name suggested from the room, as a shell completes a word,
and only moves on when there is nothing to complete. Letters typed on the list of names
above go to that side's name box (with the cursor there), instead of vanishing into a
list that has no use for them.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.binding import Binding
from textual.widgets import Input

from facilitator.tui.conversation.widgets import ItemList


class AttendeeInput(Input):
    """A name box whose Tab completes the suggested name before it moves on."""

    BINDINGS = [Binding("tab", "complete_or_next", "Complete the name", show=False)]

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("select_on_focus", False)  # a key typed adds, never replaces
        super().__init__(*args, **kw)

    def action_complete_or_next(self) -> None:
        suggestion = self._suggestion
        if suggestion and suggestion != self.value and self.cursor_at_end:
            self.value = suggestion
            self.cursor_position = len(suggestion)
        else:
            self.screen.focus_next()


class AttendeeList(ItemList):
    """The names on one side; typing here types into that side's name box."""

    def name_box(self) -> Input | None:
        parent = self.parent
        found = parent.query(Input) if parent is not None else None
        return found.first(Input) if found else None

    def on_key(self, event: events.Key) -> None:
        if not event.is_printable or not event.character:
            return
        box = self.name_box()
        if box is None:
            return
        event.stop()
        event.prevent_default()
        box.focus()
        box.cursor_position = len(box.value)
        box.insert_text_at_cursor(event.character)
