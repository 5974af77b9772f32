"""The facilitator app: home screen, opening sessions, help, palette, signals."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from facilitator.store.catalog import ensure_sessions_dir
from facilitator.store.errors import SessionFileError
from facilitator.tui.guard import Guarded, raising, report_failure
from facilitator.tui.home import EarlyListing, HomeScreen
from facilitator.tui.toasts import place_toasts

STOP_GRACE_SECONDS = 3.0  # after a stop signal, how long the app has to close by itself

PROJECTOR_THEMES = (
    Theme(
        name="projector-dark",
        primary="#FFD400",
        secondary="#4FC3F7",
        accent="#FFD400",
        warning="#FFB000",
        error="#FF5252",
        success="#69F0AE",
        foreground="#FFFFFF",
        background="#000000",
        surface="#000000",
        panel="#202020",
        dark=True,
    ),
    Theme(
        name="projector-light",
        primary="#0038A8",
        secondary="#6A1B9A",
        accent="#0038A8",
        warning="#8A5A00",
        error="#B00020",
        success="#1B5E20",
        foreground="#000000",
        background="#FFFFFF",
        surface="#FFFFFF",
        panel="#E0E0E0",
        dark=False,
    ),
)


class FacilitatorApp(Guarded, App[None]):
    """Runs workshops; one session open at a time."""

    CSS_PATH = "app.tcss"
    TITLE = "facilitator"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f1", "help", "Help", tooltip="Keys and an overview of the workshop"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f9", "toggle_dark", "Light/dark", show=False),
        Binding("f10", "toggle_projector", "Projector", show=False),
    ]

    def __init__(
        self,
        sessions_dir: Path,
        *,
        open_path: Path | None = None,
        replay_path: Path | None = None,
        questions: Path | None = None,
    ) -> None:
        super().__init__()
        self.sessions_dir = sessions_dir
        self.open_path = open_path
        self.replay_path = replay_path
        self.questions = questions
        self.session: Any = None  # the open SessionFile, if any
        self._theme_before_projector = "textual-dark"
        self.failures: list[BaseException] = []  # problems reported instead of crashing
        self._wake: int | None = None  # a stop signal writes here to wake the watchdog
        self._previous_handlers: dict[int, Any] = {}
        self._stopping = False  # a stop signal came: a session opening now is closed at once
        # The file named on the command line could not be opened (and no other was since):
        # the program then ends with status 1, as the command line's own checks do.
        self._start_failed = False
        self._shown_any = False
        self.room_on_open = False  # open the room page once the session shows (--room)
        self.room_host: str | None = None  # where the room page is served (--room-host)
        # The home screen's list of sessions is read while Textual starts up (SQLite
        # works outside Python's lock), so the first frame can show it sooner.
        self._early_listing = (
            EarlyListing(sessions_dir) if open_path is None and replay_path is None else None
        )

    async def _dispatch_action(self, namespace: Any, action_name: str, params: Any) -> bool:
        """Run an action; a failure is reported to the facilitator, not fatal.

        A private Textual method: the major version is pinned in pyproject and
        tests/test_failures.py checks a failing action is reported and survived."""
        try:
            return await super()._dispatch_action(namespace, action_name, params)
        except Exception as error:
            if raising():
                raise
            report_failure(self, error)
            return True

    def notify(self, message: str, *, markup: bool = False, **kwargs: Any) -> None:  # type: ignore[override]
        """A notification. Unlike Textual's default, square brackets are shown as typed:
        messages often quote people's words (a name, a title), never markup.
        It shows where it cannot cover the box being typed in."""
        with contextlib.suppress(ScreenStackError):
            place_toasts(self.screen)
        super().notify(message, markup=markup, **kwargs)

    def on_descendant_focus(self) -> None:
        """Toasts already showing move out of the way of a newly focused box."""
        with contextlib.suppress(ScreenStackError):
            place_toasts(self.screen)

    # -- start and stop ---------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The home screen is the first screen and the one every session returns to.

        (Being the default screen, rather than pushed on top of an empty one, it is
        composed and painted with the app's very first frame.)
        """
        early, self._early_listing = self._early_listing, None
        return HomeScreen(self.sessions_dir, early=early)

    def on_mount(self) -> None:
        # First, so that nothing below can leave the app without them.
        self._install_signal_handlers()
        for theme in PROJECTOR_THEMES:
            self.register_theme(theme)
        if self.open_path is not None:
            self.open_session(self.open_path)
        elif self.replay_path is not None:
            self.open_replay(self.replay_path)
        else:
            # Load the database layer in the background once the home screen is up
            # (not before: the import would compete with painting the first frame).
            self.set_timer(1.0, self._start_warm_up)

    def _start_warm_up(self) -> None:
        self.run_worker(self._warm_up, thread=True, exit_on_error=False, group="warm-up")

    @staticmethod
    def _warm_up() -> None:
        importlib.import_module("facilitator.store.sessionfile")
        importlib.import_module("facilitator.tui.workshop")

    def _install_signal_handlers(self) -> None:
        """Closing the terminal (SIGHUP) or SIGTERM: save typing and close the file cleanly.

        Plain signal handlers rather than the event loop's: when the terminal has gone,
        Textual's output thread can stop and leave the loop blocked on a full queue, and a
        handler that waits for the loop would never run. The handler asks the loop to stop
        the app and wakes a watchdog (through a pipe: the one thing safe to do inside a
        handler), which ends the process if the loop has not within a few seconds.
        """
        loop = asyncio.get_running_loop()
        wake_read, self._wake = os.pipe()

        def on_signal(_signum: int, _frame: Any) -> None:
            with contextlib.suppress(OSError, TypeError):
                os.write(self._wake, b"!")  # type: ignore[arg-type]
            with contextlib.suppress(RuntimeError):  # the loop has already closed
                loop.call_soon_threadsafe(self._stop_on_signal)

        try:
            for sig in (signal.SIGTERM, signal.SIGHUP):
                self._previous_handlers[sig] = signal.signal(sig, on_signal)
        except ValueError:  # pragma: no cover - not the main thread (a test harness)
            pass
        threading.Thread(
            target=self._watch, args=(wake_read,), name="stop-watchdog", daemon=True
        ).start()

    def _restore_signal_handlers(self) -> None:
        """Put back what was there before (the app may run inside a longer program), and
        stand the watchdog down."""
        for sig, handler in self._previous_handlers.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(sig, handler)
        self._previous_handlers.clear()
        wake, self._wake = self._wake, None
        if wake is not None:
            with contextlib.suppress(OSError):
                os.close(wake)  # the watchdog reads the end of the pipe and stops

    def _watch(self, wake_read: int) -> None:
        """Wait for a stop signal; then give the app a few seconds to close by itself."""
        try:
            woken = os.read(wake_read, 1)
        finally:
            os.close(wake_read)
        if not woken:  # the app ended normally
            return
        time.sleep(STOP_GRACE_SECONDS)
        # Still here: the app is stuck. Keep the typing and close the file, on a thread
        # of its own in case a lock is held, and end the process at the deadline anyway.
        saver = threading.Thread(target=self._save_and_close, daemon=True)
        saver.start()
        saver.join(STOP_GRACE_SECONDS)
        os._exit(0)

    def _save_and_close(self) -> None:
        workshop = sys.modules.get("facilitator.tui.workshop")  # no import: it may hang
        for screen in list(self.screen_stack) if workshop else []:
            if isinstance(screen, workshop.WorkshopScreen):
                with contextlib.suppress(Exception):
                    screen.drafts.flush()
        session = self.session
        if session is not None:
            with contextlib.suppress(Exception):
                session.close()

    def _stop_on_signal(self) -> None:
        self._stopping = True
        self.shutdown_session()
        self.exit(return_code=0)

    def shutdown_session(self) -> None:
        """Write pending drafts and close the open session, if any."""
        from facilitator.tui.workshop import WorkshopScreen

        for screen in self.screen_stack:
            if isinstance(screen, WorkshopScreen):
                # Closing anyway: what was committed is safe whatever happens here.
                with contextlib.suppress(Exception):
                    screen.flush()
        if self.session is not None:
            self.session.close()
            self.session = None

    def on_unmount(self) -> None:
        self.shutdown_session()
        self._restore_signal_handlers()

    async def action_quit(self) -> None:
        def quit_now() -> None:
            self.shutdown_session()
            self.exit(return_code=self._exit_status)

        self.unless_typing_is_unsaved(quit_now, "Quit")

    def unless_typing_is_unsaved(self, then: Any, doing: str) -> None:
        """Run ``then`` at once, or, if some typing could not be saved (a full disk),
        only once the facilitator has said to go ahead and lose it."""
        from facilitator.tui.dialogs import UnsavedTypingDialog
        from facilitator.tui.workshop import WorkshopScreen

        if isinstance(self.screen, UnsavedTypingDialog):  # asked already: the key again
            then()
            return
        unsaved = any(
            isinstance(s, WorkshopScreen) and s.has_unsaved_typing() for s in self.screen_stack
        )
        if not unsaved:
            then()
            return

        def answer(go_ahead: bool | None) -> None:
            if go_ahead:
                then()

        self.push_screen(UnsavedTypingDialog(doing), answer)

    @property
    def _exit_status(self) -> int:
        return 1 if self._start_failed and not self._shown_any else 0

    # -- sessions -----------------------------------------------------------------------------

    def action_new_session(self) -> None:
        from facilitator.tui.dialogs import NewSessionDialog

        def done(values: dict | None) -> None:
            if values:
                self._create_session(values["title"], values["area"])

        self.push_screen(NewSessionDialog(), done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="session")
    def _create_session(self, title: str, area: str) -> Any:
        from facilitator.store.sessionfile import SessionFile, session_path

        path = session_path(ensure_sessions_dir(self.sessions_dir), title)
        return SessionFile.create(path, title=title, area=area)

    def open_session(self, path: Path) -> None:
        if self.session is not None:
            self.close_session()
        self._open_worker(path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="session")
    def _open_worker(self, path: Path) -> Any:
        from facilitator.store.sessionfile import SessionFile

        return SessionFile.open(path)

    def open_replay(self, path: Path) -> None:
        """Open a session read-only and show it from its first event."""
        if self.session is not None:
            self.close_session()
        self._replay_worker(path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="session")
    def _replay_worker(self, path: Path) -> Any:
        from facilitator.store.sessionfile import SessionFile
        from facilitator.tui.replay import ReplaySession

        return ReplaySession(SessionFile.open(path, readonly=True))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "session":
            return
        if event.state == WorkerState.SUCCESS:
            self._show_session(worker.result)
        elif event.state == WorkerState.ERROR:
            if not self._shown_any and (self.open_path or self.replay_path):
                self._start_failed = True
            doing = "created" if worker.name == "_create_session" else "opened"
            self._show_problem(f"That session could not be {doing}", worker.error)

    def _show_session(self, session: Any) -> None:
        from facilitator.tui.replay import ReplayScreen, ReplaySession
        from facilitator.tui.workshop import WorkshopScreen

        if self._stopping:  # opened just as the app was told to stop
            session.close()
            return
        self.session = session
        self._shown_any = True
        if isinstance(session, ReplaySession):
            self.push_screen(ReplayScreen(session))
        else:
            self.push_screen(WorkshopScreen(session))
        self.call_after_refresh(self._settle_heap)

    @staticmethod
    def _settle_heap() -> None:
        """Set aside what was built to open the session, for as long as it is open.

        Python's full garbage collections look at every object alive; with a large
        session open, one of those landing between two keys is a visible stall. Frozen
        objects are skipped (and handed back by ``_release_heap`` on close).
        """
        gc.freeze()

    @staticmethod
    def _release_heap() -> None:
        gc.unfreeze()

    def _open_backup_copy(self, backup: Path) -> None:
        from facilitator.store.upgrade import restore_copy

        try:
            copy = restore_copy(backup, ensure_sessions_dir(self.sessions_dir))
        except Exception as exc:  # noqa: BLE001 - shown to the facilitator
            self._show_problem("The backup could not be copied", exc)
            return
        self.notify(f"Opened a copy of the backup: {copy.name}")
        self.open_session(copy)

    def leave_session(self) -> None:
        """ctrl+l: back to the list (asking first if some typing could not be saved)."""
        self.unless_typing_is_unsaved(self.close_session, "Leave")

    def close_session(self) -> None:
        from facilitator.tui.workshop import WorkshopScreen

        if isinstance(self.screen, WorkshopScreen):
            self.screen.flush()
            self.pop_screen()
        if self.session is not None:
            self.session.close()
            self.session = None
            self._release_heap()
        self.sub_title = ""

    def _show_problem(self, title: str, error: BaseException | None) -> None:
        from facilitator.store.errors import CorruptFileError
        from facilitator.tui.dialogs import ConfirmDialog, MessageDialog

        backup = getattr(error, "backup", None)
        if isinstance(error, CorruptFileError) and backup is not None:
            question = (
                f"{error}\n\nOpen a copy of the newest backup instead? The damaged file is "
                "left exactly as it is."
            )

            def answer(yes: bool | None) -> None:
                if yes:
                    self._open_backup_copy(backup)

            self.push_screen(ConfirmDialog(question, yes="Open backup copy", no="Not now"), answer)
            return

        if isinstance(error, SessionFileError | ValueError):
            message = str(error)
        else:
            message = f"Something went wrong: {error!s}. Nothing saved before has been lost."
        self.push_screen(MessageDialog(title, message))

    # -- help and palette -----------------------------------------------------------------------

    def action_help(self) -> None:
        from facilitator.tui.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    @property
    def projector(self) -> bool:
        return self.has_class("-projector")

    def action_toggle_dark(self) -> None:
        if self.projector:
            dark = self.theme == "projector-dark"
            self.theme = "projector-light" if dark else "projector-dark"
        else:
            self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def action_toggle_projector(self) -> None:
        """Big, high-contrast and uncluttered, for a wall: F10 again to go back."""
        if self.projector:
            self.remove_class("-projector")
            self.theme = self._theme_before_projector
            self.notify("Projector mode off.")
        else:
            self._theme_before_projector = self.theme
            self.add_class("-projector")
            self.theme = "projector-dark" if self.current_theme.dark else "projector-light"
            self.notify("Projector mode: F10 to leave, F9 for light or dark.")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action with a description in the Footer is also in the palette."""
        seen: set[str] = set()
        for _key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.description in seen:
                continue
            if binding.action in {"command_palette", "quit"}:
                continue
            seen.add(binding.description)
            yield SystemCommand(
                binding.description,
                binding.tooltip or f"Same as pressing {binding.key}",
                _runner(active.node, binding.action),
            )
        yield SystemCommand(
            "Light or dark theme", "Switch between light and dark (F9)", self.action_toggle_dark
        )
        yield SystemCommand(
            "Projector mode",
            "High contrast, no clutter, for showing on a wall (F10)",
            self.action_toggle_projector,
        )
        yield from super().get_system_commands(screen)


def _runner(node: Any, action: str) -> Any:
    async def run() -> None:
        await node.run_action(action)

    return run


def make_app(
    *,
    sessions_dir: Path,
    open_path: Path | None = None,
    replay_path: Path | None = None,
    questions: Path | None = None,
    room: bool = False,
    room_host: str | None = None,
) -> FacilitatorApp:
    """Build the app for the command line and for tests alike.

    ``room``: open the room page as soon as the session is shown; ``room_host``: the
    address it serves on (default: the laptop's address on the local network).
    """
    app = FacilitatorApp(
        sessions_dir, open_path=open_path, replay_path=replay_path, questions=questions
    )
    app.room_on_open = room
    app.room_host = room_host
    return app
