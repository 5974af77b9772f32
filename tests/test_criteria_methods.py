"""How each criterion was chosen is recorded for that criterion, and the notes say so."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitator.domain import commands
from facilitator.domain.events import apply_event
from facilitator.domain.model import SessionState
from facilitator.domain.vocabulary import CRITERIA_IDS
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


def test_the_domain_refuses_a_decision_without_a_reason():
    state = SessionState()
    with pytest.raises(commands.DomainError, match="Say why"):
        commands.choose_criteria(state, ["trust", "respect"], "decision", "   ")


# -- vote_result and set_dots, directly ----------------------------------------------------


def _state_with(votes: dict[str, list[str]], round2: dict[str, list[str]] | None = None):
    """A state with people named in ``votes``, each placing a dot per listed criterion."""
    state = SessionState()
    from facilitator.domain.events import apply_event

    def run(events):
        for event in events if isinstance(events, list) else [events]:
            apply_event(state, event)

    run(commands.update_session(state, dots_per_person=10))
    ids = {}
    for name in sorted(set(votes) | set(round2 or {})):
        event = commands.add(state, "participant", name=name)
        run(event)
        ids[name] = event.payload["id"]
    for round_no, plan in ((1, votes), (2, round2 or {})):
        for name, picks in plan.items():
            for criterion in set(picks):
                run(
                    commands.set_dots(state, ids[name], criterion, picks.count(criterion), round_no)
                )
    return state, ids


def test_vote_result_with_no_votes_decides_nothing():
    result = commands.vote_result(SessionState())
    assert (result.chosen, result.tied, result.places_left) == ((), (), 2)
    assert not result.decided and not result.started


def test_vote_result_three_way_tie_for_first():
    state, _ = _state_with({"A": ["trust", "respect", "shared-goals"]})
    result = commands.vote_result(state)
    assert result.chosen == ()
    assert result.tied == ("trust", "respect", "shared-goals")  # the list's order
    assert result.places_left == 2 and not result.decided


def test_vote_result_tie_for_second():
    state, _ = _state_with({"A": ["trust", "trust", "respect"], "B": ["shared-goals"]})
    result = commands.vote_result(state)
    assert result.chosen == ("trust",)
    assert result.tied == ("respect", "shared-goals")
    assert result.places_left == 1


def test_vote_result_clear_top_two():
    state, _ = _state_with({"A": ["respect", "trust", "trust"], "B": ["respect", "understanding"]})
    result = commands.vote_result(state)
    assert result.decided and result.chosen == ("trust", "respect")


def test_vote_result_all_dots_on_one_criterion_leaves_the_rest_tied():
    state, _ = _state_with({"A": ["trust", "trust"], "B": ["trust", "trust"]})
    result = commands.vote_result(state)
    assert result.chosen == ("trust",)
    assert result.tied == tuple(x for x in CRITERIA_IDS if x != "trust")
    assert result.places_left == 1 and not result.decided


def test_runoff_fills_only_the_places_left():
    state, ids = _state_with(
        {"A": ["trust", "trust", "respect"], "B": ["shared-goals"]},
        {"A": ["respect"], "B": ["respect"]},
    )
    second = commands.vote_result(state, 2)
    assert second.chosen == ("respect",) and second.decided
    assert commands.vote_result(state, 1).chosen + second.chosen == ("trust", "respect")


def test_runoff_after_three_way_tie_can_tie_again():
    state, _ = _state_with(
        {"A": ["trust", "respect", "shared-goals"]},
        {"A": ["trust"], "B": ["respect"], "C": ["shared-goals"]},
    )
    second = commands.vote_result(state, 2)
    assert second.chosen == ()
    assert second.tied == ("trust", "respect", "shared-goals")
    assert second.places_left == 2 and not second.decided


def test_runoff_with_no_votes_and_without_a_tie():
    state, _ = _state_with({"A": ["trust", "respect", "respect"], "B": ["shared-goals"]})
    assert commands.vote_result(state, 2).chosen == ()
    assert not commands.vote_result(state, 2).started
    decided, _ = _state_with({"A": ["trust", "trust", "respect"]})
    assert commands.vote_result(decided, 2).places_left == 0


def test_runoff_dots_only_on_tied_criteria_and_one_each():
    state, ids = _state_with({"A": ["trust", "trust", "respect"], "B": ["shared-goals"]})
    with pytest.raises(commands.DomainError, match="only on the tied criteria"):
        commands.set_dots(state, ids["A"], "trust", 1, round_no=2)
    with pytest.raises(commands.DomainError, match="one dot in the run-off"):
        commands.set_dots(state, ids["A"], "respect", 2, round_no=2)
    assert commands.set_dots(state, ids["A"], "respect", 1, round_no=2)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["A", "B", "C", "D", "E"]),
        st.lists(st.sampled_from(CRITERIA_IDS), min_size=0, max_size=4),
        max_size=5,
    )
)
def test_vote_result_always_ranks_chosen_above_tied_above_the_rest(votes):
    state, _ = _state_with(votes)
    result = commands.vote_result(state)
    totals = result.totals
    assert len(result.chosen) + result.places_left == 2
    if not any(votes.values()):
        assert not result.started
        return
    if result.tied:
        assert len(result.tied) > result.places_left > 0
        assert len({totals.get(x, 0) for x in result.tied}) == 1
    else:
        assert result.decided
    ranked = [*result.chosen, *result.tied]
    rest = [x for x in CRITERIA_IDS if x not in ranked]
    for better in result.chosen:
        assert all(totals.get(better, 0) > totals.get(x, 0) for x in [*result.tied, *rest])
    for tied in result.tied:
        assert all(totals.get(tied, 0) > totals.get(x, 0) for x in rest)
