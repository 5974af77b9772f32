"""What the criteria views read from the session: the eight, the dots and the choice."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from facilitator.domain import commands
from facilitator.domain.commands import VoteResult
from facilitator.domain.model import SessionState
from facilitator.domain.vocabulary import load_vocabulary

METHOD_WORDS = {
    "direct": "picked directly",
    "vote": "by dot vote",
    "runoff": "by dot vote and a run-off",
    "decision": "decided by the facilitator",
}


def criteria_ids() -> list[str]:
    return [t.id for t in load_vocabulary().criteria]


def label(criterion_id: str) -> str:
    return load_vocabulary().label("criteria", criterion_id)


def dots_text(dots: int, width: int) -> Text:
    """A cell of the dot grid: a dot for each dot placed, centred in the column."""
    if not dots:
        return Text("·".center(width), style="dim")
    return Text(("●" * dots if dots <= 4 else f"{dots}●").center(width), style="bold")


def results(state: SessionState) -> tuple[VoteResult, VoteResult]:
    """The main vote's result and the run-off's."""
    return commands.vote_result(state, 1), commands.vote_result(state, 2)


def allowance(state: SessionState, round_no: int) -> int:
    return state.info.dots_per_person if round_no == 1 else 1


def used(state: SessionState, round_no: int) -> dict[str, int]:
    """The dots each person has placed in a round."""
    out: dict[str, int] = {}
    for vote in state.rows["criterion_vote"].values():
        if vote.round == round_no:
            out[vote.participant_id] = out.get(vote.participant_id, 0) + vote.dots
    return out


def voters(state: SessionState, round_no: int) -> list[str]:
    """The people here, plus anyone who voted in this round and has since left."""
    placed = used(state, round_no)
    return [pid for pid, person in state.participants.items() if person.present or placed.get(pid)]


def dots_left(state: SessionState, round_no: int) -> list[tuple[str, int]]:
    """The people here who still have dots to place, with how many."""
    placed = used(state, round_no)
    each = allowance(state, round_no)
    out = []
    for pid, person in state.participants.items():
        left = each - placed.get(pid, 0)
        if person.present and left > 0:
            out.append((person.name, left))
    return out


def offered_from_earlier(state: Any) -> list[str]:
    """The two criteria an earlier session chose, offered to a session carried from it."""
    earlier = [c for c in state.info.origin_criteria if c in criteria_ids()]
    return earlier[:2] if len(earlier) == 2 else []
