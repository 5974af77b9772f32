"""Keeping text that is being typed, so that a crash costs at most about a second.

Any ``Input`` or ``TextArea`` with a ``draft_key`` attribute inside the workshop
screen is watched: its text is written to the session file's draft table a moment
after the last keystroke (and at least once a second while typing goes on), and
put back into the field when the session is opened again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.timer import Timer

QUIET_SECONDS = 0.4  # write this long after the last keystroke
MAX_WAIT_SECONDS = 1.0  # ...but never wait longer than this while typing continues


class DraftKeeper:
    """Debounced writes of typed text to the session file's draft table."""

    def __init__(
        self,
        save: Callable[[str, str], None],
        set_timer: Callable[..., Timer],
        on_error: Callable[[Exception], None],
    ) -> None:
        self._save = save
        self._set_timer = set_timer
        self._on_error = on_error
        self._pending: dict[str, str] = {}
        self._first_pending: float | None = None
        self._timer: Timer | None = None

    def typed(self, key: str, text: str) -> None:
        self._pending[key] = text
        now = time.monotonic()
        if self._first_pending is None:
            self._first_pending = now
        if now - self._first_pending >= MAX_WAIT_SECONDS:
            self.flush()
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._set_timer(QUIET_SECONDS, self.flush)

    def forget(self, key: str) -> None:
        """The field's text was committed (or abandoned): drop its draft."""
        self._pending.pop(key, None)
        try:
            self._save(key, "")
        except Exception as exc:  # noqa: BLE001 - shown to the facilitator
            self._on_error(exc)

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        pending, self._pending = self._pending, {}
        self._first_pending = None
        for key, text in pending.items():
            try:
                self._save(key, text)
            except Exception as exc:  # noqa: BLE001 - shown to the facilitator
                self._pending.setdefault(key, text)
                self._on_error(exc)
                return

    @property
    def pending(self) -> dict[str, Any]:
        return dict(self._pending)
