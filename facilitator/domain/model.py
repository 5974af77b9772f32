"""The workshop's entities and the state of one session.

Everything here is plain data. A session's state is rebuilt by applying events
(see :mod:`facilitator.domain.events`) in order, so every field must survive a
JSON round trip: strings, whole numbers, booleans, ``None`` and lists of strings.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(slots=True)
class SessionInfo:
    """The workshop itself: one per session file."""

    title: str = ""
    area: str = ""
    date: str = ""  # ISO date, YYYY-MM-DD
    venue_mode: str = "in-person"
    facilitator: str = ""
    notes: str = ""
    current_stage: str = "setup"
    dots_per_person: int = 2
    good_relationship_id: str | None = None
    develop_relationship_id: str | None = None
    finished: bool = False
    # Since schema version 3: the session's own id, and the earlier session it was
    # carried forward from (see facilitator.history.carry), if any.
    session_id: str = ""
    origin_id: str = ""
    origin_title: str = ""
    origin_date: str = ""
    origin_file: str = ""
    origin_criteria: list[str] = field(default_factory=list)  # offered, not chosen


@dataclass(slots=True)
class Participant:
    """Somebody in the room: resident, worker, agency officer..."""

    KIND: ClassVar[str] = "participant"
    name: str = ""
    role: str = "resident-member"
    agency: str = ""
    consent_named: bool = False
    present: bool = True


@dataclass(slots=True)
class CriterionVote:
    """Dots one participant put on one criterion (entered by the facilitator)."""

    KIND: ClassVar[str] = "criterion_vote"
    participant_id: str = ""
    criterion_id: str = ""
    dots: int = 0
    round: int = 1  # 1 = the main vote, 2 = a run-off between tied criteria


@dataclass(slots=True)
class CriterionChoice:
    """One of the two criteria the group chose, with its own words for it."""

    KIND: ClassVar[str] = "criterion_choice"
    criterion_id: str = ""
    position: int = 1  # 1 or 2
    method: str = "direct"  # direct | vote | runoff | decision
    reason: str = ""
    own_words: str = ""


@dataclass(slots=True)
class Relationship:
    """A relationship between the partnership and one public agency."""

    KIND: ClassVar[str] = "relationship"
    name: str = ""  # the agency's name as the group says it
    agency_type: str | None = None
    agency_subtype: str | None = None
    rel_type: str | None = None  # powerful-ally | friend | client-contractor | not-sure
    closeness: int | None = None  # ring 1 (close) .. 4 (distant)
    purposes: list[str] = field(default_factory=list)
    holder_roles: list[str] = field(default_factory=list)
    holder_participants: list[str] = field(default_factory=list)
    effort: str | None = None  # us | them | both
    state: str = "active"  # active | dormant | lost | wished-for
    notes: str = ""
    works_notes: str = ""  # stage 2: what makes it work
    better_looks_like: str = ""  # stage 3: what "better" would look like
    want_conversation: bool = False  # stage 3: hold a facilitated conversation?


@dataclass(slots=True)
class Rating:
    """A relationship rated 1-5 against one chosen criterion."""

    KIND: ClassVar[str] = "rating"
    relationship_id: str = ""
    criterion_id: str = ""
    score: int | None = None
    why: str = ""


@dataclass(slots=True)
class Outcome:
    """Something a relationship achieved, for the partnership, the agency or the area."""

    KIND: ClassVar[str] = "outcome"
    relationship_id: str = ""
    beneficiary: str = "partnership"  # partnership | agency | area
    outcome_id: str | None = None  # from the vocabulary, or None for free text only
    text: str = ""


@dataclass(slots=True)
class Factor:
    """Something that helps a relationship work, or holds it back."""

    KIND: ClassVar[str] = "factor"
    relationship_id: str = ""
    factor_id: str | None = None
    effect: str = "helps"  # helps | hinders
    notes: str = ""


@dataclass(slots=True)
class Action:
    """An agreed next step: what, who (organisation and person), by when."""

    KIND: ClassVar[str] = "action"
    what: str = ""
    who_org: str = ""
    who_person: str = ""
    by_when: str = ""
    status: str = "open"  # open | in-progress | done | dropped
    relationship_id: str | None = None
    conversation_id: str | None = None
    notes: str = ""


@dataclass(slots=True)
class Conversation:
    """A facilitated conversation between the partnership and one agency."""

    KIND: ClassVar[str] = "conversation"
    relationship_id: str | None = None
    agency_name: str = ""
    agency_type: str | None = None
    previous_id: str | None = None  # the earlier conversation this one follows up
    bank_id: str = "standard"
    boundaries_in: str = ""  # what we will talk about
    boundaries_out: str = ""  # what we will not
    current_prompt_id: str | None = None
    skipped_prompts: list[str] = field(default_factory=list)
    summary: str = ""
    started_at: str = ""
    finished: bool = False


@dataclass(slots=True)
class Attendee:
    """Somebody at a facilitated conversation, on one side of the table."""

    KIND: ClassVar[str] = "attendee"
    conversation_id: str = ""
    side: str = "partnership"  # partnership | agency
    name: str = ""
    participant_id: str | None = None


@dataclass(slots=True)
class PromptAnswer:
    """A note taken on one prompt of a conversation: who said it, and what it is."""

    KIND: ClassVar[str] = "prompt_answer"
    conversation_id: str = ""
    prompt_id: str = ""
    text: str = ""
    speaker: str = "both"  # partnership | agency | both
    tag: str | None = None  # challenge | opportunity | ask | agreement


@dataclass(slots=True)
class ActionReview:
    """A follow-up conversation's look back at an earlier action."""

    KIND: ClassVar[str] = "action_review"
    conversation_id: str = ""
    action_id: str = ""
    status: str = "in-progress"
    note: str = ""


@dataclass(slots=True)
class StageTime:
    """The timebox set for a stage and the time actually spent on it (id = stage id)."""

    KIND: ClassVar[str] = "stage_time"
    timebox_minutes: int | None = None
    spent_seconds: int = 0


ENTITY_TYPES: dict[str, type] = {
    cls.KIND: cls
    for cls in (
        Participant,
        CriterionVote,
        CriterionChoice,
        Relationship,
        Rating,
        Outcome,
        Factor,
        Action,
        Conversation,
        Attendee,
        PromptAnswer,
        ActionReview,
        StageTime,
    )
}
"""Every kind of entity a session holds, by the name used in events and tables."""

SESSION_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(SessionInfo))


@functools.cache
def entity_fields(kind: str) -> tuple[str, ...]:
    """The field names of an entity kind."""
    return tuple(f.name for f in dataclasses.fields(ENTITY_TYPES[kind]))


def to_dict(obj: Any) -> dict[str, Any]:
    """A plain, JSON-ready copy of an entity or the session info."""
    return {f.name: _copy(getattr(obj, f.name)) for f in dataclasses.fields(obj)}


def _copy(value: Any) -> Any:
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value


@dataclass
class SessionState:
    """Everything a session holds, as plain objects.

    ``rows[kind]`` maps entity id to entity, in the order the entities were added.

    Entities are never changed in place once they are in a state: applying an event
    replaces a changed entity with a new object. That lets :meth:`clone` share them,
    which makes copies cheap enough to keep many (replay keeps one every few hundred
    events).
    """

    info: SessionInfo = field(default_factory=SessionInfo)
    rows: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {kind: {} for kind in ENTITY_TYPES}
    )

    def clone(self) -> SessionState:
        """An independent copy (entities are shared; they are never changed in place)."""
        return SessionState(
            info=dataclasses.replace(self.info),
            rows={kind: dict(rows) for kind, rows in self.rows.items()},
        )

    def of(self, kind: str) -> dict[str, Any]:
        return self.rows[kind]

    @property
    def participants(self) -> dict[str, Participant]:
        return self.rows["participant"]

    @property
    def relationships(self) -> dict[str, Relationship]:
        return self.rows["relationship"]

    @property
    def conversations(self) -> dict[str, Conversation]:
        return self.rows["conversation"]

    def where(self, kind: str, **equal: Any) -> list[tuple[str, Any]]:
        """(id, entity) pairs of a kind whose fields equal the given values."""
        return [
            (eid, ent)
            for eid, ent in self.rows[kind].items()
            if all(getattr(ent, k) == v for k, v in equal.items())
        ]

    def snapshot(self) -> dict[str, Any]:
        """A plain dict of the whole state (ids sorted), for comparisons and exports."""
        return {
            "info": to_dict(self.info),
            "rows": {
                kind: {eid: to_dict(ent) for eid, ent in sorted(rows.items())}
                for kind, rows in self.rows.items()
            },
        }

    def counts(self) -> dict[str, int]:
        return {kind: len(rows) for kind, rows in self.rows.items()}
