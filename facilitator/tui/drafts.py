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
from textual.widgets import Input, TextArea

QUIET_SECONDS = 0.4  # write this long after the last keystroke
MAX_WAIT_SECONDS = 1.0  # ...but never wait longer than this while typing continues
RETRY_SECONDS = 2.0  # after a failed write (a full disk), try again this often


def put_back(widget: Input | TextArea, text: str, *, quiet: bool = False) -> None:
    """Show kept typing in its field, the cursor at its end, ready to go on typing.

    An Input selects all its text when it is focused, so the first key typed would
    replace what was put back: a field holding a draft keeps its text on focus instead.
    ``quiet`` puts the text in without a Changed message.
    """
    if isinstance(widget, Input):
        widget.select_on_focus = False
        if widget.value != text:
            with widget.prevent(*([Input.Changed] if quiet else [])):
                widget.value = text
        widget.cursor_position = len(text)
    else:
        if widget.text != text:
            with widget.prevent(*([TextArea.Changed] if quiet else [])):
                widget.text = text
        widget.move_cursor(widget.document.end)


class DraftKeeper:
    """Debounced writes of typed text to the session file's draft table."""

    def __init__(
        self,
        save: Callable[[str, str], None],
        set_timer: Callable[..., Timer],
        on_error: Callable[[Exception], None],
        on_recovered: Callable[[], None] | None = None,
    ) -> None:
        self._save = save
        self._set_timer = set_timer
        self._on_error = on_error
        self._on_recovered = on_recovered
        self._pending: dict[str, str] = {}
        self._first_pending: float | None = None
        self._timer: Timer | None = None
        self.failing = False  # the last write failed; writes are being retried

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
            self._pending[key] = ""  # still to be cleared: tried again with the rest
            self._failed(exc)

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        pending, self._pending = self._pending, {}
        self._first_pending = None
        keys = list(pending)
        for index, key in enumerate(keys):
            try:
                self._save(key, pending[key])
            except Exception as exc:  # noqa: BLE001 - shown to the facilitator
                # Keep this one and every one after it (newer typing wins), and try again.
                for later in keys[index:]:
                    self._pending.setdefault(later, pending[later])
                self._failed(exc)
                return
        if self.failing and keys and not self._pending:  # written, after failing
            self.failing = False
            if self._on_recovered is not None:
                self._on_recovered()

    def _failed(self, exc: Exception) -> None:
        if not self.failing:  # said once, not at every retry
            self.failing = True
            self._on_error(exc)
        if self._timer is None:
            self._timer = self._set_timer(RETRY_SECONDS, self.flush)

    @property
    def pending(self) -> dict[str, Any]:
        return dict(self._pending)
