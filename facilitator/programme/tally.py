"""The programme's tallies: what many areas' sessions hold, counted.

Pure functions of session states: :class:`ProgrammeTally` takes one session at a time and
keeps counters only, so a roll-up of thousands of sessions needs no more memory than one.
Rows that are one per session or one per fragile relationship are not kept: they go to
``on_row`` as they are made (the CSV writer puts them straight into their files).

Anonymised by default: an area becomes ``Area 1``, ``Area 2``… in the order the sessions
are read (the same area, the same number), a session's title is left out, a fragile
relationship's agency is named as the anonymised export names it, and its holder by role
only. With
``named=True`` areas, titles and agencies keep their names, and people are named only if
they agreed to be (as in every export).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from facilitator.domain.commands import relationship_flags
from facilitator.domain.model import Relationship, SessionState
from facilitator.export import common as c

if TYPE_CHECKING:
    from facilitator.programme.tables import Table

STAGES = (
    "setup",
    "criteria",
    "all-relationships",
    "good-relationship",
    "to-develop",
    "conversation",
    "notes",
)
NOT_RECORDED = "(not recorded)"


STREAMED_COLUMNS: dict[str, tuple[str, ...]] = {
    "sessions": (
        "area",
        "title",
        "date",
        "stage_reached",
        "finished",
        "participants",
        "relationships",
        "fragile",
        "actions",
        "actions_done",
        "minutes",
    ),
    "fragile_relationships": (
        "area",
        "agency",
        "agency_type",
        "agency_type_label",
        "held_by",
        "closeness",
        "rel_type_label",
    ),
}
"""Tables written one row at a time, as sessions are read (never held in memory)."""

RowSink = Callable[[str, dict[str, object]], None]


@dataclass
class _StageTime:
    sessions: int = 0
    seconds: int = 0
    least: int | None = None
    most: int = 0
    timeboxed: int = 0

    def add(self, seconds: int, timebox: int | None) -> None:
        self.sessions += 1
        self.seconds += seconds
        self.least = seconds if self.least is None else min(self.least, seconds)
        self.most = max(self.most, seconds)
        if timebox:
            self.timeboxed += 1


@dataclass
class ProgrammeTally:
    """Counters over every session added; :meth:`tables` gives the roll-up's tables."""

    named: bool = False
    on_row: RowSink | None = None
    sessions: int = 0
    relationships: int = 0
    areas: dict[str, str] = field(default_factory=dict)
    unread: list[tuple[str, str]] = field(default_factory=list)
    agency_types: Counter = field(default_factory=Counter)
    agency_type_areas: Counter = field(default_factory=Counter)
    agency_subtypes: Counter = field(default_factory=Counter)
    holder_roles: Counter = field(default_factory=Counter)
    holder_people: Counter = field(default_factory=Counter)
    holder_counts: Counter = field(default_factory=Counter)
    purposes: Counter = field(default_factory=Counter)
    purpose_counts: Counter = field(default_factory=Counter)
    rel_types: Counter = field(default_factory=Counter)
    closeness: Counter = field(default_factory=Counter)
    rel_states: Counter = field(default_factory=Counter)
    criteria_chosen: Counter = field(default_factory=Counter)
    criteria_positions: Counter = field(default_factory=Counter)
    criteria_methods: Counter = field(default_factory=Counter)
    rating_sums: Counter = field(default_factory=Counter)
    rating_counts: Counter = field(default_factory=Counter)
    fragile_by_type: Counter = field(default_factory=Counter)
    fragile_holders: Counter = field(default_factory=Counter)
    actions: Counter = field(default_factory=Counter)
    actions_reviewed: Counter = field(default_factory=Counter)
    stage_times: dict[str, _StageTime] = field(default_factory=dict)

    # -- adding ---------------------------------------------------------------------------

    def area_label(self, area: str) -> str:
        """The area as the roll-up shows it: its name, or ``Area N`` when anonymised."""
        key = " ".join(area.casefold().split())
        if self.named:
            return area.strip() or NOT_RECORDED
        if key not in self.areas:
            self.areas[key] = f"Area {len(self.areas) + 1}"
        return self.areas[key]

    def add_unreadable(self, source: str, problem: str) -> None:
        """A file that could not be read: listed in the report, never counted."""
        self.unread.append((source, problem))

    def add(self, state: SessionState) -> None:
        """Count one session."""
        self.sessions += 1
        area = self.area_label(state.info.area)
        flags = relationship_flags(state)
        fragile_ids = [
            rid for rid, found in flags.items() if any(f.startswith("fragile") for f in found)
        ]
        self._relationships(state, fragile_ids)
        self._criteria(state)
        actions_done = self._actions(state)
        minutes = self._stage_times(state)
        if fragile_ids:
            self._fragile_rows(state, area, fragile_ids)
        self._emit(
            "sessions",
            {
                "area": area,
                "title": state.info.title if self.named else "",
                "date": state.info.date,
                "stage_reached": c.label("stages", state.info.current_stage),
                "finished": "yes" if state.info.finished else "no",
                "participants": len(state.participants),
                "relationships": len(state.relationships),
                "fragile": len(fragile_ids),
                "actions": len(state.rows["action"]),
                "actions_done": actions_done,
                "minutes": minutes,
            },
        )

    def _emit(self, table: str, row: dict[str, object]) -> None:
        if self.on_row is not None:
            self.on_row(table, row)

    def _relationships(self, state: SessionState, fragile_ids: list[str]) -> None:
        seen_types = set()
        fragile = set(fragile_ids)
        for rid, rel in state.relationships.items():
            self.relationships += 1
            kind = rel.agency_type or ""
            seen_types.add(kind)
            self.agency_types[kind] += 1
            if rel.agency_subtype:
                self.agency_subtypes[(kind, rel.agency_subtype)] += 1
            for holder in rel.holder_roles:
                self.holder_roles[holder] += 1
            for pid in rel.holder_participants:
                person = state.participants.get(pid)
                self.holder_people[person.role if person else ""] += 1
            self.holder_counts[min(len(rel.holder_roles) + len(rel.holder_participants), 3)] += 1
            for purpose in rel.purposes:
                self.purposes[purpose] += 1
            self.purpose_counts[min(len(rel.purposes), 3)] += 1
            self.rel_types[rel.rel_type or ""] += 1
            self.closeness[rel.closeness] += 1
            self.rel_states[rel.state] += 1
            self.fragile_by_type[(kind, rid in fragile)] += 1
        for kind in seen_types:
            self.agency_type_areas[kind] += 1

    def _criteria(self, state: SessionState) -> None:
        for choice in state.rows["criterion_choice"].values():
            self.criteria_chosen[choice.criterion_id] += 1
            self.criteria_positions[(choice.criterion_id, choice.position)] += 1
            self.criteria_methods[(choice.criterion_id, choice.method)] += 1
        for rating in state.rows["rating"].values():
            if rating.score is not None:
                self.rating_sums[rating.criterion_id] += rating.score
                self.rating_counts[rating.criterion_id] += 1

    def _actions(self, state: SessionState) -> int:
        reviewed = {review.action_id for review in state.rows["action_review"].values()}
        done = 0
        for aid, action in state.rows["action"].items():
            self.actions[action.status] += 1
            if aid in reviewed:
                self.actions_reviewed[action.status] += 1
            done += action.status == "done"
        return done

    def _stage_times(self, state: SessionState) -> int:
        total = 0
        for stage, timing in state.rows["stage_time"].items():
            if timing.spent_seconds or timing.timebox_minutes:
                self.stage_times.setdefault(stage, _StageTime()).add(
                    timing.spent_seconds, timing.timebox_minutes
                )
                total += timing.spent_seconds
        return round(total / 60)

    def _fragile_rows(self, state: SessionState, area: str, fragile_ids: list[str]) -> None:
        names = None if self.named else agency_aliases(state)
        for rid in fragile_ids:
            rel = state.relationships[rid]
            if names is None:
                agency = rel.name
                held_by = c.holder_descriptions(state, rel.holder_roles, rel.holder_participants)
            else:
                agency = names[rid]
                held_by = ", ".join(_holder_roles(state, rel.holder_roles, rel.holder_participants))
            self.fragile_holders[_holder_key(state, rid)] += 1
            self._emit(
                "fragile_relationships",
                {
                    "area": area,
                    "agency": agency,
                    "agency_type": rel.agency_type or "",
                    "agency_type_label": c.label("agency_types", rel.agency_type, NOT_RECORDED),
                    "held_by": held_by,
                    "closeness": rel.closeness if rel.closeness is not None else "",
                    "rel_type_label": c.label("relationship_types", rel.rel_type, NOT_RECORDED),
                },
            )

    def tables(self) -> list[Table]:
        """Every counted table, in the order the report shows them."""
        from facilitator.programme.tables import counted_tables

        return counted_tables(self)


def agency_aliases(state: SessionState) -> dict[str, str]:
    """Each relationship's agency as the anonymised export names it (``Local council B``).

    The export's own :func:`~facilitator.export.anonymise.anonymise` names them, on a
    copy holding only the relationships, each agency's name swapped for a stand-in
    (``agency0001``…, the same agency the same stand-in) and no free text: the letters
    come out as in the export, and the stand-ins, alike from one session to the next,
    keep its work small enough for thousands of sessions.
    """
    from facilitator.export.anonymise import anonymise

    stand_ins: dict[str, str] = {}
    bare = SessionState()
    for rid, rel in state.relationships.items():
        key = " ".join(rel.name.casefold().split())
        name = stand_ins.setdefault(key, f"agency{len(stand_ins):04d}") if key else ""
        bare.relationships[rid] = Relationship(name=name, agency_type=rel.agency_type)
    shown = anonymise(bare)
    return {rid: rel.name for rid, rel in shown.relationships.items()}


def _holder_roles(state: SessionState, roles: list[str], pids: list[str]) -> list[str]:
    """Who holds a relationship by role alone: never a name."""
    out = [text.lower() for text in c.labels("holders", roles)]
    for pid in pids:
        person = state.participants.get(pid)
        out.append(c.role_phrase(person.role) if person else "a participant")
    return out


def _holder_key(state: SessionState, rid: str) -> str:
    """Who alone holds a relationship, as a kind of holder (never a name)."""
    rel = state.relationships[rid]
    if rel.holder_roles:
        return c.label("holders", rel.holder_roles[0])
    person = state.participants.get(rel.holder_participants[0])
    role = c.label("roles", person.role if person else None, NOT_RECORDED)
    return f"A participant: {role}"
