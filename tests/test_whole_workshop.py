"""A whole mapping workshop at 80x24, by keys, from an empty session to a restart.

Six people arrive; a dot vote ties and a run-off settles it; 25 relationships go on the
map; stage 2 and stage 3 are completed. Then the app starts again on the same file and
every value is there. (Each stage also has its own, more searching tests.)
"""

from __future__ import annotations

from facilitator.domain import commands as c
from facilitator.tui.dialogs import ConfirmDialog
from facilitator.tui.workshop import WorkshopScreen
from tests.test_criteria_screen import PEOPLE, TIED_VOTE, _column, _put_dot
from tests.test_focus_screens import pick
from tests.tui_helpers import app_on, new_session_file, type_text, wait_for_workshop

AGENCIES = [
    "Brookside Housing",
    "Hollin Vale Primary",
    "Riverside GP surgery",
    "Borough council parks team",
    "Neighbourhood police team",
    "Job Centre Plus",
] + [f"Agency number {n}" for n in range(7, 26)]


def _without_clock(snapshot: dict) -> dict:
    """A snapshot less the minutes spent per stage (closing the app adds the last ones)."""
    snapshot["rows"].pop("stage_time")
    return snapshot


async def _fill(pilot, box, text: str) -> None:
    """Put text in a box as if pasted, then press Enter there (the same handler as typing)."""
    box.value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_a_whole_mapping_workshop_survives_a_restart(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        screen = app.screen

        # Setup: six people, the first typed key by key.
        box = screen.query_one("#new-participant")
        await type_text(pilot, PEOPLE[0])
        await pilot.press("enter")
        for name in PEOPLE[1:]:
            await _fill(pilot, box, name)
        assert [p.name for p in app.session.state.participants.values()] == PEOPLE

        # Criteria: a dot vote that ties for second place, then a run-off.
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("v")
        for row, picks in enumerate(TIED_VOTE):
            for column in sorted(_column(criterion) for criterion in picks):
                await _put_dot(pilot, row, column)
        state = app.session.state
        assert c.vote_result(state, 1).tied == ("respect", "shared-goals")
        await pilot.press("r")
        for row, column in enumerate([0, 0, 1, 1, 0, 0]):
            await _put_dot(pilot, row, column)
        await pilot.press("a")
        await pilot.pause()
        assert c.chosen_criteria(state) == ["trust", "respect"]
        await type_text(pilot, "Keep promises")
        await pilot.press("tab")
        await pilot.pause()

        # Stage 1: 25 relationships, then two of them placed on rings.
        await pilot.press("f4")
        await pilot.pause()
        quick = app.screen.query_one("#rel-quick-add")
        assert quick.has_focus
        await type_text(pilot, AGENCIES[0])
        await pilot.press("enter")
        for name in AGENCIES[1:]:
            await _fill(pilot, quick, name)
        assert [r.name for r in state.relationships.values()] == AGENCIES
        await pilot.press("escape")  # to the map; the newest is selected
        await pilot.press("3")
        await pilot.pause()
        last = list(state.relationships)[-1]
        assert state.relationships[last].closeness == 3

        # Stage 2: Brookside Housing, rated on both criteria.
        await pilot.press("f5")
        await pilot.pause()
        await pick(pilot, "brook")
        await pilot.press("4", "tab")
        await type_text(pilot, "on time")
        await pilot.press("enter", "5", "tab")
        await type_text(pilot, "as equals")
        await pilot.press("enter")
        await pilot.press("ctrl+o")  # outcomes: one for the partnership
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()

        # Stage 3: the GP surgery, rated, with a next step and a conversation wanted.
        await pilot.press("f6")
        await pilot.pause()
        await pick(pilot, "gp")
        await pilot.press("2", "tab")
        await type_text(pilot, "slow")
        await pilot.press("enter", "2", "tab")
        await type_text(pilot, "unsure")
        await pilot.press("enter")
        await pilot.press("ctrl+o", "ctrl+o", "ctrl+o")  # holding back, better, next steps
        await pilot.pause()
        await pilot.press("space")  # hold a facilitated conversation
        await pilot.press("ctrl+n")
        await pilot.pause()
        await type_text(pilot, "Invite")
        await pilot.press("tab")
        await type_text(pilot, "Us")
        await pilot.press("tab", "tab")
        await type_text(pilot, "May")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        before = _without_clock(app.session.state.snapshot())

    # The next morning: the same file, a new app.
    again = app_on(path)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        assert isinstance(again.screen, WorkshopScreen)
        state = again.session.state
        assert _without_clock(state.snapshot()) == before
        assert state.info.current_stage == "to-develop"
        assert [p.name for p in state.participants.values()] == PEOPLE
        choices = {x.criterion_id: x for x in state.rows["criterion_choice"].values()}
        assert set(choices) == {"trust", "respect"}
        # Trust won the main vote outright; the run-off chose Respect.
        assert {k: x.method for k, x in choices.items()} == {"trust": "vote", "respect": "runoff"}
        assert choices["trust"].own_words == "Keep promises"
        assert c.vote_totals(state, 1) == {
            "trust": 4,
            "respect": 3,
            "shared-goals": 3,
            "follow-through": 2,
        }
        assert c.vote_totals(state, 2) == {"respect": 4, "shared-goals": 2}
        assert len(state.relationships) == 25
        good = state.relationships[state.info.good_relationship_id]
        develop = state.relationships[state.info.develop_relationship_id]
        assert (good.name, develop.name) == ("Brookside Housing", "Riverside GP surgery")
        ratings = {
            (r.relationship_id, r.criterion_id): (r.score, r.why)
            for r in state.rows["rating"].values()
        }
        gid, did = state.info.good_relationship_id, state.info.develop_relationship_id
        assert ratings == {
            (gid, "trust"): (4, "on time"),
            (gid, "respect"): (5, "as equals"),
            (did, "trust"): (2, "slow"),
            (did, "respect"): (2, "unsure"),
        }
        assert [o.beneficiary for o in state.rows["outcome"].values()] == ["partnership"]
        assert develop.want_conversation
        [step] = state.rows["action"].values()
        assert (step.what, step.who_org, step.by_when, step.relationship_id) == (
            "Invite",
            "Us",
            "May",
            did,
        )
        # The screen shows it too: stage 3's scores are back in their boxes.
        pane = again.screen.current_pane()
        assert pane.query_one("#score-1").score == 2
