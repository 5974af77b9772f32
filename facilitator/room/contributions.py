"""What a phone can contribute, turned into the same domain events as the keyboard's.

A contribution is checked against the session as it is now; a bad one is refused with
the domain's own message. Every event it makes carries ``"by"`` in its payload (the
device and, for a named participant, their id: never a name), so the journal records
who added what and replay can show it; anonymised exports leave the journal out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from facilitator.domain import commands
from facilitator.domain.commands import DomainError
from facilitator.domain.events import Event
from facilitator.domain.model import SessionState
from facilitator.domain.vocabulary import load_vocabulary

KINDS = ("vote", "relationship", "note")
ROOM_TAGS = ("challenge", "opportunity", "ask")

# Where a contribution stands. "waiting": arrived, on its way to the session; "held":
# the facilitator keeps it out of the session for now; "accepted": in the session;
# "removed": taken out (or never let in) by the facilitator.
WAITING, HELD, ACCEPTED, REMOVED = "waiting", "held", "accepted", "removed"


@dataclass
class Contribution:
    id: str
    device_id: str
    participant_id: str | None
    kind: str
    fields: dict[str, Any]
    submission_id: str
    status: str = WAITING
    message: str = ""  # why it was refused when the session would not take it
    entity_id: str | None = None  # what it added to the session (relationship, note)
    arrived: float = 0.0
    shown: float | None = None  # when the TUI showed it (for the benchmark)
    history: list[str] = field(default_factory=list)


def open_conversation(state: SessionState) -> tuple[str, str] | None:
    """The conversation notes from the room go to, and its current prompt."""
    for conv_id, conv in reversed(list(state.conversations.items())):
        if not conv.finished and conv.current_prompt_id:
            return conv_id, conv.current_prompt_id
    return None


def events_for(state: SessionState, c: Contribution) -> list[Event]:
    """The events that put a contribution into the session; DomainError if they can't."""
    if c.kind == "vote":
        if c.participant_id is None:
            raise DomainError("Dots are placed by the people on the list, not by guests.")
        criterion = c.fields["criterion_id"]
        if criterion not in load_vocabulary().ids("criteria"):
            raise DomainError("There is no such criterion.")
        now = _dots(state, c.participant_id, criterion)
        wanted = now + int(c.fields["delta"])
        if wanted < 0:
            raise DomainError("There is no dot there to take back.")
        allowance = state.info.dots_per_person
        if wanted > now and dots_placed(state, c.participant_id) >= allowance:
            raise DomainError(f"All your {allowance} dots are placed: take one back to move it.")
        try:
            found = commands.set_dots(state, c.participant_id, criterion, wanted)
        except DomainError:
            # (The domain's message names the participant: a name stays on the laptop.)
            raise DomainError("That dot could not be placed.") from None
    elif c.kind == "relationship":
        event = commands.add(
            state,
            "relationship",
            entity_id=c.entity_id,
            name=c.fields["name"],
            agency_type=c.fields.get("agency_type") or None,
            closeness=c.fields.get("closeness"),
        )
        c.entity_id = event.payload["id"]
        found = [event]
    elif c.kind == "note":
        where = open_conversation(state)
        if where is None:
            raise DomainError("No conversation is under way for notes just now.")
        event = commands.add(
            state,
            "prompt_answer",
            entity_id=c.entity_id,
            conversation_id=where[0],
            prompt_id=where[1],
            text=c.fields["text"],
            speaker="both",
            tag=c.fields["tag"],
        )
        c.entity_id = event.payload["id"]
        found = [event]
    else:
        raise DomainError("The room cannot add that.")
    return credit(found, c)


def events_to_take_out(state: SessionState, c: Contribution) -> list[Event]:
    """The events that take an accepted contribution back out of the session."""
    if c.kind == "vote":
        assert c.participant_id is not None
        criterion = c.fields["criterion_id"]
        wanted = _dots(state, c.participant_id, criterion) - int(c.fields["delta"])
        if wanted < 0 or c.participant_id not in state.participants:
            return []  # changed since on the laptop: nothing of it is left to take out
        try:
            return credit(commands.set_dots(state, c.participant_id, criterion, wanted), c)
        except DomainError:
            return []
    kind = "relationship" if c.kind == "relationship" else "prompt_answer"
    if c.entity_id is None or c.entity_id not in state.rows[kind]:
        return []
    return credit(commands.remove(state, kind, c.entity_id), c)


def credit(events: list[Event], c: Contribution) -> list[Event]:
    """The same events, marked as coming from a device in the room."""
    by = {"room": c.device_id, "participant_id": c.participant_id}
    return [Event(e.kind, {**e.payload, "by": by}) for e in events]


def credited(payload: dict[str, Any]) -> dict[str, Any] | None:
    """Who in the room made an event, if a phone did."""
    by = payload.get("by")
    return by if isinstance(by, dict) and "room" in by else None


def credit_text(payload: dict[str, Any], state: SessionState) -> str:
    """ "from a phone: Alice" for an event a phone made (names as the laptop knows them)."""
    by = credited(payload)
    if by is None:
        return ""
    person = state.participants.get(by.get("participant_id") or "")
    return f"from a phone: {person.name if person else 'a guest'}"


def dots_placed(state: SessionState, participant_id: str) -> int:
    return sum(
        v.dots
        for v in state.rows["criterion_vote"].values()
        if v.participant_id == participant_id and v.round == 1
    )


def _dots(state: SessionState, participant_id: str, criterion_id: str) -> int:
    found = state.where(
        "criterion_vote", participant_id=participant_id, criterion_id=criterion_id, round=1
    )
    return found[0][1].dots if found else 0
