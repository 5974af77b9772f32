"""What a widget last showed, so it redraws only what changed.

Panes are refreshed whenever the session changes, which during a live room can be many
times a second. Rebuilding a list or a grid that looks the same would move the cursor,
flicker on a projector and cost the facilitator's keystrokes their speed, so every widget
that redraws asks ``changed`` first. This is the one mechanism for that in the TUI.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from textual.cache import LRUCache

_MISSING = object()


class Shown:
    """Remembers, per part of a widget, the value it was last drawn from.

    ``changed(key, value)`` answers True (and remembers ``value``) the first time and
    whenever ``value`` differs from last time; False when the part already shows it.
    A part that is redrawn by other means is ``forget``-ed, so the next call redraws it.
    The memory is bounded: a widget with many parts (one per relationship, say) keeps
    only the most recently used ones."""

    def __init__(self, size: int = 64) -> None:
        self._values: LRUCache[Hashable, Any] = LRUCache(size)

    def changed(self, key: Hashable, value: Any) -> bool:
        if self._values.get(key, _MISSING) == value:
            return False
        self._values.discard(key)  # Textual's cache keeps the first value set for a key
        self._values.set(key, value)
        return True

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The value ``key`` was last drawn from, or ``default``."""
        return self._values.get(key, default)

    def forget(self, key: Hashable | None = None) -> None:
        """Redraw ``key`` (or, with no key, every part) next time."""
        if key is None:
            self._values.clear()
        else:
            self._values.discard(key)
