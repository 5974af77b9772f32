"""What changed between two sessions of the same partnership: a pure comparison.

:func:`compare` takes two session states (earlier, later) and says, for every
relationship, whether it is new, gone or still there, and for those still there: the
ring it moved from and to, a changed relationship type or holders, a relationship that
became fragile (one person holds it) or safe again, a changed state, and every rating
that went up or down, with the reasons given each time. Actions agreed earlier are
followed to the later session: done, under way, dropped or still open.

Relationships are matched by id when the later session was carried forward from the
earlier one, and otherwise (and for anything left over) by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from facilitator.domain.model import Action, Relationship, SessionState
from facilitator.export import common as c
from facilitator.history.matching import linked, name_key, pair_up

# What became of an earlier action.
DONE, UNDER_WAY, DROPPED, STILL_OPEN, NOT_CARRIED, NEW = (
    "done",
    "under way",
    "dropped",
    "still open",
    "not followed up",
    "new",
)
_STATUS_OUTCOME = {
    "done": DONE,
    "in-progress": UNDER_WAY,
    "dropped": DROPPED,
    "open": STILL_OPEN,
}
OPEN_STATUSES = ("open", "in-progress")


def is_fragile(rel: Relationship) -> bool:
    """Held by exactly one person or role (the map's own warning)."""
    return len(rel.holder_participants) + len(rel.holder_roles) == 1


def holder_keys(state: SessionState, rel: Relationship) -> frozenset[str]:
    """Who holds a relationship, comparable across sessions: role ids and people's names."""
    keys = {f"role:{r}" for r in rel.holder_roles}
    for pid in rel.holder_participants:
        person = state.participants.get(pid)
        keys.add(f"person:{name_key(person.name) if person else pid}")
    return frozenset(keys)


@dataclass(frozen=True)
class RatingChange:
    """One criterion's rating of one relationship, before and after."""

    criterion_id: str
    score_before: int | None
    score_after: int | None
    why_before: str
    why_after: str

    @property
    def direction(self) -> str:
        """``up``, ``down``, ``same``, ``new`` (rated only later) or ``gone``."""
        a, b = self.score_before, self.score_after
        if a is None and b is None:
            return "same"
        if a is None:
            return "new"
        if b is None:
            return "gone"
        return "up" if b > a else "down" if b < a else "same"


@dataclass(frozen=True)
class RelationshipChange:
    """One relationship across the two sessions."""

    before_id: str | None
    after_id: str | None
    name: str
    name_before: str
    agency_type: str | None
    ring_before: int | None
    ring_after: int | None
    type_before: str | None
    type_after: str | None
    holders_before: str
    holders_after: str
    holders_changed: bool
    fragile_before: bool
    fragile_after: bool
    state_before: str | None
    state_after: str | None
    ratings: tuple[RatingChange, ...] = ()

    @property
    def status(self) -> str:
        """``new``, ``gone``, ``changed`` or ``same``."""
        if self.before_id is None:
            return "new"
        if self.after_id is None:
            return "gone"
        return "changed" if self.changes() else "same"

    @property
    def movement(self) -> str:
        """``closer``, ``further``, ``placed`` (given a ring), ``unplaced`` or ``""``."""
        a, b = self.ring_before, self.ring_after
        if self.before_id is None or self.after_id is None or a == b:
            return ""
        if a is None:
            return "placed"
        if b is None:
            return "unplaced"
        return "closer" if b < a else "further"

    @property
    def fragility(self) -> str:
        """``became fragile``, ``became safe`` or ``""``."""
        if self.before_id is None or self.after_id is None:
            return ""
        if self.fragile_after and not self.fragile_before:
            return "became fragile"
        if self.fragile_before and not self.fragile_after:
            return "became safe"
        return ""

    def changes(self) -> list[str]:
        """What changed, as short phrases (empty for a new, gone or unchanged one)."""
        if self.before_id is None or self.after_id is None:
            return []
        out = []
        if name_key(self.name_before) != name_key(self.name):
            out.append(f"was called {self.name_before}")
        if self.movement:
            out.append(f"ring {_ring(self.ring_before)} → {_ring(self.ring_after)}")
        if self.type_before != self.type_after:
            out.append(
                f"type {c.label('relationship_types', self.type_before, 'not set')} → "
                f"{c.label('relationship_types', self.type_after, 'not set')}"
            )
        if self.holders_changed:
            out.append(
                f"held by {self.holders_before or 'nobody'} → {self.holders_after or 'nobody'}"
            )
        if self.fragility:
            out.append(self.fragility)
        if self.state_before != self.state_after:
            out.append(
                f"{c.label('relationship_states', self.state_before)} → "
                f"{c.label('relationship_states', self.state_after)}"
            )
        for r in self.ratings:
            if r.direction in ("up", "down"):
                out.append(
                    f"{c.label('criteria', r.criterion_id)} {_score(r.score_before)} → "
                    f"{_score(r.score_after)}"
                )
        return out


@dataclass(frozen=True)
class ActionChange:
    """An action agreed in either session, and what became of it."""

    before_id: str | None
    after_id: str | None
    what: str
    who: str
    status_before: str | None
    status_after: str | None

    @property
    def changed(self) -> bool:
        """New, not followed up, or its status moved on."""
        return (
            self.before_id is None
            or self.after_id is None
            or (self.status_before != self.status_after)
        )

    @property
    def outcome(self) -> str:
        if self.before_id is None:
            return NEW
        if self.after_id is None:
            return NOT_CARRIED
        return _STATUS_OUTCOME.get(self.status_after or "", STILL_OPEN)


@dataclass(frozen=True)
class SessionSide:
    """What the comparison shows of each session itself."""

    title: str
    date: str
    area: str
    criteria: tuple[str, ...]
    relationships: int


@dataclass(frozen=True)
class Comparison:
    """Everything that changed from one session (``before``) to a later one (``after``)."""

    before: SessionSide
    after: SessionSide
    linked: bool
    relationships: tuple[RelationshipChange, ...]
    actions: tuple[ActionChange, ...]
    notes: tuple[str, ...] = field(default=())

    def with_status(self, status: str) -> list[RelationshipChange]:
        return [r for r in self.relationships if r.status == status]

    def moved(self, movement: str) -> list[RelationshipChange]:
        return [r for r in self.relationships if r.movement == movement]

    @property
    def has_changes(self) -> bool:
        return any(r.status != "same" for r in self.relationships) or any(
            a.changed for a in self.actions
        )

    def counts(self) -> dict[str, int]:
        """How many of each kind of change, for summaries."""
        rels = self.relationships
        return {
            "new": sum(r.status == "new" for r in rels),
            "gone": sum(r.status == "gone" for r in rels),
            "closer": sum(r.movement == "closer" for r in rels),
            "further": sum(r.movement == "further" for r in rels),
            "type changed": sum(
                r.status == "changed" and r.type_before != r.type_after for r in rels
            ),
            "holders changed": sum(r.status == "changed" and r.holders_changed for r in rels),
            "became fragile": sum(r.fragility == "became fragile" for r in rels),
            "became safe": sum(r.fragility == "became safe" for r in rels),
            "ratings up": sum(x.direction == "up" for r in rels for x in r.ratings),
            "ratings down": sum(x.direction == "down" for r in rels for x in r.ratings),
            "actions done": sum(a.changed and a.outcome == DONE for a in self.actions),
            "actions under way": sum(a.changed and a.outcome == UNDER_WAY for a in self.actions),
            "actions dropped": sum(a.changed and a.outcome == DROPPED for a in self.actions),
            "new actions": sum(a.outcome == NEW for a in self.actions),
        }


def _ring(ring: int | None) -> str:
    return str(ring) if ring else "none"


def _score(score: int | None) -> str:
    return str(score) if score is not None else "–"


def _side(state: SessionState) -> SessionSide:
    from facilitator.domain.commands import chosen_criteria

    info = state.info
    return SessionSide(
        info.title,
        info.date,
        info.area,
        tuple(chosen_criteria(state)),
        len(state.relationships),
    )


def _ratings_by_relationship(state: SessionState) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for rating in state.rows["rating"].values():
        out.setdefault(rating.relationship_id, {})[rating.criterion_id] = rating
    return out


def _relationship_change(
    before: SessionState,
    after: SessionState,
    bid: str | None,
    aid: str | None,
    ratings_before: dict[str, dict[str, Any]],
    ratings_after: dict[str, dict[str, Any]],
) -> RelationshipChange:
    a = before.relationships[bid] if bid else None
    b = after.relationships[aid] if aid else None
    shown = b or a
    assert shown is not None
    rates_a = ratings_before.get(bid or "", {})
    rates_b = ratings_after.get(aid or "", {})
    rating_changes = []
    if a is not None and b is not None:
        for criterion in dict.fromkeys([*rates_a, *rates_b]):
            ra, rb = rates_a.get(criterion), rates_b.get(criterion)
            rating_changes.append(
                RatingChange(
                    criterion,
                    ra.score if ra else None,
                    rb.score if rb else None,
                    ra.why if ra else "",
                    rb.why if rb else "",
                )
            )
    return RelationshipChange(
        before_id=bid,
        after_id=aid,
        name=shown.name,
        name_before=(a or shown).name,
        agency_type=shown.agency_type,
        ring_before=a.closeness if a else None,
        ring_after=b.closeness if b else None,
        type_before=a.rel_type if a else None,
        type_after=b.rel_type if b else None,
        holders_before=c.holder_descriptions(before, a.holder_roles, a.holder_participants)
        if a
        else "",
        holders_after=c.holder_descriptions(after, b.holder_roles, b.holder_participants)
        if b
        else "",
        holders_changed=a is not None
        and b is not None
        and holder_keys(before, a) != holder_keys(after, b),
        fragile_before=is_fragile(a) if a else False,
        fragile_after=is_fragile(b) if b else False,
        state_before=a.state if a else None,
        state_after=b.state if b else None,
        ratings=tuple(rating_changes),
    )


def match_relationships(
    before: SessionState, after: SessionState, *, by_id: bool | None = None
) -> list[tuple[str | None, str | None]]:
    """(before id, after id) for every relationship in either session."""
    if by_id is None:
        by_id = linked(before.info, after.info)
    return pair_up(
        before.relationships, after.relationships, lambda r: name_key(r.name), by_id=by_id
    )


def _action_key(action: Action) -> str:
    return name_key(action.what)


def compare(before: SessionState, after: SessionState) -> Comparison:
    """What changed from ``before`` to ``after`` (an earlier and a later session)."""
    is_linked = linked(before.info, after.info)
    ratings_before = _ratings_by_relationship(before)
    ratings_after = _ratings_by_relationship(after)
    rels = tuple(
        _relationship_change(before, after, bid, aid, ratings_before, ratings_after)
        for bid, aid in match_relationships(before, after, by_id=is_linked)
    )
    actions: list[ActionChange] = []
    before_actions: dict[str, Action] = before.rows["action"]
    after_actions: dict[str, Action] = after.rows["action"]
    for bid, aid in pair_up(before_actions, after_actions, _action_key, by_id=is_linked):
        a = before_actions.get(bid) if bid else None
        b = after_actions.get(aid) if aid else None
        if b is None and a is not None and a.status not in OPEN_STATUSES:
            continue  # settled before the earlier session ended: nothing to follow
        shown = b or a
        assert shown is not None
        state = after if b is not None else before
        who = ", ".join(x for x in (c.who_person(state, shown), shown.who_org) if x)
        actions.append(
            ActionChange(
                bid, aid, shown.what, who, a.status if a else None, b.status if b else None
            )
        )
    notes = []
    if before.info.date and after.info.date and after.info.date < before.info.date:
        notes.append("The second session is dated before the first.")
    return Comparison(_side(before), _side(after), is_linked, rels, tuple(actions), tuple(notes))
