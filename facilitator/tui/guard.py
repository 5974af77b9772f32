"""Problems inside the app become a message to the facilitator, never a traceback.

Textual stops the app on any unhandled exception. During a workshop that would throw
the room out of the session for a bug in one button, so the app's screens, panes and
actions report the problem instead, write the details to a private log file in the
sessions folder, and carry on: every committed change is already on disk.

Tests set ``FACILITATOR_RAISE_ERRORS=1`` so that a bug fails the test that hits it.
"""

from __future__ import annotations

import datetime as dt
import os
import traceback
from pathlib import Path
from typing import Any

from textual.message import Message

RAISE_ENV = "FACILITATOR_RAISE_ERRORS"
LOG_NAME = "errors.log"


def raising() -> bool:
    return os.environ.get(RAISE_ENV, "") not in ("", "0")


def log_path(sessions_dir: Path) -> Path:
    return sessions_dir / ".logs" / LOG_NAME


def report_failure(app: Any, error: BaseException) -> None:
    """Tell the facilitator, keep the details in the log, and let the app go on."""
    failures = getattr(app, "failures", None)
    if failures is not None:
        failures.append(error)
    where = ""
    folder = getattr(app, "sessions_dir", None)
    if folder is not None:
        try:
            path = log_path(Path(folder))
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as log:
                log.write(f"--- {dt.datetime.now(dt.UTC).isoformat()}\n")
                log.write("".join(traceback.format_exception(error)))
            where = f" Details are in {path}."
        except OSError:
            where = ""
    summary = str(error).splitlines()[0] if str(error) else type(error).__name__
    app.notify(
        f"That did not work ({summary}). Everything saved so far is safe.{where}",
        title="Something went wrong",
        severity="error",
        timeout=10,
    )


class Guarded:
    """Mix into a screen or widget: exceptions in its handlers are reported, not fatal.

    ``_dispatch_message`` is private to Textual, so pyproject pins Textual's major version;
    tests/test_failures.py checks that a failing handler is still reported and survived."""

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except Exception as error:
            if raising():
                raise
            report_failure(self.app, error)  # type: ignore[attr-defined]
