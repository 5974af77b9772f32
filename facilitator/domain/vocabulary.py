"""The workshop's vocabulary: every fixed list of terms, read from a TOML file.

The words live in ``facilitator/content/vocabulary.toml`` so they can be reworded
without touching code. Each term has a stable ``id`` (saved in session files and
exports, never translated) and a ``label`` and ``description`` for people to read.

:func:`load_vocabulary` reads and checks the packaged file (once, then cached) or
any other file; :func:`parse_vocabulary` checks text directly. Anything wrong is
reported as a :class:`VocabularyError` naming the file, the entry and the field,
for example ``vocabulary.toml: criteria[3]: missing 'label'``. Entries are counted
from 0 in the order they appear in their table.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = [
    "AgencyType",
    "CRITERIA_IDS",
    "KINDS",
    "REQUIRED_IDS",
    "STAGE_IDS",
    "Term",
    "Vocabulary",
    "VocabularyError",
    "load_vocabulary",
    "parse_vocabulary",
]

VOCABULARY_FILE = "vocabulary.toml"
"""Name of the packaged vocabulary file inside ``facilitator.content``."""

MAX_LABEL = 60
MAX_DESCRIPTION = 200
MAX_SHORT = 12

KINDS: tuple[str, ...] = (
    "criteria",
    "agency_types",
    "relationship_types",
    "purposes",
    "holders",
    "roles",
    "outcomes",
    "factors",
    "stages",
    "closeness",
    "effort_directions",
    "relationship_states",
    "venue_modes",
    "speakers",
    "note_tags",
    "action_statuses",
)
"""The lists a vocabulary holds, in order. Each is also a table name in the file."""

CRITERIA_IDS: tuple[str, ...] = (
    "mutual-knowledge",
    "understanding",
    "trust",
    "respect",
    "common-language",
    "shared-goals",
    "flexible-roles",
    "follow-through",
)
"""The eight criteria of an effective relationship: exactly these, in this order."""

STAGE_IDS: tuple[str, ...] = (
    "setup",
    "criteria",
    "all-relationships",
    "good-relationship",
    "to-develop",
    "conversation",
    "notes",
)
"""The workshop's stages, in the order a session goes through them."""

REQUIRED_IDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "criteria": CRITERIA_IDS,
        "agency_types": (
            "local-authority",
            "housing-association",
            "school",
            "health",
            "police",
            "other",
        ),
        "relationship_types": ("powerful-ally", "friend", "client-contractor", "not-sure"),
        "purposes": (
            "co-design",
            "sharing",
            "informal-support",
            "routes-in",
            "assets",
            "funding",
        ),
        "holders": ("worker", "chair", "resident-member", "lto", "non-resident-member", "rep"),
        "roles": (
            "resident-member",
            "non-resident-member",
            "chair",
            "worker",
            "rep",
            "lto",
            "agency-staff",
            "councillor",
            "other",
        ),
        "outcomes": (
            "profile-reputation",
            "strategy-seat",
            "new-connections",
            "practical-help",
            "community-access",
            "local-knowledge",
            "wider-reach",
            "inclusive-practice",
            "investment-levered",
            "human-face",
            "community-assets",
        ),
        "factors": (
            "independent-funding",
            "agency-pressures",
            "engagement-skills",
            "managing-disagreement",
            "agency-language",
            "system-knowledge",
            "local-presence",
            "visible-results",
            "keeping-in-touch",
            "confidence",
            "skills",
            "evidence-lived-experience",
            "paid-capacity",
        ),
        "stages": STAGE_IDS,
        "closeness": ("1", "2", "3", "4"),
        "effort_directions": ("us", "them", "both"),
        "relationship_states": ("active", "dormant", "lost", "wished-for"),
        "venue_modes": ("in-person", "remote", "hybrid"),
        "speakers": ("partnership", "agency", "both"),
        "note_tags": ("challenge", "opportunity", "ask", "agreement"),
        "action_statuses": ("open", "in-progress", "done", "dropped"),
    }
)
"""Ids other code and saved files rely on. Each list must include them (it may add more)."""

GROUPS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "outcomes": ("partnership", "agency", "area"),
        "factors": ("helps-or-hinders", "partnership-power"),
    }
)
"""Kinds whose entries must each have a ``group``, and the groups allowed."""

_ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TEXT_FIELDS = ("id", "label", "description", "group", "symbol", "short")
_TERM_FIELDS = frozenset(_TEXT_FIELDS)
_AGENCY_FIELDS = _TERM_FIELDS | {"subtypes"}


@dataclass(frozen=True, slots=True)
class Term:
    """One entry in a vocabulary list."""

    id: str
    label: str
    description: str
    group: str | None = None
    symbol: str = ""
    short: str = ""


@dataclass(frozen=True, slots=True)
class AgencyType(Term):
    """A kind of public agency, with more precise kinds beneath it."""

    subtypes: tuple[Term, ...] = ()


class VocabularyError(ValueError):
    """The vocabulary file is missing, unreadable or does not follow the rules."""


@dataclass(frozen=True)
class Vocabulary:
    """Every fixed list of terms the workshop uses. Build one with :func:`load_vocabulary`."""

    criteria: tuple[Term, ...]
    agency_types: tuple[AgencyType, ...]
    relationship_types: tuple[Term, ...]
    purposes: tuple[Term, ...]
    holders: tuple[Term, ...]
    roles: tuple[Term, ...]
    outcomes: tuple[Term, ...]
    factors: tuple[Term, ...]
    stages: tuple[Term, ...]
    closeness: tuple[Term, ...]
    effort_directions: tuple[Term, ...]
    relationship_states: tuple[Term, ...]
    venue_modes: tuple[Term, ...]
    speakers: tuple[Term, ...]
    note_tags: tuple[Term, ...]
    action_statuses: tuple[Term, ...]
    _index: Mapping[str, Mapping[str, Term]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {
            kind: MappingProxyType({term.id: term for term in getattr(self, kind)})
            for kind in KINDS
        }
        object.__setattr__(self, "_index", MappingProxyType(index))

    def kinds(self) -> tuple[str, ...]:
        """The names of the lists, for example ``"criteria"`` and ``"agency_types"``."""
        return KINDS

    def _terms_by_id(self, kind: str) -> Mapping[str, Term]:
        try:
            return self._index[kind]
        except (KeyError, TypeError):
            raise KeyError(
                f"unknown vocabulary kind {kind!r}; expected one of: {', '.join(KINDS)}"
            ) from None

    def terms(self, kind: str) -> tuple[Term, ...]:
        """All the terms of one kind, in file order. ``KeyError`` if the kind is unknown."""
        self._terms_by_id(kind)
        return getattr(self, kind)

    def get(self, kind: str, term_id: str) -> Term:
        """The term with this id. ``KeyError`` naming the kind and id if there is none."""
        by_id = self._terms_by_id(kind)
        try:
            return by_id[term_id]
        except (KeyError, TypeError):
            known = ", ".join(by_id)
            raise KeyError(f"unknown {kind} id {term_id!r}; known ids: {known}") from None

    def subtype(self, agency_type_id: str, subtype_id: str) -> Term:
        """One subtype of an agency type. ``KeyError`` if either id is unknown."""
        agency_type = self.get("agency_types", agency_type_id)
        assert isinstance(agency_type, AgencyType)
        for sub in agency_type.subtypes:
            if sub.id == subtype_id:
                return sub
        known = ", ".join(sub.id for sub in agency_type.subtypes)
        raise KeyError(
            f"unknown subtype {subtype_id!r} of agency type {agency_type_id!r}; known ids: {known}"
        )

    def label(self, kind: str, term_id: str | None, default: str = "") -> str:
        """The label for an id, for display. Never raises.

        ``None`` gives ``default``. An unknown kind or id gives ``default`` if it is
        not empty, otherwise the id itself, so that data from a newer file still shows.
        """
        try:
            if term_id is None:
                return default
            term = self._index.get(kind, {}).get(term_id)
            if term is not None:
                return term.label
            return default or str(term_id)
        except Exception:
            return default

    def ids(self, kind: str) -> frozenset[str]:
        """The set of ids of one kind. ``KeyError`` if the kind is unknown."""
        return frozenset(self._terms_by_id(kind))


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def load_vocabulary(path: str | os.PathLike[str] | None = None) -> Vocabulary:
    """Read and check a vocabulary file; with no path, the packaged one (read once)."""
    if path is None:
        return _load_packaged()
    source = os.fspath(path)
    try:
        data = Path(source).read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise VocabularyError(f"{source}: cannot read the file: {reason}") from exc
    return parse_vocabulary(_decode(data, source), source=source)


@functools.cache
def _load_packaged() -> Vocabulary:
    resource = files("facilitator.content").joinpath(VOCABULARY_FILE)
    try:
        data = resource.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise VocabularyError(f"{VOCABULARY_FILE}: cannot read the file: {reason}") from exc
    return parse_vocabulary(_decode(data, VOCABULARY_FILE), source=VOCABULARY_FILE)


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise VocabularyError(
            f"{source}: not UTF-8 text (bad byte at position {exc.start})"
        ) from exc


def parse_vocabulary(text: str, source: str = VOCABULARY_FILE) -> Vocabulary:
    """Check vocabulary TOML text and build a :class:`Vocabulary` from it.

    ``source`` is the file name used in error messages.
    """
    if not isinstance(text, str):
        raise VocabularyError(f"{source}: expected text, got {type(text).__name__}")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{source}: not valid TOML: {exc}") from exc
    except RecursionError as exc:
        raise VocabularyError(f"{source}: not valid TOML: nested too deeply") from exc

    unknown = [key for key in data if key not in KINDS]
    if unknown:
        raise VocabularyError(
            f"{source}: unknown table {unknown[0]!r}; expected only: {', '.join(KINDS)}"
        )

    lists: dict[str, tuple[Term, ...]] = {}
    for kind in KINDS:
        if kind not in data:
            raise VocabularyError(f"{source}: missing table '{kind}'")
        lists[kind] = _parse_kind(data[kind], kind, source)
        _check_required(lists[kind], kind, source)
    return Vocabulary(**lists)


def _parse_kind(raw: Any, kind: str, source: str) -> tuple[Term, ...]:
    entries = _entry_list(raw, kind, source, f"[[{kind}]]")
    if not entries:
        raise VocabularyError(f"{source}: {kind}: has no entries")
    terms: list[Term] = []
    seen: dict[str, str] = {}
    for number, entry in enumerate(entries):
        where = f"{kind}[{number}]"
        if kind == "agency_types":
            term: Term = _parse_agency_type(entry, where, source)
        else:
            term = _parse_term(entry, where, kind, source, _TERM_FIELDS)
        _check_unique(term.id, where, seen, source)
        terms.append(term)
    return tuple(terms)


def _entry_list(raw: Any, where: str, source: str, syntax: str) -> list[Any]:
    if not isinstance(raw, list):
        raise VocabularyError(
            f"{source}: {where}: expected a list of {syntax} entries, got {_type_name(raw)}"
        )
    for number, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise VocabularyError(
                f"{source}: {where}[{number}]: expected a table, got {_type_name(entry)}"
            )
    return raw


def _parse_agency_type(entry: dict[str, Any], where: str, source: str) -> AgencyType:
    base = _parse_term(entry, where, "agency_types", source, _AGENCY_FIELDS)
    subtypes: list[Term] = []
    raw = entry.get("subtypes", [])
    seen: dict[str, str] = {}
    for number, sub_entry in enumerate(
        _entry_list(raw, f"{where}.subtypes", source, "[[agency_types.subtypes]]")
    ):
        sub_where = f"{where}.subtypes[{number}]"
        sub = _parse_term(sub_entry, sub_where, "agency subtypes", source, _TERM_FIELDS)
        _check_unique(sub.id, sub_where, seen, source)
        subtypes.append(sub)
    return AgencyType(
        id=base.id,
        label=base.label,
        description=base.description,
        group=base.group,
        symbol=base.symbol,
        short=base.short,
        subtypes=tuple(subtypes),
    )


def _parse_term(
    entry: dict[str, Any], where: str, kind: str, source: str, allowed: frozenset[str]
) -> Term:
    def fail(problem: str) -> VocabularyError:
        return VocabularyError(f"{source}: {where}: {problem}")

    for key in entry:
        if key not in allowed:
            raise fail(f"unknown field {key!r}; expected: {', '.join(sorted(allowed))}")
    for key in ("id", "label", "description"):
        if key not in entry:
            raise fail(f"missing '{key}'")
    for key in _TEXT_FIELDS:
        if key in entry and not isinstance(entry[key], str):
            raise fail(f"'{key}' should be text in quotes, not {_type_name(entry[key])}")

    term_id: str = entry["id"]
    if not _ID_PATTERN.fullmatch(term_id):
        raise fail(
            f"'id' {term_id!r} is not kebab-case "
            "(lower-case letters and digits, joined by single dashes)"
        )

    label = _one_line(entry["label"], "label", MAX_LABEL, fail)
    description = _one_line(entry["description"], "description", MAX_DESCRIPTION, fail)

    short = entry.get("short", "").strip()
    if short:
        short = _one_line(short, "short", MAX_SHORT, fail)
    elif len(label) > MAX_SHORT:
        raise fail(
            f"'label' is longer than {MAX_SHORT} characters, "
            f"so add a 'short' label of {MAX_SHORT} or fewer"
        )
    else:
        short = label

    symbol = entry.get("symbol", "")
    if symbol:
        _check_symbol(symbol, fail)

    group = entry.get("group")
    allowed_groups = GROUPS.get(kind)
    if allowed_groups is not None:
        if group is None:
            raise fail(f"missing 'group' (one of: {', '.join(allowed_groups)})")
        if group not in allowed_groups:
            raise fail(f"'group' {group!r} is not one of: {', '.join(allowed_groups)}")
    elif group is not None and not _ID_PATTERN.fullmatch(group):
        raise fail(f"'group' {group!r} is not kebab-case")

    return Term(
        id=term_id,
        label=label,
        description=description,
        group=group,
        symbol=symbol,
        short=short,
    )


def _one_line(value: str, key: str, limit: int, fail: Any) -> str:
    value = value.strip()
    if not value:
        raise fail(f"'{key}' is empty")
    if any(unicodedata.category(char).startswith("C") for char in value):
        raise fail(f"'{key}' must be one line of plain text (no line breaks or control codes)")
    if len(value) > limit:
        raise fail(f"'{key}' is {len(value)} characters long; the limit is {limit}")
    return value


def _check_symbol(symbol: str, fail: Any) -> None:
    if len(symbol) != 1:
        raise fail(f"'symbol' {symbol!r} should be a single character")
    category = unicodedata.category(symbol)
    if (
        category[0] in "CZM"
        or unicodedata.east_asian_width(symbol) in ("W", "F")
        or ord(symbol) >= 0x1F000
    ):
        raise fail(f"'symbol' {symbol!r} must be a visible, single-width character (no emoji)")


def _check_unique(term_id: str, where: str, seen: dict[str, str], source: str) -> None:
    if term_id in seen:
        raise VocabularyError(
            f"{source}: {where}: duplicate id {term_id!r} (already used by {seen[term_id]})"
        )
    seen[term_id] = where


def _check_required(terms: tuple[Term, ...], kind: str, source: str) -> None:
    ids = [term.id for term in terms]
    required = REQUIRED_IDS[kind]
    if kind == "criteria":
        if tuple(ids) != required:
            missing = [i for i in required if i not in ids]
            extra = [i for i in ids if i not in required]
            detail = []
            if missing:
                detail.append("missing " + ", ".join(repr(i) for i in missing))
            if extra:
                detail.append("unexpected " + ", ".join(repr(i) for i in extra))
            if not detail:
                detail.append("wrong order")
            raise VocabularyError(
                f"{source}: criteria: the 'id's must be exactly {', '.join(required)}, "
                f"in that order ({'; '.join(detail)})"
            )
        return
    missing = [i for i in required if i not in ids]
    if missing:
        raise VocabularyError(
            f"{source}: {kind}: missing required id(s) {', '.join(repr(i) for i in missing)}"
        )


def _type_name(value: Any) -> str:
    names = {
        bool: "true/false",
        int: "a whole number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a table",
    }
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return "a date or time"
