"""The Export dialog: pick a format, optionally anonymise, write the file in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from facilitator.tui.dialogs import labelled

FORMAT_LABELS = (
    ("md", "Notes to share (Markdown)"),
    ("html", "Notes as a printable web page (HTML)"),
    ("csv", "Tables for a spreadsheet (CSV, zipped)"),
    ("json", "Everything, for backup or another laptop (JSON)"),
    ("graphml", "The network, for Gephi or yEd (GraphML)"),
    ("svg", "The map as a picture (SVG)"),
    ("all", "All six"),
)


def default_target(session_path: Path, fmt: str, anonymise: bool) -> Path:
    """exports/<name><suffix> beside the session file (see ``export_file_name``)."""
    from facilitator.export import export_file_name

    folder = session_path.parent / "exports"
    return (
        folder
        if fmt == "all"
        else folder / export_file_name(session_path, fmt, anonymise=anonymise)
    )


class ExportDialog(ModalScreen[list[Path] | None]):
    """Export a session file; the work runs in a thread so the screen never freezes."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("ctrl+s", "export", "Export"),
    ]

    def __init__(self, session_path: Path, state: Any = None, journal: Any = None) -> None:
        super().__init__()
        self.session_path = session_path
        self.state = state  # the open session's state, when exporting from inside it
        self.journal = journal
        self.written: list[Path] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label(f"Export {self.session_path.name}", classes="dialog-title", markup=False)
            yield labelled(
                Select(
                    [(text, fmt) for fmt, text in FORMAT_LABELS],
                    value="md",
                    id="format",
                    allow_blank=False,
                ),
                "Format",
            )
            yield Checkbox("Anonymise: replace every name (people, agencies, area)", id="anon")
            yield labelled(Input(id="target"), "Save to")
            yield Checkbox("Replace the file if it is already there", id="force")
            yield Static("", id="export-result", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", id="go", variant="primary")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        self._update_target()
        self.query_one("#format", Select).focus()

    @on(Select.Changed, "#format")
    @on(Checkbox.Changed, "#anon")
    def _update_target(self) -> None:
        fmt = str(self.query_one("#format", Select).value)
        anon = self.query_one("#anon", Checkbox).value
        self.query_one("#target", Input).value = str(default_target(self.session_path, fmt, anon))

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(self.written or None)

    @on(Button.Pressed, "#go")
    @on(Input.Submitted, "#target")
    def action_export(self) -> None:
        result = self.query_one("#export-result", Static)
        result.update("Exporting…")
        self.query_one("#go", Button).disabled = True
        self._export(
            str(self.query_one("#format", Select).value),
            self.query_one("#anon", Checkbox).value,
            Path(self.query_one("#target", Input).value.strip()).expanduser(),
            self.query_one("#force", Checkbox).value,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _export(self, fmt: str, anonymise: bool, target: Path, force: bool) -> list[Path]:
        from facilitator.export import FORMATS, export, export_file_name, write_atomic

        state, journal = self.state, self.journal
        if state is None:
            from facilitator.store.sessionfile import SessionFile

            with SessionFile.open(self.session_path, readonly=True) as session:
                state, journal = session.state, session.journal
        formats = FORMATS if fmt == "all" else (fmt,)
        if fmt == "all":
            target.mkdir(mode=0o700, parents=True, exist_ok=True)
            targets = {
                f: target / export_file_name(self.session_path, f, anonymise=anonymise)
                for f in formats
            }
        else:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            targets = {fmt: target}
        written = []
        for name, path in targets.items():
            data = export(state, name, anonymise=anonymise, journal=journal)
            written.append(write_atomic(path, data, force=force))
        return written

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "export":
            return
        result = self.query_one("#export-result", Static)
        if event.state == WorkerState.SUCCESS:
            paths = event.worker.result or []
            self.written.extend(paths)
            result.update(saved_text(paths))
            self.query_one("#go", Button).disabled = False
        elif event.state == WorkerState.ERROR:
            result.update(f"Not exported: {event.worker.error}")
            self.query_one("#go", Button).disabled = False


def saved_text(paths: list[Path]) -> str:
    """Where the files went, in a few lines (the dialog's buttons must stay in view)."""
    if len(paths) == 1:
        return f"Saved: {paths[0]}"
    folder = paths[0].parent
    names = ", ".join(p.name for p in paths)
    return f"Saved {len(paths)} files in {folder}: {names}"
