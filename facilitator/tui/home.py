"""The home screen: the sessions in the folder, and where that folder is."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from facilitator.domain.printable import printable
from facilitator.store.catalog import (
    STAGE_ORDER,
    SessionSummary,
    ensure_sessions_dir,
    list_sessions,
)
from facilitator.tui.footer import FittedFooter
from facilitator.tui.guard import Guarded

STAGE_SHORT = dict(
    zip(
        STAGE_ORDER,
        ("Setup", "Criteria", "Stage 1", "Stage 2", "Stage 3", "Conversation", "Notes"),
        strict=True,
    )
)


class SessionList(OptionList):
    """One line per session file, in columns under a heading.

    A list of lines rather than a table: the home screen is the first thing drawn
    when the app starts, and a table of cells costs several times as much to draw.
    """


EMPTY_HINT = "No sessions here yet. Press n to start one."


def _columns(width: int) -> tuple[int, int, int, int, int]:
    """Widths of date, title, area, stage and last change for a list ``width`` wide."""
    date, stage, when = 10, 12, 12
    room = max(24, width - (date + stage + when) - 4)
    area = min(max(room // 3, 12), 30)
    return date, room - area, area, stage, when


def _cell(value: str, width: int) -> str:
    """``value`` in exactly ``width`` cells: padded, or cut short with "…"."""
    # A file's name may hold anything: controls are shown as escapes, never sent.
    value = "".join(ch for ch in " ".join(printable(value).split()) if ch.isprintable())
    if cell_len(value) > width:
        return set_cell_size(value, width - 1) + "…"
    return set_cell_size(value, width)


def _row(values: tuple[str, ...], widths: tuple[int, ...]) -> str:
    return " ".join(_cell(v, w) for v, w in zip(values, widths, strict=True))


class EarlyListing:
    """The folder's sessions, read on a thread of their own from the moment it is made.

    ``result()`` waits for the reading and returns it, or raises what it raised. The thread
    is a daemon, so a slow folder never holds up leaving the app.
    """

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._future: Future[list[SessionSummary]] = Future()
        threading.Thread(target=self._read, name="list-sessions", daemon=True).start()

    def _read(self) -> None:
        self._future.set_running_or_notify_cancel()
        try:
            self._future.set_result(list_sessions(self._folder))
        except BaseException as exc:  # noqa: BLE001 - handed to whoever asks
            self._future.set_exception(exc)

    def result(self) -> list[SessionSummary]:
        return self._future.result()


class HomeScreen(Guarded, Screen[None]):
    """Lists the workshop sessions in the sessions folder."""

    BINDINGS = [
        Binding("n", "new_session", "New"),
        Binding("o", "open_session", "Open"),
        Binding("r", "replay", "Replay"),
        Binding("e", "export", "Export"),
        Binding("f", "start_from", "Follow on", tooltip="Start from an earlier session"),
        # Not in the Footer, which has no room left at 80 columns: F1 and ctrl+p list it.
        Binding("c", "compare", "Compare", show=False, tooltip="What changed between two sessions"),
        Binding("f5", "refresh", "Refresh", show=False),
    ]

    def __init__(self, sessions_dir: Path, *, early: EarlyListing | None = None) -> None:
        super().__init__()
        self.sessions_dir = sessions_dir
        self._early = early
        self.sessions: list[SessionSummary] = []
        self._shown = False  # shown once already (resuming, not starting)
        self._width = 0  # the width the list was laid out for
        self._problem = ""  # why the folder could not be read, if it could not

    def compose(self) -> ComposeResult:
        # The folder is read here, so that the very first frame shows the sessions.
        self.sessions = self._read_folder()
        self._width = self._list_width()
        heading, options = self._lines(self._width)
        yield Static(
            Text.assemble(("facilitator", "bold"), " · relationship-mapping workshops"),
            id="home-title",
        )
        yield Label(self.folder_label(), id="sessions-dir", markup=False)
        yield Static(heading, id="sessions-heading", markup=False)
        yield SessionList(*options, id="sessions")
        yield Static(EMPTY_HINT, id="empty-hint", markup=False)
        yield Static("", id="session-detail", markup=False)
        yield FittedFooter()

    def folder_label(self) -> str:
        return f"Sessions folder: {printable(self.sessions_dir)}"

    def on_mount(self) -> None:
        self._show_empty_hint()
        self.query_one(SessionList).focus()

    def on_screen_resume(self) -> None:
        # Coming back from a session (or a dialog): the folder may have changed.
        # (The first time, compose has only just read it.)
        if self._shown:
            self.action_refresh()
        self._shown = True

    def on_resize(self) -> None:
        if self.sessions and self._list_width() != self._width:
            self._fill()

    def _read_folder(self) -> list[SessionSummary]:
        """The sessions in the folder; none (and a message saying why) if it cannot be read."""
        early, self._early = self._early, None
        try:
            ensure_sessions_dir(self.sessions_dir)  # made on first use, private
        except OSError as exc:
            self._problem = (
                f"The sessions folder cannot be made: {exc.strerror or exc}. Start again "
                "with --sessions-dir set to a folder you can write to."
            )
            return []
        try:
            found = early.result() if early else list_sessions(self.sessions_dir)
        except OSError as exc:
            self._problem = f"The sessions folder cannot be read: {exc.strerror or exc}."
            return []
        self._problem = ""
        return found

    def action_refresh(self) -> None:
        self.sessions = self._read_folder()
        self._fill()
        self._show_empty_hint()

    def _show_empty_hint(self) -> None:
        hint = self.query_one("#empty-hint", Static)
        hint.update(self._problem or EMPTY_HINT)
        hint.display = not self.sessions
        self.query_one("#sessions-heading").display = bool(self.sessions)

    def _list_width(self) -> int:
        return (self.size.width or self.app.size.width or 80) - 4

    def _lines(self, width: int) -> tuple[Text, list[Option]]:
        widths = _columns(width)
        heading = ("Date", "Title", "Area", "Reached", "Last change")
        lines = []
        for s in self.sessions:
            if s.problem:
                values = ("⚠ problem", Path(s.path).name, "", "", "")
            else:
                stage = STAGE_SHORT.get(s.furthest_stage, s.furthest_stage)
                values = (s.date, s.title, s.area, stage, _when(s.last_change))
            lines.append(Option(Text(_row(values, widths), no_wrap=True), id=s.path))
        return Text(_row(heading, widths)), lines

    def _fill(self) -> None:
        listing = self.query_one(SessionList)
        self._width = self._list_width()
        heading, lines = self._lines(self._width)
        self.query_one("#sessions-heading", Static).update(heading)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options(lines)
        if lines:
            listing.highlighted = min(highlighted or 0, len(lines) - 1)

    @on(OptionList.OptionHighlighted, "#sessions")
    def _highlighted(self) -> None:
        chosen = self.selected()
        detail = self.query_one("#session-detail", Static)
        if chosen is None:
            detail.update("")
        elif chosen.problem:
            detail.update(f"⚠ {printable(chosen.problem)}")
        else:
            detail.update(f"File: {printable(Path(chosen.path).name)}")

    @on(OptionList.OptionSelected, "#sessions")
    def _chosen(self) -> None:
        self.action_open_session()

    def selected(self) -> SessionSummary | None:
        index = self.query_one(SessionList).highlighted
        if not self.sessions or index is None:
            return None
        return self.sessions[min(index, len(self.sessions) - 1)]

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
            self.app.notify(printable(chosen.problem), severity="error")
            return
        self.app.push_screen(ExportDialog(Path(chosen.path)))

    def _usable(self, doing: str) -> SessionSummary | None:
        """The highlighted session, or None (having said why) when there is none to use."""
        chosen = self.selected()
        if chosen is None:
            self.app.notify(f"There is no session to {doing} yet.")
        elif chosen.problem:
            self.app.notify(chosen.problem, severity="error")
            return None
        return chosen

    def action_start_from(self) -> None:
        from facilitator.tui.history_actions import start_from_earlier

        chosen = self._usable("start from")
        if chosen is not None:
            start_from_earlier(self.app, Path(chosen.path), chosen.title, chosen.area)

    def action_compare(self) -> None:
        from facilitator.tui.history_actions import compare_from_list

        chosen = self._usable("compare")
        if chosen is not None:
            compare_from_list(self.app, chosen, self.sessions)


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
