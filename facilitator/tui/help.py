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


STAGE, GENERAL, EDITING = "stage", "general", "editing"
SECTION_TITLES = {
    STAGE: "Keys for this stage",
    GENERAL: "Keys that work everywhere",
    EDITING: "Editing and moving in the box you are in",
}


def _declared_by_textual(node: object, key: str) -> bool:
    """Whether the binding for ``key`` on ``node`` comes from one of Textual's own widgets.

    Those are the keys for typing and moving (cursor keys, select all, paste...), the same
    in every box; the app's own keys are declared in facilitator's classes.
    """
    for cls in type(node).__mro__:
        for binding in cls.__dict__.get("BINDINGS", ()):
            keys = binding.key if isinstance(binding, Binding) else binding[0]
            if key in [k.strip() for k in keys.split(",")]:
                return cls.__module__.startswith("textual.")
    return False


def _section(node: object, key: str) -> str:
    from facilitator.tui.stagepane import StagePane

    if _declared_by_textual(node, key):
        return EDITING
    if isinstance(node, StagePane) or any(
        isinstance(a, StagePane) for a in getattr(node, "ancestors", [])
    ):
        return STAGE
    return GENERAL


def _is_command_key(label: str) -> bool:
    """ctrl+ and function keys work while typing; letters and digits type themselves."""
    return label.startswith(("ctrl+", "alt+")) or (label[:1] == "F" and label[1:].isdigit())


def _place(widget: object) -> str:
    """Where a key works, in words: the box's title, or what kind of thing it is."""
    title = str(getattr(widget, "border_title", "") or "")
    if title:
        return f"in {title}"
    name = type(widget).__name__
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()
    return f"in the {words}"


class HelpScreen(ModalScreen[None]):
    """Keys for the screen underneath, plus an overview of the method.

    The stage's own keys come first, then the keys that work everywhere, and the keys
    for typing and moving inside a box last.
    """

    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", "Close help")]

    def __init__(self, underneath: Screen) -> None:
        super().__init__()
        self.underneath = underneath
        self.key_rows: list[tuple[str, str]] = []
        self.sections: dict[str, list[tuple[str, str]]] = {STAGE: [], GENERAL: [], EDITING: []}

    def _add_other_stage_keys(self, seen: set[str]) -> None:
        """The stage's keys that work in its other parts (the map, a table...), said where."""
        pane_of = getattr(self.underneath, "current_pane", None)
        pane = pane_of() if pane_of is not None else None
        if pane is None:
            return
        shown = {key for key, _ in self.sections[STAGE]}
        for widget in [pane, *pane.query("*")]:
            if widget.has_focus or not widget.display:
                continue
            place = _place(widget) if widget is not pane else ""
            for cls in type(widget).__mro__:
                if cls.__module__.startswith("textual."):
                    break
                for binding in cls.__dict__.get("BINDINGS", ()):
                    if not isinstance(binding, Binding) or not binding.description:
                        continue
                    label = _key_label(binding.key.split(",")[0].strip())
                    where = place or ("" if _is_command_key(label) else "when not typing")
                    text = f"{binding.description} ({where})" if where else binding.description
                    if label in shown or text in seen:
                        continue
                    shown.add(label)
                    seen.add(text)
                    self.sections[STAGE].append((label, text))

    def compose(self) -> ComposeResult:
        seen: set[str] = set()
        for key, active in self.underneath.active_bindings.items():
            binding = active.binding
            text = binding.description or binding.action
            if not binding.description or text in seen and not binding.show:
                continue
            if key == "ctrl+p":  # said more fully below
                continue
            seen.add(text)
            self.sections[_section(active.node, key)].append((_key_label(key), text))
        self.sections[GENERAL].append(("ctrl+p", "Command palette: search every action by name"))
        self._add_other_stage_keys(seen)
        tables = []
        for name, rows in self.sections.items():
            if not rows:
                continue
            table = Table(
                box=None,
                show_header=False,
                padding=(0, 2, 0, 0),
                title=SECTION_TITLES[name],
                title_justify="left",
                title_style="bold underline",
            )
            table.add_column(style="bold")
            table.add_column()
            for row in rows:
                table.add_row(*row)
            tables.append(table)
            self.key_rows += rows
        with Vertical(classes="dialog help"):
            yield Label("Help", classes="dialog-title", markup=False)
            with VerticalScroll():
                for table in tables:
                    yield Static(table, classes="help-keys")
                yield Static(Text(ABOUT), classes="help-about")
                yield Static(Text("Escape closes this help."), classes="dim")
