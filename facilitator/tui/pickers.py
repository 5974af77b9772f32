"""Pick-one dialogs built on OptionList."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.tables import plain


class PickDialog(ModalScreen[str | None]):
    """Choose one of a list of (id, text) options; Escape cancels."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, options: list[tuple[str, str]], current: str | None = None):
        super().__init__()
        self.title_text = title
        self.options = options
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(*[Option(plain(text), id=oid) for oid, text in self.options])

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        ids = [oid for oid, _ in self.options]
        if self.current in ids:
            option_list.highlighted = ids.index(self.current)
        option_list.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class StagePicker(PickDialog):
    def __init__(self, current: str) -> None:
        stages = load_vocabulary().stages
        options = [(s.id, f"{s.short}: {s.label}") for s in stages]
        super().__init__("Go to stage", options, current)
