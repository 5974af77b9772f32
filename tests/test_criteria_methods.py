"""How each criterion was chosen is recorded for that criterion, and the notes say so."""

from __future__ import annotations

from facilitator.domain import commands
from facilitator.domain.events import apply_event
from facilitator.domain.model import SessionState
from facilitator.export import export


def test_a_criterion_that_won_outright_is_not_said_to_come_from_the_runoff():
    state = SessionState()
    for event in commands.choose_criteria(
        state, ["trust", "respect"], "runoff", settled={"trust": "vote"}
    ):
        apply_event(state, event)
    notes = export(state, "md").decode()
    assert "**Trust** (chosen by a dot vote)" in notes
    assert "**Respect** (chosen in a run-off vote)" in notes
    assert "Trust** (chosen in a run-off" not in notes


def test_the_facilitators_reason_goes_only_with_the_criterion_they_decided():
    state = SessionState()
    for event in commands.choose_criteria(
        state,
        ["trust", "respect"],
        "decision",
        "It came up in every story",
        settled={"trust": "vote"},
    ):
        apply_event(state, event)
    by_id = {c.criterion_id: c for c in state.rows["criterion_choice"].values()}
    assert (by_id["trust"].method, by_id["trust"].reason) == ("vote", "")
    assert (by_id["respect"].method, by_id["respect"].reason) == (
        "decision",
        "It came up in every story",
    )
    notes = export(state, "md").decode()
    assert notes.count("It came up in every story") == 1
