"""Where each relationship goes on the map: the one geometry of the SVG export, the
Compare pictures and the map on screen (pure: no terminal UI, no files).

The partnership sits at the centre. Four rings show closeness (1, close, is the inner
ring); a relationship whose closeness is not known yet sits on an outer band,
:data:`UNPLACED_RING` (the map on screen lists those instead of drawing them). The
circle is cut into sectors, one per agency type that has relationships, always in
vocabulary order and clockwise from the top, so maps from different sessions read the
same way. Each sector is as wide as its share of the relationships, and its
relationships are spread evenly across it in the order they were added.

Angles are in degrees, measured clockwise from straight up (12 o'clock).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from facilitator.domain.model import SessionState
from facilitator.domain.vocabulary import load_vocabulary

RINGS = 4
"""Closeness rings, 1 (close) to 4 (distant)."""

UNPLACED_RING = RINGS + 1
"""The outer band for relationships whose closeness is not known yet."""

NO_TYPE = ""
"""The sector key for relationships without an agency type (shown last)."""


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one relationship goes: its ring and its angle."""

    relationship_id: str
    ring: int  # 1..4, or UNPLACED_RING
    angle_degrees: float  # clockwise from 12 o'clock
    sector_agency_type: str  # an agency type id, or NO_TYPE


@dataclass(frozen=True, slots=True)
class Sector:
    """The slice of the circle given to one agency type."""

    agency_type: str  # an agency type id, or NO_TYPE
    start_degrees: float
    end_degrees: float
    count: int

    @property
    def middle_degrees(self) -> float:
        return (self.start_degrees + self.end_degrees) / 2


@dataclass(frozen=True, slots=True)
class Slot:
    """The angle given to one item (a relationship, or a map entry) going round."""

    key: str
    angle_degrees: float
    sector: str  # an agency type id, or NO_TYPE


def sector_key(agency_type: str | None, order: Sequence[str]) -> str:
    """The sector an agency type falls in: itself if known, else :data:`NO_TYPE`."""
    return agency_type if agency_type in order else NO_TYPE


def arrange(
    items: Iterable[tuple[str, str | None]], order: Sequence[str]
) -> tuple[list[Sector], list[Slot]]:
    """Sectors and an evenly spread angle for every ``(key, agency type)`` item.

    Sectors follow ``order`` (agency types without any item left out) with
    :data:`NO_TYPE` last; the slots come sector by sector, clockwise from the top, in
    the order the items were given within each sector.
    """
    groups: dict[str, list[str]] = {}
    for key, agency_type in items:
        groups.setdefault(sector_key(agency_type, order), []).append(key)
    keys = [k for k in order if k in groups and k != NO_TYPE]
    if NO_TYPE in groups:
        keys.append(NO_TYPE)
    total = sum(len(ids) for ids in groups.values())
    out_sectors: list[Sector] = []
    slots: list[Slot] = []
    if not total:
        return out_sectors, slots
    step = 360.0 / total
    start = 0.0
    for sector in keys:
        ids = groups[sector]
        width = 360.0 * len(ids) / total
        out_sectors.append(Sector(sector, start, start + width, len(ids)))
        start += width
        for key in ids:
            slots.append(Slot(key, (len(slots) + 0.5) * step, sector))
    return out_sectors, slots


def type_order() -> list[str]:
    """Agency type ids in the order their sectors go round the map."""
    return [t.id for t in load_vocabulary().terms("agency_types")]


def _arranged(state: SessionState) -> tuple[list[Sector], list[Slot]]:
    items = ((rid, rel.agency_type) for rid, rel in state.relationships.items())
    return arrange(items, type_order())


def sectors(state: SessionState) -> list[Sector]:
    """The sectors of the map, clockwise from the top; empty if there are no relationships."""
    return _arranged(state)[0]


def ring_of(closeness: int | None) -> int:
    """The ring for a closeness value; unknown or out-of-range values go on the outer band."""
    if isinstance(closeness, int) and not isinstance(closeness, bool) and 1 <= closeness <= RINGS:
        return closeness
    return UNPLACED_RING


def ring_or_none(closeness: object) -> int | None:
    """The ring for a closeness value, or None when it is not on a ring (not known yet)."""
    ring = ring_of(closeness)  # type: ignore[arg-type]
    return None if ring == UNPLACED_RING else ring


def ring_edges(centre: float, step: float) -> list[float]:
    """Radii of the centre disc's edge and of the four rings' outer edges."""
    return [centre + k * step for k in range(RINGS + 1)]


def layout(state: SessionState) -> list[Placement]:
    """A placement for every relationship, in the order the relationships were added."""
    by_id = {
        slot.key: Placement(
            slot.key,
            ring_of(state.relationships[slot.key].closeness),
            round(slot.angle_degrees, 6),
            slot.sector,
        )
        for slot in _arranged(state)[1]
    }
    return [by_id[rid] for rid in state.relationships]


def point(
    cx: float, cy: float, radius: float, angle_degrees: float, y_radius: float | None = None
) -> tuple[float, float]:
    """Screen coordinates (y grows downwards) of a point at an angle from the top.

    ``y_radius`` makes the circle an ellipse (a terminal cell is taller than wide).
    """
    theta = math.radians(angle_degrees)
    ry = radius if y_radius is None else y_radius
    return cx + radius * math.sin(theta), cy - ry * math.cos(theta)
