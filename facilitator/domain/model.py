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

from facilitator.domain import fields as f
from facilitator.domain.text import LINE_MAX, NAME_MAX, NOTE_MAX


@dataclass(slots=True)
class SessionInfo:
    """The workshop itself: one per session file."""

    title: str = f.text(LINE_MAX, "The workshop's title (never empty).", required=True)
    area: str = f.text(LINE_MAX)
    date: str = f.date("YYYY-MM-DD, or empty.")
    venue_mode: str = f.vocab("venue_modes", "in-person, remote or hybrid.", default="in-person")
    facilitator: str = f.text(NAME_MAX)
    notes: str = f.text(NOTE_MAX, multiline=True)
    current_stage: str = f.vocab("stages", "The stage id the session was at.", default="setup")
    dots_per_person: int = f.whole(1, 10, default=2)
    good_relationship_id: str | None = f.ref(
        "relationship", "Stage 2's relationship.", optional=True
    )
    develop_relationship_id: str | None = f.ref(
        "relationship", "Stage 3's relationship.", optional=True
    )
    finished: bool = f.flag()
    # Since schema version 3: the session's own id, and the earlier session it was
    # carried forward from (see facilitator.history.carry), if any.
    session_id: str = f.text(
        100, "The session's own id (empty for sessions made before format 3).", in_every_file=False
    )
    origin_id: str = f.text(
        100,
        "The id of the earlier session this one was carried forward from, or empty.",
        in_every_file=False,
    )
    origin_title: str = f.text(
        LINE_MAX, "That earlier session's title, or empty.", in_every_file=False
    )
    origin_date: str = f.date(
        "That earlier session's date, YYYY-MM-DD, or empty.", in_every_file=False
    )
    origin_file: str = f.text(
        LINE_MAX, "That earlier session's file name, or empty.", in_every_file=False
    )
    origin_criteria: list[str] = f.vocabs(
        "criteria",
        "The criteria the earlier session chose: offered as the default, not chosen.",
        in_every_file=False,
    )


@dataclass(slots=True)
class Participant:
    """Somebody in the room: resident, worker, agency officer..."""

    KIND: ClassVar[str] = "participant"
    name: str = f.text(
        NAME_MAX,
        "Their name as typed. Other exports show it only if consent_named is true.",
        required=True,
    )
    role: str = f.vocab(
        "roles",
        "Role id from the vocabulary's roles list, e.g. resident-member, chair, worker.",
        default="resident-member",
    )
    agency: str = f.text(NAME_MAX, "The organisation they work for, if any.")
    consent_named: bool = f.flag("Whether they agreed to be named in the notes.")
    present: bool = f.flag("Whether they were in the room.", default=True)


@dataclass(slots=True)
class CriterionVote:
    """Dots one participant put on one criterion (entered by the facilitator)."""

    KIND: ClassVar[str] = "criterion_vote"
    participant_id: str = f.ref("participant", "The participant's id.")
    criterion_id: str = f.vocab("criteria", "Criterion id, e.g. trust.", default="")
    dots: int = f.whole(0, 10, default=0)
    round: int = f.whole(1, 2, "1 for the main vote, 2 for a run-off.", default=1)


@dataclass(slots=True)
class CriterionChoice:
    """One of the two criteria the group chose, with its own words for it."""

    KIND: ClassVar[str] = "criterion_choice"
    criterion_id: str = f.vocab("criteria", default="")
    position: int = f.whole(1, 2, default=1)
    method: str = f.choice("direct", "vote", "runoff", "decision")
    reason: str = f.text(NOTE_MAX, "Why, when the facilitator decided.", multiline=True)
    own_words: str = f.text(
        NOTE_MAX, "What the criterion means to the group, in their words.", multiline=True
    )


MAP_FIELDS = (
    "name",
    "agency_type",
    "agency_subtype",
    "rel_type",
    "closeness",
    "purposes",
    "holder_roles",
    "holder_participants",
    "effort",
    "state",
    "notes",
)
"""A relationship's fields as the map holds them: what its details dialog edits and what
carrying it forward keeps (the rest, ids and order, belongs to the session)."""


@dataclass(slots=True)
class Relationship:
    """A relationship between the partnership and one public agency."""

    KIND: ClassVar[str] = "relationship"
    name: str = f.text(NAME_MAX, "The agency's name as the group says it.", required=True)
    agency_type: str | None = f.vocab("agency_types", "Agency type id, e.g. health.")
    agency_subtype: str | None = f.subtype(
        "Sub-type id within the agency type, e.g. primary-care-network."
    )
    rel_type: str | None = f.vocab(
        "relationship_types", "powerful-ally, friend, client-contractor or not-sure."
    )
    closeness: int | None = f.whole(1, 4, "Ring 1 (close) to 4 (distant); null if not placed yet.")
    purposes: list[str] = f.vocabs("purposes", "Purpose ids.")
    holder_roles: list[str] = f.vocabs("holders", "Ids of the roles that hold the relationship.")
    holder_participants: list[str] = f.refs(
        "participant", "Ids of participants who hold the relationship."
    )
    effort: str | None = f.vocab("effort_directions", "us, them or both.")
    state: str = f.vocab(
        "relationship_states", "active, dormant, lost or wished-for.", default="active"
    )
    notes: str = f.text(NOTE_MAX, multiline=True)
    works_notes: str = f.text(NOTE_MAX, "Stage 2: what makes it work.", multiline=True)
    better_looks_like: str = f.text(
        NOTE_MAX, "Stage 3: what better would look like.", multiline=True
    )
    want_conversation: bool = f.flag("Stage 3: whether the group wants a facilitated conversation.")


@dataclass(slots=True)
class Rating:
    """A relationship rated 1-5 against one chosen criterion."""

    KIND: ClassVar[str] = "rating"
    relationship_id: str = f.ref("relationship")
    criterion_id: str = f.vocab("criteria", default="")
    score: int | None = f.whole(1, 5, "1 to 5, or null.")
    why: str = f.text(NOTE_MAX, multiline=True)


@dataclass(slots=True)
class Outcome:
    """Something a relationship achieved, for the partnership, the agency or the area."""

    KIND: ClassVar[str] = "outcome"
    relationship_id: str = f.ref("relationship")
    beneficiary: str = f.choice("partnership", "agency", "area")
    outcome_id: str | None = f.vocab("outcomes", "Outcome id, or null for free text only.")
    text: str = f.text(NOTE_MAX, multiline=True, label="note")


@dataclass(slots=True)
class Factor:
    """Something that helps a relationship work, or holds it back."""

    KIND: ClassVar[str] = "factor"
    relationship_id: str = f.ref("relationship")
    factor_id: str | None = f.vocab("factors")
    effect: str = f.choice("helps", "hinders")
    notes: str = f.text(NOTE_MAX, multiline=True)


@dataclass(slots=True)
class Action:
    """An agreed next step: what, who (organisation and person), by when."""

    KIND: ClassVar[str] = "action"
    what: str = f.text(NOTE_MAX, multiline=True, required=True)
    who_org: str = f.text(NAME_MAX)
    who_person: str = f.text(NAME_MAX)
    by_when: str = f.text(100, "Free text: a date or words such as 'end of May'.")
    status: str = f.vocab("action_statuses", "open, in-progress, done or dropped.", default="open")
    relationship_id: str | None = f.ref("relationship", optional=True)
    conversation_id: str | None = f.ref("conversation", optional=True)
    notes: str = f.text(NOTE_MAX, multiline=True)


@dataclass(slots=True)
class Conversation:
    """A facilitated conversation between the partnership and one agency."""

    KIND: ClassVar[str] = "conversation"
    relationship_id: str | None = f.ref("relationship", optional=True)
    agency_name: str = f.text(NAME_MAX, required=True, label="agency name")
    agency_type: str | None = f.vocab("agency_types")
    previous_id: str | None = f.ref(
        "conversation", "The conversation this one follows up, if any.", optional=True
    )
    bank_id: str = f.text(100, "The question bank used.", default="standard")
    boundaries_in: str = f.text(NOTE_MAX, "What the conversation will cover.", multiline=True)
    boundaries_out: str = f.text(NOTE_MAX, "What it will leave aside.", multiline=True)
    current_prompt_id: str | None = f.loose("The prompt on screen when the file was saved.")
    skipped_prompts: list[str] = f.loose(many=True)
    summary: str = f.text(NOTE_MAX, multiline=True)
    started_at: str = f.text(40, "When it started (ISO 8601), or empty.")
    finished: bool = f.flag()


@dataclass(slots=True)
class Attendee:
    """Somebody at a facilitated conversation, on one side of the table."""

    KIND: ClassVar[str] = "attendee"
    conversation_id: str = f.ref("conversation")
    side: str = f.choice("partnership", "agency")
    name: str = f.text(NAME_MAX, required=True)
    participant_id: str | None = f.ref(
        "participant", "The participant, when the attendee is one.", optional=True
    )


@dataclass(slots=True)
class PromptAnswer:
    """A note taken on one prompt of a conversation: who said it, and what it is."""

    KIND: ClassVar[str] = "prompt_answer"
    conversation_id: str = f.ref("conversation")
    prompt_id: str = f.text(
        100, "The prompt's id in the question bank.", required=True, label="prompt"
    )
    text: str = f.text(NOTE_MAX, multiline=True, required=True, label="note")
    speaker: str = f.vocab("speakers", "partnership, agency or both.", default="both")
    tag: str | None = f.vocab("note_tags", "challenge, opportunity, ask, agreement, or null.")


@dataclass(slots=True)
class ActionReview:
    """A follow-up conversation's look back at an earlier action."""

    KIND: ClassVar[str] = "action_review"
    conversation_id: str = f.ref("conversation")
    action_id: str = f.ref("action")
    status: str = f.vocab("action_statuses", default="in-progress")
    note: str = f.text(NOTE_MAX, multiline=True)


@dataclass(slots=True)
class StageTime:
    """The timebox set for a stage and the time actually spent on it (id = stage id)."""

    KIND: ClassVar[str] = "stage_time"
    timebox_minutes: int | None = f.whole(1, 600)
    spent_seconds: int = f.whole(0, 10**7, default=0)


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
    return {f.name: copy_value(getattr(obj, f.name)) for f in dataclasses.fields(obj)}


def copy_value(value: Any) -> Any:
    """A field's value, with a list copied (the only kind of value that can change)."""
    return list(value) if isinstance(value, list) else value


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
