"""The event journal's vocabulary: what can happen to a session, and how to replay it.

Every change to a session is one or more events, committed together as one
*transaction* (``txn``). There are four shapes of event:

``session.changed``   ``{"fields": {...}, "before": {...}}``
``<kind>.added``      ``{"id": ..., "fields": {all fields}}``
``<kind>.changed``    ``{"id": ..., "fields": {changed fields}, "before": {their old values}}``
``<kind>.removed``    ``{"id": ..., "before": {all fields}}``

Because every event carries what it replaced, the journal alone is enough both to
rebuild a session from nothing (:func:`replay`) and to undo a transaction
(:func:`undo_events`): undo appends the inverse events, it never deletes history.
An undo transaction's events carry ``"undoes": txn`` in their payload.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from facilitator.domain.model import (
    ENTITY_TYPES,
    SESSION_FIELDS,
    SessionInfo,
    SessionState,
    copy_value,
    entity_fields,
)

ADDED, CHANGED, REMOVED = "added", "changed", "removed"


class EventError(ValueError):
    """An event that does not fit the session it is applied to."""


@dataclass(frozen=True, slots=True)
class Event:
    """One change, before it is written to the journal."""

    kind: str
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def entity(self) -> str:
        return self.kind.split(".", 1)[0]

    @property
    def verb(self) -> str:
        return self.kind.split(".", 1)[1]


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """An event as the journal holds it."""

    seq: int
    txn: int
    at: str  # UTC, ISO 8601
    stage: str
    kind: str
    payload: dict[str, Any]

    @property
    def event(self) -> Event:
        return Event(self.kind, self.payload)


def added(kind: str, entity_id: str, fields: dict[str, Any]) -> Event:
    return Event(f"{kind}.{ADDED}", {"id": entity_id, "fields": dict(fields)})


def changed(kind: str, entity_id: str, fields: dict[str, Any], before: dict[str, Any]) -> Event:
    return Event(
        f"{kind}.{CHANGED}", {"id": entity_id, "fields": dict(fields), "before": dict(before)}
    )


def removed(kind: str, entity_id: str, before: dict[str, Any]) -> Event:
    return Event(f"{kind}.{REMOVED}", {"id": entity_id, "before": dict(before)})


def session_changed(fields: dict[str, Any], before: dict[str, Any]) -> Event:
    return Event("session.changed", {"fields": dict(fields), "before": dict(before)})


def validate(event: Event) -> None:
    """Raise EventError unless the event has a known shape and known fields."""
    entity, _, verb = event.kind.partition(".")
    p = event.payload
    if entity == "session":
        if verb != CHANGED:
            raise EventError(f"unknown event kind {event.kind!r}")
        _known(p.get("fields", {}), SESSION_FIELDS, event.kind)
        return
    if entity not in ENTITY_TYPES or verb not in (ADDED, CHANGED, REMOVED):
        raise EventError(f"unknown event kind {event.kind!r}")
    if not isinstance(p.get("id"), str) or not p["id"]:
        raise EventError(f"{event.kind}: missing id")
    names = entity_fields(entity)
    if verb in (ADDED, CHANGED):
        _known(p.get("fields", {}), names, event.kind)
    if verb in (CHANGED, REMOVED):
        _known(p.get("before", {}), names, event.kind)


def _known(values: dict[str, Any], names: Sequence[str], kind: str) -> None:
    if not values.keys() <= _as_set(names):
        unknown = set(values) - set(names)
        raise EventError(f"{kind}: unknown field(s) {sorted(unknown)}")


@functools.cache
def _as_set(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(names)


def apply_event(state: SessionState, event: Event) -> None:
    """Apply one event to a state, in place."""
    validate(event)
    entity, verb, p = event.entity, event.verb, event.payload
    if entity == "session":
        for name, value in p["fields"].items():
            setattr(state.info, name, copy_value(value))
        return
    rows = state.rows[entity]
    eid = p["id"]
    if verb == ADDED:
        if eid in rows:
            raise EventError(f"{event.kind}: {eid} exists already")
        rows[eid] = ENTITY_TYPES[entity](**{k: copy_value(v) for k, v in p["fields"].items()})
    elif verb == CHANGED:
        if eid not in rows:
            raise EventError(f"{event.kind}: no {entity} {eid}")
        # A new object, never a change in place: states may share entities.
        rows[eid] = dataclasses.replace(
            rows[eid], **{k: copy_value(v) for k, v in p["fields"].items()}
        )
    else:
        if eid not in rows:
            raise EventError(f"{event.kind}: no {entity} {eid}")
        del rows[eid]


def replay(entries: Iterable[JournalEntry | Event], upto_seq: int | None = None) -> SessionState:
    """Rebuild a session from its journal (optionally only up to and including a seq)."""
    state = SessionState()
    for entry in entries:
        if upto_seq is not None and isinstance(entry, JournalEntry) and entry.seq > upto_seq:
            break
        apply_event(state, entry.event if isinstance(entry, JournalEntry) else entry)
    return state


def invert(event: Event) -> Event:
    """The event that takes this one back."""
    entity, verb, p = event.entity, event.verb, event.payload
    if entity == "session":
        return session_changed(p["before"], p["fields"])
    if verb == ADDED:
        return removed(entity, p["id"], p["fields"])
    if verb == REMOVED:
        return added(entity, p["id"], p["before"])
    return changed(entity, p["id"], p["before"], p["fields"])


def is_navigation(event: Event) -> bool:
    """Moving between stages and the time kept on them: recorded, but not undone.

    Ctrl+z takes back what the group said or decided, not where the facilitator
    clicked; otherwise undo would first have to walk back through every stage move.
    """
    if event.kind == "session.changed":
        return set(event.payload.get("fields", {})) <= {"current_stage"}
    return event.entity == "stage_time"


def undoable_txns(entries: Sequence[JournalEntry]) -> list[int]:
    """Transactions that can still be undone, oldest first.

    A transaction that is itself an undo is not offered, and one already undone is
    skipped, so repeated ctrl+z walks back through history one change at a time.
    The first transaction (creating the session) and navigation are never offered.
    """
    undone: set[int] = set()
    seen: set[int] = set()
    substantive: dict[int, bool] = {}
    first_txn = entries[0].txn if entries else None
    for entry in entries:
        target = entry.payload.get("undoes")
        if target is not None:
            undone.add(target)
            seen.add(entry.txn)
            continue
        if entry.txn in seen and entry.txn not in substantive:
            continue
        seen.add(entry.txn)
        substantive[entry.txn] = substantive.get(entry.txn, False) or not is_navigation(entry.event)
    return [t for t, real in substantive.items() if real and t not in undone and t != first_txn]


def undo_events(entries: Sequence[JournalEntry]) -> tuple[int, list[Event]] | None:
    """The events that undo the latest undoable transaction, or None if there is none."""
    txns = undoable_txns(entries)
    if not txns:
        return None
    target = txns[-1]
    originals = [e.event for e in entries if e.txn == target]
    inverse = []
    for ev in reversed(originals):
        inv = invert(ev)
        inverse.append(Event(inv.kind, {**inv.payload, "undoes": target}))
    return target, inverse


def describe(event: Event) -> str:
    """A short human description of an event, for undo messages and replay."""
    entity, verb = event.entity, event.verb
    noun = entity.replace("_", " ")
    p = event.payload
    label = ""
    values = p.get("fields") or p.get("before") or {}
    for key in ("name", "title", "what", "text", "criterion_id"):
        if values.get(key):
            label = str(values[key])
            break
    if len(label) > 40:
        label = label[:39] + "…"
    text = f"{noun} {verb}"
    return f"{text}: {label}" if label else text


__all__ = [
    "ADDED",
    "CHANGED",
    "REMOVED",
    "Event",
    "EventError",
    "JournalEntry",
    "SessionInfo",
    "added",
    "apply_event",
    "changed",
    "describe",
    "invert",
    "removed",
    "replay",
    "session_changed",
    "undo_events",
    "undoable_txns",
    "validate",
]
