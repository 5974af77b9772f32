"""The whole session as JSON: a complete, deterministic copy that can be imported again.

The layout (schema: ``docs/session.schema.json``)::

    {"format": "facilitator-session", "schema_version": 1,
     "session": {...the session's own fields...},
     "participants": [{"id": ..., ...}, ...], "relationships": [...], ...}

Every kind of entity is a list in the order the session holds it, each item with its
``id``; vocabulary values are ids. Keys are sorted, non-ASCII text is written as it is,
and there is no export time, so exporting the same session twice (or exporting,
importing and exporting again) gives the same bytes. The session's journal is left out
unless it is asked for; an import keeps it (see :mod:`.importjournal`), so the bytes are
the same with the journal too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from facilitator.domain.events import JournalEntry
from facilitator.domain.model import SessionState, to_dict

FORMAT_NAME = "facilitator-session"
SCHEMA_VERSION = 1

LIST_KEYS: dict[str, str] = {
    "participant": "participants",
    "criterion_vote": "criterion_votes",
    "criterion_choice": "criterion_choices",
    "relationship": "relationships",
    "rating": "ratings",
    "outcome": "outcomes",
    "factor": "factors",
    "action": "actions",
    "conversation": "conversations",
    "attendee": "attendees",
    "prompt_answer": "prompt_answers",
    "action_review": "action_reviews",
    "stage_time": "stage_times",
}
"""The JSON key holding each entity kind."""


def to_document(
    state: SessionState, journal: Sequence[JournalEntry] | None = None
) -> dict[str, Any]:
    """The JSON document as plain Python data."""
    doc: dict[str, Any] = {
        "format": FORMAT_NAME,
        "schema_version": SCHEMA_VERSION,
        "session": to_dict(state.info),
    }
    for kind, key in LIST_KEYS.items():
        doc[key] = [{"id": eid, **to_dict(ent)} for eid, ent in state.rows[kind].items()]
    if journal is not None:
        doc["journal"] = [
            {
                "seq": e.seq,
                "txn": e.txn,
                "at": e.at,
                "stage": e.stage,
                "kind": e.kind,
                "payload": e.payload,
            }
            for e in journal
        ]
    return doc


def dumps(doc: Any) -> str:
    """JSON text the way every export writes it: sorted keys, indented, newline at the end."""
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def to_json(state: SessionState, journal: Sequence[JournalEntry] | None = None) -> str:
    return dumps(to_document(state, journal))
