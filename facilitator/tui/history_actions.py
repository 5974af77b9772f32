"""Starting a session from an earlier one, and opening the Compare view, from any screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input

from facilitator.tui.dialogs import NewSessionDialog


class CarryForwardDialog(NewSessionDialog):
    """The new session's title and area, for a session started from an earlier one."""

    def __init__(self, earlier_title: str, area: str) -> None:
        super().__init__()
        self.heading = f"Start from: {earlier_title}"
        self._area = area

    def on_mount(self) -> None:
        self.query_one("#area", Input).value = self._area
        super().on_mount()


def start_from_earlier(app: Any, earlier: Path, earlier_title: str, area: str) -> None:
    """Ask for a title, then create a session carried forward from ``earlier`` and open it."""

    def done(values: dict | None) -> None:
        if not values:
            return
        from facilitator.domain.commands import DomainError
        from facilitator.history.files import create_carried
        from facilitator.store.catalog import ensure_sessions_dir
        from facilitator.store.errors import SessionFileError
        from facilitator.store.sessionfile import session_path

        try:
            path = session_path(ensure_sessions_dir(app.sessions_dir), values["title"])
            session, summary = create_carried(
                earlier, path, title=values["title"], area=values["area"]
            )
            session.close()
        except (DomainError, SessionFileError, OSError) as exc:
            app.notify(f"The session could not be started: {exc}", severity="error")
            return
        app.notify(summary.sentence())
        app.open_session(path)

    app.push_screen(CarryForwardDialog(earlier_title, area), done)


def compare_from_list(app: Any, chosen: Any, sessions: list[Any]) -> None:
    """Pick a second session from the folder's list and compare the two."""
    from facilitator.tui.compare import show_compare
    from facilitator.tui.pickers import PickDialog

    others = [s for s in sessions if s.path != chosen.path and not s.problem]
    if not others:
        app.notify("There is no other session in this folder to compare with.")
        return
    options = [(s.path, f"{s.date}  {s.title}") for s in others]
    earlier = [s for s in others if s.date <= chosen.date]
    default = earlier[0].path if earlier else others[0].path

    def picked(path: str | None) -> None:
        if path:
            show_compare(app, Path(path), Path(chosen.path))

    app.push_screen(PickDialog(f"Compare {chosen.title} with", options, default), picked)


def compare_with_origin(app: Any, session: Any) -> None:
    """Compare the open session with the session it was carried forward from."""
    from facilitator.history.files import find_origin
    from facilitator.tui.compare import show_compare

    info = session.state.info
    if not (info.origin_id or info.origin_title):
        app.notify(
            "This session was not started from an earlier one. To compare any two, "
            "leave it (ctrl+l) and press c on the list.",
        )
        return
    origin = find_origin(session.state, session.path.parent)
    if origin is None:
        app.notify(
            f"The earlier session ({info.origin_file or info.origin_title}) is not in "
            f"{session.path.parent}.",
            severity="warning",
        )
        return
    show_compare(app, origin, session.state)
