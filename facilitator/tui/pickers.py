"""Pick-one dialogs built on OptionList."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.tables import plain


class PickDialog(ModalScreen[str | None]):
    """Choose one of a list of (id, text) options; Escape cancels.

    Letters typed go to the first option whose text holds them, and are shown under the
    title (Backspace takes one back), so typing in a pick list is never lost.
    """

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, options: list[tuple[str, str]], current: str | None = None):
        super().__init__()
        self.title_text = title
        self.options = options
        self.current = current
        self.typed = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Static("Type to find, Enter to choose.", id="pick-find", classes="dim")
            yield OptionList(*[Option(plain(text), id=oid) for oid, text in self.options])

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        ids = [oid for oid, _ in self.options]
        if self.current in ids:
            option_list.highlighted = ids.index(self.current)
        option_list.focus()

    def on_key(self, event: events.Key) -> None:
        if event.key == "backspace" and self.typed:
            self.typed = self.typed[:-1]
        elif event.is_printable and event.character and (self.typed or event.character != " "):
            self.typed += event.character
        else:
            return
        event.stop()
        event.prevent_default()
        self._find()

    def _find(self) -> None:
        found = self.query_one("#pick-find", Static)
        if not self.typed:
            found.update("Type to find, Enter to choose.")
            return
        wanted = self.typed.casefold()
        texts = [text.casefold() for _, text in self.options]
        match = next((i for i, t in enumerate(texts) if t.startswith(wanted)), None)
        if match is None:
            match = next((i for i, t in enumerate(texts) if wanted in t), None)
        if match is None:
            found.update(Text(f"Find: {self.typed}  (nothing matches; Backspace to change)"))
            return
        self.query_one(OptionList).highlighted = match
        found.update(Text(f"Find: {self.typed}"))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class StagePicker(PickDialog):
    def __init__(self, current: str) -> None:
        stages = load_vocabulary().stages
        options = [(s.id, f"{s.short}: {s.label}") for s in stages]
        super().__init__("Go to stage", options, current)
