"""What the dot vote says so far, in words, and which key settles it."""

from __future__ import annotations

from rich.text import Text

from facilitator.domain import commands
from facilitator.domain.commands import VoteResult
from facilitator.domain.model import SessionState
from facilitator.tui.criteria.dialogs import join_names
from facilitator.tui.criteria.votes import dots_left, label


def _named(ids: tuple[str, ...] | list[str], totals: dict[str, int]) -> str:
    return join_names([f"{label(c)} ({totals.get(c, 0)})" for c in ids])


def result_text(state: SessionState, round_no: int, first: VoteResult, second: VoteResult) -> Text:
    """The vote's result line: who leads or is tied, and once everyone has voted, the key."""
    waiting = bool(dots_left(state, round_no))
    text = Text()
    result = first if round_no == 1 else second
    if not result.started:
        text.append("No dots yet." if round_no == 1 else "No run-off dots yet.")
    elif result.decided:
        leaders = _named(result.chosen, result.totals)
        if round_no == 1:
            text.append(f"So far {leaders} lead. " if waiting else f"{leaders} come out on top. ")
            text.append("Press a to accept the vote.", style="" if waiting else "bold")
        else:
            both = join_names([label(c) for c in first.chosen + result.chosen])
            text.append(
                f"So far the run-off favours {leaders}. "
                if waiting
                else f"The run-off picks {leaders}. "
            )
            text.append(f"Press a to accept {both}.", style="" if waiting else "bold")
    else:
        score = result.totals.get(result.tied[0], 0)
        tied = join_names([label(c) for c in result.tied])
        text.append("So far: " if waiting else "")
        if result.chosen:
            text.append(f"{_named(result.chosen, result.totals)} is in. ")
        if score == 0:
            text.append(f"No dots on the other {len(result.tied)}. ")
        elif round_no == 2:
            text.append(
                f"{tied}, {score} each. " if waiting else f"Still tied: {tied}, {score} each. "
            )
        else:
            what = "second place" if result.places_left == 1 else "the two places"
            text.append(f"Tie for {what}: {tied}, {score} each. ")
        if not waiting:
            keys = "r for a run-off or d to decide" if round_no == 1 else "d to decide"
            text.append(f"Press {keys}.", style="bold")
    chosen = commands.chosen_criteria(state)
    if len(chosen) == 2:
        text.append(f"\nChosen now: {join_names([label(c) for c in chosen])}.")
    return text
