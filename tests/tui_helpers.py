"""Shared helpers for driving the app with Textual's Pilot."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from textual.app import App

from facilitator.store.sessionfile import SessionFile
from facilitator.tui.app import FacilitatorApp, make_app

FIXED_CLOCK = "2026-03-14T10:00:00.000Z"


def fixed_clock() -> str:
    """A constant journal time, so screens that show times are the same in every run."""
    return FIXED_CLOCK


@dataclass(frozen=True)
class Shown:
    """One notification an app showed: its words, title and severity."""

    message: str
    title: str
    severity: str


_SHOWN: WeakKeyDictionary[App, list[Shown]] = WeakKeyDictionary()


def record_notifications(monkeypatch) -> None:
    """Keep every notification an app shows, through the public ``App.notify``.

    conftest.py does this for every test; read the record with ``notifications(app)``.
    """
    original = App.notify

    def notify(self, message, *, title: str = "", severity: str = "information", **kw: Any):
        _SHOWN.setdefault(self, []).append(Shown(str(message), title, severity))
        return original(self, message, title=title, severity=severity, **kw)

    monkeypatch.setattr(App, "notify", notify)


def notifications(app) -> list[Shown]:
    """The notifications the app has shown so far, oldest first."""
    return list(_SHOWN.get(app, []))


def new_session_file(folder: Path, title: str = "Spring mapping workshop", **kw) -> Path:
    """Create a session file with a fixed date and clock; returns its path (file closed)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / kw.pop("name", "2026-03-14-spring-mapping-workshop.facilitator")
    session = SessionFile.create(
        path,
        title=title,
        area=kw.pop("area", "Hollin Vale"),
        date="2026-03-14",
        clock=fixed_clock,
    )
    session.close()
    return path


def app_on(path: Path) -> FacilitatorApp:
    """The app, opening the given session straight away (as `facilitator open FILE`)."""
    return make_app(sessions_dir=path.parent, open_path=path)


async def wait_for_workshop(pilot) -> None:
    """Wait until the session has opened and the workshop screen is showing."""
    from facilitator.tui.workshop import WorkshopScreen

    # The screen is pushed before it mounts: wait for its mount handler to have run
    # and for the first stage pane to be built, or a test can race the screen's set-up.
    for _ in range(200):
        await pilot.pause(0.05)
        screen = pilot.app.screen
        ready = isinstance(screen, WorkshopScreen) and screen.is_mounted
        if ready and screen.current_pane().is_mounted:
            await pilot.pause()
            return
    raise AssertionError(f"workshop screen never opened; screen is {pilot.app.screen!r}")


async def wait_until(pilot, condition, what: str, *, seconds: float = 5.0) -> None:
    """Let the app run until ``condition()`` holds; fail, naming ``what``, if it never does."""
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"{what} never happened")


def workshop_of(app):
    """The workshop screen, even under a dialog."""
    from facilitator.tui.workshop import WorkshopScreen

    return next(s for s in reversed(app.screen_stack) if isinstance(s, WorkshopScreen))


async def wait_for_drafts(pilot) -> None:
    """Wait until the typing so far has been written as a draft (a moment after the keys)."""
    await pilot.pause()
    keeper = workshop_of(pilot.app).drafts
    await wait_until(pilot, lambda: not keeper.pending, "writing the draft")


async def type_text(pilot, text: str) -> None:
    """Type text key by key, as a person would."""
    for ch in text:
        await pilot.press(_key_for(ch))


def _key_for(ch: str) -> str:
    names = {
        " ": "space",
        "-": "minus",
        ".": "full_stop",
        ",": "comma",
        "'": "apostrophe",
        "/": "slash",
        "?": "question_mark",
        "!": "exclamation_mark",
        ":": "colon",
        "&": "ampersand",
        "(": "left_parenthesis",
        ")": "right_parenthesis",
    }
    return names.get(ch, ch)


def screen_text(app) -> str:
    """The text of what is on screen now (from an SVG screenshot, markup stripped)."""
    import re

    text = re.sub(r"<[^>]+>", "", app.export_screenshot())
    return text.replace("&#160;", " ").replace("&#x27;", "'").replace("&amp;", "&")
