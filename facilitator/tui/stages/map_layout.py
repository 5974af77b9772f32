"""The stage 1 map drawn in the terminal: the partnership in the middle, agencies around it.

Four rings show closeness (1, close, is the inner ring); the circle is cut into sectors,
one per agency type, in vocabulary order and clockwise from the top, each as wide as its
share of the relationships (the same convention as the exported picture). Every
relationship on the map has a marker, its relationship type's symbol, and beside it its
number and, where there is room, its name. Relationships without a ring are not drawn:
the pane lists them as "not placed yet".

This module is pure (no terminal UI): :func:`entries_from_state` and :func:`layout_map`
decide which cell shows what, on the rings, sectors and angles of
:mod:`facilitator.domain.mapgeometry`; the widget in :mod:`facilitator.tui.stages.
map_widget` only paints the result and handles keys. The Compare view draws with it too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from rich.cells import cell_len

from facilitator.domain.mapgeometry import (
    NO_TYPE,
    RINGS,
    Sector,
    arrange,
    point,
    ring_edges,
)
from facilitator.tui.stages.map_entries import MapEntry, fit_cells, sector_labels, text_cells

CENTRE_FRACTION = 0.2
"""The partnership's disc in the middle, as a share of the outer ring's radius."""

ZOOMS = (1.0, 1.5, 2.0, 3.0, 4.0)
"""How much bigger than the visible area the map can be drawn."""

NAME_WIDTHS = (28, 20, 14, 10)
"""Widths tried for a name beside its marker, longest first (capped on small maps)."""

SHORT_NAME_WIDTHS = (7, 5)
"""Widths tried last, on a crowded map: the start of a name says more than none at all."""

# What each painted cell is, so the widget can style it.
RING = "ring"
RING_NUMBER = "ring-number"
CENTRE = "centre"
SECTOR = "sector"
MARKER = "marker"
NUMBER = "number"
FLAG = "flag"
NAME = "name"
CONTINUED = "continued"  # the second cell of a double-width character


@dataclass(frozen=True, slots=True)
class Cell:
    """One character cell of the painted map."""

    text: str
    role: str
    key: str | None = None  # the relationship this cell belongs to, if any
    kind: str = ""  # relationship type id (markers) or flag level (flags)
    faded: bool = False


@dataclass(frozen=True, slots=True)
class Mark:
    """Where one relationship was drawn: its marker, its number and (room allowing) its name.

    The number (with "!" when flagged) sits just right of the marker, or just left of it
    when the right is taken; the name follows the number, or sits left of the marker.
    """

    key: str
    number: int
    ring: int
    angle: float  # degrees clockwise from 12 o'clock
    x: int
    y: int
    tag: str = ""  # "7" or "7!"; "" when there was no room even for the number
    tag_x: int = 0
    name: str = ""  # the name as shown (maybe cut short); "" when there was no room
    name_x: int = 0

    @property
    def runs(self) -> list[tuple[int, int]]:
        """First and last cell (inclusive) of the marker, its number and its name."""
        runs = [(self.x, self.x)]
        for text, start in ((self.tag, self.tag_x), (self.name, self.name_x)):
            if text:
                runs.append((start, start + cell_len(text) - 1))
        return runs

    @property
    def span(self) -> tuple[int, int]:
        """First and last cell (inclusive) taken by the marker and its labels."""
        runs = self.runs
        return min(r[0] for r in runs), max(r[1] for r in runs)


@dataclass
class MapLayout:
    """A painted map: the grid of cells and where every relationship went."""

    width: int
    height: int
    cx: float
    cy: float
    rx: float
    ry: float
    marks: dict[str, Mark] = field(default_factory=dict)
    unplaced: list[str] = field(default_factory=list)
    sectors: list[Sector] = field(default_factory=list)
    grid: list[list[Cell | None]] = field(default_factory=list)

    def key_at(self, x: int, y: int) -> str | None:
        """The relationship drawn at a cell, if any."""
        if 0 <= y < self.height and 0 <= x < self.width:
            cell = self.grid[y][x]
            if cell is not None:
                return cell.key
        return None

    def ring_at(self, x: float, y: float) -> float:
        """How far a cell is from the centre, 1.0 being the outer ring."""
        return math.hypot((x - self.cx) / self.rx, (y - self.cy) / self.ry)


def boundaries() -> list[float]:
    """Radii (as a share of the outer ring) of the centre disc and the four rings."""
    return ring_edges(CENTRE_FRACTION, (1.0 - CENTRE_FRACTION) / RINGS)


def band_of(radius: float) -> int:
    """The ring a radius falls in: 0 for the centre disc, 1..4, or 5 beyond the map."""
    edges = boundaries()
    for ring, edge in enumerate(edges):
        if radius < edge:
            return ring
    return RINGS + 1


# -- layout ------------------------------------------------------------------------------------


class _Canvas:
    """The grid being painted, with which cells are taken and by what."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.grid: list[list[Cell | None]] = [[None] * width for _ in range(height)]
        # Cells nothing else may use (centre, sector labels, ring numbers, markers, labels).
        self.taken: list[list[bool]] = [[False] * width for _ in range(height)]
        self.markers: set[tuple[int, int]] = set()

    def inside(self, x: int, y: int) -> bool:
        return 0 <= x < self.width and 0 <= y < self.height

    def free(self, x: int, y: int) -> bool:
        return self.inside(x, y) and not self.taken[y][x]

    def run_free(self, x0: int, x1: int, y: int) -> bool:
        return all(self.free(x, y) for x in range(x0, x1 + 1))

    def put_text(self, x: int, y: int, text: str, role: str, **kw) -> int:
        """Paint text from (x, y), taking its cells; returns the cells used."""
        cells = text_cells(text)
        for i, piece in enumerate(cells):
            cx = x + i
            if not self.inside(cx, y):
                continue
            self.grid[y][cx] = Cell(piece, CONTINUED if piece == "" else role, **kw)
            self.taken[y][cx] = True
        return len(cells)


def _ellipse_cells(cx: float, cy: float, rx: float, ry: float) -> set[tuple[int, int]]:
    """Cells for a dotted ellipse, the dots evenly spaced (a cell is twice as tall as wide)."""
    steps = max(256, int(32 * (rx + ry)))
    cells: set[tuple[int, int]] = set()
    last: tuple[float, float] | None = None
    for i in range(steps):
        theta = 2 * math.pi * i / steps
        x, y = cx + rx * math.sin(theta), cy - ry * math.cos(theta)
        if last is not None and math.hypot((x - last[0]) / 2, y - last[1]) < 0.95:
            continue
        cells.add((round(x), round(y)))
        last = (x, y)
    return cells


def _offsets(dx_max: int, dy_max: int) -> list[tuple[int, int]]:
    """Nearby cells, nearest first (a cell is about twice as tall as it is wide)."""
    offsets = [(dx, dy) for dy in range(-dy_max, dy_max + 1) for dx in range(-dx_max, dx_max + 1)]
    offsets.sort(key=lambda o: ((o[0] * 0.5) ** 2 + o[1] ** 2, abs(o[1]), o[1], o[0]))
    return offsets


def layout_map(
    entries: Sequence[MapEntry],
    width: int,
    height: int,
    *,
    sectors: Iterable[tuple[str, str]] | None = None,
    centre: str = "",
    name_widths: Sequence[int] | None = None,
) -> MapLayout:
    """Place every relationship with a ring on a map of ``width`` x ``height`` cells.

    Markers stay inside their own ring; labels never overlap markers, other labels or
    the map's own words, and keep one blank cell from their neighbours on the same row.
    Relationships without a ring are listed in ``unplaced``.
    """
    width, height = max(width, 8), max(height, 5)
    if name_widths is None:
        # Shorter names on a small map leave room for more of them.
        top = max(10, width // 3)
        name_widths = [w for w in NAME_WIDTHS if w <= top] or [NAME_WIDTHS[-1]]
        name_widths += [w for w in SHORT_NAME_WIDTHS if w < min(name_widths)]
    sector_text = dict(sectors if sectors is not None else sector_labels())
    order = [k for k in sector_text if k != NO_TYPE]
    cx, cy = (width - 1) / 2, (height - 1) / 2
    rx, ry = max(cx, 1.0), max(cy, 1.0)
    out = MapLayout(width, height, cx, cy, rx, ry)
    canvas = _Canvas(width, height)
    edges = boundaries()

    def radius(x: float, y: float) -> float:
        return math.hypot((x - cx) / rx, (y - cy) / ry)

    # The rings, as dotted ellipses.
    dots: set[tuple[int, int]] = set()
    for ring in range(1, RINGS + 1):
        dots |= _ellipse_cells(cx, cy, rx * edges[ring], ry * edges[ring])
    for x, y in dots:
        if canvas.inside(x, y):
            canvas.grid[y][x] = Cell("·", RING)

    # The partnership in the middle.
    room = int(2 * edges[0] * rx) - 1
    text = centre or ("Partnership" if room >= len("Partnership") else "Us")
    text = fit_cells(text, max(room, 2))
    row = round(cy)
    start = round(cx - (cell_len(text) - 1) / 2)
    canvas.put_text(start, row, text, CENTRE)

    # Ring numbers along the left-hand radius, where the rings are widest.
    for ring in range(1, RINGS + 1):
        mid = (edges[ring - 1] + edges[ring]) / 2
        x = round(cx - rx * mid)
        if canvas.free(x, row):
            canvas.put_text(x, row, str(ring), RING_NUMBER)

    placed = [e for e in entries if e.ring is not None]
    out.unplaced = [e.key for e in entries if e.ring is None]
    if not placed:
        out.grid = canvas.grid
        return out

    out.sectors, slots = arrange(((e.key, e.sector) for e in placed), order)
    by_key = {e.key: e for e in placed}

    # Sector names on the outer ring, at the middle of each sector.
    for sector in out.sectors:
        label = sector_text.get(sector.agency_type, sector.agency_type)
        px, py = point(cx, cy, rx, sector.middle_degrees, ry)
        y = min(max(round(py), 0), height - 1)
        for text in (label, label[:1]):
            size = cell_len(text)
            x = min(max(round(px - (size - 1) / 2), 0), width - size)
            if size <= width and _label_fits(canvas, x, x + size - 1, y):
                canvas.put_text(x, y, text, SECTOR)
                break

    # Markers first, so that no label can crowd a marker out of its ring.
    offsets = _offsets(max(6, width // 3), max(3, height // 3))
    free_cells: list[tuple[int, int]] | bool = True  # True: not listed yet
    exhausted: set[tuple[int, int]] = set()  # (ring, test) pairs that found nothing
    for slot in slots:
        entry, angle = by_key[slot.key], slot.angle_degrees
        assert entry.ring is not None
        mid = (edges[entry.ring - 1] + edges[entry.ring]) / 2
        px, py = point(cx, cy, rx * mid, angle, ry * mid)
        x0, y0 = round(px), round(py)
        lo, hi = edges[entry.ring - 1], edges[entry.ring]

        def in_ring(x: int, y: int, lo: float = lo, hi: float = hi) -> bool:
            return lo <= radius(x, y) < hi

        def roomy(x: int, y: int) -> bool:
            return canvas.run_free(x - 1, x + 3, y) and not any(
                (x + d, y) in canvas.markers for d in range(-2, 5)
            )

        def room_for_number(x: int, y: int) -> bool:
            """Free cells for a number on one side, and nothing right next to it."""
            return (
                canvas.run_free(x - 1, x + 1, y)
                and canvas.run_free(x + 1, x + 3, y)
                or canvas.run_free(x - 3, x + 1, y)
            )

        tests = (
            lambda x, y: in_ring(x, y) and (x, y) not in dots and roomy(x, y),
            lambda x, y: in_ring(x, y) and (x, y) not in dots and room_for_number(x, y),
            lambda x, y: in_ring(x, y) and room_for_number(x, y),
            lambda x, y: in_ring(x, y) and canvas.free(x, y),
        )
        spot = None
        for level, test in enumerate(tests):
            if (entry.ring, level) in exhausted:
                continue
            for dx, dy in offsets:
                if canvas.free(x0 + dx, y0 + dy) and test(x0 + dx, y0 + dy):
                    spot = (x0 + dx, y0 + dy)
                    break
            if spot:
                break
            # Cells only ever fill up: once a roomy spot cannot be found in this
            # ring, later markers in it go straight to the plainer tests. On a
            # crowded map (hundreds of relationships) this keeps drawing quick.
            exhausted.add((entry.ring, level))
        if spot is None and free_cells:
            # The ring is full here: use the nearest free cell anywhere (nearest as
            # ``_offsets`` orders them). Cells are only ever taken, never given back,
            # so the list of free cells is kept and thinned rather than rebuilt.
            if free_cells is True:
                free_cells = [
                    (x, y)
                    for y, cells in enumerate(canvas.taken)
                    for x, used in enumerate(cells)
                    if not used
                ]
            taken = canvas.taken
            free_cells = [(x, y) for x, y in free_cells if not taken[y][x]]
            if free_cells:
                spot = min(
                    free_cells,
                    key=lambda c, x0=x0, y0=y0: (
                        ((c[0] - x0) * 0.5) ** 2 + (c[1] - y0) ** 2,
                        abs(c[1] - y0),
                        c[1] - y0,
                        c[0] - x0,
                    ),
                )
        if spot is None:  # the canvas is completely full
            out.unplaced.append(entry.key)
            continue
        x, y = spot
        canvas.taken[y][x] = True
        canvas.markers.add(spot)
        # Its number goes beside it at once, so that later markers leave room for it.
        out.marks[entry.key] = _place_tag(canvas, entry, x, y, angle)

    # Then names, in number order, wherever there is still room.
    ordered = sorted((by_key[k] for k in out.marks), key=lambda e: e.number)
    for entry in ordered:
        mark = _place_name(canvas, entry, out.marks[entry.key], name_widths)
        out.marks[entry.key] = mark
        _paint_mark(canvas, entry, mark)

    out.grid = canvas.grid
    return out


def _label_fits(canvas: _Canvas, x0: int, x1: int, y: int, own: Iterable[int] = ()) -> bool:
    """Text may go on cells x0..x1 of row y, with a blank cell (or the edge) each side.

    ``own`` are the columns of the label's own marker and number, which may touch it.
    """
    if x0 < 0 or x1 >= canvas.width or x1 < x0:
        return False
    if not canvas.run_free(x0, x1, y):
        return False
    mine = set(own)
    return all(
        gap in mine or not canvas.inside(gap, y) or not canvas.taken[y][gap]
        for gap in (x0 - 1, x1 + 1)
    )


def _place_tag(canvas: _Canvas, entry: MapEntry, x: int, y: int, angle: float) -> Mark:
    """The marker's number ("7", or "7!" when flagged): right of it, else left of it."""
    tag = f"{entry.number}{'!' if entry.flag else ''}"
    size = cell_len(tag)
    mark = Mark(entry.key, entry.number, entry.ring or 0, angle, x, y)
    for start in (x + 1, x - size):
        if _label_fits(canvas, start, start + size - 1, y, own=(x,)):
            for cx in range(start, start + size):
                canvas.taken[y][cx] = True
            return replace(mark, tag=tag, tag_x=start)
    return mark


def _place_name(canvas: _Canvas, entry: MapEntry, mark: Mark, widths: Sequence[int]) -> Mark:
    """The longest piece of the name that fits beside the marker and its number."""
    if not mark.tag:
        return mark
    y = mark.y
    left, right = mark.span
    own = list(range(left, right + 1))
    # Names point away from the centre: leftwards on the left half of the map.
    left_first = math.sin(math.radians(mark.angle)) < -0.2
    for size in widths:
        name = fit_cells(entry.name, size)
        if not name:
            continue
        n = cell_len(name)
        after = (right + 2, right + 1 + n)  # "★7 Town hall" (or "7★ Town hall")
        before = (left - n - 1, left - 2)  # "Town hall ★7" (or "Town hall 7★")
        sides = [before, after] if left_first else [after, before]
        for x0, x1 in sides:
            gap = x0 - 1 if x0 > right else x1 + 1  # the blank between name and number
            if canvas.free(gap, y) and _label_fits(canvas, x0, x1, y, own=[*own, gap]):
                for cx in range(min(x0, gap), max(x1, gap) + 1):
                    canvas.taken[y][cx] = True
                return replace(mark, name=name, name_x=x0)
    return mark


def _paint_mark(canvas: _Canvas, entry: MapEntry, mark: Mark) -> None:
    common = {"key": entry.key, "faded": entry.faded}
    left, right = mark.span
    for x in range(left, right + 1):  # the blanks between marker, number and name
        canvas.grid[mark.y][x] = Cell(" ", NAME, **common)
    canvas.grid[mark.y][mark.x] = Cell(entry.symbol, MARKER, kind=entry.kind, **common)
    if mark.tag:
        number = mark.tag.rstrip("!")
        x = mark.tag_x + canvas.put_text(mark.tag_x, mark.y, number, NUMBER, **common)
        if mark.tag.endswith("!"):
            canvas.put_text(x, mark.y, "!", FLAG, key=entry.key, kind=entry.flag)
    if mark.name:
        canvas.put_text(mark.name_x, mark.y, mark.name, NAME, **common)
