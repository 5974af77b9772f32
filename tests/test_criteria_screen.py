"""The Criteria stage: choosing two of the eight, by direct pick, dot vote, run-off or
decision, and the group's own words for them. Driven by keys, as a facilitator would."""

from __future__ import annotations

from pathlib import Path

from facilitator.domain import commands as c
from facilitator.domain.vocabulary import CRITERIA_IDS
from facilitator.store.sessionfile import SessionFile
from facilitator.tui.criteria.dialogs import DecisionDialog
from facilitator.tui.criteria.pane import CriteriaPane
from facilitator.tui.criteria.widgets import CriteriaTable, DotGrid, OwnWordsArea
from facilitator.tui.dialogs import ConfirmDialog
from tests.tui_helpers import (
    app_on,
    fixed_clock,
    new_session_file,
    notifications,
    type_text,
    wait_for_workshop,
)

PEOPLE = ["Aisha Khan", "Ben Okafor", "Cath Doyle", "Dev Patel", "Ellie Marsh", "Frank Hughes"]

# Six people, two dots each: Trust 4, Respect 3, Shared goals 3, Delivering 2.
# Trust is in; Respect and Shared goals tie for second place.
TIED_VOTE = [
    ("trust", "respect"),
    ("trust", "shared-goals"),
    ("trust", "respect"),
    ("trust", "shared-goals"),
    ("respect", "follow-through"),
    ("shared-goals", "follow-through"),
]


# -- building sessions before the app starts ----------------------------------------------


def _session(tmp_path: Path, *, stage: str = "setup", votes=(), **extra) -> Path:
    """A session file with six people here, and optionally votes and a choice."""
    path = new_session_file(tmp_path / "sessions")
    session = SessionFile.open(path, clock=fixed_clock)
    try:
        for name in PEOPLE:
            session.apply([c.add(session.state, "participant", name=name)])
        people = list(session.state.participants)
        for pid, picks in zip(people, votes, strict=False):
            for criterion in picks:
                session.apply(c.set_dots(session.state, pid, criterion, 1))
        for pid, picks in zip(people, extra.get("runoff", ()), strict=False):
            for criterion in picks:
                session.apply(c.set_dots(session.state, pid, criterion, 1, round_no=2))
        if "chosen" in extra:
            session.apply(c.choose_criteria(session.state, extra["chosen"], "direct"))
        if "rated" in extra:
            rel = c.add(session.state, "relationship", name="Riverside Housing")
            session.apply([rel])
            rel_id = rel.payload["id"]
            session.apply(c.pick_for_stage(session.state, "good-relationship", rel_id))
            for criterion, score in extra["rated"]:
                session.apply(c.rate(session.state, rel_id, criterion, score))
        session.apply(c.update_session(session.state, current_stage=stage))
    finally:
        session.close()
    return path


def _pane(app) -> CriteriaPane:
    return app.screen.query_one(CriteriaPane)


def _messages(app) -> list[str]:
    return [n.message for n in notifications(app)]


async def _put_dot(pilot, row: int, column: int, key: str = "1") -> None:
    """Move the grid's cursor to a cell with the arrow keys, then press a key there."""
    grid = pilot.app.screen.query_one(DotGrid)
    assert grid.has_focus
    now_row, now_column = grid.cursor_coordinate
    moves = ["down" if row > now_row else "up"] * abs(row - now_row)
    moves += ["right" if column > now_column else "left"] * abs(column - now_column)
    await pilot.press(*moves)
    assert tuple(grid.cursor_coordinate) == (row, column)
    await pilot.press(key)


def _column(criterion: str) -> int:
    return CRITERIA_IDS.index(criterion)


# -- the full path: vote, tie, run-off, accept, own words, reopen ---------------------------


async def test_dot_vote_with_a_tie_settled_by_a_runoff_survives_a_restart(tmp_path):
    path = _session(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("f3")
        pane = _pane(app)
        assert pane.incomplete() == "The group has not chosen two criteria yet."
        assert pane.query_one(CriteriaTable).has_focus
        await pilot.press("v")
        assert pane.view == "vote"
        # Each person's two dots, entered cell by cell (one of them with "+"), going
        # along one row and back along the next, as a facilitator would.
        for row, picks in enumerate(TIED_VOTE):
            columns = sorted(_column(criterion) for criterion in picks)
            for column in columns if row % 2 == 0 else reversed(columns):
                await _put_dot(pilot, row, column, "plus" if row == 5 else "1")
        state = app.session.state
        assert c.vote_totals(state, 1) == {
            "trust": 4,
            "respect": 3,
            "shared-goals": 3,
            "follow-through": 2,
        }
        result = str(pane.query_one("#vote-result").render())
        assert "Tie for second place: Respect and Shared goals, 3 each" in result
        assert "Everyone here has placed their dots" in str(pane.query_one("#vote-left").render())
        # Nothing to accept while tied.
        await pilot.press("a")
        assert not state.rows["criterion_choice"]

        # The run-off: one dot each, only on the two tied criteria.
        await pilot.press("r")
        assert pane.round_no == 2
        grid = pane.query_one(DotGrid)
        assert grid.criteria == ["respect", "shared-goals"]
        for row, column in enumerate([0, 0, 1, 1, 0, 0]):
            await _put_dot(pilot, row, column)
        assert c.vote_totals(state, 2) == {"respect": 4, "shared-goals": 2}
        assert "The run-off picks Respect (4)" in str(pane.query_one("#vote-result").render())
        await pilot.press("a")
        await pilot.pause()
        choices = sorted(state.rows["criterion_choice"].values(), key=lambda x: x.position)
        assert [(x.criterion_id, x.method) for x in choices] == [
            ("trust", "vote"),  # won the main vote outright
            ("respect", "runoff"),
        ]
        assert pane.incomplete() == ""

        # Back on the list, the cursor is in the box for the first one's own words.
        assert pane.view == "list"
        trust_box = pane.query_one("#own-words-trust", OwnWordsArea)
        assert trust_box.has_focus
        await type_text(pilot, "Do as we say, a vote")
        await pilot.press("tab")  # leaving the box saves it
        await pilot.pause()
        assert pane.query_one("#own-words-respect", OwnWordsArea).has_focus
        await type_text(pilot, "As equals")
        await pilot.press("ctrl+s")
        await pilot.pause()
        words = {x.criterion_id: x.own_words for x in state.rows["criterion_choice"].values()}
        assert words == {
            "trust": "Do as we say, a vote",
            "respect": "As equals",
        }
        await pilot.press("ctrl+q")

    # Reopen the same file in a new app: the choice, the votes and the words are there.
    again = app_on(path)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        state = again.session.state
        assert state.info.current_stage == "criteria"
        assert c.chosen_criteria(state) == ["trust", "respect"]
        methods = {x.criterion_id: x.method for x in state.rows["criterion_choice"].values()}
        assert methods == {"trust": "vote", "respect": "runoff"}
        assert c.vote_totals(state, 1)["trust"] == 4
        assert c.vote_totals(state, 2) == {"respect": 4, "shared-goals": 2}
        pane = _pane(again)
        assert pane.view == "list"
        assert pane.query_one("#own-words-respect", OwnWordsArea).text == "As equals"
        assert "Chosen: 3 Trust and 4 Respect" in str(pane.query_one("#criteria-chosen").render())
        # The words were saved, so no half-typed copy of them is waiting to be put back.
        assert not [k for k in again.session.drafts() if k.startswith("criteria.")]
        await pilot.press("ctrl+q")


# -- the facilitator decides ------------------------------------------------------------


async def test_facilitator_decision_needs_a_reason(tmp_path):
    """A tie in the main vote, then a run-off that ties again: the facilitator decides."""
    runoff = [("respect",), ("shared-goals",)] * 3
    path = _session(tmp_path, stage="criteria", votes=TIED_VOTE, runoff=runoff)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        pane = _pane(app)
        state = app.session.state
        assert pane.view == "vote" and pane.round_no == 2  # back where the room left off
        assert "Still tied: Respect and Shared goals, 3 each" in str(
            pane.query_one("#vote-result").render()
        )
        await pilot.press("a")  # nothing to accept
        assert not state.rows["criterion_choice"]

        # Deciding straight from the main vote is offered too (looked at, then cancelled).
        await pilot.press("r")
        assert pane.round_no == 1
        await pilot.press("d")
        assert isinstance(app.screen, DecisionDialog)
        assert app.screen.tied == ["respect", "shared-goals"] and app.screen.places == 1
        await pilot.press("escape")
        await pilot.press("r")
        assert pane.round_no == 2

        await pilot.press("d")
        dialog = app.screen
        assert isinstance(dialog, DecisionDialog)
        assert dialog.already == ["trust"] and dialog.places == 1
        await pilot.press("down", "space")  # mark Shared goals
        await pilot.press("tab")
        await pilot.press("enter")  # no reason given
        await pilot.pause()
        assert app.screen is dialog
        error = str(dialog.query_one("#form-error").render())
        assert "Say why, so the notes can record how the choice was made" in error
        assert not state.rows["criterion_choice"]
        await type_text(pilot, "It came up in every story")
        await pilot.press("enter")
        await pilot.pause()
        assert c.chosen_criteria(state) == ["trust", "shared-goals"]
        methods = {
            x.criterion_id: (x.method, x.reason) for x in state.rows["criterion_choice"].values()
        }
        assert methods == {
            "trust": ("vote", ""),  # Trust won the main vote outright
            "shared-goals": ("decision", "It came up in every story"),
        }
        assert "decided by the facilitator" in str(pane.query_one("#criteria-chosen").render())
        await pilot.press("ctrl+q")


# -- direct pick --------------------------------------------------------------------------


async def test_direct_pick_by_marking_two(tmp_path):
    path = _session(tmp_path, stage="criteria")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        pane = _pane(app)
        table = pane.query_one(CriteriaTable)
        assert table.has_focus and table.row_count == 8
        await pilot.press("c")  # nothing marked yet
        assert "Mark two criteria first" in _messages(app)[-1]
        await pilot.press("3")  # the number marks Trust
        await pilot.press("down", "down", "down", "space")  # and Shared goals
        await pilot.press("down", "space")  # a third is refused
        assert "Two are marked already" in _messages(app)[-1]
        assert pane.marks == ["trust", "shared-goals"]
        await pilot.press("c")
        await pilot.pause()
        state = app.session.state
        choices = sorted(state.rows["criterion_choice"].values(), key=lambda x: x.position)
        assert [(x.criterion_id, x.method) for x in choices] == [
            ("trust", "direct"),
            ("shared-goals", "direct"),
        ]
        assert pane.query_one("#own-words-trust", OwnWordsArea).has_focus
        # Nothing typed in the box yet, so ctrl+z there takes back the choice itself.
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert c.chosen_criteria(state) == []
        assert pane.incomplete()
        await pilot.press("ctrl+q")


# -- changing the choice when ratings exist -------------------------------------------------


async def test_changing_the_choice_warns_about_ratings_that_stop_counting(tmp_path):
    path = _session(
        tmp_path,
        stage="criteria",
        chosen=["trust", "respect"],
        rated=[("trust", 4), ("respect", 5)],
    )
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        pane = _pane(app)
        assert pane.marks == ["trust", "respect"]
        await pilot.press("3", "6")  # unmark Trust, mark Shared goals
        await pilot.press("c")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "Stage 2: Riverside Housing — Trust 4/5" in dialog.question
        assert "Respect" not in dialog.question.split("ratings no longer count")[1].split("\n\n")[0]
        assert "stay in the session file" in dialog.question
        await pilot.press("escape")  # keep the old choice
        await pilot.pause()
        state = app.session.state
        assert c.chosen_criteria(state) == ["trust", "respect"]
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert c.chosen_criteria(state) == ["respect", "shared-goals"]
        # The old rating is kept in the file, it just no longer counts.
        assert len(state.rows["rating"]) == 2
        # And ctrl+z brings the old choice back in one step.
        pane.query_one(CriteriaTable).focus()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert c.chosen_criteria(state) == ["trust", "respect"]
        await pilot.press("ctrl+q")


# -- over-allowance ---------------------------------------------------------------------


async def test_more_dots_than_allowed_are_refused_and_nothing_is_saved(tmp_path):
    path = _session(tmp_path, stage="criteria")
    app = app_on(path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("v")
        journal_before = len(app.session.journal)
        await _put_dot(pilot, 0, 0, "3")
        await pilot.pause()
        assert "Aisha Khan has only 2 dots to place." in _messages(app)
        # The refusal is on screen, not only in the log.
        toasts = [str(t.render()) for t in app.screen.query("Toast")]
        assert any("Aisha Khan has only 2 dots to place." in t for t in toasts), toasts
        assert not app.session.state.rows["criterion_vote"]
        assert len(app.session.journal) == journal_before
        # Two dots placed, then a third elsewhere is refused too.
        await _put_dot(pilot, 0, 2, "2")
        await _put_dot(pilot, 0, 3, "plus")
        await pilot.pause()
        assert "Aisha Khan has 2 dots to place and has already placed 2 elsewhere." in _messages(
            app
        )
        assert c.vote_totals(app.session.state, 1) == {"trust": 2}
        # Each dot is one change: ctrl+z takes the last one back, and the totals follow.
        grid = app.screen.query_one(DotGrid)
        await _put_dot(pilot, 1, 2, "1")
        assert grid.get_row_at(6)[_column("trust")].plain.strip() == "3 ★"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert c.vote_totals(app.session.state, 1) == {"trust": 2}
        assert grid.get_row_at(6)[_column("trust")].plain.strip() == "2 ★"
        await pilot.press("ctrl+q")


async def test_dots_each_and_accepting_while_dots_are_left(tmp_path):
    votes = [("trust", "respect"), ("trust", "shared-goals")]
    path = _session(tmp_path, stage="criteria", votes=votes)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        pane = _pane(app)
        # Three dots each instead of two; then fewer than someone has placed is refused.
        await pilot.press("e", "backspace", "3", "enter")
        await pilot.pause()
        assert app.session.state.info.dots_per_person == 3
        assert "3 dots each" in str(pane.query_one("#vote-heading").render())
        await pilot.press("e", "backspace", "1", "enter")
        await pilot.pause()
        assert "Aisha Khan and Ben Okafor already placed more than 1" in _messages(app)[-1]
        assert app.session.state.info.dots_per_person == 3
        # Trust 2, Respect and Shared goals 1 each: a tie, so nothing to accept yet.
        await pilot.press("a")
        assert not isinstance(app.screen, ConfirmDialog)
        assert not app.session.state.rows["criterion_choice"]
        await _put_dot(pilot, 2, _column("respect"))
        assert "So far Trust (2) and Respect (2) lead" in str(
            pane.query_one("#vote-result").render()
        )
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "still have dots to place" in dialog.question
        await pilot.press("y")
        await pilot.pause()
        choices = app.session.state.rows["criterion_choice"].values()
        assert sorted((x.criterion_id, x.method) for x in choices) == [
            ("respect", "vote"),
            ("trust", "vote"),
        ]
        await pilot.press("ctrl+q")


# -- how it looks ---------------------------------------------------------------------------


def _mid_vote(tmp_path: Path) -> Path:
    return _session(tmp_path, stage="criteria", votes=TIED_VOTE[:4])


def test_criteria_vote_snapshot(snap_compare, tmp_path):
    async def ready(pilot):
        await wait_for_workshop(pilot)
        await pilot.press("right", "right", "down")

    assert snap_compare(app_on(_mid_vote(tmp_path)), terminal_size=(80, 24), run_before=ready)


def test_criteria_vote_light_snapshot(snap_compare, tmp_path):
    async def ready(pilot):
        await wait_for_workshop(pilot)
        pilot.app.theme = "textual-light"
        await pilot.press("right", "right", "down")
        await pilot.pause()

    assert snap_compare(app_on(_mid_vote(tmp_path)), terminal_size=(80, 24), run_before=ready)
