"""Replaying a session's journal: the state as it was after any event.

A :class:`Timeline` keeps a copy of the state every few hundred events, so seeking
anywhere replays at most that many events from the nearest copy, however long the
journal is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from facilitator.domain.events import JournalEntry, apply_event
from facilitator.domain.model import SessionState

CHECKPOINT_EVERY = 200


class Timeline:
    """The states of a session along its journal.

    Positions count events applied: position 0 is the empty session, position
    ``len(timeline)`` the session as it is now, and the event that led to position
    ``k`` is ``entries[k - 1]``.
    """

    def __init__(
        self, entries: Sequence[JournalEntry], checkpoint_every: int = CHECKPOINT_EVERY
    ) -> None:
        self.entries = tuple(entries)
        self.every = max(1, checkpoint_every)
        self._checkpoints: list[SessionState] = [SessionState()]
        state = SessionState()
        for index, entry in enumerate(self.entries, start=1):
            apply_event(state, entry.event)
            if index % self.every == 0:
                self._checkpoints.append(state.clone())
        self.final = state
        self._times = [_parse(e.at) for e in self.entries]

    def __len__(self) -> int:
        return len(self.entries)

    def state_at(self, position: int) -> SessionState:
        """A fresh copy of the state after ``position`` events (clamped to the journal)."""
        position = max(0, min(position, len(self.entries)))
        if position == len(self.entries):
            return self.final.clone()
        base = position // self.every
        state = self._checkpoints[base].clone()
        for entry in self.entries[base * self.every : position]:
            apply_event(state, entry.event)
        return state

    def entry_at(self, position: int) -> JournalEntry | None:
        """The event that led to ``position`` (None at the start)."""
        if position <= 0 or position > len(self.entries):
            return None
        return self.entries[position - 1]

    def stage_starts(self) -> dict[str, int]:
        """The first position at which each stage was worked on, in journal order."""
        starts: dict[str, int] = {}
        for position, entry in enumerate(self.entries, start=1):
            starts.setdefault(entry.stage, position)
        return starts

    def seconds_to_next(self, position: int) -> float:
        """Real time between the event at ``position`` and the next one (0 if unknown)."""
        if position < 1 or position >= len(self.entries):
            return 0.0
        before, after = self._times[position - 1], self._times[position]
        if before is None or after is None:
            return 0.0
        return max(0.0, (after - before).total_seconds())


def _parse(iso: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
