"""Stage 1, all relationships: quick add, details, map, table, flags and undo."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, Select, SelectionList, TextArea

from facilitator.domain import commands
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.store.sessionfile import SessionFile
from facilitator.tui.dialogs import ConfirmDialog
from facilitator.tui.stages.relationship_dialog import RelationshipDialog
from facilitator.tui.stages.relationships import RelationshipsPane
from tests.tui_helpers import (
    app_on,
    fixed_clock,
    new_session_file,
    notifications,
    type_text,
    wait_for_drafts,
    wait_for_workshop,
)

PEOPLE = (
    ("p-jo", "Jo Brennan", "chair"),
    ("p-sam", "Sam Okafor", "worker"),
    ("p-priya", "Priya Shah", "resident-member"),
)

# id, name, agency type, sub-type, kind, ring, purposes, holder roles, named holders, state
# fmt: off
MAP_25 = (
    ("rel01", "Hollin Vale Borough Council", "local-authority", "district-council",
     "powerful-ally", 1, ["co-design", "funding"], ["worker", "chair"], [], "active"),
    ("rel02", "Parks and open spaces team", "local-authority", "department",
     "friend", 2, ["sharing"], ["worker"], [], "active"),
    ("rel03", "Cllr Amina Yusuf", "local-authority", "councillor",
     "powerful-ally", 1, ["routes-in"], ["chair"], ["p-jo"], "active"),
    ("rel04", "County highways", "local-authority", "county-council",
     "client-contractor", 4, ["assets"], [], [], "dormant"),
    ("rel05", "Hollin Vale Town Council", "local-authority", "parish-town-council",
     "friend", 2, ["sharing", "funding"], ["resident-member", "chair"], [], "active"),
    ("rel06", "Riverside Homes", "housing-association", "community-investment",
     "powerful-ally", 1, ["co-design", "assets", "funding"], ["worker", "lto"], [], "active"),
    ("rel07", "Riverside Homes tenant team", "housing-association", "tenant-involvement",
     "friend", 2, ["routes-in"], [], ["p-priya"], "active"),
    ("rel08", "Northgate Housing Trust", "housing-association", "housing-officer",
     "not-sure", 3, [], [], [], "active"),
    ("rel09", "St Anne's Primary School", "school", "primary",
     "friend", 2, ["co-design"], ["resident-member"], ["p-priya"], "active"),
    ("rel10", "Hollin Vale Academy", "school", "secondary",
     "not-sure", 3, ["sharing"], ["worker"], [], "active"),
    ("rel11", "Westbrook College", "school", "college",
     "client-contractor", 3, ["co-design"], ["worker", "rep"], [], "active"),
    ("rel12", "Beech Road Nursery", "school", "nursery",
     "friend", 4, ["informal-support"], [], [], "active"),
    ("rel13", "Hollin Vale Medical Practice", "health", "gp-surgery",
     "not-sure", 3, [], [], [], "active"),
    ("rel14", "Link workers (social prescribing)", "health", "social-prescribing",
     "friend", 2, ["informal-support", "routes-in"], ["worker", "resident-member"], [], "active"),
    ("rel15", "Integrated care board", "health", "integrated-care",
     "not-sure", 4, ["funding"], [], [], "wished-for"),
    ("rel16", "Public health team", "health", "public-health",
     "client-contractor", 3, ["funding", "co-design"], ["worker"], ["p-sam"], "active"),
    ("rel17", "Neighbourhood policing team", "police", "neighbourhood-team",
     "friend", 1, ["sharing", "informal-support"], ["chair", "resident-member"], [], "active"),
    ("rel18", "Police and crime commissioner", "police", "pcc-office",
     "not-sure", 4, ["funding"], [], [], "lost"),
    ("rel19", "Community safety partnership", "police", "community-safety",
     "client-contractor", 3, ["sharing"], ["worker", "chair"], [], "active"),
    ("rel20", "Job Centre Plus", "other", "job-centre",
     "friend", 3, ["routes-in"], ["worker", "lto"], [], "active"),
    ("rel21", "Fire and rescue service", "other", "fire-service",
     "friend", 4, ["sharing"], ["resident-member", "worker"], [], "dormant"),
    ("rel22", "Bus company", "other", "transport",
     "not-sure", None, [], [], [], "active"),
    ("rel23", "Library service", None, None,
     None, None, [], [], [], "active"),
    ("rel24", "hollin vale borough council", "local-authority", None,
     "friend", 2, ["sharing"], ["worker", "chair"], [], "active"),
    ("rel25", "Youth service", "local-authority", "department",
     "not-sure", 4, [], [], [], "wished-for"),
)
# fmt: on


def build_map_25(path: Path) -> None:
    """Fill a session file with three participants and 25 relationships (fixed ids)."""
    session = SessionFile.open(path, clock=fixed_clock)
    try:
        for pid, name, role in PEOPLE:
            session.apply(
                [commands.add(session.state, "participant", entity_id=pid, name=name, role=role)]
            )
        for rid, name, atype, sub, kind, ring, purposes, roles, people, state in MAP_25:
            session.apply(
                [
                    commands.add(
                        session.state,
                        "relationship",
                        entity_id=rid,
                        name=name,
                        agency_type=atype,
                        agency_subtype=sub,
                        rel_type=kind,
                        closeness=ring,
                        purposes=purposes,
                        holder_roles=roles,
                        holder_participants=people,
                        state=state,
                    )
                ]
            )
    finally:
        session.close()


def build_people(path: Path) -> None:
    """Only the three participants (for tests that type every relationship in)."""
    session = SessionFile.open(path, clock=fixed_clock)
    try:
        for pid, name, role in PEOPLE:
            session.apply(
                [commands.add(session.state, "participant", entity_id=pid, name=name, role=role)]
            )
    finally:
        session.close()


def build_many(path: Path, count: int) -> None:
    """``count`` relationships spread over every type, kind and ring, in one commit."""
    types = [t.id for t in load_vocabulary().agency_types]
    kinds = [t.id for t in load_vocabulary().relationship_types]
    session = SessionFile.open(path, clock=fixed_clock)
    try:
        events = []
        for n in range(count):
            events.append(
                commands.add(
                    session.state,
                    "relationship",
                    entity_id=f"many{n:03d}",
                    name=f"Agency number {n}" + (" quarry" if n % 50 == 7 else ""),
                    agency_type=types[n % len(types)],
                    rel_type=kinds[n % len(kinds)],
                    closeness=None if n % 9 == 0 else 1 + n % 4,
                    purposes=["sharing"] if n % 3 else [],
                    notes="talk about the bridge" if n == 123 else "",
                )
            )
        session.apply(events)
    finally:
        session.close()


async def open_stage1(pilot) -> RelationshipsPane:
    await wait_for_workshop(pilot)
    await pilot.press("f4")
    await pilot.pause()
    pane = pilot.app.screen.query_one(RelationshipsPane)
    assert pilot.app.screen.query_one("#stages").current == "all-relationships"
    return pane


async def choose(pilot, text: str) -> None:
    """Open the focused drop-down, type to find an option, and take it."""
    await pilot.press("enter")
    await type_text(pilot, text)
    await pilot.press("enter")


def snapshot_of(app):
    return app.session.state.snapshot()


# -- quick add, details, and everything still there after a restart ---------------------------

# Short, as a room calls them out (typing key by key is slow under Pilot).
QUICK_NAMES = [
    "GP", "Parks", "Homes", "Nursery", "College", "Police", "Job Centre", "Buses", "Youth",
    "Library", "Fire", "Cllr Ali", "PCN", "Academy", "ICB", "Tenants", "Safety", "Council",
    "Pharmacy", "Leisure", "Probation", "Planning", "Waste", "Museum", "Health visitors",
]  # fmt: skip


async def test_quick_add_25_then_details_survive_a_restart(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    build_people(path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_stage1(pilot)
        quick = pane.query_one("#rel-quick-add", Input)
        assert quick.has_focus
        for number, name in enumerate(QUICK_NAMES):
            if number < 5:
                await type_text(pilot, name)  # key by key, as the room dictates
            else:
                quick.value = name  # the rest as if pasted: the same box and the same Enter
            await pilot.press("enter")
            assert quick.value == "" and quick.has_focus
        rels = app.session.state.relationships
        assert [r.name for r in rels.values()] == QUICK_NAMES
        assert len(pane.query_one("#rel-list", OptionList).options) == 25 + 1  # + heading

        # Details for "Homes", chosen on the map by keyboard.
        await pilot.press("escape")
        assert pane.map.has_focus
        target = list(rels)[2]
        while pane.selected != target:
            await pilot.press("n")
        await pilot.press("d")
        dialog = app.screen
        assert isinstance(dialog, RelationshipDialog)
        await pilot.press("tab")
        await choose(pilot, "housing")
        await pilot.press("tab")
        await choose(pilot, "tenant")
        await pilot.press("tab")
        await choose(pilot, "friend")
        await pilot.press("tab")
        await choose(pilot, "2")
        await pilot.press("tab")
        await choose(pilot, "both")
        await pilot.press("tab")
        await choose(pilot, "quiet")
        await pilot.press("tab")  # purposes: tick the first and the fourth
        await pilot.press("space", "down", "down", "down", "space")
        await pilot.press("tab")  # holders: tick the chair (second)
        await pilot.press("down", "space")
        await pilot.press("tab")  # named people: tick Sam Okafor (second)
        await pilot.press("down", "space")
        await pilot.press("tab")
        await type_text(pilot, "Met at fun day")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RelationshipDialog)
        assert not any(k.startswith("stage1.") for k in app.session.drafts())

        # A second one through the table: "Police", ring 1 with the 1 key.
        await pilot.press("v")
        assert pane.table.has_focus
        police = list(rels)[5]
        pane.table.move_cursor(row=pane.table.get_row_index(police))
        await pilot.pause()
        assert pane.selected == police
        await pilot.press("1")
        await pilot.press("enter")
        assert isinstance(app.screen, RelationshipDialog)
        await pilot.press("tab")
        await choose(pilot, "police")
        await pilot.press("tab", "tab")
        await choose(pilot, "ally")
        await pilot.press("ctrl+s")
        await pilot.pause()
        expected = app.session.state.snapshot()

    riverside = expected["rows"]["relationship"][target]
    assert riverside["agency_type"] == "housing-association"
    assert riverside["agency_subtype"] == "tenant-involvement"
    assert riverside["rel_type"] == "friend"
    assert riverside["closeness"] == 2
    assert riverside["effort"] == "both"
    assert riverside["state"] == "dormant"
    assert riverside["purposes"] == ["co-design", "routes-in"]
    assert riverside["holder_roles"] == ["chair"]
    assert riverside["holder_participants"] == ["p-sam"]
    assert riverside["notes"] == "Met at fun day"
    police_row = expected["rows"]["relationship"][police]
    assert (police_row["agency_type"], police_row["rel_type"], police_row["closeness"]) == (
        "police",
        "powerful-ally",
        1,
    )

    # Restart on the same file: every value is there, in the state and on screen.
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_stage1(pilot)
        rows = app.session.state.snapshot()["rows"]
        for kind in ("relationship", "participant"):
            assert rows[kind] == expected["rows"][kind]
        pane.select(target)
        await pilot.press("escape", "d")
        dialog = app.screen
        assert isinstance(dialog, RelationshipDialog)
        assert dialog.query_one("#rel-name", Input).value == "Homes"
        assert dialog.query_one("#rel-agency-type", Select).value == "housing-association"
        assert dialog.query_one("#rel-subtype", Select).value == "tenant-involvement"
        assert dialog.query_one("#rel-kind", Select).value == "friend"
        assert dialog.query_one("#rel-ring", Select).value == 2
        assert dialog.query_one("#rel-effort", Select).value == "both"
        assert dialog.query_one("#rel-state", Select).value == "dormant"
        assert dialog.query_one("#rel-purposes", SelectionList).selected == [
            "co-design",
            "routes-in",
        ]
        assert dialog.query_one("#rel-holders", SelectionList).selected == ["chair"]
        assert dialog.query_one("#rel-people", SelectionList).selected == ["p-sam"]
        assert dialog.query_one("#rel-notes", TextArea).text == "Met at fun day"
        await pilot.press("escape")  # nothing changed: leaves at once
        assert not isinstance(app.screen, RelationshipDialog)
        # The table shows them too.
        await pilot.press("v")
        cells = [str(c) for c in pane.table.get_row(target)]
        assert "Homes" in cells and "2" in cells and "Gone quiet" in cells
        assert any("Friend" in c for c in cells) and any("Housing" in c for c in cells)


# -- undo --------------------------------------------------------------------------------------


def small_session(tmp_path: Path) -> Path:
    path = new_session_file(tmp_path / "sessions")
    build_people(path)
    session = SessionFile.open(path, clock=fixed_clock)
    try:
        for rid, name in (("r-gp", "GP surgery"), ("r-parks", "Parks team")):
            session.apply([commands.add(session.state, "relationship", entity_id=rid, name=name)])
    finally:
        session.close()
    return path


async def test_undo_takes_back_an_add_an_edit_and_a_removal(tmp_path):
    app = app_on(small_session(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_stage1(pilot)

        before = snapshot_of(app)
        await type_text(pilot, "Fire")
        await pilot.press("enter")
        assert len(app.session.state.relationships) == 3
        assert len(pane.entries) == 3 and len(pane.map.current_layout().unplaced) == 3
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert snapshot_of(app) == before
        assert len(pane.entries) == 2 and len(pane.map.current_layout().unplaced) == 2

        # An edit through the dialog is one change, so one undo takes all of it back.
        await pilot.press("escape")
        pane.select("r-gp")
        journal = len(app.session.journal)
        await pilot.press("d")
        await pilot.press("tab")
        await choose(pilot, "health")
        await pilot.press("tab")
        await choose(pilot, "gp")
        await pilot.press("tab")
        await choose(pilot, "ally")
        await pilot.press("tab")
        await choose(pilot, "1")
        # Another agency type empties the sub-type, whose choices belong to the old type.
        dialog = app.screen
        dialog.query_one("#rel-agency-type", Select).value = "school"
        await pilot.pause()
        assert dialog.query_one("#rel-subtype", Select).is_blank()
        assert dialog.current()["agency_subtype"] is None
        dialog.query_one("#rel-agency-type", Select).value = "health"
        await pilot.pause()
        dialog.query_one("#rel-subtype", Select).value = "gp-surgery"
        await pilot.press("ctrl+s")
        await pilot.pause()
        gp = app.session.state.relationships["r-gp"]
        assert (gp.agency_type, gp.agency_subtype, gp.rel_type, gp.closeness) == (
            "health",
            "gp-surgery",
            "powerful-ally",
            1,
        )
        assert len({e.txn for e in app.session.journal[journal:]}) == 1
        assert "r-gp" in pane.map.current_layout().marks
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert snapshot_of(app) == before
        assert "r-gp" not in pane.map.current_layout().marks  # the map redrew

        # Removal asks first: Escape calls it off, "y" removes, ctrl+z brings it back.
        pane.select("r-parks")
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert snapshot_of(app) == before
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert "r-parks" not in app.session.state.relationships
        assert [e.key for e in pane.entries] == ["r-gp"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert snapshot_of(app) == before
        # The table, filled when it is shown, agrees.
        pane.action_toggle_view()
        await pilot.pause()
        assert pane.table.row_count == 2


# -- awkward names -----------------------------------------------------------------------------


def messages(app) -> list[str]:
    return [n.message for n in notifications(app)]


async def test_awkward_names_empty_long_emoji_and_right_to_left(tmp_path):
    long_name = ("Hollin Vale Metropolitan Borough Council Department of " * 10)[:500]
    app = app_on(small_session(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_stage1(pilot)
        # An empty name is refused with a message, and nothing is saved.
        before, journal = snapshot_of(app), len(app.session.journal)
        await pilot.press("enter")
        await type_text(pilot, "   ")
        await pilot.press("enter")
        await pilot.pause()
        assert messages(app).count("Name cannot be empty.") == 2
        assert snapshot_of(app) == before and len(app.session.journal) == journal

        quick = pane.query_one("#rel-quick-add", Input)
        for name in (long_name, "مركز المجتمع", "🏥 Health hub"):
            quick.value = name  # as if pasted
            await pilot.press("enter")
        rels = app.session.state.relationships
        names = [r.name for r in rels.values()]
        assert names[2:] == [long_name.strip(), "مركز المجتمع", "🏥 Health hub"]
        assert len(names[2]) == 500
        ids = list(rels)
        await pilot.press("escape")  # from the add box to the map
        for rid in ids[2:]:
            pane.select(rid)
            await pilot.press("2")  # put each on ring 2
        await pilot.pause()
        assert [rels[rid].closeness for rid in ids[2:]] == [2, 2, 2]
        layout = pane.map.current_layout()
        width = layout.width
        for rid in ids[2:]:
            mark = layout.marks[rid]
            assert mark.tag and len(mark.name) <= 28
            assert mark.span[0] >= 0 and mark.span[1] < width
        # Every painted row is exactly as wide as the map: nothing pushed out of line.
        for strip in pane.map._build_strips():
            assert strip.cell_length == width
        # The details show all of the long name; the table cuts it short.
        pane.select(ids[2])
        await pilot.press("d")
        assert app.screen.query_one("#rel-name", Input).value == long_name.strip()
        await pilot.press("escape")
        await pilot.press("v")
        await pilot.pause()
        assert pane.showing_table
        row = pane.table.get_row(ids[2])
        assert len(str(row[1])) <= 26 and str(row[1]).endswith("…")
        assert "🏥 Health hub" in [str(c) for c in pane.table.get_row(ids[4])]
        app.save_screenshot(str(tmp_path / "table.svg"))  # renders without an exception


# -- many relationships ------------------------------------------------------------------------


async def test_200_relationships_map_table_filter_and_cursor(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    build_many(path, 200)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_stage1(pilot)
        layout = pane.map.current_layout()
        assert len(layout.marks) + len(layout.unplaced) == 200
        assert set(layout.marks) | set(layout.unplaced) == set(app.session.state.relationships)
        await pilot.press("escape")
        for _ in range(3):
            await pilot.press("n")
        assert pane.selected == "many002"
        small = pane.map.virtual_size
        await pilot.press("plus", "plus")
        assert pane.map.zoom == 2
        assert pane.map.virtual_size.width >= 2 * small.width
        assert "Zoom 2×" in str(pane.query_one("#rel-status").render())
        await pilot.press("right", "l", "down", "j")
        assert pane.map.scroll_offset.x > 0 and pane.map.scroll_offset.y > 0
        await pilot.press("minus", "minus", "minus")
        assert pane.map.zoom == 0 and pane.map.virtual_size == small

        await pilot.press("v")
        assert pane.table.row_count == 200
        await pilot.press("slash")
        assert pane.query_one("#rel-filter", Input).has_focus
        await type_text(pilot, "QUARRY")
        assert pane.table.row_count == 4
        await pilot.press("enter")
        assert pane.table.has_focus
        first = pane.selected
        await pilot.press("down")
        assert pane.selected != first and pane.table.cursor_row == 1
        await pilot.press("slash", "ctrl+a")
        pane.query_one("#rel-filter", Input).value = "bridge"  # matches notes
        await pilot.pause()
        assert pane.table.row_count == 1
        assert pane.table.coordinate_to_cell_key((0, 0)).row_key.value == "many123"
        pane.query_one("#rel-filter", Input).value = "police"  # matches the agency type
        await pilot.pause()
        assert pane.table.row_count == sum(1 for n in range(200) if n % 6 == 4)


# -- filter, sort and flags on a realistic map --------------------------------------------------


async def map_app(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    build_map_25(path)
    return app_on(path)


def table_keys(pane) -> list[str]:
    return [row.key.value for row in pane.table.ordered_rows]


async def test_filter_and_sort_the_table(tmp_path):
    app = await map_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_stage1(pilot)
        await pilot.press("escape", "v", "slash")
        await type_text(pilot, "HOLLIN")
        assert table_keys(pane) == ["rel01", "rel05", "rel10", "rel13", "rel24"]
        pane.query_one("#rel-filter", Input).value = "ally"  # the kind's label
        await pilot.pause()
        assert table_keys(pane) == ["rel01", "rel03", "rel06"]
        pane.query_one("#rel-filter", Input).value = ""
        await pilot.pause()
        assert pane.table.row_count == 25
        await pilot.press("enter", "s")  # sort by name
        keys = table_keys(pane)
        assert keys[:3] == ["rel12", "rel22", "rel03"] and keys[-1] == "rel25"
        assert "name" in str(pane.query_one("#rel-sort").render())
        await pilot.press("S")
        assert table_keys(pane)[0] == "rel25"
        await pilot.click("#rel-table", offset=(2, 0))  # the "No." heading
        assert table_keys(pane)[:2] == ["rel01", "rel02"]
        await pilot.click("#rel-table", offset=(2, 0))  # again: the other way round
        assert table_keys(pane)[0] == "rel25"
        await pilot.press("s", "s", "s", "s")  # name, agency type, kind, ring
        rings = [str(pane.table.get_row_at(i)[4]) for i in range(pane.table.row_count)]
        assert rings[:5] == ["1", "1", "1", "1", "2"] and rings[-2:] == ["–", "–"]


async def test_flags_show_everywhere_and_ring_keys_place(tmp_path):
    app = await map_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_stage1(pilot)
        status = str(pane.query_one("#rel-status").render())
        # rel03, rel09 and rel16 are held by one person, with their own role ticked too
        assert "13 flags: 6 fragile, 5 no purpose, 2 duplicate" in status
        marks = pane.map.current_layout().marks
        assert marks["rel02"].tag == "2!" and marks["rel06"].tag == "6"
        pane.action_toggle_view()  # the table shows the same flags
        await pilot.pause()
        assert "fragile" in str(pane.table.get_row("rel02")[5])
        assert "duplicate" in str(pane.table.get_row("rel24")[5])
        assert str(pane.table.get_row("rel06")[5]) == ""
        pane.action_toggle_view()
        pane.query_one("#rel-quick-add", Input).focus()  # where it was
        await pilot.pause()
        pane.select("rel02")
        await pilot.pause()
        assert "fragile: one person holds this" in str(pane.query_one("#rel-status").render())

        # 1-4 put the selected relationship on a ring; 0 takes it off again.
        await pilot.press("escape")
        pane.select("rel23")
        assert "rel23" in pane.map.current_layout().unplaced
        await pilot.press("3")
        assert app.session.state.relationships["rel23"].closeness == 3
        assert pane.map.current_layout().marks["rel23"].ring == 3
        await pilot.press("0")
        assert app.session.state.relationships["rel23"].closeness is None
        assert "rel23" in pane.map.current_layout().unplaced
        await pilot.press("escape")  # and back to the add box for the next name
        assert pane.query_one("#rel-quick-add", Input).has_focus


# -- details dialog: leaving without losing typing ----------------------------------------------


async def test_notes_are_never_lost_silently(tmp_path):
    path = small_session(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_stage1(pilot)
        await pilot.press("escape")
        pane.select("r-parks")
        await pilot.press("d")
        dialog = app.screen
        dialog.query_one("#rel-notes", TextArea).focus()
        await type_text(pilot, "Ask about bulbs")
        await pilot.press("escape")  # changes made: it asks first
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep editing
        assert app.screen is dialog
        assert dialog.query_one("#rel-notes", TextArea).text == "Ask about bulbs"
        await wait_for_drafts(pilot)  # written a moment after the last key
        assert app.session.drafts()["stage1.notes.r-parks"] == "Ask about bulbs"
        app.session.close()  # the power goes: nothing else is written
        app.session = None

    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_stage1(pilot)
        await pilot.pause()
        assert any("Parks team" in m for m in messages(app))
        before = snapshot_of(app)
        pane.select("r-parks")
        await pilot.press("escape", "d")
        assert app.screen.query_one("#rel-notes", TextArea).text == "Ask about bulbs"
        await pilot.press("escape")  # the restored notes are a change: it asks
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")  # leave without saving
        await pilot.pause()
        assert not isinstance(app.screen, (ConfirmDialog, RelationshipDialog))
        assert snapshot_of(app) == before
        assert "stage1.notes.r-parks" not in app.session.drafts()


async def test_an_empty_map_is_flagged_when_moving_on(tmp_path):
    app = app_on(new_session_file(tmp_path / "sessions"))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_stage1(pilot)
        assert pane.incomplete() == "No relationships on the map yet."
        assert "No relationships yet" in str(pane.query_one("#rel-status").render())
        await pilot.press("f5")
        await pilot.pause()
        assert any("No relationships on the map yet." in m for m in messages(app))


# -- snapshots: the map as a room sees it ----------------------------------------------------


def _snapshot_app(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    build_map_25(path)
    return app_on(path)


def _ready(theme: str, *keys: str):
    async def run_before(pilot) -> None:
        pilot.app.theme = theme
        await wait_for_workshop(pilot)
        await pilot.press("f4")
        await pilot.pause()
        pane = pilot.app.screen.query_one(RelationshipsPane)
        pane.select("rel06")
        await pilot.press("escape", *keys)  # from the quick-add box to the map
        await pilot.pause(0.2)

    return run_before


def test_map_snapshot_80x24_dark(snap_compare, tmp_path):
    app = _snapshot_app(tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_ready("textual-dark"))


def test_map_snapshot_80x24_light(snap_compare, tmp_path):
    app = _snapshot_app(tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_ready("textual-light"))


def test_map_snapshot_160x50_dark(snap_compare, tmp_path):
    app = _snapshot_app(tmp_path)
    assert snap_compare(app, terminal_size=(160, 50), run_before=_ready("textual-dark"))


def test_map_snapshot_160x50_light(snap_compare, tmp_path):
    app = _snapshot_app(tmp_path)
    assert snap_compare(app, terminal_size=(160, 50), run_before=_ready("textual-light"))


def test_table_snapshot_80x24_dark(snap_compare, tmp_path):
    app = _snapshot_app(tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_ready("textual-dark", "v"))


def test_table_snapshot_80x24_light(snap_compare, tmp_path):
    app = _snapshot_app(tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_ready("textual-light", "v"))


async def test_map_kept_between_changes_matches_a_fresh_drawing(tmp_path):
    """The map keeps its drawing when nothing on the rings changed, and repaints only
    the rows a new selection touches: what shows must equal drawing it all again."""
    from facilitator.tui.stages.map_layout import layout_map

    def fresh(pane):
        layout = pane.map.current_layout()
        again = layout_map(pane.entries, layout.width, layout.height)
        return layout, again

    def painted(pane) -> list[str]:
        lines = [pane.map.render_line(y) for y in range(pane.map.layout_result.height)]
        return [strip.text for strip in lines]

    app = await map_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_stage1(pilot)
        quick = pane.query_one("#rel-quick-add", Input)
        quick.focus()
        before = pane.map.current_layout()
        for name in ("Library service", "Fire station"):
            quick.value = name
            await pilot.press("enter")
        await pilot.pause()
        kept, again = fresh(pane)
        assert kept is before  # nothing on the rings changed: the drawing was kept
        assert kept.marks == again.marks and kept.unplaced == again.unplaced
        assert kept.grid == again.grid
        assert kept.unplaced[-2:] == list(pane.state.relationships)[-2:]

        # Putting one on a ring draws it all again, the same as from scratch.
        await pilot.press("escape")
        await pilot.press("2")
        await pilot.pause()
        redrawn, again = fresh(pane)
        assert redrawn is not before and redrawn.grid == again.grid
        assert pane.selected in redrawn.marks

        # Moving the selection: the painted rows equal a whole fresh painting.
        for step in ("tab", "tab", "shift+tab"):
            await pilot.press(step)
            await pilot.pause()
            assert painted(pane) == [strip.text for strip in pane.map._build_strips()]
            whole = pane.map._build_strips()
            row = redrawn.marks[pane.selected].y if pane.selected in redrawn.marks else None
            if row is not None:
                shown = pane.map.render_line(row - pane.map.scroll_offset.y)
                assert list(shown) == list(whole[row].crop(0, shown.cell_length))
