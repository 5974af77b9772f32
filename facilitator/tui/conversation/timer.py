"""The section timer: how long the group has spent on a section of prompts.

A section's time goes on from where it was, across a restart too: it is written to the
session file's view memory now and then and whenever another section starts.
"""

from __future__ import annotations

import time
from typing import Any

from facilitator.domain import conversation as conv_rules
from facilitator.tui.view_memory import (
    KEEP_EVERY_SECONDS,
    keep_section_seconds,
    section_seconds,
)

#: The clock the section timer reads. Tests replace it so that screenshots stand still.
monotonic = time.monotonic


class SectionTimer:
    """The running time of the conversation section on screen, pausable."""

    def __init__(self) -> None:
        self.key: tuple[str, str] | None = None  # (conversation, section)
        self.started = 0.0
        self.paused: float | None = None
        self.kept_at = 0.0  # when the section's time was last written down
        self.shown: tuple[str, str] = ("", "")

    def start(self, session: Any, conv_id: str, section_id: str) -> None:
        """Time this section (a no-op when it is already being timed)."""
        key = (conv_id, section_id)
        if key == self.key:
            return
        self.keep(session)
        self.key = key
        self.started = monotonic() - section_seconds(session, *key)
        self.paused = None
        self.kept_at = monotonic()

    def elapsed(self) -> float:
        now = self.paused if self.paused is not None else monotonic()
        return now - self.started

    def keep(self, session: Any) -> None:
        """Write the section's time down, for the next opening."""
        if self.key is not None and self.key[0]:
            keep_section_seconds(session, *self.key, self.elapsed())
            self.kept_at = monotonic()

    def keep_if_due(self, session: Any) -> None:
        if self.key is not None and monotonic() - self.kept_at >= KEEP_EVERY_SECONDS:
            self.kept_at = monotonic()
            keep_section_seconds(session, *self.key, self.elapsed())

    def toggle(self) -> bool:
        """Pause or restart; True when now paused."""
        if self.paused is None:
            self.paused = monotonic()
            return True
        self.started += monotonic() - self.paused
        self.paused = None
        return False

    def reading(self, minutes: int) -> tuple[str, str] | None:
        """The text and level ("ok", "near", "over") to show, or None when unchanged."""
        reading = conv_rules.section_timer(minutes, self.elapsed())
        text = reading.text
        if self.paused is not None:
            text = f"⏸ {text} (paused)"
        if (text, reading.level) == self.shown:
            return None  # unchanged: spare the screen a redraw
        self.shown = (text, reading.level)
        return self.shown
