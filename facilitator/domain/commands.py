"""Commands: what a facilitator can do to a session, checked and turned into events.

A command reads the current state, refuses bad input with a :class:`DomainError`
whose message can be shown as it is, and returns the events that make the change.
It changes nothing itself: the store commits the events and then applies them.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from facilitator.domain import events as ev
from facilitator.domain.fields import Spec, specs_of
from facilitator.domain.holders import is_fragile
from facilitator.domain.model import (
    ENTITY_TYPES,
    SESSION_FIELDS,
    SessionInfo,
    SessionState,
    to_dict,
)
from facilitator.domain.text import TextError, clean_text
from facilitator.domain.vocabulary import load_vocabulary


class DomainError(ValueError):
    """A change that cannot be made, with a message fit to show a facilitator."""


def new_id() -> str:
    return uuid.uuid4().hex[:12]


# -- field checks -------------------------------------------------------------------------

# Every field's shape is declared once, on the model (see facilitator.domain.fields).
_SHAPES: dict[str, dict[str, Spec]] = {
    "session": specs_of(SessionInfo),
    **{kind: specs_of(cls) for kind, cls in ENTITY_TYPES.items()},
}


def fixed_choices() -> frozenset[str]:
    """Every value of every field that takes one of a fixed set (``"helps"``, ``"direct"``…)."""
    return frozenset(
        value
        for shapes in _SHAPES.values()
        for spec in shapes.values()
        if spec.kind == "choice"
        for value in spec.choices
    )


def _check(
    state: SessionState, kind: str, fields: dict[str, Any], partial: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Check and clean field values for an entity kind; return the cleaned values."""
    shapes = _SHAPES[kind]
    out: dict[str, Any] = {}
    for name, value in fields.items():
        spec = shapes.get(name)
        if spec is None:
            raise DomainError(f"A {kind.replace('_', ' ')} has no field {name!r}.")
        out[name] = _check_value(state, spec, spec.label or name.replace("_", " "), value)
    if kind == "relationship":
        merged = {**(partial or {}), **out}
        sub = merged.get("agency_subtype")
        if sub is not None:
            atype = merged.get("agency_type")
            if atype is None:
                raise DomainError("Choose an agency type before a sub-type.")
            try:
                load_vocabulary().subtype(atype, sub)
            except KeyError:
                raise DomainError(f"Unknown sub-type {sub!r} for {atype}.") from None
    return out


def _check_value(state: SessionState, spec: Spec, what: str, value: Any) -> Any:
    """One field's value, checked against its declared shape and cleaned."""
    kind = spec.kind
    if kind == "text":
        try:
            return clean_text(
                value,
                what=what,
                max_len=spec.max_len,
                multiline=spec.multiline,
                required=spec.required,
            )
        except TextError as err:
            raise DomainError(str(err)) from None
    if kind == "date":
        return _check_date(value)
    if kind == "loose":
        return value
    if spec.optional and value in (None, ""):
        return None
    if kind == "vocab":
        if value not in load_vocabulary().ids(spec.target):
            raise DomainError(f"Unknown {what}: {value!r}.")
    elif kind == "vocabs":
        values = _unique(value, what)
        unknown = [v for v in values if v not in load_vocabulary().ids(spec.target)]
        if unknown:
            raise DomainError(f"Unknown {what}: {', '.join(map(repr, unknown))}.")
        return values
    elif kind == "subtype":
        if not isinstance(value, str):
            raise DomainError(f"Bad value for {what}.")
    elif kind == "choice":
        if value not in spec.choices:
            raise DomainError(f"{what.capitalize()} must be one of {sorted(spec.choices)}.")
    elif kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise DomainError(f"{what.capitalize()} must be a whole number.")
        if not spec.lo <= value <= spec.hi:
            raise DomainError(f"{what.capitalize()} must be from {spec.lo} to {spec.hi}.")
    elif kind == "bool":
        if not isinstance(value, bool):
            raise DomainError(f"{what.capitalize()} must be yes or no.")
    elif kind == "ref":
        if value not in state.rows[spec.target]:
            raise DomainError(f"No such {spec.target.replace('_', ' ')}: {value!r}.")
    elif kind == "refs":
        values = _unique(value, what)
        missing = [v for v in values if v not in state.rows[spec.target]]
        if missing:
            raise DomainError(f"No such {spec.target}: {', '.join(missing)}.")
        return values
    return value


def _unique(value: Any, what: str) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise DomainError(f"{what.capitalize()} must be a list.")
    return list(dict.fromkeys(value))


def _check_date(value: Any) -> str:
    import datetime as dt

    if value in (None, ""):
        return ""
    from facilitator.domain.dates import day_problem

    text = str(value).strip()
    problem = day_problem(text)
    if problem:
        raise DomainError(problem)
    return dt.date.fromisoformat(text).isoformat()


# -- generic commands ---------------------------------------------------------------------


def add(
    state: SessionState, kind: str, /, *, entity_id: str | None = None, **fields: Any
) -> ev.Event:
    """An event adding a new entity with the given fields (others take defaults).

    ``state`` and ``kind`` are positional-only, so that a relationship's own ``state``
    field can be passed as a keyword like any other field.
    """
    clean = _check(state, kind, fields)
    full = to_dict(ENTITY_TYPES[kind]())
    full.update(clean)
    return ev.added(kind, entity_id or new_id(), full)


def edit(state: SessionState, kind: str, entity_id: str, /, **fields: Any) -> list[ev.Event]:
    """Events changing some fields of an entity; empty if nothing actually changes.

    The first three arguments are positional-only (see :func:`add`).
    """
    current = state.rows[kind].get(entity_id)
    if current is None:
        raise DomainError(f"That {kind.replace('_', ' ')} no longer exists.")
    clean = _check(state, kind, fields, partial=to_dict(current))
    before = to_dict(current)
    diff = {k: v for k, v in clean.items() if before[k] != v}
    if not diff:
        return []
    return [ev.changed(kind, entity_id, diff, {k: before[k] for k in diff})]


def update_session(state: SessionState, **fields: Any) -> list[ev.Event]:
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise DomainError(f"A session has no field {sorted(unknown)[0]!r}.")
    clean = _check(state, "session", fields)
    before = to_dict(state.info)
    diff = {k: v for k, v in clean.items() if before[k] != v}
    if not diff:
        return []
    return [ev.session_changed(diff, {k: before[k] for k in diff})]


def remove(state: SessionState, kind: str, entity_id: str) -> list[ev.Event]:
    """Events removing an entity and everything that only makes sense with it."""
    if entity_id not in state.rows[kind]:
        raise DomainError(f"That {kind.replace('_', ' ')} no longer exists.")
    events: list[ev.Event] = []
    for dep_kind, dep_field, how in _DEPENDENTS.get(kind, ()):
        for dep_id, dep in list(state.rows[dep_kind].items()):
            value = getattr(dep, dep_field)
            if how == "remove" and value == entity_id:
                events.extend(remove(state, dep_kind, dep_id))
            elif how == "clear" and value == entity_id:
                events.append(ev.changed(dep_kind, dep_id, {dep_field: None}, {dep_field: value}))
            elif how == "drop" and entity_id in value:
                new = [v for v in value if v != entity_id]
                events.append(ev.changed(dep_kind, dep_id, {dep_field: new}, {dep_field: value}))
    if kind == "relationship":
        info = to_dict(state.info)
        for name in ("good_relationship_id", "develop_relationship_id"):
            if info[name] == entity_id:
                events.append(ev.session_changed({name: None}, {name: entity_id}))
    events.append(ev.removed(kind, entity_id, to_dict(state.rows[kind][entity_id])))
    return events


# What happens to other entities when one is removed.
_DEPENDENTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "participant": (
        ("criterion_vote", "participant_id", "remove"),
        ("relationship", "holder_participants", "drop"),
        ("attendee", "participant_id", "clear"),
    ),
    "relationship": (
        ("rating", "relationship_id", "remove"),
        ("outcome", "relationship_id", "remove"),
        ("factor", "relationship_id", "remove"),
        ("action", "relationship_id", "clear"),
        ("conversation", "relationship_id", "clear"),
    ),
    "conversation": (
        ("attendee", "conversation_id", "remove"),
        ("prompt_answer", "conversation_id", "remove"),
        ("action_review", "conversation_id", "remove"),
        ("action", "conversation_id", "clear"),
        ("conversation", "previous_id", "clear"),
    ),
    "action": (("action_review", "action_id", "remove"),),
}


# -- criteria -----------------------------------------------------------------------------


@dataclass(frozen=True)
class VoteResult:
    """Totals of a dot vote and what they decide."""

    totals: dict[str, int]  # criterion id -> dots, every criterion voted on
    chosen: tuple[str, ...]  # criteria clearly in the top two
    tied: tuple[str, ...]  # criteria tied for the remaining place(s)
    places_left: int  # how many places the tie must fill

    @property
    def decided(self) -> bool:
        """Every place this round fills is filled (a run-off fills only what round 1 left)."""
        return self.places_left == 0 and not self.tied

    @property
    def started(self) -> bool:
        """Somebody has put a dot on one of this round's criteria."""
        return bool(self.chosen or self.tied)


def vote_totals(state: SessionState, round_no: int = 1) -> dict[str, int]:
    totals: Counter[str] = Counter()
    for vote in state.rows["criterion_vote"].values():
        if vote.round == round_no and vote.dots:
            totals[vote.criterion_id] += vote.dots
    return dict(totals)


def vote_result(state: SessionState, round_no: int = 1, among: Iterable[str] = ()) -> VoteResult:
    """Read a round of the dot vote.

    Round 1 fills two places from all eight criteria (or from ``among``). Round 2, the
    run-off, fills only the places round 1 left open, from the criteria round 1 left
    tied; its ``chosen`` holds the run-off's winners only, so the group's two are
    ``vote_result(state, 1).chosen + vote_result(state, 2).chosen``.

    A round nobody has voted in yet decides nothing and has no tie. Once somebody has
    voted, criteria with no dots share any place still open: a tie the group can settle
    with a run-off or the facilitator with a reason.
    """
    totals = vote_totals(state, round_no)
    candidates = list(among) or [t.id for t in load_vocabulary().criteria]
    places = 2
    if round_no == 2:
        first = vote_result(state, 1)
        places = first.places_left if first.tied else 0
        candidates = list(first.tied)
    if not any(totals.get(c, 0) for c in candidates):
        return VoteResult(totals, (), (), places)
    chosen: list[str] = []
    for score in sorted({totals.get(c, 0) for c in candidates}, reverse=True):
        if len(chosen) == places:
            break
        group = [c for c in candidates if totals.get(c, 0) == score]  # in the list's order
        if len(chosen) + len(group) > places:
            return VoteResult(totals, tuple(chosen), tuple(group), places - len(chosen))
        chosen.extend(group)
    return VoteResult(totals, tuple(chosen), (), places - len(chosen))


def set_dots(
    state: SessionState, participant_id: str, criterion_id: str, dots: int, round_no: int = 1
) -> list[ev.Event]:
    """Set how many dots a participant puts on a criterion, within their allowance."""
    if participant_id not in state.participants:
        raise DomainError("That participant no longer exists.")
    allowance = state.info.dots_per_person if round_no == 1 else 1
    others = sum(
        v.dots
        for v in state.rows["criterion_vote"].values()
        if v.participant_id == participant_id
        and v.round == round_no
        and v.criterion_id != criterion_id
    )
    if dots < 0:
        raise DomainError("Dots cannot be fewer than none.")
    if round_no == 2 and dots > 0:
        tied = vote_result(state, 1).tied
        if criterion_id not in tied:
            vocab = load_vocabulary()
            names = " or ".join(vocab.label("criteria", c) for c in tied)
            raise DomainError(
                f"In the run-off, dots go only on the tied criteria: {names}."
                if tied
                else "There is no tie, so there is no run-off to vote in."
            )
    if others + dots > allowance:
        name = state.participants[participant_id].name
        if round_no == 2:
            raise DomainError(f"{name} has one dot in the run-off and has already placed it.")
        dots_word = "dot" if allowance == 1 else "dots"
        if not others:
            raise DomainError(f"{name} has only {allowance} {dots_word} to place.")
        raise DomainError(
            f"{name} has {allowance} {dots_word} to place and has already placed "
            f"{others} elsewhere."
        )
    existing = state.where(
        "criterion_vote", participant_id=participant_id, criterion_id=criterion_id, round=round_no
    )
    if existing:
        vote_id, _ = existing[0]
        if dots == 0:
            return remove(state, "criterion_vote", vote_id)
        return edit(state, "criterion_vote", vote_id, dots=dots)
    if dots == 0:
        return []
    return [
        add(
            state,
            "criterion_vote",
            participant_id=participant_id,
            criterion_id=criterion_id,
            dots=dots,
            round=round_no,
        )
    ]


def choose_criteria(
    state: SessionState,
    criterion_ids: list[str],
    method: str,
    reason: str = "",
    *,
    settled: dict[str, str] | None = None,
) -> list[ev.Event]:
    """Record the group's two criteria, replacing any earlier choice.

    ``method`` (and ``reason``) say how the last places were filled; ``settled`` gives
    the method of any criterion an earlier round already chose, so one that won the main
    vote outright is recorded as chosen by the vote even when a run-off or the
    facilitator filled the other place. The group's own words for a criterion they keep
    are kept.
    """
    settled = settled or {}
    if len(criterion_ids) != 2 or len(set(criterion_ids)) != 2:
        raise DomainError("Choose exactly two different criteria.")
    if method == "decision" and not clean_text(reason):
        raise DomainError("Say why the facilitator decided, so the notes can record it.")
    old = {c.criterion_id: (cid, c) for cid, c in state.rows["criterion_choice"].items()}
    events: list[ev.Event] = []
    for cid, _choice in old.values():
        events.extend(remove(state, "criterion_choice", cid))
    for position, criterion in enumerate(criterion_ids, start=1):
        kept = old.get(criterion)
        events.append(
            add(
                state,
                "criterion_choice",
                criterion_id=criterion,
                position=position,
                method=settled.get(criterion, method),
                reason="" if criterion in settled else reason,
                own_words=kept[1].own_words if kept else "",
            )
        )
    return events


def ratings_affected_by(state: SessionState, criterion_ids: Iterable[str]) -> list[str]:
    """Ids of ratings made against criteria that a new choice would drop."""
    keep = set(criterion_ids)
    return [
        rid
        for rid, r in state.rows["rating"].items()
        if r.criterion_id not in keep and (r.score is not None or r.why)
    ]


def chosen_criteria(state: SessionState) -> list[str]:
    choices = sorted(state.rows["criterion_choice"].values(), key=lambda c: c.position)
    return [c.criterion_id for c in choices]


def rate(
    state: SessionState, relationship_id: str, criterion_id: str, score: int | None, why: str = ""
) -> list[ev.Event]:
    """Rate a relationship against one criterion (adding or changing the rating)."""
    existing = state.where("rating", relationship_id=relationship_id, criterion_id=criterion_id)
    if existing:
        return edit(state, "rating", existing[0][0], score=score, why=why)
    return [
        add(
            state,
            "rating",
            relationship_id=relationship_id,
            criterion_id=criterion_id,
            score=score,
            why=why,
        )
    ]


def pick_for_stage(state: SessionState, stage: str, relationship_id: str | None) -> list[ev.Event]:
    """Pick the relationship for stage 2 (good) or stage 3 (to develop)."""
    if relationship_id is not None and relationship_id not in state.relationships:
        raise DomainError("That relationship no longer exists.")
    if stage == "good-relationship":
        if relationship_id and relationship_id == state.info.develop_relationship_id:
            raise DomainError("That relationship is already stage 3's relationship to develop.")
        return update_session(state, good_relationship_id=relationship_id)
    if stage == "to-develop":
        if relationship_id and relationship_id == state.info.good_relationship_id:
            raise DomainError("That relationship is already stage 2's good relationship.")
        return update_session(state, develop_relationship_id=relationship_id)
    raise DomainError(f"Stage {stage!r} does not pick a relationship.")


# -- flags the map raises ---------------------------------------------------------------


def relationship_flags(state: SessionState) -> dict[str, list[str]]:
    """Warnings the map raises on its own, by relationship id."""
    flags: dict[str, list[str]] = {}
    names = Counter(_name_key(r.name) for r in state.relationships.values())
    for rid, rel in state.relationships.items():
        found = []
        if is_fragile(rel.holder_roles, rel.holder_participants, state.participants):
            found.append("fragile: one person holds this")
        if not rel.purposes:
            found.append("no purpose recorded")
        if names[_name_key(rel.name)] > 1:
            found.append("possible duplicate")
        if found:
            flags[rid] = found
    return flags


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())
