"""The home screen: the sessions in the folder, and where that folder is."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Label, Static

from facilitator.domain.text import shorten
from facilitator.store.catalog import STAGE_ORDER, SessionSummary, list_sessions
from facilitator.tui.guard import Guarded
from facilitator.tui.tables import PlainTable

STAGE_SHORT = dict(
    zip(
        STAGE_ORDER,
        ("Setup", "Criteria", "Stage 1", "Stage 2", "Stage 3", "Conversation", "Notes"),
        strict=True,
    )
)


class SessionTable(PlainTable):
    BINDINGS = [Binding("enter", "screen.open_session", "Open", show=False)]


class HomeScreen(Guarded, Screen[None]):
    """Lists the workshop sessions in the sessions folder."""

    BINDINGS = [
        Binding("n", "new_session", "New"),
        Binding("o", "open_session", "Open"),
        Binding("r", "replay", "Replay"),
        Binding("e", "export", "Export"),
        Binding("f5", "refresh", "Refresh", show=False),
    ]

    def __init__(self, sessions_dir: Path) -> None:
        super().__init__()
        self.sessions_dir = sessions_dir
        self.sessions: list[SessionSummary] = []

    def compose(self) -> ComposeResult:
        yield Static("[b]facilitator[/b] · relationship-mapping workshops", id="home-title")
        yield Label(self.folder_label(), id="sessions-dir", markup=False)
        table = SessionTable(id="sessions", cursor_type="row", zebra_stripes=True)
        table.add_columns("Date", "Title", "Area", "Reached", "Last change")
        yield table
        yield Static("", id="empty-hint", markup=False)
        yield Static("", id="session-detail", markup=False)
        with Horizontal(id="home-buttons"):
            yield Button("New", id="new", variant="primary")
            yield Button("Open", id="open")
            yield Button("Replay", id="replay", tooltip="Watch the session unfold again")
            yield Button("Export", id="export", tooltip="Notes, map or data to share")
        yield Footer()

    def folder_label(self) -> str:
        return f"Sessions folder: {self.sessions_dir}"

    def on_mount(self) -> None:
        self.query_one(SessionTable).focus()

    def on_screen_resume(self) -> None:
        # Also runs when the screen is first shown: the folder is read once, here.
        self.action_refresh()

    def action_refresh(self) -> None:
        self.sessions = list_sessions(self.sessions_dir)
        table = self.query_one(SessionTable)
        table.clear()
        width = max(self.size.width, 80)
        title_w = max(16, width - 60)
        for s in self.sessions:
            if s.problem:
                name = Path(s.path).name
                table.add_row("⚠ problem", shorten(name, title_w), "", "", "", key=s.path)
                continue
            table.add_row(
                s.date,
                shorten(s.title, title_w),
                shorten(s.area, 14),
                STAGE_SHORT.get(s.furthest_stage, s.furthest_stage),
                _when(s.last_change),
                key=s.path,
            )
        hint = self.query_one("#empty-hint", Static)
        if self.sessions:
            hint.update("")
            hint.display = False
        else:
            hint.display = True
            hint.update("No sessions here yet. Press n to start one.")
        has = bool(self.sessions)
        for button in ("#open", "#replay", "#export"):
            self.query_one(button, Button).disabled = not has

    @on(DataTable.RowHighlighted, "#sessions")
    def _highlighted(self) -> None:
        chosen = self.selected()
        detail = self.query_one("#session-detail", Static)
        if chosen is None:
            detail.update("")
        elif chosen.problem:
            detail.update(f"⚠ {chosen.problem}")
        else:
            detail.update(f"File: {Path(chosen.path).name}")

    def selected(self) -> SessionSummary | None:
        table = self.query_one(SessionTable)
        if not self.sessions or table.cursor_row < 0:
            return None
        return self.sessions[min(table.cursor_row, len(self.sessions) - 1)]

    def action_new_session(self) -> None:
        self.app.action_new_session()

    def action_open_session(self) -> None:
        chosen = self.selected()
        if chosen is None:
            self.app.notify("There is no session to open yet. Press n to start one.")
            return
        self.app.open_session(Path(chosen.path))

    def action_replay(self) -> None:
        chosen = self.selected()
        if chosen is None:
            self.app.notify("There is no session to replay yet.")
            return
        self.app.open_replay(Path(chosen.path))

    def action_export(self) -> None:
        from facilitator.tui.export_dialog import ExportDialog

        chosen = self.selected()
        if chosen is None:
            self.app.notify("There is no session to export yet.")
            return
        if chosen.problem:
            self.app.notify(chosen.problem, severity="error")
            return
        self.app.push_screen(ExportDialog(Path(chosen.path)))

    @on(Button.Pressed, "#new")
    def _new(self) -> None:
        self.action_new_session()

    @on(Button.Pressed, "#open")
    def _open(self) -> None:
        self.action_open_session()

    @on(Button.Pressed, "#replay")
    def _replay(self) -> None:
        self.action_replay()

    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        self.action_export()


def _when(iso: str) -> str:
    """A journal time (UTC) shown in local time, to the minute."""
    import datetime as dt

    if not iso:
        return ""
    try:
        moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso[:16]
    return moment.astimezone().strftime("%d %b %H:%M")
