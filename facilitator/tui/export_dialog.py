"""The Export dialog: tick formats, optionally anonymise, write the files in the background.

One export can write several formats. The formats and the Anonymise box are kept for
each session while the app runs, so a second export starts where the first left off.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, SelectionList, Static
from textual.worker import Worker, WorkerState

from facilitator.tui.dialogs import labelled
from facilitator.tui.ticks import TickBox, TickList

FORMAT_LABELS = (
    ("md", "Notes to share (Markdown)"),
    ("html", "Notes as a printable web page (HTML)"),
    ("csv", "Tables for a spreadsheet (CSV, zipped)"),
    ("json", "Everything, for backup or another laptop (JSON)"),
    ("graphml", "The network, for Gephi or yEd (GraphML)"),
    ("svg", "The map as a picture (SVG)"),
)
ALL_FORMATS = tuple(fmt for fmt, _ in FORMAT_LABELS)


@dataclass(frozen=True)
class ExportChoice:
    """What the facilitator last chose to export for one session."""

    formats: tuple[str, ...] = ("md",)
    anonymise: bool = False


_CHOICES: WeakKeyDictionary[App, dict[Path, ExportChoice]] = WeakKeyDictionary()


def remembered(app: App, session_path: Path) -> ExportChoice:
    """The last choice made for this session in this run of the app (Markdown at first)."""
    return _CHOICES.get(app, {}).get(session_path.resolve(), ExportChoice())


def remember(app: App, session_path: Path, choice: ExportChoice) -> None:
    _CHOICES.setdefault(app, {})[session_path.resolve()] = choice


def default_target(session_path: Path, formats: tuple[str, ...] | str, anonymise: bool) -> Path:
    """exports/<name><suffix> for one format (see ``export_file_name``); the folder for several."""
    from facilitator.export import export_file_name

    if isinstance(formats, str):
        formats = ALL_FORMATS if formats == "all" else (formats,)
    folder = session_path.parent / "exports"
    if len(formats) != 1:
        return folder
    return folder / export_file_name(session_path, formats[0], anonymise=anonymise)


class FormatList(TickList):
    """The formats to write; space ticks one, ``a`` ticks all (or none, when all are)."""

    BINDINGS = [Binding("a", "tick_all", "All formats")]

    def action_tick_all(self) -> None:
        if len(self.selected) == self.option_count:
            self.deselect_all()
        else:
            self.select_all()


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
        choice = remembered(self.app, self.session_path)
        with Vertical(classes="dialog form export"):
            yield Label(f"Export {self.session_path.name}", classes="dialog-title", markup=False)
            yield labelled(
                FormatList(
                    *[(text, fmt, fmt in choice.formats) for fmt, text in FORMAT_LABELS],
                    id="formats",
                ),
                "Formats (space ticks, a ticks all)",
            )
            yield TickBox(
                "Anonymise: replace every name (people, agencies, area)",
                choice.anonymise,
                id="anon",
                compact=True,
            )
            yield TickBox("Replace files already there", id="force", compact=True)
            with Horizontal(classes="export-target"):
                yield Label("Save to", classes="field-label")
                yield Input(id="target", compact=True)
            yield Static("", id="export-result", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", id="go", variant="primary", compact=True)
                yield Button("Close", id="close", compact=True)

    def on_mount(self) -> None:
        self._update_target()
        self.query_one("#formats", FormatList).focus()

    def chosen_formats(self) -> tuple[str, ...]:
        ticked = set(self.query_one("#formats", FormatList).selected)
        return tuple(fmt for fmt in ALL_FORMATS if fmt in ticked)

    @on(SelectionList.SelectedChanged, "#formats")
    @on(Checkbox.Changed, "#anon")
    def _update_target(self) -> None:
        formats = self.chosen_formats()
        anon = self.query_one("#anon", TickBox).value
        target = default_target(self.session_path, formats, anon) if formats else ""
        self.query_one("#target", Input).value = str(target)

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(self.written or None)

    @on(Button.Pressed, "#go")
    @on(Input.Submitted, "#target")
    def action_export(self) -> None:
        result = self.query_one("#export-result", Static)
        formats = self.chosen_formats()
        if not formats:
            result.update("Tick at least one format (space ticks, a ticks all).")
            return
        anonymise = self.query_one("#anon", TickBox).value
        remember(self.app, self.session_path, ExportChoice(formats, anonymise))
        result.update("Exporting…")
        self.query_one("#go", Button).disabled = True
        self._export(
            formats,
            anonymise,
            Path(self.query_one("#target", Input).value.strip()).expanduser(),
            self.query_one("#force", TickBox).value,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _export(
        self, formats: tuple[str, ...], anonymise: bool, target: Path, force: bool
    ) -> list[Path]:
        from facilitator.export import export, export_file_name, write_atomic

        state, journal = self.state, self.journal
        if state is None:
            from facilitator.store.sessionfile import SessionFile

            with SessionFile.open(self.session_path, readonly=True) as session:
                state, journal = session.state, session.journal
        if len(formats) == 1:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            targets = {formats[0]: target}
        else:
            target.mkdir(mode=0o700, parents=True, exist_ok=True)
            targets = {
                f: target / export_file_name(self.session_path, f, anonymise=anonymise)
                for f in formats
            }
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
