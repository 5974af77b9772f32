"""Facilitated conversations: the rules behind the screen that leads one.

Pure helpers over a :class:`~facilitator.domain.model.SessionState` and a
:class:`~facilitator.domain.questions.QuestionBank`: which prompt comes next for this type
of agency, what the running panel of challenges, opportunities and actions holds, who
is at the table, how a section's timer reads, and the events for the few changes that
touch more than one field. Nothing here imports Textual or writes anything.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from facilitator.domain import clock, commands
from facilitator.domain.events import Event
from facilitator.domain.model import (
    Action,
    ActionReview,
    Attendee,
    Conversation,
    PromptAnswer,
    SessionState,
)
from facilitator.domain.questions import (
    ConversationPrompt,
    QuestionBank,
    QuestionBankError,
    find_bank_in_folder,
    load_question_bank,
)

#: About how many people each side brings; more is allowed, with a gentle warning.
PEOPLE_PER_SIDE = 2

#: The timer warns when this many seconds (or fewer) of a section are left.
NEAR_END_SECONDS = 60

SIDES = ("partnership", "agency")
SIDE_NAMES = {"partnership": "partnership", "agency": "agency"}

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


# -- choosing the question bank -------------------------------------------------------------


@dataclass(frozen=True)
class BankChoice:
    """The bank to use, and the problem with the facilitator's own bank if it was refused."""

    bank: QuestionBank
    problem: str = ""  # the loader's one-line message, or "" when all is well
    tried: str = ""  # the file that could not be used


def choose_bank(questions: Path | None, sessions_dir: Path | None) -> BankChoice:
    """``--questions FILE`` wins over ``questions.toml`` in the sessions folder, which wins
    over the packaged bank. A file that cannot be used falls back to the packaged bank."""
    path = questions
    if path is None and sessions_dir is not None:
        path = find_bank_in_folder(Path(sessions_dir))
    if path is None:
        return BankChoice(load_question_bank())
    try:
        return BankChoice(load_question_bank(path))
    except QuestionBankError as err:
        return BankChoice(load_question_bank(), problem=str(err), tried=str(path))


# -- moving through the prompts -------------------------------------------------------------


def prompt_ids(bank: QuestionBank, agency_type: str | None) -> list[str]:
    """The prompts for a conversation with this type of agency, in order."""
    return [p.id for p in bank.prompts_for(agency_type)]


def first_prompt(bank: QuestionBank, agency_type: str | None) -> str | None:
    ids = prompt_ids(bank, agency_type)
    return ids[0] if ids else None


def resolve_prompt(
    bank: QuestionBank, agency_type: str | None, prompt_id: str | None
) -> str | None:
    """The prompt to show: ``prompt_id`` if this bank offers it here, else the first one."""
    ids = prompt_ids(bank, agency_type)
    if prompt_id in ids:
        return prompt_id
    return ids[0] if ids else None


def next_prompt(bank: QuestionBank, agency_type: str | None, prompt_id: str | None) -> str | None:
    """The prompt after ``prompt_id`` for this agency type; None after the last."""
    ids = prompt_ids(bank, agency_type)
    current = resolve_prompt(bank, agency_type, prompt_id)
    if current is None:
        return None
    at = ids.index(current)
    return ids[at + 1] if at + 1 < len(ids) else None


def previous_prompt(
    bank: QuestionBank, agency_type: str | None, prompt_id: str | None
) -> str | None:
    """The prompt before ``prompt_id`` for this agency type; None before the first."""
    ids = prompt_ids(bank, agency_type)
    current = resolve_prompt(bank, agency_type, prompt_id)
    if current is None:
        return None
    at = ids.index(current)
    return ids[at - 1] if at > 0 else None


@dataclass(frozen=True)
class PromptPosition:
    """Where a prompt sits: "Prompt 7 of 38 · Section: Roles"."""

    number: int
    total: int
    section_id: str
    section_title: str
    section_minutes: int

    def describe(self) -> str:
        return f"Prompt {self.number} of {self.total} · Section: {self.section_title}"


def position(bank: QuestionBank, agency_type: str | None, prompt_id: str) -> PromptPosition:
    """The prompt's number among those for this agency type, and its section."""
    ids = prompt_ids(bank, agency_type)
    prompt = bank.prompt(prompt_id)
    section = bank.section(prompt.section_id)
    return PromptPosition(
        ids.index(prompt_id) + 1, len(ids), section.id, section.title, section.minutes
    )


def section_starts(bank: QuestionBank, agency_type: str | None) -> list[tuple[str, str]]:
    """(first prompt id, section title) for each section that has a prompt here."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for prompt in bank.prompts_for(agency_type):
        if prompt.section_id not in seen:
            seen.add(prompt.section_id)
            out.append((prompt.id, bank.section(prompt.section_id).title))
    return out


def probe_text(prompt: ConversationPrompt, index: int) -> str:
    """The follow-up probe at ``index`` (counting from 0), or "" when none is shown."""
    if 0 <= index < len(prompt.probes):
        return prompt.probes[index]
    return ""


def next_probe_index(prompt: ConversationPrompt, index: int) -> int:
    """Cycle: no probe shown, the first, the second..., then none again (-1)."""
    if not prompt.probes:
        return -1
    index += 1
    return index if index < len(prompt.probes) else -1


def move_events(state: SessionState, conv_id: str, prompt_id: str | None) -> list[Event]:
    """Events making ``prompt_id`` the conversation's current prompt."""
    return commands.edit(state, "conversation", conv_id, current_prompt_id=prompt_id)


def skip_events(state: SessionState, bank: QuestionBank, conv_id: str) -> list[Event]:
    """Record the current prompt as skipped and move on to the next (if there is one)."""
    conv = state.conversations[conv_id]
    current = resolve_prompt(bank, conv.agency_type, conv.current_prompt_id)
    if current is None:
        return []
    skipped = list(conv.skipped_prompts)
    if current not in skipped:
        skipped.append(current)
    following = next_prompt(bank, conv.agency_type, current)
    return commands.edit(
        state,
        "conversation",
        conv_id,
        skipped_prompts=skipped,
        current_prompt_id=following or current,
    )


def unskip_events(state: SessionState, conv_id: str, prompt_id: str) -> list[Event]:
    """A prompt that gets a note after all is no longer skipped."""
    conv = state.conversations[conv_id]
    if prompt_id not in conv.skipped_prompts:
        return []
    kept = [p for p in conv.skipped_prompts if p != prompt_id]
    return commands.edit(state, "conversation", conv_id, skipped_prompts=kept)


# -- notes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuickNote:
    """A note as typed, with the speaker and tag its first characters asked for."""

    text: str
    speaker: str | None = None
    tag: str | None = None


#: Typed at the start of a note: "!" challenge, "+" opportunity, "?" ask, "=" agreement.
TAG_PREFIXES = {"!": "challenge", "+": "opportunity", "?": "ask", "=": "agreement"}
#: Typed at the start of a note: "P:" partnership, "A:" agency, "B:" both.
SPEAKER_PREFIXES = {"p": "partnership", "a": "agency", "b": "both"}

# A tag character counts when a space, a letter or the end follows it: "!Waiting",
# "! Waiting" and "!" are tagged; "+44", "!!!", "?!" and "=>" are words as typed.
# ([^\W\d_] is any letter, in any script.)
_TAG_RE = re.compile(r"([!+?=])(?:\s+|$|(?=[^\W\d_]))")
# A speaker needs a space or the end after its colon ("A:B testing" stays as typed), or a
# tag that itself counts ("P:!Waiting").
_SPEAKER_RE = re.compile(r"([pabPAB]):(?:\s+|$|(?=[!+?=](?:\s|$|[^\W\d_])))")


def parse_note(typed: str) -> QuickNote:
    """Read the quick prefixes at the start of a typed note.

    ``"! A: Money ends in March"`` is a challenge said by the agency, and so are
    ``"!A: Money..."`` and ``"A: !Money..."``. At most one tag prefix and one speaker prefix
    are read, in either order. A tag character is a tag when a space, a letter or the end
    of the note follows it, so ``"+44 number"``, ``"!!! urgent"`` and ``"?!"`` stay as
    typed; a speaker needs a space (or a tag) after its colon, so ``"A:B testing"`` does too.
    """
    rest = typed.lstrip()
    speaker = tag = None
    for _ in range(2):
        if tag is None and (m := _TAG_RE.match(rest)):
            tag = TAG_PREFIXES[m.group(1)]
            rest = rest[m.end() :]
            continue
        if speaker is None and (m := _SPEAKER_RE.match(rest)):
            speaker = SPEAKER_PREFIXES[m.group(1).lower()]
            rest = rest[m.end() :]
            continue
        break
    return QuickNote(rest.strip(), speaker, tag)


def describe_quick_note(tag: str | None, speaker: str) -> str:
    """ "a challenge, said by the agency": how a saved note was read, in words."""
    kind = {
        "challenge": "a challenge",
        "opportunity": "an opportunity",
        "ask": "an ask",
        "agreement": "an agreement",
    }.get(tag or "", "a note with no tag")
    who = {"partnership": "the partnership", "agency": "the agency", "both": "both sides"}
    return f"{kind}, said by {who.get(speaker, speaker)}"


def notes_for(state: SessionState, conv_id: str, prompt_id: str) -> list[tuple[str, PromptAnswer]]:
    """Notes taken on one prompt, in the order they were taken."""
    return state.where("prompt_answer", conversation_id=conv_id, prompt_id=prompt_id)


def tagged(state: SessionState, conv_id: str, tag: str) -> list[tuple[str, PromptAnswer]]:
    """Notes of the conversation with one tag, in bank order of their prompts."""
    return state.where("prompt_answer", conversation_id=conv_id, tag=tag)


def challenges(state: SessionState, conv_id: str) -> list[tuple[str, PromptAnswer]]:
    return tagged(state, conv_id, "challenge")


def opportunities(state: SessionState, conv_id: str) -> list[tuple[str, PromptAnswer]]:
    return tagged(state, conv_id, "opportunity")


def actions_for(state: SessionState, conv_id: str) -> list[tuple[str, Action]]:
    """Actions agreed in this conversation."""
    return state.where("action", conversation_id=conv_id)


def answered_prompts(state: SessionState, conv_id: str) -> set[str]:
    return {a.prompt_id for _, a in state.where("prompt_answer", conversation_id=conv_id)}


@dataclass(frozen=True)
class PanelItem:
    """One line of the running panel: a challenge, an opportunity or an action."""

    kind: str  # "challenge" | "opportunity" | "action"
    entity_id: str
    text: str
    detail: str = ""


PANEL_KINDS = ("challenge", "opportunity", "action")


def panel_items(state: SessionState, conv_id: str) -> dict[str, list[PanelItem]]:
    """The running panel: challenges and opportunities from tagged notes, and actions."""
    out: dict[str, list[PanelItem]] = {kind: [] for kind in PANEL_KINDS}
    for aid, note in challenges(state, conv_id):
        out["challenge"].append(PanelItem("challenge", aid, note.text, _speaker_detail(note)))
    for aid, note in opportunities(state, conv_id):
        out["opportunity"].append(PanelItem("opportunity", aid, note.text, _speaker_detail(note)))
    for aid, action in actions_for(state, conv_id):
        out["action"].append(PanelItem("action", aid, action.what, action_detail(action)))
    return out


def _speaker_detail(note: PromptAnswer) -> str:
    return {"partnership": "partnership", "agency": "agency", "both": "both sides"}.get(
        note.speaker, note.speaker
    )


def action_detail(action: Action) -> str:
    """ "Jo (Partnership) · by end of April" — who and when, as far as they are known."""
    who = action.who_person
    if action.who_org:
        who = f"{who} ({action.who_org})" if who else action.who_org
    parts = [p for p in (who, f"by {action.by_when}" if action.by_when else "") if p]
    return " · ".join(parts)


# -- who is at the table ------------------------------------------------------------------


def attendees(state: SessionState, conv_id: str, side: str) -> list[tuple[str, Attendee]]:
    return state.where("attendee", conversation_id=conv_id, side=side)


def attendee_warning(state: SessionState, conv_id: str) -> str:
    """A gentle warning when a side brings more than about two people; "" otherwise."""
    crowded = []
    for side in SIDES:
        count = len(attendees(state, conv_id, side))
        if count > PEOPLE_PER_SIDE:
            crowded.append((side, count))
    if not crowded:
        return ""
    said = " and ".join(f"{_count_words(n)} on the {SIDE_NAMES[s]} side" for s, n in crowded)
    return (
        f"{said[0].upper()}{said[1:]}. These conversations work best with about "
        f"{_count_words(PEOPLE_PER_SIDE)} people a side."
    )


def _count_words(n: int) -> str:
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


# -- follow-up conversations -----------------------------------------------------------------


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def earlier_conversations(
    state: SessionState,
    agency_name: str,
    relationship_id: str | None = None,
    exclude: str | None = None,
) -> list[tuple[str, Conversation]]:
    """Conversations already held with the same agency, most recent first."""
    key = _name_key(agency_name)
    found = [
        (cid, conv)
        for cid, conv in state.conversations.items()
        if cid != exclude
        and (
            (relationship_id is not None and conv.relationship_id == relationship_id)
            or _name_key(conv.agency_name) == key
        )
    ]
    return sorted(found, key=lambda pair: pair[1].started_at, reverse=True)


def previous_actions(state: SessionState, conv_id: str) -> list[tuple[str, Action]]:
    """Actions agreed in the conversation this one follows up (none if it follows none)."""
    conv = state.conversations[conv_id]
    if not conv.previous_id:
        return []
    return actions_for(state, conv.previous_id)


def review_for(
    state: SessionState, conv_id: str, action_id: str
) -> tuple[str, ActionReview] | None:
    """This conversation's look back at one earlier action, if it has had one."""
    found = state.where("action_review", conversation_id=conv_id, action_id=action_id)
    return found[0] if found else None


def review_events(
    state: SessionState, conv_id: str, action_id: str, status: str, note: str | None = None
) -> list[Event]:
    """Record how an earlier action stands, and give the action itself that status."""
    existing = review_for(state, conv_id, action_id)
    events: list[Event] = []
    if existing is None:
        events.append(
            commands.add(
                state,
                "action_review",
                conversation_id=conv_id,
                action_id=action_id,
                status=status,
                note=note or "",
            )
        )
    else:
        fields: dict[str, Any] = {"status": status}
        if note is not None:
            fields["note"] = note
        events.extend(commands.edit(state, "action_review", existing[0], **fields))
    events.extend(commands.edit(state, "action", action_id, status=status))
    return events


def suggested_relationship(state: SessionState) -> str | None:
    """The relationship stage 3 chose to develop, or one the group wants a conversation with."""
    rid = state.info.develop_relationship_id
    if rid and rid in state.relationships:
        return rid
    for rid, rel in state.relationships.items():
        if rel.want_conversation:
            return rid
    return None


def start_event(
    state: SessionState,
    bank: QuestionBank,
    *,
    agency_name: str,
    agency_type: str | None,
    relationship_id: str | None = None,
    previous_id: str | None = None,
    started_at: str,
) -> Event:
    """The event that starts a conversation at the first prompt that suits the agency."""
    return commands.add(
        state,
        "conversation",
        agency_name=agency_name,
        agency_type=agency_type,
        relationship_id=relationship_id,
        previous_id=previous_id,
        bank_id=bank.id,
        current_prompt_id=first_prompt(bank, agency_type),
        skipped_prompts=[],
        started_at=started_at,
    )


def utc_now() -> str:
    """Now, in UTC, as the ISO text conversations are stamped with (to the second)."""
    return clock.utc_now("seconds")


def nice_date(started_at: str) -> str:
    """ "14 Mar 2026" from an ISO time stamp; "" when there is none."""
    if not started_at:
        return ""
    try:
        day = dt.date.fromisoformat(started_at[:10])
    except ValueError:
        return started_at[:10]
    return f"{day.day} {day:%b %Y}"


# -- the section timer ----------------------------------------------------------------------


@dataclass(frozen=True)
class TimerReading:
    """How a section's countdown reads: its text and how urgent it is."""

    text: str
    level: str  # "ok" | "near" | "over"


def clock_text(seconds: int) -> str:
    seconds = max(0, int(seconds))
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d}"


def section_timer(minutes: int, elapsed_seconds: float) -> TimerReading:
    """Count down a section's suggested minutes: "12:00 left", "⚠ 0:59 left", "⚠ 1:30 over".

    The warning sign goes with the colour, so the state never rests on colour alone.
    """
    left = minutes * 60 - int(elapsed_seconds)
    if left <= 0:
        return TimerReading(f"⚠ {clock_text(-left)} over", "over")
    if left <= NEAR_END_SECONDS:
        return TimerReading(f"⚠ {clock_text(left)} left", "near")
    return TimerReading(f"{clock_text(left)} left", "ok")
