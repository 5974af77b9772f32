"""One map geometry: the picture export, the Compare view and the map on screen place
relationships with the same rings, sectors and angles."""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import pytest

from facilitator.demo import build_demo
from facilitator.domain import mapgeometry as geo
from facilitator.domain.model import SessionState
from facilitator.tui.stages.map_entries import entries_from_state
from facilitator.tui.stages.map_layout import layout_map

ROOT = Path(__file__).resolve().parent.parent
SHARED = ("RINGS", "UNPLACED_RING", "NO_TYPE")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> SessionState:
    sf = build_demo(tmp_path_factory.mktemp("demo") / "demo.facilitator")
    try:
        return copy.deepcopy(sf.state)
    finally:
        sf.close()


def test_the_map_constants_are_declared_in_one_module_only() -> None:
    declared: dict[str, list[str]] = {}
    for path in sorted((ROOT / "facilitator").rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id in SHARED:
                    declared.setdefault(target.id, []).append(
                        str(path.relative_to(ROOT / "facilitator"))
                    )
    assert declared == {name: ["domain/mapgeometry.py"] for name in SHARED}


def test_the_screen_map_uses_the_export_angles_and_sectors(demo: SessionState) -> None:
    """With every relationship on a ring, the map on screen and the exported picture
    put each one at the same angle in the same sector."""
    for rel in demo.relationships.values():
        if geo.ring_or_none(rel.closeness) is None:
            rel.closeness = 4
    placements = {p.relationship_id: p for p in geo.layout(demo)}
    drawn = layout_map(entries_from_state(demo, {}), 200, 60)
    assert drawn.sectors == geo.sectors(demo)
    assert set(drawn.marks) == set(placements)
    for key, mark in drawn.marks.items():
        assert round(mark.angle, 6) == placements[key].angle_degrees
        assert mark.ring == placements[key].ring


def test_arrange_spreads_items_evenly_sector_by_sector() -> None:
    sectors, slots = geo.arrange([("a", "x"), ("b", None), ("c", "y"), ("d", "x")], ["y", "x"])
    assert [(s.agency_type, s.count) for s in sectors] == [("y", 1), ("x", 2), (geo.NO_TYPE, 1)]
    assert [(s.key, s.angle_degrees, s.sector) for s in slots] == [
        ("c", 45.0, "y"),
        ("a", 135.0, "x"),
        ("d", 225.0, "x"),
        ("b", 315.0, geo.NO_TYPE),
    ]
    assert [s.start_degrees for s in sectors] == [0.0, 90.0, 270.0]
    assert geo.arrange([], ["x"]) == ([], [])


def test_points_on_a_circle_and_an_ellipse() -> None:
    assert geo.point(10, 10, 5, 90) == pytest.approx((15, 10))
    assert geo.point(10, 10, 4, 0, 2) == pytest.approx((10, 8))
    assert geo.ring_or_none(0) is None and geo.ring_or_none(3) == 3
    assert geo.ring_or_none(True) is None and geo.ring_or_none(None) is None
