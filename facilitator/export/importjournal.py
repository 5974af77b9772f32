"""Checking the journal inside a JSON export, so that an import can keep it.

A JSON export may carry the session's journal. An import keeps it only when it is
exactly what the session's own file would hold: entries numbered in order, in
transactions that never go back, each one a well-formed event whose stage is the stage
the session was at, whose "before" values are what they replace (so undo still works),
and which together replay to exactly the session in the file. Anything else, and the
import starts a fresh journal, saying why in one line (see :func:`kept_journal`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from facilitator.domain import events as ev
from facilitator.domain.model import SessionState, to_dict
from facilitator.export.jsonfile import to_document

_ENTRY_KEYS = {"seq": int, "txn": int, "at": str, "stage": str, "kind": str, "payload": dict}
_PAYLOAD_KEYS = {
    "session.changed": ({"fields", "before"}, {"undoes"}),
    ev.ADDED: ({"id", "fields"}, {"undoes"}),
    ev.CHANGED: ({"id", "fields", "before"}, {"undoes"}),
    ev.REMOVED: ({"id", "before"}, {"undoes"}),
}


class JournalRefused(ValueError):
    """Why a journal cannot be kept: one line, for the person importing."""


def kept_journal(doc: dict[str, Any]) -> list[ev.JournalEntry] | None:
    """The document's journal if it can be kept, None if it has none.

    Raises :class:`JournalRefused` naming the first problem otherwise.
    """
    raw = doc.get("journal")
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw:
        raise JournalRefused("it is not a list of entries")
    entries = [_entry(n, item) for n, item in enumerate(raw)]
    state = _replay_checked(entries)
    wanted = {k: v for k, v in doc.items() if k != "journal"}
    if to_document(state) != wanted:
        raise JournalRefused("it does not replay to the session in the file")
    return entries


def _entry(n: int, item: Any) -> ev.JournalEntry:
    where = f"entry {n + 1}"
    if not isinstance(item, dict) or set(item) != set(_ENTRY_KEYS):
        raise JournalRefused(f"{where} does not have the keys of a journal entry")
    for key, kind in _ENTRY_KEYS.items():
        if not isinstance(item[key], kind) or isinstance(item[key], bool):
            raise JournalRefused(f"{where}: {key} has the wrong type")
    try:
        dt.datetime.fromisoformat(item["at"])
    except ValueError:
        raise JournalRefused(f"{where}: {item['at']!r} is not a time") from None
    entry = ev.JournalEntry(
        item["seq"], item["txn"], item["at"], item["stage"], item["kind"], item["payload"]
    )
    event = entry.event
    try:
        ev.validate(event)
    except ev.EventError as exc:
        raise JournalRefused(f"{where}: {exc}") from None
    shape = _PAYLOAD_KEYS["session.changed" if event.entity == "session" else event.verb]
    keys = set(event.payload)
    if not shape[0] <= keys <= shape[0] | shape[1]:
        raise JournalRefused(f"{where}: {event.kind} has the wrong parts")
    for part in ("fields", "before"):
        if part in keys and not isinstance(event.payload[part], dict):
            raise JournalRefused(f"{where}: {part} is not an object")
        if part in keys and not all(map(_plain_value, event.payload[part].values())):
            raise JournalRefused(f"{where}: {part} holds a value of the wrong kind")
    return entry


def _plain_value(value: Any) -> bool:
    """A value an entity's field can hold: text, a number, true/false, null, a list of text."""
    if value is None or isinstance(value, str | int | bool):
        return True
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _replay_checked(entries: list[ev.JournalEntry]) -> SessionState:
    """Replay the entries, checking numbering, stages and "before" values on the way."""
    state = SessionState()
    seq = txn = 0
    for n, entry in enumerate(entries, start=1):
        where = f"entry {n}"
        if entry.seq <= seq or entry.txn < max(txn, 1):
            raise JournalRefused(f"{where} is out of order")
        seq, txn = entry.seq, entry.txn
        if entry.stage != state.info.current_stage:
            raise JournalRefused(f"{where} names stage {entry.stage!r}, not the stage it was at")
        event = entry.event
        if "before" in event.payload and event.payload["before"] != _before(state, event):
            raise JournalRefused(f"{where} does not say what it replaced")
        try:
            ev.apply_event(state, event)
        except (ev.EventError, TypeError) as exc:
            raise JournalRefused(f"{where}: {exc}") from None
    return state


def _before(state: SessionState, event: ev.Event) -> dict[str, Any] | None:
    """What an event's "before" must hold, given the state it applies to."""
    p = event.payload
    if event.entity == "session":
        current = to_dict(state.info)
        return {k: current.get(k) for k in p["before"]}
    found = state.rows[event.entity].get(p["id"])
    if found is None:
        return None
    current = to_dict(found)
    if event.verb == ev.REMOVED:
        return current
    return {k: current.get(k) for k in p["before"]}


__all__ = ["JournalRefused", "kept_journal"]
