"""Stage 2 (one good relationship) and stage 3 (one to develop), driven from the keyboard."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from facilitator.domain import commands
from facilitator.store.sessionfile import SessionFile
from facilitator.tui.dialogs import ConfirmDialog
from facilitator.tui.stages.closer_look_widgets import (
    ActionDialog,
    Checklist,
    NoteArea,
    RelationshipPicker,
    ScoreBar,
    score_bar,
    score_text,
)
from facilitator.tui.stages.develop import DevelopPane
from facilitator.tui.stages.good_relationship import GoodRelationshipPane
from facilitator.tui.workshop import WorkshopScreen
from tests.tui_helpers import (
    _key_for,
    app_on,
    fixed_clock,
    new_session_file,
    notifications,
    wait_for_drafts,
    wait_for_workshop,
)

RELATIONSHIPS = [
    ("r01", "Hollin Vale Borough Council", "local-authority", "powerful-ally"),
    ("r02", "Brookside Housing", "housing-association", "friend"),
    ("r03", "St Anne's Primary", "school", "friend"),
    ("r04", "Valley GP Surgery", "health", "not-sure"),
    ("r05", "Neighbourhood Police Team", "police", "friend"),
    ("r06", "Job Centre Plus", "other", "client-contractor"),
    ("r07", "County Council Highways", "local-authority", "client-contractor"),
    ("r08", "Hollin College", "school", "powerful-ally"),
    ("r09", "Public Health Team", "health", "friend"),
    ("r10", "Parish Council", "local-authority", "friend"),
]


def make_session(
    tmp_path,
    *,
    criteria=("trust", "shared-goals"),
    relationships=True,
    stage="setup",
    stage2=None,
    stage3=None,
):
    """A session file with participants, chosen criteria and ten relationships."""
    path = new_session_file(tmp_path / "sessions")
    with SessionFile.open(path, clock=fixed_clock) as s:
        for i, name in enumerate(["Amira Khan", "Dev Patel", "Sam Reid", "Cllr Ruth Obi"]):
            s.apply([commands.add(s.state, "participant", entity_id=f"p{i}", name=name)])
        if relationships:
            for rid, name, agency, kind in RELATIONSHIPS:
                s.apply(
                    [
                        commands.add(
                            s.state,
                            "relationship",
                            entity_id=rid,
                            name=name,
                            agency_type=agency,
                            rel_type=kind,
                            holder_roles=["worker", "chair"],
                            purposes=["co-design"],
                        )
                    ]
                )
        if len(criteria) == 2:
            s.apply(commands.choose_criteria(s.state, list(criteria), "direct"))
            trust = [k for k, c in s.state.of("criterion_choice").items()][0]
            s.apply(
                commands.edit(s.state, "criterion_choice", trust, own_words="they do what they say")
            )
        elif criteria:
            s.apply(
                [commands.add(s.state, "criterion_choice", criterion_id=criteria[0], position=1)]
            )
        if stage2:
            s.apply(commands.pick_for_stage(s.state, "good-relationship", stage2))
        if stage3:
            s.apply(commands.pick_for_stage(s.state, "to-develop", stage3))
        s.apply(commands.update_session(s.state, current_stage=stage))
    return path


def pane2(app) -> GoodRelationshipPane:
    return app.screen.query_one("#good-relationship", GoodRelationshipPane)


def pane3(app) -> DevelopPane:
    return app.screen.query_one("#to-develop", DevelopPane)


def text_of(widget) -> str:
    """The text a widget shows (rendering Rich tables as plain text)."""
    content = getattr(widget, "content", None)
    if content is not None and not isinstance(content, str | Text):
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(content)
        return console.export_text()
    return str(widget.render())


async def pick(pilot, search: str) -> None:
    await pilot.press("ctrl+y")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RelationshipPicker)
    await type_text(pilot, search)
    await pilot.press("enter")
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    """Type text key by key, sent as one burst (the app sees each key on its own)."""
    await pilot.press(*[_key_for(ch) for ch in text])


def rating(state, rid, cid):
    found = state.where("rating", relationship_id=rid, criterion_id=cid)
    return (found[0][1].score, found[0][1].why) if found else None


# -- stage 2 ----------------------------------------------------------------------------------


async def test_stage2_pick_rate_outcomes_and_factors_by_keys_survive_a_restart(tmp_path):
    path = make_session(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("f5")
        await pilot.pause()
        pane = pane2(app)
        assert "choose one" in text_of(pane.query_one("#focus-empty"))
        assert app.focused.id == "pick"

        # Pick by typing part of the name.
        await pick(pilot, "brook")
        assert app.session.state.info.good_relationship_id == "r02"
        assert "Brookside Housing" in text_of(pane.query_one("#focus-heading"))

        # Rate both criteria: a digit on the score, Tab to the reason, Enter.
        await pilot.pause()
        assert isinstance(app.focused, ScoreBar) and app.focused.criterion_id == "trust"
        await pilot.press("4", "tab")
        await type_text(pilot, "on time")
        await pilot.press("enter")
        assert app.focused.id == "score-2"
        await pilot.press("plus", "plus", "plus", "plus", "plus", "minus")  # 1..5, then 4
        await pilot.press("tab")
        await type_text(pilot, "aims")
        await pilot.press("enter")
        state = app.session.state
        assert rating(state, "r02", "trust") == (4, "on time")
        assert rating(state, "r02", "shared-goals") == (4, "aims")
        compare = text_of(pane.query_one("#compare"))
        assert "●●●●○ 4" in compare and "Brookside Housing" in compare

        # Outcomes for the partnership, the agency and the area, and one in own words.
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.focused.id == "outcomes-partnership"
        await pilot.press("space", "down", "space")  # profile, a seat at the table
        await pilot.press("tab")
        await type_text(pilot, "Mayor")
        await pilot.press("enter")
        await pilot.press("tab")
        assert app.focused.id == "outcomes-agency"
        await pilot.press("down", "space")  # knowing the area
        await pilot.press("tab", "tab")
        assert app.focused.id == "outcomes-area"
        await pilot.press("down", "down", "space")  # community spaces
        await pilot.pause()

        # What makes it work: ticks and notes.
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.focused.id == "factors-helps-or-hinders"
        await pilot.press("space", "down", "down", "down", "down", "down", "down", "space")
        assert "visible base" in text_of(pane.query_one("#factor-about"))  # being seen locally
        await pilot.press("tab", "tab")
        assert app.focused.id == "factor-text"
        await type_text(pilot, "Office")
        await pilot.press("enter", "tab")
        await pilot.pause()
        assert isinstance(app.focused, NoteArea)
        await type_text(pilot, "Coffee")
        await pilot.press("ctrl+o")  # leaving the notes saves them
        await pilot.pause()

        state = app.session.state
        outcomes = sorted(
            (o.beneficiary, o.outcome_id or o.text) for o in state.of("outcome").values()
        )
        assert outcomes == [
            ("agency", "local-knowledge"),
            ("area", "community-assets"),
            ("partnership", "Mayor"),
            ("partnership", "profile-reputation"),
            ("partnership", "strategy-seat"),
        ]
        factors = sorted((f.factor_id or f.notes, f.effect) for f in state.of("factor").values())
        assert factors == [
            ("Office", "helps"),
            ("independent-funding", "helps"),
            ("local-presence", "helps"),
        ]
        assert state.relationships["r02"].works_notes == "Coffee"
        assert pane.incomplete() == ""

    # Start again on the same file: everything is there, in the file and on screen.
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        pane = pane2(app)
        assert app.session.state.info.current_stage == "good-relationship"
        assert pane.query_one("#score-1", ScoreBar).score == 4
        assert pane.query_one("#score-2", ScoreBar).score == 4
        assert pane.query_one("#why-1").value == "on time"
        assert pane.query_one("#why-2").value == "aims"
        partnership = pane.query_one("#outcomes-partnership", Checklist)
        assert set(partnership.selected) == {
            "v:profile-reputation",
            "v:strategy-seat",
            *[v for v in partnership.selected if v.startswith("t:")],
        }
        assert len(partnership.selected) == 3
        assert pane.query_one("#outcomes-agency", Checklist).selected == ["v:local-knowledge"]
        assert pane.query_one("#outcomes-area", Checklist).selected == ["v:community-assets"]
        helps = pane.query_one("#factors-helps-or-hinders", Checklist).selected
        assert sorted(helps) == ["v:independent-funding", "v:local-presence"]
        assert pane.query_one("#factors-own", Checklist).display
        assert pane.query_one("#works-notes", NoteArea).text == "Coffee"


async def test_unticking_removes_and_undo_brings_back(tmp_path):
    path = make_session(tmp_path, stage="good-relationship", stage2="r02")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("space")
        assert len(app.session.state.of("outcome")) == 1
        await pilot.press("space")
        assert len(app.session.state.of("outcome")) == 0
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(app.session.state.of("outcome")) == 1
        assert pane2(app).query_one("#outcomes-partnership", Checklist).selected == [
            "v:profile-reputation"
        ]
        # The stage keys still work from inside a tab.
        assert app.focused.id == "outcomes-partnership"
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        assert app.session.state.info.current_stage == "to-develop"


async def test_undo_of_a_rating_change_restores_the_previous_score(tmp_path):
    path = make_session(tmp_path, stage="good-relationship", stage2="r02")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        assert app.focused.id == "score-1"
        await pilot.press("4")
        await pilot.press("2")
        assert rating(app.session.state, "r02", "trust")[0] == 2
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert rating(app.session.state, "r02", "trust")[0] == 4
        bar = pane2(app).query_one("#score-1", ScoreBar)
        assert bar.score == 4 and "●●●●○" in text_of(bar)
        assert "●●●●○ 4" in text_of(pane2(app).query_one("#compare"))
        await pilot.press("0")  # clear
        assert rating(app.session.state, "r02", "trust")[0] is None
        assert "not rated" in text_of(bar)


async def test_a_reason_being_typed_is_kept_as_a_draft(tmp_path):
    path = make_session(tmp_path, stage="good-relationship", stage2="r02")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("tab")
        await type_text(pilot, "half a thought")
        await wait_for_drafts(pilot)
    with SessionFile.open(path) as session:
        assert session.drafts().get("stage2.why.trust") == "half a thought"
        assert rating(session.state, "r02", "trust") is None
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        assert pane2(app).query_one("#why-1").value == "half a thought"


async def test_changing_the_pick_keeps_the_old_ratings(tmp_path):
    path = make_session(tmp_path, stage="good-relationship", stage2="r02")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("5", "tab")
        await type_text(pilot, "ok")  # not yet saved with Enter: picking saves it
        await pick(pilot, "college")
        state = app.session.state
        assert state.info.good_relationship_id == "r08"
        assert rating(state, "r02", "trust") == (5, "ok")
        assert pane2(app).query_one("#why-1").value == ""
        assert pane2(app).query_one("#score-1", ScoreBar).score is None


async def test_no_relationships_points_to_stage_1(tmp_path):
    path = make_session(tmp_path, relationships=False, stage="good-relationship")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        pane = pane2(app)
        assert "Stage 1 (F4)" in text_of(pane.query_one("#focus-empty"))
        assert not pane.query_one("#focus-tabs").display
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
        assert any("Stage 1 (F4)" in n.message for n in notifications(app))


async def test_with_one_criterion_rating_waits_but_the_rest_works(tmp_path):
    path = make_session(tmp_path, criteria=("trust",), stage="good-relationship", stage2="r02")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        pane = pane2(app)
        assert "Choose two criteria first (F3)" in text_of(pane.query_one("#criteria-note"))
        assert pane.query_one("#criterion-1").display
        assert not pane.query_one("#criterion-2").display
        await pilot.press("3")
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("space")
        state = app.session.state
        assert rating(state, "r02", "trust")[0] == 3
        assert len(state.of("outcome")) == 1
        assert pane.incomplete() == "Not rated against both criteria yet."


async def test_leaving_unfinished_stages_warns(tmp_path):
    path = make_session(tmp_path, stage="good-relationship")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        messages = " ".join(n.message for n in notifications(app))
        assert "No relationship has been picked for stage 2 yet." in messages
        assert "No relationship has been picked for stage 3 yet." in messages


# -- stage 3 ----------------------------------------------------------------------------------


async def test_stage3_everything_by_keys_survives_a_restart(tmp_path):
    path = make_session(tmp_path, stage2="r02")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("f6")
        await pilot.pause()
        pane = pane3(app)

        # Stage 2's relationship is refused, with the reason shown in the picker.
        await pick(pilot, "brook")
        assert isinstance(app.screen, RelationshipPicker)
        error = text_of(app.screen.query_one("#picker-error"))
        assert "already stage 2's good relationship" in error
        assert app.session.state.info.develop_relationship_id is None
        await pilot.press(*["backspace"] * 5)
        await type_text(pilot, "gp")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
        assert app.session.state.info.develop_relationship_id == "r04"

        # Rate.
        await pilot.press("2", "tab")
        await type_text(pilot, "late")
        await pilot.press("enter", "3", "tab")
        await type_text(pilot, "aims")
        await pilot.press("enter")

        # What holds it back.
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.focused.id == "factors-helps-or-hinders"
        await pilot.press("down", "space")  # stretched agencies
        await pilot.press("tab", "down", "down", "down", "space")  # paid support
        await pilot.press("tab")
        assert app.focused.id == "factor-text"
        await type_text(pilot, "Churn")
        await pilot.press("enter")

        # What better would look like.
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.focused.id == "better-looks-like"
        await type_text(pilot, "A contact")

        # Next steps: the conversation box, then two steps.
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.focused.id == "want-conversation"
        await pilot.press("space")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        await pilot.press("enter")  # a step needs a what
        assert "Say what the step is" in text_of(app.screen.query_one("#form-error"))
        assert not app.session.state.of("action")
        await type_text(pilot, "Invite")
        await pilot.press("tab")
        await type_text(pilot, "Us")
        await pilot.press("tab")
        await type_text(pilot, "Amira")
        await pilot.press("tab")
        await type_text(pilot, "April")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        await type_text(pilot, "Survey")
        await pilot.press("tab")
        await type_text(pilot, "GP")
        await pilot.press("tab", "tab")
        await type_text(pilot, "May")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused.id == "steps"
        assert app.focused.row_count == 2

        # Change the first step's date.
        await pilot.press("up", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        assert app.screen.query_one("#what").value == "Invite"
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "soon")
        await pilot.press("enter")
        await pilot.pause()

        # Remove the second, after confirming.
        await pilot.press("down", "delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Survey" in app.screen.question
        await pilot.press("y")
        await pilot.pause()

        state = app.session.state
        actions = list(state.of("action").values())
        assert [(a.what, a.who_org, a.who_person, a.by_when) for a in actions] == [
            ("Invite", "Us", "Amira", "soon")
        ]
        assert actions[0].relationship_id == "r04"
        rel = state.relationships["r04"]
        assert rel.want_conversation
        assert rel.better_looks_like == "A contact"
        assert rating(state, "r04", "trust") == (2, "late")
        assert rating(state, "r04", "shared-goals") == (3, "aims")
        factors = sorted(
            (f.factor_id or f.notes, f.effect)
            for f in state.of("factor").values()
            if f.relationship_id == "r04"
        )
        assert factors == [
            ("Churn", "hinders"),
            ("agency-pressures", "hinders"),
            ("paid-capacity", "hinders"),
        ]
        compare = text_of(pane.query_one("#compare"))
        assert "Valley GP Surgery" in compare and "●●○○○ 2" in compare

    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        pane = pane3(app)
        assert pane.query_one("#score-1", ScoreBar).score == 2
        assert pane.query_one("#score-2", ScoreBar).score == 3
        assert pane.query_one("#why-1").value == "late"
        assert sorted(pane.query_one("#factors-helps-or-hinders", Checklist).selected) == [
            "v:agency-pressures"
        ]
        assert pane.query_one("#factors-partnership-power", Checklist).selected == [
            "v:paid-capacity"
        ]
        assert pane.query_one("#better-looks-like", NoteArea).text == ("A contact")
        assert pane.query_one("#want-conversation").value is True
        table = pane.query_one("#steps")
        assert table.row_count == 1
        assert [str(cell) for cell in table.get_row_at(0)] == ["Invite", "Us · Amira", "soon"]


async def test_wide_terminal_puts_sections_side_by_side(tmp_path):
    path = make_session(tmp_path, stage="good-relationship", stage2="r02")
    app = app_on(path)
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for_workshop(pilot)
        pane = pane2(app)
        assert pane.has_class("-wide")
        one, two = pane.query_one("#criterion-1"), pane.query_one("#criterion-2")
        assert one.region.y == two.region.y and one.region.x < two.region.x
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not pane.has_class("-wide")
        one, two = pane.query_one("#criterion-1"), pane.query_one("#criterion-2")
        assert one.region.y < two.region.y


@given(st.one_of(st.none(), st.integers(min_value=1, max_value=5)))
def test_score_bars_say_the_score_without_colour(score):
    bar = score_bar(score)
    assert len(bar) == 5
    assert bar.count("●") == (score or 0)
    assert bar == "●" * (score or 0) + "○" * (5 - (score or 0))
    assert score_text(score).endswith("not rated" if score is None else f"{score} of 5")


# -- snapshots --------------------------------------------------------------------------------


def _filled(tmp_path, stage="to-develop"):
    """Both stages picked and partly filled in, with fixed ids throughout."""
    path = make_session(tmp_path, stage=stage, stage2="r02", stage3="r04")
    with SessionFile.open(path, clock=fixed_clock) as s:
        s.apply(commands.rate(s.state, "r02", "trust", 4, "always turn up"))
        s.apply(commands.rate(s.state, "r02", "shared-goals", 5, "same plans for the estate"))
        s.apply(commands.rate(s.state, "r04", "trust", 2, "cancelled twice"))
        s.apply(
            [
                commands.add(
                    s.state,
                    "action",
                    entity_id="a1",
                    what="Invite the practice manager",
                    who_org="Partnership",
                    who_person="Amira Khan",
                    by_when="end of April",
                    relationship_id="r04",
                )
            ]
        )
    return path


async def _ready(pilot):
    await wait_for_workshop(pilot)
    await pilot.pause(0.2)


def test_stage3_snapshot(snap_compare, tmp_path):
    assert snap_compare(app_on(_filled(tmp_path)), terminal_size=(80, 24), run_before=_ready)


def test_stage3_light_snapshot(snap_compare, tmp_path):
    async def ready(pilot):
        pilot.app.theme = "textual-light"
        await _ready(pilot)

    assert snap_compare(app_on(_filled(tmp_path)), terminal_size=(80, 24), run_before=ready)


def test_stage2_snapshot(snap_compare, tmp_path):
    path = _filled(tmp_path, stage="good-relationship")
    assert snap_compare(app_on(path), terminal_size=(80, 24), run_before=_ready)
