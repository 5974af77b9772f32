"""Widgets for stages 2 and 3: score bars, checklists, notes, steps and the relationship picker."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import (
    Input,
    Label,
    OptionList,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from facilitator.tui.dialogs import FormDialog, labelled
from facilitator.tui.tables import PlainTable, plain
from facilitator.tui.ticks import TickList

SCORE_MAX = 5
FULL, EMPTY = "●", "○"


def score_bar(score: int | None, out_of: int = SCORE_MAX) -> str:
    """Filled and empty dots for a score, e.g. 4 -> "●●●●○" (readable without colour)."""
    filled = max(0, min(score or 0, out_of))
    return FULL * filled + EMPTY * (out_of - filled)


def score_text(score: int | None) -> str:
    """A score as dots and words, e.g. "●●●●○ 4 of 5", or "○○○○○ not rated"."""
    if score is None:
        return f"{score_bar(None)} not rated"
    return f"{score_bar(score)} {score} of {SCORE_MAX}"


class ScoreBar(Widget, can_focus=True):
    """A 1-5 score for one criterion: digits set it, + and - nudge it, 0 clears it."""

    BINDINGS = [
        *[Binding(str(n), f"set_score({n})", f"Score {n}", show=False) for n in range(1, 6)],
        Binding(
            "plus,equals_sign,right", "nudge(1)", "Higher", show=False, tooltip="Raise the score"
        ),
        Binding("minus,left", "nudge(-1)", "Lower", show=False, tooltip="Lower the score"),
        Binding("0,delete", "set_score(0)", "Clear score", show=False),
    ]

    score: reactive[int | None] = reactive(None)

    class Scored(Message):
        """The facilitator gave a new score (None: cleared)."""

        def __init__(self, bar: ScoreBar, score: int | None) -> None:
            super().__init__()
            self.bar = bar
            self.score = score

        @property
        def control(self) -> ScoreBar:
            return self.bar

    def __init__(self, *, criterion_id: str = "", **kw: Any) -> None:
        super().__init__(**kw)
        self.criterion_id = criterion_id

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.score is None:
            text.append(f"{score_bar(None)}  ", style="dim")
            text.append("not rated", style="italic")
        else:
            text.append(f"{score_bar(self.score)}  ", style="bold")
            text.append(f"{self.score} of {SCORE_MAX}")
        return text

    def action_set_score(self, score: int) -> None:
        self.post_message(self.Scored(self, score or None))

    def action_nudge(self, step: int) -> None:
        current = self.score
        if current is None:
            new = 1 if step > 0 else None
        else:
            new = max(1, min(SCORE_MAX, current + step))
        if new != current and new is not None:
            self.post_message(self.Scored(self, new))


class WhyInput(Input):
    """A one-line reason that shows its start while nobody is typing in it.

    Textual keeps the cursor (and so the view) at the end of what was put in a box, which
    hides the start of a long reason. Away from the box the view goes back to the start,
    and the whole reason is the box's tooltip; in the box, typing goes on at the end.
    """

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("select_on_focus", False)  # a key typed adds to the reason
        super().__init__(*args, **kw)

    def show_start(self) -> None:
        self.cursor_position = 0
        self.tooltip = self.value or None

    def _on_focus(self, event: Any) -> None:
        super()._on_focus(event)
        if self.selection.is_empty:
            self.cursor_position = len(self.value)

    def _on_blur(self, event: Any) -> None:
        super()._on_blur(event)
        self.show_start()


class NoteArea(TextArea):
    """A multi-line note, saved as one change when the cursor leaves it."""

    class Left(Message):
        def __init__(self, area: NoteArea) -> None:
            super().__init__()
            self.area = area

        @property
        def control(self) -> NoteArea:
            return self.area

    def __init__(self, *, draft_key: str, **kw: Any) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kw)
        self.draft_key = draft_key

    def _on_blur(self, event: Any) -> None:
        self.post_message(self.Left(self))


class Checklist(TickList):
    """Tick boxes for terms; space or Enter ticks. Redrawn from the state after each change."""

    _items: list[tuple[str, str]] | None = None

    class Highlighted(Message):
        """The cursor moved to an item; its explanation can be shown nearby."""

        def __init__(self, checklist: Checklist, value: str | None) -> None:
            super().__init__()
            self.checklist = checklist
            self.value = value

        @property
        def control(self) -> Checklist:
            return self.checklist

    def show(self, items: Iterable[tuple[str, str]], ticked: set[str]) -> None:
        """Show (value, label) items, ticked where the value is in ``ticked``."""
        items = list(items)
        same_items = items == self._items
        self._items = items
        with self.prevent(SelectionList.SelectedChanged):
            if same_items:
                for value, _label in items:
                    if value in ticked:
                        self.select(value)
                    else:
                        self.deselect(value)
                return
            highlighted = self.highlighted
            self.clear_options()
            self.add_options(
                [Selection(Text(label), value, value in ticked) for value, label in items]
            )
            if items:
                self.highlighted = min(highlighted or 0, len(items) - 1)

    @on(SelectionList.SelectionHighlighted)
    def _moved(self, event: SelectionList.SelectionHighlighted) -> None:
        event.stop()
        if self.has_focus:
            self.post_message(self.Highlighted(self, event.selection.value))

    def on_focus(self) -> None:
        if self.highlighted is not None and self.option_count:
            value = self.get_option_at_index(self.highlighted).value
            self.post_message(self.Highlighted(self, value))


class ActionTable(PlainTable):
    """Next steps agreed for a relationship: Enter edits, Delete removes."""

    BINDINGS = [
        Binding("enter", "edit_step", "Edit"),
        Binding("delete,backspace", "remove_step", "Remove"),
    ]

    class Requested(Message):
        """Edit or remove the step under the cursor."""

        def __init__(self, table: ActionTable, what: str, action_id: str) -> None:
            super().__init__()
            self.table = table
            self.what = what  # "edit" | "remove"
            self.action_id = action_id

        @property
        def control(self) -> ActionTable:
            return self.table

    def selected_id(self) -> str | None:
        if self.row_count == 0 or self.cursor_row < 0:
            return None
        return self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value

    def _request(self, what: str) -> None:
        action_id = self.selected_id()
        if action_id is not None:
            self.post_message(self.Requested(self, what, action_id))

    def action_edit_step(self) -> None:
        self._request("edit")

    def action_remove_step(self) -> None:
        self._request("remove")


class ActionDialog(FormDialog):
    """Add or change a next step: what, who (organisation and person), by when."""

    def __init__(self, values: dict[str, Any] | None = None, *, agency: str = "") -> None:
        super().__init__()
        self.initial = values or {}
        self.agency = agency
        self.heading = "Change this step" if values else "Add a next step"

    def compose_fields(self) -> ComposeResult:
        v = self.initial
        yield labelled(Input(v.get("what", ""), id="what", placeholder="what will happen"), "What")
        yield labelled(
            Input(
                v.get("who_org", ""),
                id="who_org",
                placeholder=f"e.g. the partnership, or {self.agency}"
                if self.agency
                else "e.g. the partnership",
            ),
            "Who: which organisation",
        )
        yield labelled(
            Input(v.get("who_person", ""), id="who_person", placeholder="a name, if agreed"),
            "Who: which person",
        )
        yield labelled(
            Input(v.get("by_when", ""), id="by_when", placeholder="e.g. end of April, 2026-05-01"),
            "By when",
        )

    def on_mount(self) -> None:
        self.query_one("#what", Input).focus()

    def values(self) -> dict[str, Any] | None:
        what = self.query_one("#what", Input).value
        if not what.strip():
            self.show_error("Say what the step is: a few words are enough.")
            self.query_one("#what", Input).focus()
            return None
        return {
            name: self.query_one(f"#{name}", Input).value
            for name in ("what", "who_org", "who_person", "by_when")
        }


class PickerSearch(Input):
    """The picker's search box: up and down move through the list below it."""

    BINDINGS = [
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("pagedown", "move(8)", "Page down", show=False),
        Binding("pageup", "move(-8)", "Page up", show=False),
    ]

    def action_move(self, step: int) -> None:
        options = self.screen.query_one(OptionList)
        if options.option_count == 0:
            return
        current = options.highlighted if options.highlighted is not None else -1
        options.highlighted = max(0, min(options.option_count - 1, current + step))


class RelationshipPicker(ModalScreen[str | None]):
    """Choose a relationship from the map. Typing narrows the list; Enter picks."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(
        self,
        title: str,
        options: list[tuple[str, Text, str]],
        current: str | None = None,
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        """``options`` are (id, text to show, text to search); ``check`` returns a refusal."""
        super().__init__()
        self.title_text = title
        self.options = options
        self.current = current
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield labelled(
                PickerSearch(placeholder="type part of a name to narrow the list", id="search"),
                "Search",
            )
            yield OptionList(id="picker-options")
            yield Static("", id="picker-error", classes="form-error", markup=False)
            yield Static("↑↓ choose · Enter pick · Escape cancel", classes="dim", markup=False)

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#search", Input).focus()

    def _fill(self, query: str) -> None:
        words = query.casefold().split()
        shown = [
            (oid, text)
            for oid, text, haystack in self.options
            if all(w in haystack.casefold() for w in words)
        ]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(plain(text), id=oid) for oid, text in shown])
        ids = [oid for oid, _ in shown]
        if ids:
            options.highlighted = ids.index(self.current) if self.current in ids else 0

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        self.query_one("#picker-error", Static).update("")
        self._fill(event.value)

    @on(Input.Submitted, "#search")
    def _enter(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            self.query_one("#picker-error", Static).update("Nothing matches that search.")
            return
        option = options.get_option_at_index(options.highlighted)
        self._choose(option.id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id is None:
            return
        refusal = self.check(option_id) if self.check else None
        if refusal:
            self.query_one("#picker-error", Static).update(refusal)
            self.app.bell()
            return
        self.dismiss(option_id)
