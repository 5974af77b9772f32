"""Fixtures shared by the whole test suite."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from facilitator.store import FILE_SUFFIX

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def tmp_sessions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty sessions folder, also set as ``$FACILITATOR_SESSIONS_DIR``."""
    folder = tmp_path / "sessions"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("FACILITATOR_SESSIONS_DIR", str(folder))
    return folder


@pytest.fixture
def make_session(tmp_sessions: Path) -> Iterator[Callable[..., Any]]:
    """Create an open session in ``tmp_sessions``: ``make_session(title="...", name=...)``.

    Every session it made is closed again when the test ends.
    """
    from facilitator.store.sessionfile import SessionFile

    made: list[SessionFile] = []

    def make(title: str = "Test workshop", *, name: str | None = None, **kwargs: Any):
        path = tmp_sessions / f"{name or f'session-{len(made) + 1}'}{FILE_SUFFIX}"
        session = SessionFile.create(path, title=title, **kwargs)
        made.append(session)
        return session

    yield make
    for session in made:
        session.close()


@pytest.fixture(autouse=True)
def _bugs_fail_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    """In the app, a bug becomes a message to the facilitator; in the tests, a failure."""
    monkeypatch.setenv("FACILITATOR_RAISE_ERRORS", "1")


@pytest.fixture(autouse=True)
def _steady_cursors(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor is on or off by the clock; keep it on so screenshots repeat."""
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow",
        action="store_true",
        default=False,
        help="Run the heavier reliability loops (more kills, copies and examples).",
    )


@pytest.fixture
def run_slow(request: pytest.FixtureRequest) -> bool:
    """True with --run-slow: tests scale their loops up instead of being skipped."""
    return bool(request.config.getoption("--run-slow"))


@pytest.fixture(autouse=True)
def _record_notifications(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read what the app showed with ``tui_helpers.notifications(app)``."""
    from tests.tui_helpers import record_notifications

    record_notifications(monkeypatch)
