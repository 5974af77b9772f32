"""The shape of a vocabulary file, declared once, and the reader that checks it.

Every entry of every list is a :class:`TermTable` (an agency type an
:class:`AgencyTypeTable`, with its sub-types beneath it). The reader validates the
entries in file order and turns the first problem into a
:class:`~facilitator.domain.vocabulary.VocabularyError` naming the file, the entry and
the field, for example ``vocabulary.toml: criteria[3]: missing 'label'``. Imported only
when a vocabulary is read, so that modules needing its types alone do not load pydantic.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, Field, ValidationInfo, field_validator

from facilitator.domain.text import describe_value
from facilitator.domain.tomlshape import Problem, Table, check, refuse
from facilitator.domain.vocabulary import (
    GROUPS,
    KINDS,
    REQUIRED_IDS,
    AgencyType,
    Term,
    Vocabulary,
    VocabularyError,
)

MAX_LABEL = 60
MAX_DESCRIPTION = 200
MAX_SHORT = 12

_ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


# -- the rules of single fields -----------------------------------------------------------


def _kebab(value: str) -> str:
    if not _ID_PATTERN.fullmatch(value):
        raise refuse(
            f"'id' {value!r} is not kebab-case "
            "(lower-case letters and digits, joined by single dashes)"
        )
    return value


def _one_line(limit: int) -> AfterValidator:
    def rule(value: str, info: ValidationInfo) -> str:
        return one_line(value, str(info.field_name), limit)

    return AfterValidator(rule)


def one_line(value: str, key: str, limit: int) -> str:
    """``value`` trimmed, if it is one short line of plain text."""
    value = value.strip()
    if not value:
        raise refuse(f"'{key}' is empty")
    if any(unicodedata.category(char).startswith("C") for char in value):
        raise refuse(f"'{key}' must be one line of plain text (no line breaks or control codes)")
    if len(value) > limit:
        raise refuse(f"'{key}' is {len(value)} characters long; the limit is {limit}")
    return value


def _symbol(symbol: str) -> str:
    if not symbol:
        return symbol
    if len(symbol) != 1:
        raise refuse(f"'symbol' {symbol!r} should be a single character")
    category = unicodedata.category(symbol)
    if (
        category[0] in "CZM"
        or unicodedata.east_asian_width(symbol) in ("W", "F")
        or ord(symbol) >= 0x1F000
    ):
        raise refuse(f"'symbol' {symbol!r} must be a visible, single-width character (no emoji)")
    return symbol


# -- the entries --------------------------------------------------------------------------


class TermTable(Table):
    """One entry of a list: a stable id, and words for people to read.

    Validate with ``context={"kind": ...}``: outcomes and factors must say which group
    they belong to (see ``GROUPS``).
    """

    id: Annotated[str, AfterValidator(_kebab)]
    label: Annotated[str, _one_line(MAX_LABEL)]
    description: Annotated[str, _one_line(MAX_DESCRIPTION)]
    short: str = Field("", validate_default=True)
    symbol: Annotated[str, AfterValidator(_symbol)] = ""
    group: str | None = Field(None, validate_default=True)

    @field_validator("short")
    @classmethod
    def _short(cls, value: str, info: ValidationInfo) -> str:
        if value.strip():
            return one_line(value, "short", MAX_SHORT)
        if len(info.data.get("label", "")) > MAX_SHORT:
            raise refuse(
                f"'label' is longer than {MAX_SHORT} characters, "
                f"so add a 'short' label of {MAX_SHORT} or fewer"
            )
        return ""

    @field_validator("group")
    @classmethod
    def _group(cls, group: str | None, info: ValidationInfo) -> str | None:
        allowed = GROUPS.get((info.context or {}).get("kind", ""))
        if allowed is not None:
            if group is None:
                raise refuse(f"missing 'group' (one of: {', '.join(allowed)})")
            if group not in allowed:
                raise refuse(f"'group' {group!r} is not one of: {', '.join(allowed)}")
        elif group is not None and not _ID_PATTERN.fullmatch(group):
            raise refuse(f"'group' {group!r} is not kebab-case")
        return group

    def term(self) -> Term:
        return Term(**self.words())

    def words(self) -> dict[str, Any]:
        """The fields a :class:`Term` holds, the short label filled in."""
        fields = self.model_dump(include=set(TermTable.model_fields))
        return fields | {"short": self.short or self.label}


class AgencyTypeTable(TermTable):
    """An agency type, with the more precise kinds of agency beneath it."""

    subtypes: list[dict[str, Any]] = []


# -- the reader ---------------------------------------------------------------------------


def read_vocabulary(text: str, source: str) -> Vocabulary:
    """Check vocabulary TOML text and build a :class:`Vocabulary` from it."""
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
        lists[kind] = _read_kind(data[kind], kind, source)
        _check_required(lists[kind], kind, source)
    return Vocabulary(**lists)


def _read_kind(raw: Any, kind: str, source: str) -> tuple[Term, ...]:
    entries = _entry_list(raw, kind, source, f"[[{kind}]]")
    if not entries:
        raise VocabularyError(f"{source}: {kind}: has no entries")
    terms: list[Term] = []
    seen: dict[str, str] = {}
    for number, entry in enumerate(entries):
        where = f"{kind}[{number}]"
        if kind == "agency_types":
            term: Term = _read_agency_type(entry, where, source)
        else:
            term = _entry(TermTable, entry, where, kind, source).term()
        _check_unique(term.id, where, seen, source)
        terms.append(term)
    return tuple(terms)


def _entry_list(raw: Any, where: str, source: str, syntax: str) -> list[Any]:
    if not isinstance(raw, list):
        raise VocabularyError(
            f"{source}: {where}: expected a list of {syntax} entries, got {describe_value(raw)}"
        )
    for number, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise VocabularyError(
                f"{source}: {where}[{number}]: expected a table, got {describe_value(entry)}"
            )
    return raw


def _read_agency_type(entry: dict[str, Any], where: str, source: str) -> AgencyType:
    table = _entry(AgencyTypeTable, entry, where, "agency_types", source)
    subtypes: list[Term] = []
    seen: dict[str, str] = {}
    for number, sub_entry in enumerate(table.subtypes):
        sub_where = f"{where}.subtypes[{number}]"
        sub = _entry(TermTable, sub_entry, sub_where, "agency subtypes", source).term()
        _check_unique(sub.id, sub_where, seen, source)
        subtypes.append(sub)
    return AgencyType(**table.words(), subtypes=tuple(subtypes))


def _entry(
    model: type[TermTable], entry: dict[str, Any], where: str, kind: str, source: str
) -> Any:
    """One entry as its model, or a :class:`VocabularyError` for its first problem."""
    found = check(model, entry, context={"kind": kind})
    if not isinstance(found, Problem):
        return found
    key = found.key
    if key == "subtypes" and found.kind == "wrong":
        _entry_list(entry["subtypes"], f"{where}.subtypes", source, "[[agency_types.subtypes]]")
    if found.kind == "unknown":
        problem = f"unknown field {key!r}; expected: {', '.join(sorted(model.model_fields))}"
    elif found.kind == "missing":
        problem = f"missing '{key}'"
    elif found.kind == "rule":
        problem = found.message
    else:
        problem = f"'{key}' should be text in quotes, not {describe_value(entry.get(key))}"
    raise VocabularyError(f"{source}: {where}: {problem}")


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
