"""Reading a JSON export back: the checks, and the events that rebuild the session.

The file is checked in full before anything is written: its format name and version,
every key, every value's type, every vocabulary id and every reference between
entities, each field against the shape the model declares for it
(:mod:`facilitator.domain.fields`). A problem raises :class:`JsonImportError` with one
line naming where it is, for example ``relationships[3].rel_type: unknown value 'ally'``.

The session is rebuilt through the domain's own commands, keeping every id, so it
behaves exactly like one typed in by hand. Text that is already clean is kept exactly as
it was, so exporting the imported session gives the same bytes. Writing the new file
(and keeping the journal in the export when it replays to exactly the session) is the
store's part: :func:`facilitator.store.importing.import_json`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from facilitator.domain import commands
from facilitator.domain import events as ev
from facilitator.domain.fields import ID_PATTERN, Spec, specs_of
from facilitator.domain.model import ENTITY_TYPES, SessionInfo, SessionState, to_dict
from facilitator.domain.text import TextError, clean_text, describe_value
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.export.jsonfile import FORMAT_NAME, LIST_KEYS, SCHEMA_VERSION


class JsonImportError(ValueError):
    """A JSON file that cannot be imported; the message is one line naming the place."""


# The order entities are added in, so that everything an entity refers to exists first.
IMPORT_ORDER: tuple[str, ...] = (
    "participant",
    "relationship",
    "conversation",
    "criterion_choice",
    "criterion_vote",
    "rating",
    "outcome",
    "factor",
    "action",
    "attendee",
    "prompt_answer",
    "action_review",
    "stage_time",
)

_ID = re.compile(ID_PATTERN)
_OPTIONAL_KEYS = frozenset({"journal"})


def _fail(path: str, problem: str) -> JsonImportError:
    return JsonImportError(f"{path}: {problem}" if path else problem)


def _check_type(path: str, expected: str, value: Any) -> None:
    ok = {
        "str": isinstance(value, str),
        "str?": value is None or isinstance(value, str),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "int?": value is None or (isinstance(value, int) and not isinstance(value, bool)),
        "bool": isinstance(value, bool),
        "list": isinstance(value, list) and all(isinstance(v, str) for v in value),
    }.get(expected, True)
    if not ok:
        want = {
            "str": "text",
            "str?": "text or null",
            "int": "a whole number",
            "int?": "a whole number or null",
            "bool": "true or false",
            "list": "a list of text",
        }[expected]
        raise _fail(path, f"expected {want}, got {describe_value(value, 'an object')}")


def _check_vocab(path: str, spec: Spec, value: Any, item: dict[str, Any]) -> None:
    vocab = load_vocabulary()
    if spec.kind in ("vocab", "vocabs"):
        values = value if isinstance(value, list) else [value]
        for n, v in enumerate(values):
            if v is None:
                continue
            if v not in vocab.ids(spec.target):
                where = f"{path}[{n}]" if isinstance(value, list) else path
                raise _fail(where, f"unknown value {v!r}")
    if spec.kind == "subtype" and value is not None:
        atype = item.get("agency_type")
        if atype is None:
            raise _fail(path, "a sub-type needs an agency type")
        try:
            vocab.subtype(atype, value)
        except KeyError:
            raise _fail(path, f"unknown value {value!r} for agency type {atype!r}") from None


def _check_fields(path: str, cls: type, item: Any, *, with_id: bool) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise _fail(path, f"expected an object, got {describe_value(item, 'an object')}")
    specs = specs_of(cls)
    allowed = set(specs) | ({"id"} if with_id else set())
    for key in item:
        if key not in allowed:
            raise _fail(f"{path}.{key}", "unknown field")
    if with_id:
        if "id" not in item:
            raise _fail(f"{path}.id", "missing")
        if not isinstance(item["id"], str) or not _ID.fullmatch(item["id"]):
            raise _fail(
                f"{path}.id",
                f"not a valid id: {item['id']!r} (use 1 to 100 letters, digits, '.', '_', ':' "
                "or '-')",
            )
    for key, value in item.items():
        if key == "id":
            continue
        _check_type(f"{path}.{key}", specs[key].value_type, value)
        _check_vocab(f"{path}.{key}", specs[key], value, item)
    return {k: v for k, v in item.items() if k != "id"}


def _looks_clean(value: str) -> bool:
    """True for text that cleaning would leave alone apart from folding spaces."""
    if "\n" in value or "\t" in value:
        return False
    try:
        return clean_text(value) == value
    except TextError:
        return False


def _keep_exact(event: ev.Event, original: dict[str, Any]) -> ev.Event:
    """The event, with text that was already clean kept exactly as the file had it."""
    fields = dict(event.payload["fields"])
    changed = False
    for name, value in original.items():
        if isinstance(value, str) and fields.get(name) != value and _looks_clean(value):
            fields[name] = value
            changed = True
    if not changed:
        return event
    if event.kind == "session.changed":
        return ev.session_changed(fields, event.payload["before"])
    return ev.added(event.entity, event.payload["id"], fields)


def _add(state: SessionState, kind: str, eid: str | None, fields: dict[str, Any]) -> ev.Event:
    """``commands.add``, passing a relationship's ``state`` field (already checked against
    the vocabulary) on the event, since the name is taken by the command's own argument."""
    fields = dict(fields)
    rel_state = fields.pop("state", None) if kind == "relationship" else None
    event = commands.add(state, kind, entity_id=eid, **fields)
    if rel_state is not None:
        event.payload["fields"]["state"] = rel_state
    return event


def _domain_error(
    state: SessionState, path: str, kind: str, fields: dict[str, Any], err: Exception
) -> JsonImportError:
    """Name the field a domain check refused, by trying the fields one at a time."""
    for name, value in fields.items():
        single = {name: value}
        if name == "agency_subtype" and "agency_type" in fields:
            single["agency_type"] = fields["agency_type"]
        try:
            if kind == "session":
                commands.update_session(state, **single)
            else:
                _add(state, kind, None, single)
        except commands.DomainError as inner:
            return _fail(f"{path}.{name}", str(inner))
    return _fail(path, str(err))


def parse(data: bytes | str) -> dict[str, Any]:
    """The JSON document, checked at the top level (format name, version, keys)."""
    if isinstance(data, bytes | bytearray):
        try:
            text = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _fail("", f"not UTF-8 text (bad byte at position {exc.start})") from None
    elif isinstance(data, str):
        text = data.removeprefix("\ufeff")
    else:
        raise _fail("", f"expected JSON text, got {type(data).__name__}")

    def no_constants(name: str) -> Any:
        raise ValueError(f"{name} is not allowed")

    try:
        doc = json.loads(text, parse_constant=no_constants)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise _fail("", f"not valid JSON: {exc.msg} ({where})") from None
    except (ValueError, RecursionError) as exc:
        raise _fail("", f"not valid JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise _fail(
            "", f"expected a JSON object at the top, got {describe_value(doc, 'an object')}"
        )
    if doc.get("format") != FORMAT_NAME:
        raise _fail(
            "format",
            f"expected {FORMAT_NAME!r}, got {doc.get('format')!r}: "
            "this is not a facilitator session export",
        )
    version = doc.get("schema_version")
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise _fail(
            "schema_version",
            f"this file is version {version!r}; this program reads version {SCHEMA_VERSION}",
        )
    if "session" not in doc:
        raise _fail("session", "missing")
    known = {"format", "schema_version", "session", *LIST_KEYS.values(), *_OPTIONAL_KEYS}
    for key in doc:
        if key not in known:
            raise _fail(key, "unknown key")
    for key in LIST_KEYS.values():
        if key in doc and not isinstance(doc[key], list):
            raise _fail(key, f"expected a list, got {describe_value(doc[key], 'an object')}")
    return doc


def build_events(doc: dict[str, Any]) -> tuple[list[ev.Event], dict[str, Any]]:
    """Check every entity and return the events that add them, plus the session's fields.

    The session's own fields are checked too, but returned as values: they are applied
    to the new file after it exists (see :func:`session_events`).
    """
    scratch = SessionState()
    events: list[ev.Event] = []
    session = _check_fields("session", SessionInfo, doc["session"], with_id=False)

    def emit(event: ev.Event) -> None:
        ev.apply_event(scratch, event)
        events.append(event)

    follow_ups: list[tuple[str, str, str]] = []
    for kind in IMPORT_ORDER:
        key = LIST_KEYS[kind]
        seen: set[str] = set()
        for n, item in enumerate(doc.get(key, [])):
            path = f"{key}[{n}]"
            fields = _check_fields(path, ENTITY_TYPES[kind], item, with_id=True)
            eid = item["id"]
            if eid in seen:
                raise _fail(f"{path}.id", f"duplicate id {eid!r}")
            seen.add(eid)
            if kind == "conversation" and fields.get("previous_id") is not None:
                follow_ups.append((path, eid, fields.pop("previous_id")))
            try:
                event = _add(scratch, kind, eid, fields)
            except commands.DomainError as err:
                raise _domain_error(scratch, path, kind, fields, err) from None
            emit(_keep_exact(event, fields))
        if kind == "conversation":
            # Earlier conversations are linked once every conversation exists.
            for path, eid, previous in follow_ups:
                if previous not in scratch.conversations:
                    raise _fail(f"{path}.previous_id", f"no conversation with id {previous!r}")
                if previous == eid:
                    raise _fail(f"{path}.previous_id", "a conversation cannot follow up itself")
                for event in commands.edit(scratch, "conversation", eid, previous_id=previous):
                    emit(event)

    try:
        commands.update_session(scratch, **session)
    except commands.DomainError as err:
        raise _domain_error(scratch, "session", "session", session, err) from None
    return events, session


def session_events(state: SessionState, session: dict[str, Any]) -> list[ev.Event]:
    """The event setting the session's own fields on the new file (refs checked on ``state``)."""
    # Check every field against a blank session, so each comes back in its cleaned form.
    probe = SessionState(info=SessionInfo(), rows=state.rows)
    wanted = to_dict(SessionInfo())
    for event in commands.update_session(probe, **session):
        wanted.update(_keep_exact(event, session).payload["fields"])
    current = to_dict(state.info)
    diff = {k: wanted[k] for k in session if current[k] != wanted[k]}
    if not diff:
        return []
    return [ev.session_changed(diff, {k: current[k] for k in diff})]
