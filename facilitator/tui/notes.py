"""Notes: everything the workshop recorded, as the notes people will take away."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from facilitator.tui.stagepane import StagePane

PREVIEW_LINES = 1000
"""The most lines of notes the preview draws (drawing takes about a second per 2,000)."""


def preview_text(text: str, limit: int = PREVIEW_LINES) -> str:
    """The notes as previewed: all of them, or the first ``limit`` lines and a word on
    where the rest are. (A real workshop's notes run to a few hundred lines.)"""
    lines = text.splitlines()
    if len(lines) <= limit:
        return text
    cut = limit
    while cut > limit // 2 and lines[cut - 1].strip():
        cut -= 1  # end at a blank line, not in the middle of a table or list
    rest = len(lines) - cut
    return "\n".join(
        [
            *lines[:cut],
            "",
            f"*The preview stops here: {rest:,} more lines. Export the notes (ctrl+r) to "
            "read them all.*",
        ]
    )


class NotesPane(StagePane):
    """The session notes (the Markdown export), kept up to date, with export at hand."""

    stage_id = "notes"
    BINDINGS = [
        Binding("ctrl+r", "screen.export", "Export", tooltip="Save notes, map or data"),
        Binding("a", "toggle_anonymised", "Anonymised", tooltip="Preview without names"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.anonymised = False
        self._dirty = True

    def compose(self) -> ComposeResult:
        yield Static("", id="notes-heading", classes="section-heading", markup=False)
        with VerticalScroll(id="notes-scroll"):
            # One widget drawing the whole document: Textual's Markdown widget makes a
            # widget of every paragraph, bullet and table cell (over 600 for a real
            # workshop), which made moving to and from this stage take seconds.
            yield Static("", id="notes-markdown")

    def on_mount(self) -> None:
        self._dirty = True

    def on_show(self) -> None:
        self._render_notes()

    def refresh_from_state(self) -> None:
        self._dirty = True
        if self.display and self.is_on_screen:
            self._render_notes()

    def _render_notes(self) -> None:
        if not self._dirty:
            return
        from facilitator.export import export

        self._dirty = False
        text = export(self.state, "md", anonymise=self.anonymised).decode("utf-8")
        heading = "Notes preview, anonymised" if self.anonymised else "Notes preview"
        self.query_one("#notes-heading", Static).update(
            f"{heading} · ctrl+r to export · a to switch names on or off"
        )
        from rich.markdown import Markdown

        self.query_one("#notes-markdown", Static).update(
            Markdown(preview_text(text), hyperlinks=False)
        )

    def action_toggle_anonymised(self) -> None:
        self.anonymised = not self.anonymised
        self._dirty = True
        self._render_notes()

    def focus_first(self) -> None:
        self.query_one("#notes-scroll").focus()
