"""The session file's tables (schema version 3).

One table per entity kind of :mod:`facilitator.domain.model`, with the same field
names, plus ``id`` and ``seq`` (the journal sequence number of the event that added
the row, which keeps rows in the order they were added). Lists are JSON columns.

The schema is written out here rather than derived from the domain classes so that
it only ever changes through a numbered upgrade step (see :mod:`.upgrade`); a test
checks that the two stay in step.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

metadata = SQLModel.metadata


def _json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class SessionInfoRow(SQLModel, table=True):
    __tablename__ = "session_info"
    id: int = Field(default=1, primary_key=True)
    title: str = ""
    area: str = ""
    date: str = ""
    venue_mode: str = "in-person"
    facilitator: str = ""
    notes: str = ""
    current_stage: str = "setup"
    dots_per_person: int = 2
    good_relationship_id: str | None = None
    develop_relationship_id: str | None = None
    finished: bool = False
    # Schema version 3: the session's id and where it was carried forward from.
    session_id: str = ""
    origin_id: str = ""
    origin_title: str = ""
    origin_date: str = ""
    origin_file: str = ""
    origin_criteria: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, default=list)
    )


class EntityRow(SQLModel):
    id: str = Field(primary_key=True)
    seq: int = Field(index=True)


class ParticipantRow(EntityRow, table=True):
    __tablename__ = "participant"
    name: str
    role: str
    agency: str = ""
    consent_named: bool = False
    present: bool = True


class CriterionVoteRow(EntityRow, table=True):
    __tablename__ = "criterion_vote"
    participant_id: str = Field(foreign_key="participant.id")
    criterion_id: str
    dots: int = 0
    round: int = 1


class CriterionChoiceRow(EntityRow, table=True):
    __tablename__ = "criterion_choice"
    criterion_id: str
    position: int
    method: str
    reason: str = ""
    own_words: str = ""


class RelationshipRow(EntityRow, table=True):
    __tablename__ = "relationship"
    name: str
    agency_type: str | None = None
    agency_subtype: str | None = None
    rel_type: str | None = None
    closeness: int | None = None
    purposes: list[str] = _json_list()
    holder_roles: list[str] = _json_list()
    holder_participants: list[str] = _json_list()
    effort: str | None = None
    state: str = "active"
    notes: str = ""
    works_notes: str = ""
    better_looks_like: str = ""
    want_conversation: bool = False


class RatingRow(EntityRow, table=True):
    __tablename__ = "rating"
    relationship_id: str = Field(foreign_key="relationship.id")
    criterion_id: str
    score: int | None = None
    why: str = ""


class OutcomeRow(EntityRow, table=True):
    __tablename__ = "outcome"
    relationship_id: str = Field(foreign_key="relationship.id")
    beneficiary: str
    outcome_id: str | None = None
    text: str = ""


class FactorRow(EntityRow, table=True):
    __tablename__ = "factor"
    relationship_id: str = Field(foreign_key="relationship.id")
    factor_id: str | None = None
    effect: str = "helps"
    notes: str = ""


class ConversationRow(EntityRow, table=True):
    __tablename__ = "conversation"
    relationship_id: str | None = Field(default=None, foreign_key="relationship.id")
    agency_name: str
    agency_type: str | None = None
    previous_id: str | None = Field(default=None, foreign_key="conversation.id")
    bank_id: str = "standard"
    boundaries_in: str = ""
    boundaries_out: str = ""
    current_prompt_id: str | None = None
    skipped_prompts: list[str] = _json_list()
    summary: str = ""
    started_at: str = ""
    finished: bool = False


class ActionRow(EntityRow, table=True):
    __tablename__ = "action"
    what: str
    who_org: str = ""
    who_person: str = ""
    by_when: str = ""
    status: str = "open"
    relationship_id: str | None = Field(default=None, foreign_key="relationship.id")
    conversation_id: str | None = Field(default=None, foreign_key="conversation.id")
    notes: str = ""


class AttendeeRow(EntityRow, table=True):
    __tablename__ = "attendee"
    conversation_id: str = Field(foreign_key="conversation.id")
    side: str
    name: str
    participant_id: str | None = Field(default=None, foreign_key="participant.id")


class PromptAnswerRow(EntityRow, table=True):
    __tablename__ = "prompt_answer"
    conversation_id: str = Field(foreign_key="conversation.id")
    prompt_id: str
    text: str
    speaker: str
    tag: str | None = None


class ActionReviewRow(EntityRow, table=True):
    __tablename__ = "action_review"
    conversation_id: str = Field(foreign_key="conversation.id")
    action_id: str = Field(foreign_key="action.id")
    status: str
    note: str = ""


class StageTimeRow(EntityRow, table=True):
    __tablename__ = "stage_time"
    timebox_minutes: int | None = None
    spent_seconds: int = 0


class EventRow(SQLModel, table=True):
    """The append-only journal. Triggers refuse UPDATE and DELETE."""

    __tablename__ = "event"
    seq: int | None = Field(default=None, primary_key=True)
    txn: int = Field(index=True)
    at: str
    stage: str
    kind: str
    payload: str  # JSON
    digest: str = ""  # hash chain: see facilitator.store.chain (since schema version 2)


class DraftRow(SQLModel, table=True):
    """Text being typed but not yet committed, saved about a second after each keystroke."""

    __tablename__ = "draft"
    key: str = Field(primary_key=True)
    text: str
    updated_at: str


ENTITY_TABLES: dict[str, type[EntityRow]] = {
    "participant": ParticipantRow,
    "criterion_vote": CriterionVoteRow,
    "criterion_choice": CriterionChoiceRow,
    "relationship": RelationshipRow,
    "rating": RatingRow,
    "outcome": OutcomeRow,
    "factor": FactorRow,
    "conversation": ConversationRow,
    "action": ActionRow,
    "attendee": AttendeeRow,
    "prompt_answer": PromptAnswerRow,
    "action_review": ActionReviewRow,
    "stage_time": StageTimeRow,
}

JOURNAL_TRIGGERS = (
    # The one update allowed: filling in a new entry's empty digest, once.
    """CREATE TRIGGER IF NOT EXISTS event_append_only_update BEFORE UPDATE ON event
       WHEN NOT (OLD.digest = '' AND NEW.digest != '' AND NEW.seq = OLD.seq
                 AND NEW.txn = OLD.txn AND NEW.at = OLD.at AND NEW.stage = OLD.stage
                 AND NEW.kind = OLD.kind AND NEW.payload = OLD.payload)
       BEGIN SELECT RAISE(ABORT, 'the event journal is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS event_append_only_delete BEFORE DELETE ON event
       BEGIN SELECT RAISE(ABORT, 'the event journal is append-only'); END""",
)
