"""What the stage 1 map shows of each relationship, and text measured in terminal cells.

Pure (no terminal UI): :func:`entries_from_state` turns a session into one
:class:`MapEntry` per relationship, which :mod:`facilitator.tui.stages.map_layout` places.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len, get_character_cell_size

from facilitator.domain.mapgeometry import NO_TYPE, ring_or_none, sector_key
from facilitator.domain.model import SessionState
from facilitator.domain.vocabulary import Vocabulary, load_vocabulary

FLAG_WARN = "warn"  # fragile or possible duplicate
FLAG_NOTE = "note"  # only "no purpose recorded"


@dataclass(frozen=True, slots=True)
class MapEntry:
    """What the map needs to know about one relationship."""

    key: str
    number: int
    name: str
    ring: int | None  # 1..4, or None when not placed yet
    sector: str  # agency type id, or NO_TYPE
    kind: str  # relationship type id, or "" when not known
    symbol: str  # the marker: the relationship type's symbol
    flag: str = ""  # "", FLAG_WARN or FLAG_NOTE
    faded: bool = False  # gone quiet or lost


# -- from a session to map entries ---------------------------------------------------------


def flag_level(flags: Sequence[str]) -> str:
    """How loudly to mark a relationship's flags on the map."""
    if not flags:
        return ""
    if all(f.startswith("no purpose") for f in flags):
        return FLAG_NOTE
    return FLAG_WARN


def entries_from_state(
    state: SessionState,
    flags: dict[str, list[str]],
    vocab: Vocabulary | None = None,
    *,
    cache: dict[str, tuple[Any, ...]] | None = None,
) -> list[MapEntry]:
    """One entry per relationship, numbered 1.. in the order they were added.

    ``cache`` (a dict the caller keeps) saves making entries again for relationships
    that did not change: entities are replaced, never changed in place, so the same
    object with the same number and flags makes the same entry.
    """
    vocab = vocab or load_vocabulary()
    types = vocab.ids("agency_types")
    symbols = {t.id: t.symbol or "·" for t in vocab.relationship_types}
    out: list[MapEntry] = []
    kept: tuple[Any, ...] | None = None
    for number, (rid, rel) in enumerate(state.relationships.items(), start=1):
        found = flags.get(rid)
        if cache is not None:
            kept = cache.get(rid)
            if kept is not None and kept[0] is rel and kept[1] == number and kept[2] == found:
                out.append(kept[3])
                continue
        kind = rel.rel_type or ""
        symbol = symbols.get(kind, "·")
        if kind not in symbols:
            kind = ""
        entry = MapEntry(
            key=rid,
            number=number,
            name=" ".join(rel.name.split()),
            ring=ring_or_none(rel.closeness),
            sector=sector_key(rel.agency_type, types),
            kind=kind,
            symbol=symbol,
            flag=flag_level(found) if found else "",
            faded=rel.state in ("dormant", "lost"),
        )
        out.append(entry)
        if cache is not None:
            cache[rid] = (rel, number, found, entry)
    if cache is not None and len(cache) > len(out):
        for rid in set(cache) - set(state.relationships):
            del cache[rid]
    return out


def sector_labels(vocab: Vocabulary | None = None) -> list[tuple[str, str]]:
    """(agency type id, label) for every sector, in the order they go round the map."""
    vocab = vocab or load_vocabulary()
    out = [(t.id, f"{t.symbol} {t.short}".strip()) for t in vocab.agency_types]
    out.append((NO_TYPE, "… No type yet"))
    return out


# -- text in cells ---------------------------------------------------------------------------


def fit_cells(text: str, width: int) -> str:
    """Text cut to at most ``width`` terminal cells, with an ellipsis if it was cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        size = get_character_cell_size(ch)
        if used + size > width - 1:
            break
        out.append(ch)
        used += size
    return "".join(out).rstrip() + "…"


def text_cells(text: str) -> list[str]:
    """Split text into one string per cell; a double-width character is followed by ""."""
    cells: list[str] = []
    for ch in text:
        size = get_character_cell_size(ch)
        if size == 0:
            if cells:
                cells[-1] += ch
            continue
        cells.append(ch)
        if size == 2:
            cells.append("")
    return cells
