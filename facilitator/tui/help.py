"""The help screen: the keys that work right now, and the shape of the workshop."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

ABOUT = """\
A mapping workshop runs in stages. Move between them at any time; nothing is lost.

Setup: who is in the room, and consent to be named in shared notes.
Criteria: the group picks two of eight things that make a relationship work.
Stage 1: every relationship with public agencies, quickly: a messy map is fine.
Stage 2: one good relationship, looked at closely and rated on the two criteria.
Stage 3: one relationship to develop, rated the same way, with next steps.
Conversation: a guided talk with one agency, ending in agreed actions.
Notes: what was said and agreed, ready to share.

Every change is saved the moment it is made, and text is saved as you type."""


def _key_label(key: str) -> str:
    names = {"question_mark": "?", "pagedown": "PgDn", "pageup": "PgUp", "delete": "Del"}
    parts = [names.get(part, part) for part in key.split("+")]
    return "+".join(p.upper() if len(p) <= 3 and p.startswith("f") else p for p in parts)


class HelpScreen(ModalScreen[None]):
    """Keys for the screen underneath, plus an overview of the method."""

    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", "Close help")]

    def __init__(self, underneath: Screen) -> None:
        super().__init__()
        self.underneath = underneath
        self.key_rows: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
        table.add_column(style="bold")
        table.add_column()
        seen: set[str] = set()
        for key, active in self.underneath.active_bindings.items():
            binding = active.binding
            text = binding.description or binding.action
            if not binding.description or text in seen and not binding.show:
                continue
            if key == "ctrl+p":  # said more fully below
                continue
            seen.add(text)
            self.key_rows.append((_key_label(key), text))
        self.key_rows.append(("ctrl+p", "Command palette: search every action by name"))
        for row in self.key_rows:
            table.add_row(*row)
        with Vertical(classes="dialog help"):
            yield Label("Help", classes="dialog-title", markup=False)
            with VerticalScroll():
                yield Static(table)
                yield Static(Text(ABOUT), classes="help-about")
                yield Static(Text("Escape closes this help."), classes="dim")
