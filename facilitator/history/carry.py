"""Carry forward: what a new session takes from an earlier one of the same partnership.

A new session started from an earlier one gets:

- the earlier map: every relationship with its agency, type, ring, purposes, holders,
  effort, state and notes (what stages 2 and 3 said about one relationship stays
  behind: the new workshop looks again);
- the participants, with consent to be named asked again (everyone starts not named);
- the two criteria the group chose, offered as the default on the criteria screen but
  not chosen: the group decides again;
- every action still open or under way, with the latest conversation held with its
  agency: a follow-up conversation with that agency then looks back at all of them at
  once (``d`` ``u`` ``x``), even those agreed in an earlier conversation;
- a record of where it came from: the earlier session's id, title, date and file name.

Carried entities keep their ids, so comparing the two sessions matches them exactly.
Everything is made with the domain's own commands, as events for the new session's
journal.
"""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.domain import commands
from facilitator.domain import events as ev
from facilitator.domain.model import MAP_FIELDS, SessionState, to_dict

CONVERSATION_FIELDS = (
    "relationship_id",
    "agency_name",
    "agency_type",
    "bank_id",
    "boundaries_in",
    "boundaries_out",
    "summary",
    "started_at",
)
"""What a carried conversation keeps: enough to be followed up, not its notes."""

OPEN_STATUSES = ("open", "in-progress")


@dataclass(frozen=True)
class CarrySummary:
    """What was carried, in numbers, to tell the facilitator."""

    participants: int
    relationships: int
    actions: int
    conversations: int
    criteria: tuple[str, ...]

    def sentence(self) -> str:
        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        return (
            f"Carried forward {n(self.relationships, 'relationship')}, "
            f"{n(self.participants, 'participant')} (consent to be named is asked again) "
            f"and {n(self.actions, 'open action')}."
        )


def carry_events(
    old: SessionState, new: SessionState, *, origin_file: str = ""
) -> tuple[list[ev.Event], CarrySummary]:
    """The events that carry ``old`` forward into ``new`` (a session just created).

    ``origin_file`` is the earlier session's file name, for the record.
    """
    scratch = new.clone()
    out: list[ev.Event] = []

    def emit(events: ev.Event | list[ev.Event]) -> None:
        for event in events if isinstance(events, list) else [events]:
            ev.apply_event(scratch, event)
            out.append(event)

    info = old.info
    emit(
        commands.update_session(
            scratch,
            origin_id=info.session_id,
            origin_title=info.title,
            origin_date=info.date,
            origin_file=origin_file,
            origin_criteria=commands.chosen_criteria(old),
            area=new.info.area or info.area,
            facilitator=new.info.facilitator or info.facilitator,
            venue_mode=info.venue_mode,
            dots_per_person=info.dots_per_person,
        )
    )
    for pid, person in old.participants.items():
        fields = to_dict(person)
        fields["consent_named"] = False
        fields["present"] = True
        emit(commands.add(scratch, "participant", entity_id=pid, **fields))
    for rid, rel in old.relationships.items():
        values = to_dict(rel)
        fields = {name: values[name] for name in MAP_FIELDS}
        emit(commands.add(scratch, "relationship", entity_id=rid, **fields))
    open_actions = [
        (aid, action)
        for aid, action in old.rows["action"].items()
        if action.status in OPEN_STATUSES
    ]
    home = _latest_conversations(old)
    conversations = {home[a.conversation_id] for _, a in open_actions if a.conversation_id}
    for cid, conv in old.conversations.items():
        if cid not in conversations:
            continue
        values = to_dict(conv)
        fields = {name: values[name] for name in CONVERSATION_FIELDS}
        emit(commands.add(scratch, "conversation", entity_id=cid, finished=True, **fields))
    for aid, action in open_actions:
        fields = to_dict(action)
        if action.conversation_id:
            fields["conversation_id"] = home[action.conversation_id]
        emit(commands.add(scratch, "action", entity_id=aid, **fields))
    summary = CarrySummary(
        participants=len(old.participants),
        relationships=len(old.relationships),
        actions=len(open_actions),
        conversations=len(conversations),
        criteria=tuple(commands.chosen_criteria(old)),
    )
    return out, summary


def _latest_conversations(old: SessionState) -> dict[str, str]:
    """For every conversation, the latest one held with the same agency (maybe itself).

    Conversations are the same agency's when one follows up the other, or when they share
    a relationship or an agency name.
    """
    from facilitator.history.matching import name_key

    def agency(conv_id: str) -> str:
        conv = old.conversations[conv_id]
        if conv.relationship_id:
            return f"rel:{conv.relationship_id}"
        return f"name:{name_key(conv.agency_name)}"

    latest: dict[str, str] = {}
    for cid, conv in old.conversations.items():
        key = agency(cid)
        best = latest.get(key)
        if best is None or conv.started_at >= old.conversations[best].started_at:
            latest[key] = cid
    return {cid: latest[agency(cid)] for cid in old.conversations}


def carried_from(state: SessionState) -> str:
    """``"Spring workshop (14 Mar 2024)"`` for a carried session, ``""`` otherwise."""
    info = state.info
    if not (info.origin_id or info.origin_title):
        return ""
    return f"{info.origin_title} ({info.origin_date})" if info.origin_date else info.origin_title
