"""Widgets for the conversation stage: the projected prompt, notes, the running panel."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from facilitator.domain.conversation import PanelItem
from facilitator.domain.model import PromptAnswer
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.tables import PlainTable

PANEL_HEADINGS = {
    "challenge": ("!", "Challenges"),
    "opportunity": ("+", "Opportunities"),
    "action": ("→", "Agreed actions"),
}


def content_key(content: object) -> object:
    """Something to compare a Static's content by (Content's == ignores its styles)."""
    if isinstance(content, Content):
        return (content.plain, tuple(content.spans))
    return content


def show(widget: Static, content: Content | str) -> None:
    """Update a Static only when its content changes: every update lays the screen out."""
    key = content_key(content)
    if getattr(widget, "_shown_key", None) != key:
        widget._shown_key = key  # type: ignore[attr-defined]
        widget.update(content)


class PromptCard(Container):
    """The prompt in large, bold, centred type: what the room reads on the wall."""

    def compose(self) -> ComposeResult:
        yield Static(id="prompt-text")

    def show(
        self, text: str, probe: str = "", probe_label: str = "", skipped: bool = False
    ) -> None:
        parts: list[Content | str | tuple[str, str]] = [(text, "bold")]
        if probe:
            parts += ["\n\n", (f"{probe_label}  ", "bold $text-accent"), (probe, "italic")]
        if skipped:
            parts += ["\n\n", ("(skipped earlier: a note here brings it back)", "$text-muted")]
        show(self.query_one("#prompt-text", Static), Content.assemble(*parts))


class ItemList(OptionList):
    """An OptionList whose items can be changed (Enter) or removed (Delete)."""

    BINDINGS = [
        Binding("enter", "select", "Change", show=True),
        Binding("delete,backspace", "remove_item", "Remove"),
    ]

    @dataclass
    class Remove(Message):
        """The facilitator wants to remove the highlighted item."""

        item_list: ItemList
        option_id: str

        @property
        def control(self) -> ItemList:
            return self.item_list

    def action_remove_item(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id and not option.disabled:
            self.post_message(self.Remove(self, option.id))

    def replace(self, options: list[Option | None]) -> None:
        """Swap the options, keeping the highlight on the same id where possible."""
        signature = [
            (o.id, o.disabled, content_key(o.prompt)) if isinstance(o, Option) else None
            for o in options
        ]
        if signature == getattr(self, "_signature", None):
            return  # the same lines: spare the screen a redraw
        self._signature = signature
        current = self.highlighted_option.id if self.highlighted_option else None
        at = self.highlighted
        self.clear_options()
        self.add_options(options)
        ids = [o.id if isinstance(o, Option) else None for o in options]
        if current in ids:
            self.highlighted = ids.index(current)
        elif self.option_count:
            self.highlighted = min(at or 0, self.option_count - 1)
        option = self.highlighted_option
        if option is not None and option.disabled:
            self.action_cursor_down()


def note_option(note_id: str, note: PromptAnswer) -> Option:
    """A note as a line: "Agency · ! Challenge  Money runs out in March"."""
    vocab = load_vocabulary()
    parts: list[tuple[str, str] | str] = [(vocab.label("speakers", note.speaker), "bold")]
    if note.tag:
        term = vocab.get("note_tags", note.tag) if note.tag in vocab.ids("note_tags") else None
        label = f"{term.symbol} {term.label}" if term else note.tag
        parts += [" · ", (label, "bold $text-accent")]
    parts += ["  ", note.text]
    return Option(Content.assemble(*parts), id=note_id)


def panel_options(items: dict[str, list[PanelItem]], *, empty_hints: bool = True) -> list[Option]:
    """The running panel's lines: a heading per kind, then its items."""
    options: list[Option] = []
    for kind, entries in items.items():
        symbol, heading = PANEL_HEADINGS[kind]
        options.append(
            Option(
                Content.assemble((f"{heading} ({len(entries)})", "bold $text-accent")),
                id=f"heading:{kind}",
                disabled=True,
            )
        )
        for item in entries:
            parts: list[tuple[str, str] | str] = [(f"{symbol} ", "bold"), item.text]
            if item.detail:
                parts += [(f" — {item.detail}", "$text-muted")]
            options.append(Option(Content.assemble(*parts), id=f"{kind}:{item.entity_id}"))
        if not entries and empty_hints:
            options.append(Option(Content.assemble(("  none yet", "$text-muted")), disabled=True))
    return options


class ReviewTable(PlainTable):
    """Earlier actions being looked back on; letters mark how each one stands."""

    BINDINGS = [
        Binding("d", "mark('done')", "Done"),
        Binding("u", "mark('in-progress')", "Under way"),
        Binding("x", "mark('dropped')", "Dropped"),
        Binding("t", "mark('open')", "To do", show=False),
        Binding("enter", "note", "Note"),
    ]

    @dataclass
    class Mark(Message):
        """Mark the action on the cursor row with a status (or "note" to write a note)."""

        action_id: str
        status: str

    def _row_id(self) -> str | None:
        if not self.row_count or self.cursor_row < 0:
            return None
        return self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value

    def action_mark(self, status: str) -> None:
        row = self._row_id()
        if row:
            self.post_message(self.Mark(row, status))

    def action_note(self) -> None:
        row = self._row_id()
        if row:
            self.post_message(self.Mark(row, "note"))


class ConversationsTable(PlainTable):
    """The session's conversations; Enter picks one up where it was left."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Resume"),
        Binding("delete", "remove_conversation", "Remove", show=False),
    ]

    @dataclass
    class Remove(Message):
        conversation_id: str

    def action_remove_conversation(self) -> None:
        if self.row_count and self.cursor_row >= 0:
            key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value
            if key:
                self.post_message(self.Remove(key))
