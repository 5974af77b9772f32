"""The stage 1 map drawn in the terminal: the partnership in the middle, agencies around it.

Four rings show closeness (1, close, is the inner ring); the circle is cut into sectors,
one per agency type, in vocabulary order and clockwise from the top, each as wide as its
share of the relationships (the same convention as the exported picture). Every
relationship on the map has a marker, its relationship type's symbol, and beside it its
number and, where there is room, its name. Relationships without a ring are not drawn:
the pane lists them as "not placed yet".

The geometry lives in pure functions (:func:`entries_from_state`, :func:`layout_map`)
that tests can call without running the app; :class:`RelationshipMap` only paints the
result and handles keys.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive, var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from facilitator.domain.mapgeometry import (
    NO_TYPE,
    RINGS,
    Sector,
    arrange,
    point,
    ring_edges,
    ring_or_none,
    sector_key,
)
from facilitator.domain.model import SessionState
from facilitator.domain.vocabulary import Vocabulary, load_vocabulary

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

FLAG_WARN = "warn"  # fragile or possible duplicate
FLAG_NOTE = "note"  # only "no purpose recorded"


@dataclass(frozen=True, slots=True)
class MapEntry:
    """What the map needs to know about one relationship."""

    key: str
    number: int
    name: str
    ring: int | None  # 1..4, or None when not placed yet
    sector: str  # agency type id, or NO_TYPE
    kind: str  # relationship type id, or "" when not known
    symbol: str  # the marker: the relationship type's symbol
    flag: str = ""  # "", FLAG_WARN or FLAG_NOTE
    faded: bool = False  # gone quiet or lost


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


# -- from a session to map entries ---------------------------------------------------------


def flag_level(flags: Sequence[str]) -> str:
    """How loudly to mark a relationship's flags on the map."""
    if not flags:
        return ""
    if all(f.startswith("no purpose") for f in flags):
        return FLAG_NOTE
    return FLAG_WARN


def entries_from_state(
    state: SessionState,
    flags: dict[str, list[str]],
    vocab: Vocabulary | None = None,
    *,
    cache: dict[str, tuple[Any, ...]] | None = None,
) -> list[MapEntry]:
    """One entry per relationship, numbered 1.. in the order they were added.

    ``cache`` (a dict the caller keeps) saves making entries again for relationships
    that did not change: entities are replaced, never changed in place, so the same
    object with the same number and flags makes the same entry.
    """
    vocab = vocab or load_vocabulary()
    types = vocab.ids("agency_types")
    symbols = {t.id: t.symbol or "·" for t in vocab.relationship_types}
    out: list[MapEntry] = []
    kept: tuple[Any, ...] | None = None
    for number, (rid, rel) in enumerate(state.relationships.items(), start=1):
        found = flags.get(rid)
        if cache is not None:
            kept = cache.get(rid)
            if kept is not None and kept[0] is rel and kept[1] == number and kept[2] == found:
                out.append(kept[3])
                continue
        kind = rel.rel_type or ""
        symbol = symbols.get(kind, "·")
        if kind not in symbols:
            kind = ""
        entry = MapEntry(
            key=rid,
            number=number,
            name=" ".join(rel.name.split()),
            ring=ring_or_none(rel.closeness),
            sector=sector_key(rel.agency_type, types),
            kind=kind,
            symbol=symbol,
            flag=flag_level(found) if found else "",
            faded=rel.state in ("dormant", "lost"),
        )
        out.append(entry)
        if cache is not None:
            cache[rid] = (rel, number, found, entry)
    if cache is not None and len(cache) > len(out):
        for rid in set(cache) - set(state.relationships):
            del cache[rid]
    return out


def sector_labels(vocab: Vocabulary | None = None) -> list[tuple[str, str]]:
    """(agency type id, label) for every sector, in the order they go round the map."""
    vocab = vocab or load_vocabulary()
    out = [(t.id, f"{t.symbol} {t.short}".strip()) for t in vocab.agency_types]
    out.append((NO_TYPE, "… No type yet"))
    return out


# -- text in cells ---------------------------------------------------------------------------


def fit_cells(text: str, width: int) -> str:
    """Text cut to at most ``width`` terminal cells, with an ellipsis if it was cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        size = get_character_cell_size(ch)
        if used + size > width - 1:
            break
        out.append(ch)
        used += size
    return "".join(out).rstrip() + "…"


def text_cells(text: str) -> list[str]:
    """Split text into one string per cell; a double-width character is followed by ""."""
    cells: list[str] = []
    for ch in text:
        size = get_character_cell_size(ch)
        if size == 0:
            if cells:
                cells[-1] += ch
            continue
        cells.append(ch)
        if size == 2:
            cells.append("")
    return cells


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


# -- the widget ------------------------------------------------------------------------------


class RelationshipMap(ScrollView, can_focus=True):
    """The rings, sectors and markers, with a selected relationship, zoom and pan."""

    COMPONENT_CLASSES = {
        "relmap--ring",
        "relmap--ring-number",
        "relmap--centre",
        "relmap--sector",
        "relmap--name",
        "relmap--number",
        "relmap--faded",
        "relmap--flag-warn",
        "relmap--flag-note",
        "relmap--powerful-ally",
        "relmap--friend",
        "relmap--client-contractor",
        "relmap--not-sure",
        "relmap--untyped",
        "relmap--selected",
    }

    DEFAULT_CSS = """
    RelationshipMap {
        scrollbar-size: 1 1;
        background: $surface;
    }
    RelationshipMap > .relmap--ring { color: $foreground-muted; }
    RelationshipMap > .relmap--ring-number { color: $foreground; text-style: bold; }
    RelationshipMap > .relmap--centre { color: $text-accent; text-style: bold reverse; }
    RelationshipMap > .relmap--sector { color: $text-accent; text-style: bold; }
    RelationshipMap > .relmap--name { color: $foreground; }
    RelationshipMap > .relmap--number { color: $foreground; text-style: bold; }
    RelationshipMap > .relmap--faded { color: $foreground-muted; text-style: italic; }
    RelationshipMap > .relmap--flag-warn { color: $text-error; text-style: bold; }
    RelationshipMap > .relmap--flag-note { color: $text-warning; }
    RelationshipMap > .relmap--powerful-ally { color: $text-warning; text-style: bold; }
    RelationshipMap > .relmap--friend { color: $text-success; text-style: bold; }
    RelationshipMap > .relmap--client-contractor { color: $text-primary; text-style: bold; }
    RelationshipMap > .relmap--not-sure { color: $text-secondary; text-style: bold; }
    RelationshipMap > .relmap--untyped { color: $foreground; }
    RelationshipMap > .relmap--selected { text-style: reverse bold; }
    """

    BINDINGS = [
        Binding("tab,n", "cycle(1)", "Next", show=False, tooltip="Select the next relationship"),
        Binding("shift+tab,p", "cycle(-1)", "Previous", show=False),
        Binding("enter", "open", "Details", show=False),
        Binding("plus,equals_sign", "zoom(1)", "Zoom", key_display="+/-"),
        Binding("minus", "zoom(-1)", "Zoom out", show=False),
        Binding("h", "scroll_left", "Pan left", show=False),
        Binding("j", "scroll_down", "Pan down", show=False),
        Binding("k", "scroll_up", "Pan up", show=False),
        Binding("l", "scroll_right", "Pan right", show=False),
    ]

    # A var, not a reactive: a new selection repaints only the rows it touches.
    selected: var[str | None] = var(None, always_update=True)
    zoom: reactive[int] = reactive(0)

    class Selected(Message):
        """The facilitator moved the selection on the map."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class Opened(Message):
        """The facilitator asked for a relationship's details."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.entries: list[MapEntry] = []
        self.sector_text = sector_labels()
        self.layout_result: MapLayout | None = None
        self._placed: tuple[MapEntry, ...] = ()  # what ``layout_result`` was drawn from
        # Painted rows, each made when first drawn (None: not yet, or out of date).
        self._strips: list[Strip | None] | None = None
        self._line_styles: dict[str, Style] = {}
        self._partial_styles: dict[str, Style] | None = None
        self._full_styles: dict[str, Style] = {}

    # -- data in -------------------------------------------------------------------------

    def set_entries(self, entries: list[MapEntry]) -> None:
        """Show these relationships (call after every change to the session).

        When nothing on the rings changed (a relationship added without a ring yet, the
        commonest change of all), the drawing is kept and only the waiting list changes.
        """
        self.entries = entries
        placed = tuple(e for e in entries if e.ring is not None)
        layout = self.layout_result
        if layout is not None and placed == self._placed:
            # Those with a ring that found no room stay at the end of the list.
            on_rings = {e.key for e in placed}
            crowded_out = [k for k in layout.unplaced if k in on_rings]
            layout.unplaced = [e.key for e in entries if e.ring is None] + crowded_out
            return
        self.layout_result = None
        self._strips = None
        self.refresh()

    @property
    def order(self) -> list[str]:
        return [e.key for e in self.entries]

    # -- geometry ------------------------------------------------------------------------

    def _canvas_size(self) -> Size:
        base = self.content_region.size
        factor = ZOOMS[self.zoom]
        return Size(max(int(base.width * factor), 8), max(int(base.height * factor), 5))

    def current_layout(self) -> MapLayout:
        size = self._canvas_size()
        layout = self.layout_result
        if layout is None or (layout.width, layout.height) != (size.width, size.height):
            layout = layout_map(self.entries, size.width, size.height, sectors=self.sector_text)
            self.layout_result = layout
            self._placed = tuple(e for e in self.entries if e.ring is not None)
            self._strips = None
            if self.virtual_size != size:
                self.virtual_size = size
        return layout

    def _size_changed(self) -> None:
        """Drawn again when next painted (if the size really changed); only the
        scrollable size is set now.

        (A pane settles through several sizes as it is built: laying out hundreds of
        relationships for each of them would be wasted.)
        """
        size = self._canvas_size()
        layout = self.layout_result
        if layout is not None and (layout.width, layout.height) != (size.width, size.height):
            self.layout_result = None
            self._strips = None
        if self.virtual_size != size:
            self.virtual_size = size
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._size_changed()

    def watch_zoom(self, old: int, new: int) -> None:
        self._size_changed()
        self.call_after_refresh(self.scroll_to_selected)

    def watch_selected(self, old: str | None, new: str | None) -> None:
        # Only the rows of the old and the new selection are painted again.
        layout, strips = self.layout_result, self._strips
        if layout is not None and strips is not None:
            for key in (old, new):
                mark = layout.marks.get(key or "")
                if mark is not None and 0 <= mark.y < len(strips):
                    strips[mark.y] = None
                    self.refresh_line(mark.y)
        else:
            self.refresh()
        self.call_after_refresh(self.scroll_to_selected)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = None
        self._partial_styles = None

    def scroll_to_selected(self) -> None:
        if not self.zoom:  # the whole map is in view
            return
        mark = self.current_layout().marks.get(self.selected or "")
        if mark is None:
            return
        left, right = mark.span
        view = self.scrollable_content_region.size
        sx, sy = self.scroll_offset
        if left < sx or right >= sx + view.width or mark.y < sy or mark.y >= sy + view.height:
            self.scroll_to(
                x=max(0, (left + right) // 2 - view.width // 2),
                y=max(0, mark.y - view.height // 2),
                animate=False,
            )

    # -- painting --------------------------------------------------------------------------

    def part_style(self, name: str) -> Style:
        """The colour and weight of one part of the map, such as "friend" or "flag-warn".

        Other widgets use it too, so that symbols look the same everywhere. (Colours
        with transparency are mixed with the map's background first.)
        """
        if self._partial_styles is None:
            self._full_styles = {
                c.removeprefix("relmap--"): self.get_component_rich_style(c)
                for c in self.COMPONENT_CLASSES
            }
            self._partial_styles = {
                name: Style(
                    color=full.color,
                    bold=full.bold,
                    italic=full.italic,
                    reverse=full.reverse,
                )
                for name, full in self._full_styles.items()
            }
        return self._partial_styles.get(name) or self._partial_styles["untyped"]

    def _styles(self) -> dict[str, Style]:
        base = self.rich_style
        self.part_style("untyped")
        assert self._partial_styles is not None
        return {name: base + style for name, style in self._partial_styles.items()}

    def _cell_style(self, cell: Cell, styles: dict[str, Style]) -> Style:
        if cell.role == MARKER:
            style = styles.get(cell.kind or "untyped", styles["untyped"])
        elif cell.role == FLAG:
            style = styles["flag-warn" if cell.kind == FLAG_WARN else "flag-note"]
        elif cell.role in (NAME, NUMBER) and cell.faded:
            style = styles["faded"]
        else:
            style = styles.get(cell.role, styles["name"])
        if cell.key is not None and cell.key == self.selected:
            style += styles["selected"]
        return style

    def _build_strip(self, row: list[Cell | None], width: int, styles: dict[str, Style]) -> Strip:
        base = self.rich_style
        segments: list[Segment] = []
        run: list[str] = []
        run_style = base
        for cell in row:
            if cell is None:
                text, style = " ", base
            elif cell.role == CONTINUED:
                continue
            else:
                text, style = cell.text, self._cell_style(cell, styles)
            if style != run_style and run:
                segments.append(Segment("".join(run), run_style))
                run = []
            run_style = style
            run.append(text)
        if run:
            segments.append(Segment("".join(run), run_style))
        return Strip(segments, width)

    def _build_strips(self) -> list[Strip]:
        """Every painted row of the map (the widget itself paints rows as they show)."""
        layout = self.current_layout()
        styles = self._styles()
        return [self._build_strip(row, layout.width, styles) for row in layout.grid]

    def render_line(self, y: int) -> Strip:
        layout = self.current_layout()
        if self._strips is None:
            self._strips = [None] * len(layout.grid)
            self._line_styles = self._styles()
        sx, sy = self.scroll_offset
        width = self.scrollable_content_region.width
        row = y + sy
        if row >= len(self._strips):
            return Strip.blank(width, self.rich_style)
        strip = self._strips[row]
        if strip is None:
            strip = self._strips[row] = self._build_strip(
                layout.grid[row], layout.width, self._line_styles
            )
        return strip.crop(sx, sx + width).extend_cell_length(width, self.rich_style)

    # -- actions ---------------------------------------------------------------------------

    def action_cycle(self, step: int) -> None:
        order = self.order
        if not order:
            return
        if self.selected in order:
            index = (order.index(self.selected) + step) % len(order)
        else:
            index = 0 if step > 0 else len(order) - 1
        self.post_message(self.Selected(order[index]))

    def action_open(self) -> None:
        if self.selected in self.order:
            self.post_message(self.Opened(self.selected))

    def action_zoom(self, step: int) -> None:
        self.zoom = min(max(self.zoom + step, 0), len(ZOOMS) - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        sx, sy = self.scroll_offset
        key = self.current_layout().key_at(offset.x + sx, offset.y + sy)
        if key is None:
            return
        if key == self.selected and event.chain >= 2:
            self.post_message(self.Opened(key))
        else:
            self.post_message(self.Selected(key))
