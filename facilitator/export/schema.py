"""The published JSON schema of the session export, made from the model's declarations.

``docs/session.schema.json`` is this module's output (a test checks they are the same):

    python -m facilitator.export.schema > docs/session.schema.json

Every entity's fields, their kinds of value, limits and descriptions come from the one
declaration in :mod:`facilitator.domain.model` (see :mod:`facilitator.domain.fields`).
"""

from __future__ import annotations

import json
from typing import Any

from facilitator.domain.fields import ID_PATTERN, TERM_PATTERN, object_schema
from facilitator.domain.model import ENTITY_TYPES, SessionInfo
from facilitator.export.jsonfile import FORMAT_NAME, LIST_KEYS, SCHEMA_VERSION

_JOURNAL_ENTRY = {"seq": "integer", "txn": "integer", "at": "string", "stage": "string"}
_JOURNAL_ENTRY |= {"kind": "string", "payload": "object"}


def session_schema() -> dict[str, Any]:
    """The JSON schema (draft 2020-12) a JSON export follows."""
    properties: dict[str, Any] = {
        "format": {"const": FORMAT_NAME},
        "schema_version": {"const": SCHEMA_VERSION},
        "session": {"$ref": "#/$defs/session"},
    }
    for kind, key in LIST_KEYS.items():
        properties[key] = {"type": "array", "items": {"$ref": f"#/$defs/{kind}"}}
    properties["journal"] = {
        "type": "array",
        "description": "Only when asked for: every recorded change, oldest first. Import "
        "keeps it when it replays to exactly the session in the file, and otherwise starts "
        "a new one.",
        "items": {
            "type": "object",
            "required": list(_JOURNAL_ENTRY),
            "properties": {name: {"type": kind} for name, kind in _JOURNAL_ENTRY.items()},
            "additionalProperties": False,
        },
    }
    defs: dict[str, Any] = {
        "id": {
            "type": "string",
            "pattern": f"^{ID_PATTERN}$",
            "description": "An entity id, unique within its list.",
        },
        "id_or_null": {"type": ["string", "null"], "pattern": f"^{ID_PATTERN}$"},
        "term": {
            "type": "string",
            "pattern": f"^{TERM_PATTERN}$",
            "description": "A vocabulary id (see facilitator/content/vocabulary.toml).",
        },
        "term_or_null": {"type": ["string", "null"], "pattern": f"^{TERM_PATTERN}$"},
        "session": object_schema(SessionInfo, with_id=False),
    }
    for kind, cls in ENTITY_TYPES.items():
        defs[kind] = object_schema(cls, with_id=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Facilitator session export, version {SCHEMA_VERSION}",
        "description": "A whole workshop session, as exported in the JSON format. Lists "
        "keep the order the session holds; every item has an id.",
        "type": "object",
        "properties": properties,
        "required": ["format", "schema_version", "session"],
        "additionalProperties": False,
        "$defs": defs,
    }


def schema_text() -> str:
    """The schema as the committed file holds it."""
    return json.dumps(session_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
