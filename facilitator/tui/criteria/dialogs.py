"""Dialogs for the criteria stage: the facilitator's decision on a tie, and dots each."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Static

from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.dialogs import FormDialog, labelled
from facilitator.tui.ticks import TickList


def criterion_name(criterion_id: str) -> str:
    """A criterion as the screens show it: its number (1-8) and its label."""
    vocab = load_vocabulary()
    ids = [t.id for t in vocab.criteria]
    number = ids.index(criterion_id) + 1 if criterion_id in ids else "?"
    return f"{number} {vocab.label('criteria', criterion_id)}"


def join_names(names: list[str], word: str = "and") -> str:
    """Names joined for a sentence: "A", "A and B", "A, B and C" (or "A, B or C")."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


class DecisionDialog(FormDialog):
    """The facilitator settles a tie: which of the tied criteria, and why.

    Dismisses with ``{"criteria": [ids], "reason": text}``, or None when cancelled.
    """

    def __init__(self, tied: list[str], places: int, already: list[str]) -> None:
        super().__init__()
        self.tied = tied
        self.places = places
        self.already = already
        self.heading = "The facilitator decides"

    def compose_fields(self) -> ComposeResult:
        vocab = load_vocabulary()
        tied = join_names([vocab.label("criteria", c) for c in self.tied])
        if self.already:
            kept = join_names([vocab.label("criteria", c) for c in self.already])
            intro = f"{kept} is already in. {tied} are tied for the other place."
        else:
            intro = f"{tied} are tied for the two places."
        need = "one" if self.places == 1 else "two"
        yield Static(
            f"{intro}\nMark {need} with space, then say why, so the notes can record it.",
            classes="dialog-text",
            markup=False,
        )
        yield labelled(
            TickList(*[(criterion_name(c), c) for c in self.tied], id="decision-criteria"),
            "The group goes with",
        )
        yield labelled(
            Input(id="decision-reason", placeholder="e.g. the group felt trust comes first"),
            "Why",
        )

    def on_mount(self) -> None:
        self.query_one("#decision-criteria", TickList).focus()

    def values(self) -> dict[str, Any] | None:
        picked = list(self.query_one("#decision-criteria", TickList).selected)
        reason = self.query_one("#decision-reason", Input).value.strip()
        if len(picked) != self.places:
            need = "one" if self.places == 1 else "two"
            self.show_error(f"Mark {need} of the tied criteria (space marks one).")
            return None
        if not reason:
            self.show_error("Say why, so the notes can record how the choice was made.")
            self.query_one("#decision-reason", Input).focus()
            return None
        # Keep the order the criteria are listed in, not the order they were marked.
        return {"criteria": [c for c in self.tied if c in picked], "reason": reason}


class DotsEachDialog(FormDialog):
    """How many dots each person gets in the main vote (1-10)."""

    def __init__(self, current: int) -> None:
        super().__init__()
        self.current = current
        self.heading = "Dots for each person"

    def compose_fields(self) -> ComposeResult:
        yield Static(
            "Two dots each is usual. More dots let people spread their view.",
            classes="dialog-text",
        )
        yield labelled(
            Input(str(self.current), id="dots-each", type="integer", max_length=2),
            "Dots each (1 to 10)",
        )

    def on_mount(self) -> None:
        self.query_one("#dots-each", Input).focus()

    def values(self) -> dict[str, Any] | None:
        text = self.query_one("#dots-each", Input).value.strip()
        if not text.isdigit() or not 1 <= int(text) <= 10:
            self.show_error("Give a whole number from 1 to 10.")
            return None
        return {"dots": int(text)}
