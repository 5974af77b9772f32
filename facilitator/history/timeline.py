"""Three or more sessions of one area: a timeline for every relationship.

Sessions are taken earliest first. Each one is matched with the one before it (by id
when it was carried forward from it, otherwise by name), so a relationship is followed
across the whole series even when it was renamed along the way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from facilitator.domain.model import Relationship, SessionState
from facilitator.history.compare import is_fragile, match_relationships


@dataclass(frozen=True)
class Point:
    """One relationship in one session."""

    ring: int | None
    rel_type: str | None
    state: str
    fragile: bool


@dataclass(frozen=True)
class RelationshipTimeline:
    """One relationship across the sessions: ``points[i]`` is None where it is absent."""

    name: str
    agency_type: str | None
    points: tuple[Point | None, ...]

    def trend(self) -> str:
        """``closer``, ``further``, ``steady``, ``new``, ``gone`` or ``came and went``."""
        present = [p for p in self.points if p is not None]
        if self.points[0] is None and self.points[-1] is not None:
            return "new"
        if self.points[0] is not None and self.points[-1] is None:
            return "gone"
        if self.points[0] is None and self.points[-1] is None:
            return "came and went"
        rings = [p.ring for p in present if p.ring is not None]
        if len(rings) < 2 or rings[0] == rings[-1]:
            return "steady"
        return "closer" if rings[-1] < rings[0] else "further"


@dataclass(frozen=True)
class Timeline:
    sessions: tuple[tuple[str, str], ...]  # (title, date), earliest first
    relationships: tuple[RelationshipTimeline, ...]


def _point(rel: Relationship) -> Point:
    return Point(rel.closeness, rel.rel_type, rel.state, is_fragile(rel))


def timeline(states: Sequence[SessionState]) -> Timeline:
    """The timeline of every relationship across ``states`` (earliest first)."""
    count = len(states)
    threads: list[list[str | None]] = []  # one relationship id per session, or None
    where: dict[str, int] = {}  # id in the latest session seen -> thread number
    for index, state in enumerate(states):
        if index == 0:
            for rid in state.relationships:
                where[rid] = len(threads)
                threads.append([rid] + [None] * (count - 1))
            continue
        following: dict[str, int] = {}
        for bid, aid in match_relationships(states[index - 1], state):
            if aid is None:
                continue
            number = where.get(bid) if bid is not None else None
            if number is None:
                number = len(threads)
                threads.append([None] * count)
            threads[number][index] = aid
            following[aid] = number
        where = following
    out = []
    for ids in threads:
        points = tuple(
            _point(states[i].relationships[rid]) if rid is not None else None
            for i, rid in enumerate(ids)
        )
        last = max(i for i, rid in enumerate(ids) if rid is not None)
        rel = states[last].relationships[ids[last]]  # type: ignore[index]
        out.append(RelationshipTimeline(rel.name, rel.agency_type, points))
    return Timeline(tuple((s.info.title, s.info.date) for s in states), tuple(out))
