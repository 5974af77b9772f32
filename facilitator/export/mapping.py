"""Where each relationship goes on the map: pure geometry, shared by the SVG export and the TUI.

The partnership sits at the centre. Four rings show closeness (1, close, is the inner
ring); a relationship whose closeness is not known yet sits on an outer band,
:data:`UNPLACED_RING`. The circle is cut into sectors, one per agency type that has
relationships, always in vocabulary order and clockwise from the top, so maps from
different sessions read the same way. Each sector is as wide as its share of the
relationships, and its relationships are spread evenly across it in the order they were
added.

Angles are in degrees, measured clockwise from straight up (12 o'clock).
"""

from __future__ import annotations

import math
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


def _type_order() -> list[str]:
    return [t.id for t in load_vocabulary().terms("agency_types")]


def _grouped(state: SessionState) -> list[tuple[str, list[str]]]:
    order = _type_order()
    groups: dict[str, list[str]] = {}
    for rid, rel in state.relationships.items():
        key = rel.agency_type if rel.agency_type in order else NO_TYPE
        groups.setdefault(key, []).append(rid)
    keys = [k for k in order if k in groups]
    if NO_TYPE in groups:
        keys.append(NO_TYPE)
    return [(k, groups[k]) for k in keys]


def sectors(state: SessionState) -> list[Sector]:
    """The sectors of the map, clockwise from the top; empty if there are no relationships."""
    groups = _grouped(state)
    total = sum(len(ids) for _, ids in groups)
    out: list[Sector] = []
    start = 0.0
    for agency_type, ids in groups:
        width = 360.0 * len(ids) / total
        out.append(Sector(agency_type, start, start + width, len(ids)))
        start += width
    return out


def ring_of(closeness: int | None) -> int:
    """The ring for a closeness value; unknown or out-of-range values go on the outer band."""
    if isinstance(closeness, int) and not isinstance(closeness, bool) and 1 <= closeness <= RINGS:
        return closeness
    return UNPLACED_RING


def layout(state: SessionState) -> list[Placement]:
    """A placement for every relationship, in the order the relationships were added."""
    by_id: dict[str, Placement] = {}
    total = len(state.relationships)
    if not total:
        return []
    step = 360.0 / total
    for sector, (agency_type, ids) in zip(sectors(state), _grouped(state), strict=True):
        for number, rid in enumerate(ids):
            angle = sector.start_degrees + (number + 0.5) * step
            rel = state.relationships[rid]
            by_id[rid] = Placement(rid, ring_of(rel.closeness), round(angle, 6), agency_type)
    return [by_id[rid] for rid in state.relationships]


def point(cx: float, cy: float, radius: float, angle_degrees: float) -> tuple[float, float]:
    """Screen coordinates (y grows downwards) of a point at an angle from the top."""
    theta = math.radians(angle_degrees)
    return cx + radius * math.sin(theta), cy - radius * math.cos(theta)
