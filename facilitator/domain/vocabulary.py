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
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType

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

    ``source`` is the file name used in error messages. The shape of the file's entries
    is declared in :mod:`facilitator.domain.vocabulary_tables`.
    """
    from facilitator.domain.vocabulary_tables import read_vocabulary

    return read_vocabulary(text, source)
