"""Two ring maps side by side, earlier and later, with arrows for what moved.

Each side is drawn with the same geometry as the map export (:mod:`facilitator.domain.
mapgeometry` places every relationship; :mod:`facilitator.export.svgmap` gives the marker
shapes and line styles). Relationships carry the same number on both sides. On the
later map, an arrow runs from where a relationship was (a dashed ghost on its old ring)
to where it is now; a new relationship has a ring of its own round its marker, and on
the earlier map a relationship that has gone is crossed out.
"""

from __future__ import annotations

from facilitator.domain.mapgeometry import RINGS, UNPLACED_RING, layout, point, ring_of, sectors
from facilitator.domain.model import SessionState
from facilitator.domain.text import shorten
from facilitator.export import common as c
from facilitator.export.svgmap import LINE_STYLES, shape_for, shape_svg
from facilitator.history.compare import Comparison

CENTRE_R = 40.0
RING_STEP = 56.0
MARKER = 8.0
PANEL = 760.0
TOP = 110.0
WIDTH, HEIGHT = int(2 * PANEL + 40), int(TOP + PANEL + 70)

_NEW = "#009E73"
_GONE = "#D55E00"
_MOVE = "#0072B2"


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _radius(ring: int) -> float:
    return CENTRE_R + (ring - 0.5) * RING_STEP


def _rings(cx: float, cy: float) -> str:
    out = ['<g class="rings" fill="none">']
    band = CENTRE_R + UNPLACED_RING * RING_STEP
    out.append(
        f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(band)}" stroke="#9A9A9A" '
        'stroke-dasharray="6 6"/>'
    )
    for ring in range(RINGS, 0, -1):
        shade = "#F4F4F4" if ring % 2 else "#FFFFFF"
        out.append(
            f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(CENTRE_R + ring * RING_STEP)}" '
            f'fill="{shade}" stroke="#B5B5B5"/>'
        )
    out.append("</g>")
    for ring in range(1, RINGS + 1):
        out.append(
            f'<text x="{_n(cx + 3)}" y="{_n(cy - CENTRE_R - (ring - 1) * RING_STEP - 6)}" '
            f'font-size="11" fill="#777">{ring}</text>'
        )
    out.append(
        f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(CENTRE_R)}" fill="#333"/>'
        f'<text x="{_n(cx)}" y="{_n(cy)}" text-anchor="middle" dominant-baseline="middle" '
        'font-size="11" font-weight="bold" fill="#FFF">Partnership</text>'
    )
    return "".join(out)


def _panel(
    state: SessionState,
    cx: float,
    cy: float,
    numbers: dict[str, int],
    heading: str,
    *,
    new: set[str],
    gone: set[str],
    moved_from: dict[str, int],
) -> str:
    info = state.info
    out = [
        f'<text x="{_n(cx)}" y="{_n(TOP - 40)}" text-anchor="middle" font-size="20" '
        f'font-weight="bold" fill="#1a1a1a">{c.xml_escape(shorten(heading, 60))}</text>',
        f'<text x="{_n(cx)}" y="{_n(TOP - 16)}" text-anchor="middle" font-size="14" '
        f'fill="#444">{c.xml_escape(shorten(info.title, 70))}</text>',
        _rings(cx, cy),
    ]
    secs = sectors(state)
    band = CENTRE_R + UNPLACED_RING * RING_STEP
    for sec in secs if len(secs) > 1 else []:
        x1, y1 = point(cx, cy, CENTRE_R, sec.start_degrees)
        x2, y2 = point(cx, cy, band, sec.start_degrees)
        out.append(
            f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="#9A9A9A" '
            'stroke-dasharray="2 3"/>'
        )
    for p in layout(state):
        rid = p.relationship_id
        rel = state.relationships[rid]
        colour = LINE_STYLES.get(rel.rel_type, LINE_STYLES[None])[0]
        x, y = point(cx, cy, _radius(p.ring), p.angle_degrees)
        name = c.xml_escape(rel.name)
        number = numbers.get(rid, 0)
        if rid in moved_from:
            gx, gy = point(cx, cy, _radius(ring_of(moved_from[rid])), p.angle_degrees)
            # The arrow stops short of the marker, so its head stays visible.
            length = max(((x - gx) ** 2 + (y - gy) ** 2) ** 0.5, 1.0)
            stop = min(MARKER + 3, length / 2) / length
            ex, ey = x - (x - gx) * stop, y - (y - gy) * stop
            out.append(
                f'<circle class="was" cx="{_n(gx)}" cy="{_n(gy)}" r="{_n(MARKER)}" fill="none" '
                f'stroke="{_MOVE}" stroke-dasharray="3 2"/>'
                f'<line class="moved" x1="{_n(gx)}" y1="{_n(gy)}" x2="{_n(ex)}" y2="{_n(ey)}" '
                f'stroke="{_MOVE}" stroke-width="2.5" marker-end="url(#arrow)"/>'
            )
        attrs = f'fill="{colour}" stroke="#1a1a1a" stroke-width="1"'
        if rel.state in ("dormant", "lost"):
            attrs = f'fill="#FFFFFF" stroke="{colour}" stroke-width="2"'
        out.append(f"<g><title>{number}. {name}</title>")
        out.append(shape_svg(shape_for(rel.agency_type), x, y, MARKER, attrs))
        if rid in new:
            out.append(
                f'<circle class="new" cx="{_n(x)}" cy="{_n(y)}" r="{_n(MARKER + 5)}" '
                f'fill="none" stroke="{_NEW}" stroke-width="2.5"/>'
            )
        if rid in gone:
            d = MARKER + 4
            out.append(
                f'<path class="gone" d="M{_n(x - d)} {_n(y - d)}L{_n(x + d)} {_n(y + d)}'
                f'M{_n(x - d)} {_n(y + d)}L{_n(x + d)} {_n(y - d)}" stroke="{_GONE}" '
                'stroke-width="3"/>'
            )
        out.append(
            f'<text x="{_n(x + MARKER + 4)}" y="{_n(y + 4)}" font-size="12" fill="#1a1a1a">'
            f"{number}</text></g>"
        )
    return "".join(out)


def to_compare_svg(before: SessionState, after: SessionState, comparison: Comparison) -> str:
    """The two maps side by side as SVG text (for inside an HTML page)."""
    numbers_before: dict[str, int] = {}
    numbers_after: dict[str, int] = {}
    new: set[str] = set()
    gone: set[str] = set()
    moved_from: dict[str, int] = {}
    for number, change in enumerate(comparison.relationships, start=1):
        if change.before_id:
            numbers_before[change.before_id] = number
        if change.after_id:
            numbers_after[change.after_id] = number
        if change.status == "new" and change.after_id:
            new.add(change.after_id)
        if change.status == "gone" and change.before_id:
            gone.add(change.before_id)
        moved = ring_of(change.ring_before) != ring_of(change.ring_after)
        if change.after_id and change.before_id and moved:
            moved_from[change.after_id] = ring_of(change.ring_before)
    cy = TOP + PANEL / 2
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="cmp-title" '
        'font-family="Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif">',
        '<title id="cmp-title">The two relationship maps side by side: earlier on the left, '
        "later on the right, arrows showing relationships that moved between rings</title>",
        f'<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" '
        f'fill="{_MOVE}"/></marker></defs>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#FFFFFF"/>',
        _panel(
            before,
            PANEL / 2 + 10,
            cy,
            numbers_before,
            f"Before · {before.info.date}",
            new=set(),
            gone=gone,
            moved_from={},
        ),
        _panel(
            after,
            PANEL * 1.5 + 30,
            cy,
            numbers_after,
            f"After · {after.info.date}",
            new=new,
            gone=set(),
            moved_from=moved_from,
        ),
        f'<g font-size="13" fill="#1a1a1a" transform="translate(20 {_n(HEIGHT - 30)})">'
        f'<circle cx="8" cy="-4" r="9" fill="none" stroke="{_NEW}" stroke-width="2.5"/>'
        '<text x="24" y="0">new</text>'
        f'<path d="M100 -12L116 4M100 4L116 -12" stroke="{_GONE}" stroke-width="3"/>'
        '<text x="124" y="0">gone</text>'
        f'<line x1="200" y1="-4" x2="240" y2="-4" stroke="{_MOVE}" stroke-width="2.5" '
        'marker-end="url(#arrow)"/><text x="248" y="0">moved from its old ring (dashed) '
        "to its new one</text>"
        '<text x="620" y="0">The same number is the same relationship on both maps; '
        "ring 1 is the closest.</text></g>",
        "</svg>",
    ]
    return "".join(out)
