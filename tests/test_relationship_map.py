"""The stage 1 map's geometry, tested as pure functions (no app running)."""

from __future__ import annotations

import math
import random
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.domain import commands
from facilitator.domain.events import apply_event
from facilitator.domain.model import SessionState
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.stages.map_entries import (
    FLAG_NOTE,
    FLAG_WARN,
    NO_TYPE,
    MapEntry,
    entries_from_state,
    fit_cells,
    text_cells,
)
from facilitator.tui.stages.map_layout import (
    CONTINUED,
    MARKER,
    MapLayout,
    band_of,
    boundaries,
    layout_map,
)
from facilitator.tui.stages.relationships import flag_summary

VOCAB = load_vocabulary()
TYPES = [t.id for t in VOCAB.agency_types]
KINDS = list(VOCAB.relationship_types)

# The map's drawing area at 80x24 and at 160x50 (the rest is the key, the add box and so on).
SMALL = (48, 19)
LARGE = (119, 45)

NAMES = [
    "Hollin Vale Borough Council",
    "Parks team",
    "Riverside Homes",
    "St Anne's Primary School",
    "Medical Practice",
    "Neighbourhood policing team",
    "Job Centre Plus",
    "County highways",
    "Youth service",
    "Library",
]


def make_entries(count: int, *, seed: int = 1, unplaced_every: int = 0) -> list[MapEntry]:
    rnd = random.Random(seed)
    out = []
    for n in range(count):
        kind = rnd.choice(KINDS)
        ring = None if unplaced_every and n % unplaced_every == 0 else rnd.randint(1, 4)
        out.append(
            MapEntry(
                key=f"r{n}",
                number=n + 1,
                name=f"{NAMES[n % len(NAMES)]} {n}",
                ring=ring,
                sector=rnd.choice(TYPES + [NO_TYPE]),
                kind=kind.id,
                symbol=kind.symbol,
                flag=rnd.choice(["", "", FLAG_WARN, FLAG_NOTE]),
            )
        )
    return out


# -- invariants every layout keeps ----------------------------------------------------------


def assert_sound(layout: MapLayout, entries: list[MapEntry]) -> dict[tuple[int, int], str]:
    """Every relationship drawn once or listed; markers in their ring; no label overlaps."""
    keys = [e.key for e in entries]
    # Drawn exactly once, or listed as not placed: never both, never neither.
    assert sorted(list(layout.marks) + layout.unplaced) == sorted(keys)
    markers = Counter(
        cell.key for row in layout.grid for cell in row if cell is not None and cell.role == MARKER
    )
    assert markers == Counter(list(layout.marks))
    for entry in entries:
        if entry.ring is None:
            assert entry.key in layout.unplaced
    # The grid is exactly the map's size, counting double-width characters twice.
    assert len(layout.grid) == layout.height
    assert all(len(row) == layout.width for row in layout.grid)
    # Labels: inside the map, and nothing else on their cells.
    taken: dict[tuple[int, int], str] = {}
    for mark in layout.marks.values():
        for start, end in mark.runs:
            assert 0 <= start <= end < layout.width
            for x in range(start, end + 1):
                assert (x, mark.y) not in taken, f"{mark.key} overlaps {taken[(x, mark.y)]}"
                taken[(x, mark.y)] = mark.key
                cell = layout.grid[mark.y][x]
                assert cell is not None and cell.key == mark.key
        left, right = mark.span
        for x in range(left, right + 1):  # the blanks between marker, number and name
            taken.setdefault((x, mark.y), mark.key)
    return taken


def assert_spaced(layout: MapLayout, taken: dict[tuple[int, int], str]) -> None:
    """One blank cell (or the edge) between neighbouring relationships on a row."""
    for mark in layout.marks.values():
        left, right = mark.span
        for x in (left - 1, right + 1):
            other = taken.get((x, mark.y))
            assert other in (None, mark.key), f"{mark.key} touches {other}"


def assert_in_rings(layout: MapLayout) -> None:
    edges = boundaries()
    for mark in layout.marks.values():
        radius = layout.ring_at(mark.x, mark.y)
        assert edges[mark.ring - 1] <= radius < edges[mark.ring], (mark, radius)
        assert band_of(radius) == mark.ring


# -- rings, sectors, once each -------------------------------------------------------------------


def test_boundaries_grow_outwards_and_bands_follow_them():
    edges = boundaries()
    assert edges == sorted(edges) and math.isclose(edges[-1], 1.0)
    assert band_of(0.0) == 0
    assert [band_of((a + b) / 2) for a, b in zip(edges, edges[1:], strict=False)] == [1, 2, 3, 4]
    assert band_of(1.2) == 5


def test_markers_sit_in_the_ring_for_their_closeness():
    entries = make_entries(25)
    for size in (SMALL, LARGE):
        layout = layout_map(entries, *size)
        assert len(layout.marks) == 25
        assert_spaced(layout, assert_sound(layout, entries))
        assert_in_rings(layout)
        # Ring 1 is nearer the partnership than ring 4, on average and at the extremes.
        by_ring: dict[int, list[float]] = {}
        for mark in layout.marks.values():
            by_ring.setdefault(mark.ring, []).append(layout.ring_at(mark.x, mark.y))
        assert max(by_ring[1]) < min(by_ring[4])


def test_sectors_follow_the_vocabulary_order_clockwise_from_the_top():
    entries = make_entries(30, seed=4)
    layout = layout_map(entries, *LARGE)
    order = [s.agency_type for s in layout.sectors]
    expected = [t for t in TYPES if any(e.sector == t for e in entries)]
    if any(e.sector == NO_TYPE for e in entries):
        expected.append(NO_TYPE)
    assert order == expected
    assert layout.sectors[0].start_degrees == 0.0
    assert math.isclose(layout.sectors[-1].end_degrees, 360.0)
    assert sum(s.count for s in layout.sectors) == 30
    span = {s.agency_type: s for s in layout.sectors}
    for entry in entries:
        mark = layout.marks[entry.key]
        sector = span[entry.sector]
        assert sector.start_degrees <= mark.angle <= sector.end_degrees
        # The marker is drawn on the side of the centre its angle points to.
        if 20 < mark.angle < 160:
            assert mark.x > layout.cx
        elif 200 < mark.angle < 340:
            assert mark.x < layout.cx


def test_unplaced_relationships_are_listed_not_drawn():
    entries = make_entries(12, unplaced_every=3)
    layout = layout_map(entries, *SMALL)
    assert layout.unplaced == [e.key for e in entries if e.ring is None]
    assert set(layout.marks) == {e.key for e in entries if e.ring is not None}
    assert_spaced(layout, assert_sound(layout, entries))


def test_an_empty_map_still_draws_the_rings_and_the_partnership():
    layout = layout_map([], *SMALL)
    text = "".join(c.text for row in layout.grid for c in row if c is not None)
    assert "Us" in text and text.count("·") > 40
    assert layout.marks == {} and layout.unplaced == []
    assert "Partnership" in "".join(
        c.text for row in layout_map([], *LARGE).grid for c in row if c is not None
    )


# -- forty relationships on a small screen -----------------------------------------------------


def test_forty_relationships_at_80x24_every_one_numbered_and_nothing_overlapping():
    for seed in range(5):
        entries = make_entries(40, seed=seed)
        layout = layout_map(entries, *SMALL)
        assert_spaced(layout, assert_sound(layout, entries))
        assert_in_rings(layout)
        # The promise at 80x24: every marker carries its number, so the key can name it.
        assert all(mark.tag.rstrip("!") == str(mark.number) for mark in layout.marks.values())
        # Flags show on the map as "!" after the number.
        for entry in entries:
            assert layout.marks[entry.key].tag.endswith("!") == bool(entry.flag)


def test_a_bigger_map_has_room_for_more_names():
    entries = make_entries(40, seed=2)
    small = layout_map(entries, *SMALL)
    large = layout_map(entries, *LARGE)
    zoomed = layout_map(entries, SMALL[0] * 3, SMALL[1] * 3)
    named = [sum(1 for m in lay.marks.values() if m.name) for lay in (small, large, zoomed)]
    assert named[0] < named[1] and named[0] < named[2]
    assert named[1] >= 35
    for layout in (large, zoomed):
        assert_spaced(layout, assert_sound(layout, entries))


def test_two_hundred_relationships_are_all_accounted_for():
    entries = make_entries(200, seed=3, unplaced_every=9)
    layout = layout_map(entries, *SMALL)
    assert_sound(layout, entries)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(st.text(min_size=1, max_size=40), min_size=0, max_size=30),
    rings=st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=30, max_size=30),
    sectors=st.lists(st.sampled_from(TYPES + [NO_TYPE]), min_size=30, max_size=30),
    width=st.integers(8, 140),
    height=st.integers(5, 50),
)
def test_any_names_any_size_the_map_stays_sound(names, rings, sectors, width, height):
    entries = [
        MapEntry(
            key=f"k{n}",
            number=n + 1,
            name=" ".join(name.split()),
            ring=rings[n],
            sector=sectors[n],
            kind="friend",
            symbol="●",
            flag=FLAG_WARN if n % 4 == 0 else "",
        )
        for n, name in enumerate(names)
    ]
    layout = layout_map(entries, width, height)
    assert_sound(layout, entries)


def test_emoji_and_right_to_left_names_take_their_true_width():
    entries = [
        MapEntry("a", 1, "🏥 Health hub", 2, "health", "friend", "●"),
        MapEntry("b", 2, "مركز المجتمع", 3, "other", "not-sure", "?"),
        MapEntry("c", 3, "x" * 500, 1, "school", "powerful-ally", "★"),
    ]
    layout = layout_map(entries, *LARGE)
    assert_spaced(layout, assert_sound(layout, entries))
    assert layout.marks["a"].name == "🏥 Health hub"
    assert layout.marks["b"].name == "مركز المجتمع"
    assert len(layout.marks["c"].name) <= 28 and layout.marks["c"].name.endswith("…")
    row = layout.grid[layout.marks["a"].y]
    emoji = next(i for i, c in enumerate(row) if c is not None and c.text == "🏥")
    assert row[emoji + 1].role == CONTINUED


# -- small pieces ------------------------------------------------------------------------------


def test_fit_cells_counts_terminal_cells():
    assert fit_cells("Library", 10) == "Library"
    assert fit_cells("Neighbourhood policing team", 10) == "Neighbour…"
    assert fit_cells("🏥🏥🏥🏥", 5) == "🏥🏥…"
    assert fit_cells("anything", 0) == ""
    assert text_cells("a🏥b") == ["a", "🏥", "", "b"]
    assert text_cells("e\u0301") == ["e\u0301"]  # a combining accent stays with its letter


def test_entries_from_state_number_flag_and_fade():
    state = SessionState()
    for rid, fields in (
        ("one", {"name": "Town  Hall", "closeness": 2, "rel_type": "friend"}),
        ("two", {"name": "Parks", "purposes": ["sharing"], "holder_roles": ["chair"]}),
        ("three", {"name": "town hall", "state": "lost", "agency_type": "police"}),
    ):
        apply_event(state, commands.add(state, "relationship", entity_id=rid, **fields))
    flags = commands.relationship_flags(state)
    entries = entries_from_state(state, flags)
    assert [(e.key, e.number) for e in entries] == [("one", 1), ("two", 2), ("three", 3)]
    one, two, three = entries
    assert one.name == "Town Hall" and one.ring == 2 and one.symbol == "●"
    assert one.flag == FLAG_WARN  # a possible duplicate of "town hall"
    assert two.flag == FLAG_WARN and two.ring is None  # fragile: one holder
    assert three.faded and three.sector == "police" and three.symbol == "·"


def test_flag_summary_counts_each_kind():
    flags = {
        "a": ["fragile: one person holds this"],
        "b": ["fragile: one person holds this", "possible duplicate"],
        "c": ["no purpose recorded"],
    }
    assert flag_summary(flags) == "4 flags: 2 fragile, 1 no purpose, 1 duplicate"
    assert flag_summary({"a": ["possible duplicate"]}) == "1 flag: 1 duplicate"
    assert flag_summary({}) == ""
