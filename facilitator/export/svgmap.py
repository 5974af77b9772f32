"""The relationship map as an SVG picture.

The partnership is at the centre; four rings show how close each relationship is, with
an outer dashed band for those not placed yet. Agencies sit in sectors by agency type,
each type with its own marker shape. The kind of relationship shows twice over, by the
colour *and* the line style of the line to the centre, so the map reads without colour
too (the colours are from the Okabe–Ito palette, which suits colour-blind readers).
The key explains every shape, line, ring and state.

Labels are cut to 24 characters; the full name is in a ``<title>`` tooltip. Every piece
of text is escaped, and characters XML cannot hold are dropped.
"""

from __future__ import annotations

import math

from facilitator.domain.mapgeometry import (
    NO_TYPE,
    RINGS,
    UNPLACED_RING,
    layout,
    point,
    sectors,
)
from facilitator.domain.model import Relationship, SessionState
from facilitator.domain.text import shorten
from facilitator.export import common as c

LABEL_CHARS = 24

# Geometry (user units; the picture scales through its viewBox).
CX, CY = 640.0, 700.0
CENTRE_R = 52.0
RING_STEP = 66.0
MARKER = 9.0
LEGEND_X = 1300.0
WIDTH, HEIGHT = 1640, 1360

# How each kind of relationship is drawn: colour, dash pattern, width, line cap.
LINE_STYLES: dict[str | None, tuple[str, str, float, str]] = {
    "powerful-ally": ("#0072B2", "", 3.5, "butt"),  # blue, solid
    "friend": ("#009E73", "10 5", 2.5, "butt"),  # bluish green, dashed
    "client-contractor": ("#D55E00", "0.1 5", 3.0, "round"),  # vermilion, dotted
    "not-sure": ("#CC79A7", "12 4 2 4", 2.0, "butt"),  # reddish purple, dash-dot
    None: ("#6E6E6E", "3 3", 1.2, "butt"),  # grey, fine short dashes: type not set
}

LINE_NAMES = {
    "powerful-ally": "solid line",
    "friend": "dashed line",
    "client-contractor": "dotted line",
    "not-sure": "dash-dot line",
    None: "thin grey dashes",
}

# The ring drawn around stage 2's relationship (solid) and stage 3's (dashed).
_HALO = 'fill="none" stroke="#000" stroke-width="2.5"'
_HALO_DASHED = _HALO + ' stroke-dasharray="4 2"'

SHAPES = {
    "local-authority": "triangle",
    "housing-association": "square",
    "school": "hexagon",
    "health": "cross",
    "police": "diamond",
    "other": "circle",
    NO_TYPE: "star",
}
_SPARE_SHAPES = ("pentagon", "circle", "square", "diamond")


def shape_for(agency_type: str | None) -> str:
    """The marker shape for an agency type (a star when the type is not set or not known)."""
    key = agency_type or NO_TYPE
    if key in SHAPES:
        return SHAPES[key]
    order = [t.id for t in c.vocab().terms("agency_types")]
    if key not in order:
        return SHAPES[NO_TYPE]
    return _SPARE_SHAPES[order.index(key) % len(_SPARE_SHAPES)]


def _e(text: object) -> str:
    return c.xml_escape(text)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _polygon(points: list[tuple[float, float]], attrs: str) -> str:
    pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
    return f'<polygon points="{pts}" {attrs}/>'


def _regular(x: float, y: float, r: float, sides: int, turn: float = 0.0) -> list:
    return [
        (
            x + r * math.sin(math.radians(turn + 360 * k / sides)),
            y - r * math.cos(math.radians(turn + 360 * k / sides)),
        )
        for k in range(sides)
    ]


def shape_svg(shape: str, x: float, y: float, s: float, attrs: str) -> str:
    """One marker shape centred on (x, y), about ``2*s`` across."""
    if shape == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(s)}" {attrs}/>'
    if shape == "square":
        h = s * 0.88
        size = _n(2 * h)
        return f'<rect x="{_n(x - h)}" y="{_n(y - h)}" width="{size}" height="{size}" {attrs}/>'
    if shape == "triangle":
        return _polygon(_regular(x, y + s * 0.2, s * 1.25, 3), attrs)
    if shape == "diamond":
        return _polygon(_regular(x, y, s * 1.2, 4), attrs)
    if shape == "hexagon":
        return _polygon(_regular(x, y, s * 1.05, 6, 30), attrs)
    if shape == "pentagon":
        return _polygon(_regular(x, y, s * 1.1, 5), attrs)
    if shape == "cross":
        a, b = s * 0.4, s * 1.1
        pts = [
            (-a, -b), (a, -b), (a, -a), (b, -a), (b, a), (a, a),
            (a, b), (-a, b), (-a, a), (-b, a), (-b, -a), (-a, -a),
        ]  # fmt: skip
        return _polygon([(x + dx, y + dy) for dx, dy in pts], attrs)
    # star
    pts = []
    for k in range(10):
        r = s * 1.3 if k % 2 == 0 else s * 0.55
        ang = math.radians(36 * k)
        pts.append((x + r * math.sin(ang), y - r * math.cos(ang)))
    return _polygon(pts, attrs)


def _line_attrs(rel_type: str | None) -> str:
    colour, dash, width, cap = LINE_STYLES.get(rel_type, LINE_STYLES[None])
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return f'stroke="{colour}" stroke-width="{_n(width)}" stroke-linecap="{cap}"{dash_attr}'


def _marker_attrs(rel_type: str | None, state: str) -> str:
    colour = LINE_STYLES.get(rel_type, LINE_STYLES[None])[0] if rel_type else "#FFFFFF"
    if state == "dormant":
        return (
            f'fill="{colour}" fill-opacity="0.35" stroke="#222" stroke-width="1.5" '
            'stroke-dasharray="3 2"'
        )
    if state == "wished-for":
        edge = colour if rel_type else "#222"
        return f'fill="#FFFFFF" stroke="{edge}" stroke-width="2.2" stroke-dasharray="4 2"'
    if state == "lost":
        return 'fill="#FFFFFF" stroke="#555" stroke-width="1.5"'
    return f'fill="{colour}" stroke="#222" stroke-width="1.5"'


def _ring_radius(ring: int) -> float:
    """The middle of a ring's band."""
    return CENTRE_R + (ring - 0.5) * RING_STEP


def _tooltip(state: SessionState, rid: str, rel: Relationship) -> str:
    bits = [rel.name]
    kind = c.label("agency_types", rel.agency_type, "agency type not set")
    sub = c.subtype_label(rel.agency_type, rel.agency_subtype)
    bits.append(f"{kind}{' – ' + sub if sub else ''}")
    bits.append(c.label("relationship_types", rel.rel_type, "kind not set"))
    bits.append(
        f"ring {rel.closeness} ({c.label('closeness', str(rel.closeness))})"
        if rel.closeness
        else "not placed yet"
    )
    bits.append(c.label("relationship_states", rel.state))
    stage = c.stage_of(state, rid)
    if stage:
        bits.append("stage 2: a good relationship" if stage == "good" else "stage 3: to develop")
    return "\n".join(bits)


def _marker(state: SessionState, rid: str, ring: int, angle: float) -> str:
    rel = state.relationships[rid]
    radius = _ring_radius(ring)
    x, y = point(CX, CY, radius, angle)
    shape = shape_for(rel.agency_type)
    parts = [
        f'<g class="marker" id="rel-{_e(rid)}" data-relationship-id="{_e(rid)}">',
        f"<title>{_e(_tooltip(state, rid, rel))}</title>",
    ]
    stage = c.stage_of(state, rid)
    if stage:
        parts.append(_circle(x, y, MARKER + 6, _HALO_DASHED if stage == "develop" else _HALO))
    parts.append(shape_svg(shape, x, y, MARKER, _marker_attrs(rel.rel_type, rel.state)))
    if rel.state == "lost":
        parts.append(_cross(x, y, MARKER * 0.7))
    # The label runs outwards along the marker's own ray, flipped on the left half so it
    # never reads upside down.
    lx, ly = point(CX, CY, radius + MARKER + 8, angle)
    left = 180 < angle % 360 < 360
    rotate = angle + 90 if left else angle - 90
    anchor = "end" if left else "start"
    turn = f"rotate({_n(round(rotate, 2))} {_n(lx)} {_n(ly)})"
    parts.append(
        _text(
            lx,
            ly,
            shorten(rel.name, LABEL_CHARS),
            f'transform="{turn}" text-anchor="{anchor}" dominant-baseline="middle" '
            'font-size="12" fill="#1a1a1a"',
        )
    )
    parts.append("</g>")
    return "".join(parts)


def _text(x: float, y: float, content: str, attrs: str = "") -> str:
    """A text element; ``content`` is escaped here."""
    extra = f" {attrs}" if attrs else ""
    return f'<text x="{_n(x)}" y="{_n(y)}"{extra}>{_e(content)}</text>'


def _line(x1: float, y1: float, x2: float, y2: float, attrs: str) -> str:
    return f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" {attrs}/>'


def _circle(x: float, y: float, r: float, attrs: str) -> str:
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" {attrs}/>'


def _cross(x: float, y: float, d: float) -> str:
    """An X over a marker, for a relationship that has been lost."""
    return (
        f'<path d="M{_n(x - d)},{_n(y - d)} L{_n(x + d)},{_n(y + d)} '
        f'M{_n(x + d)},{_n(y - d)} L{_n(x - d)},{_n(y + d)}" stroke="#555" stroke-width="1.6"/>'
    )


def _legend(state: SessionState) -> str:
    """The key: every shape, line, ring, state and stage mark the map uses."""
    x = LEGEND_X
    y = 120.0
    out = ['<g class="legend" font-size="13" fill="#1a1a1a">']
    out.append(_text(x, y, "Key", 'font-size="18" font-weight="bold"'))
    y += 30

    def heading(text: str) -> None:
        nonlocal y
        out.append(_text(x, y, text, 'font-weight="bold"'))
        y += 24

    heading("Agency type (shape)")
    types = [(t.id, t.label) for t in c.vocab().terms("agency_types")]
    if any(r.agency_type is None for r in state.relationships.values()):
        types.append((NO_TYPE, "Type not set yet"))
    hollow = 'fill="#FFFFFF" stroke="#222" stroke-width="1.5"'
    for type_id, text in types:
        out.append(shape_svg(shape_for(type_id or None), x + 10, y - 4, 7, hollow))
        out.append(_text(x + 28, y, text))
        y += 22
    y += 12

    heading("Kind of relationship (line)")
    kinds: list[tuple[str | None, str]] = [
        (t.id, t.label) for t in c.vocab().terms("relationship_types")
    ]
    for rel_type, text in [*kinds, (None, "Not set yet")]:
        out.append(_line(x, y - 4, x + 44, y - 4, _line_attrs(rel_type)))
        out.append(_text(x + 54, y, f"{text}: {LINE_NAMES.get(rel_type, 'line')}"))
        y += 22
    y += 12

    heading("Rings (how close)")
    for term in c.vocab().terms("closeness"):
        out.append(_text(x, y, f"{term.id}: {term.label}"))
        y += 20
    out.append(_text(x, y, "Outer dashed band: not placed yet"))
    y += 32

    heading("Where it stands (marker)")
    samples = [
        ("active", "filled"),
        ("dormant", "faint, dashed edge"),
        ("lost", "crossed out"),
        ("wished-for", "hollow, dashed edge"),
    ]
    for state_id, how in samples:
        out.append(shape_svg("circle", x + 10, y - 4, 7, _marker_attrs("friend", state_id)))
        if state_id == "lost":
            out.append(_cross(x + 10, y - 4, 5))
        out.append(_text(x + 28, y, f"{c.label('relationship_states', state_id)}: {how}"))
        y += 22
    y += 12

    heading("Stages")
    out.append(_circle(x + 10, y - 4, 10, _HALO))
    out.append(_text(x + 28, y, "Stage 2: the good relationship"))
    y += 28
    out.append(_circle(x + 10, y - 4, 10, _HALO_DASHED))
    out.append(_text(x + 28, y, "Stage 3: the one to develop"))
    out.append("</g>")
    return "".join(out)


def to_svg(state: SessionState, *, standalone: bool = True) -> str:
    """The map as SVG text; ``standalone`` adds the XML declaration for a file of its own."""
    info = state.info
    title = info.title or "Relationship map"
    sub = " · ".join(x for x in (info.area, info.date) if x)
    out = []
    if standalone:
        out.append('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="map-title map-desc" '
        'font-family="Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif">'
    )
    out.append(f'<title id="map-title">{_e(title)}</title>')
    out.append(
        f'<desc id="map-desc">Relationship map: {len(state.relationships)} relationships '
        "between the partnership, at the centre, and public agencies.</desc>"
    )
    out.append(f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#FFFFFF"/>')
    out.append(
        f'<text x="40" y="52" font-size="28" font-weight="bold" fill="#1a1a1a">'
        f"{_e(shorten(title, 80))}</text>"
    )
    if sub:
        out.append(f'<text x="40" y="84" font-size="17" fill="#444">{_e(shorten(sub, 100))}</text>')

    outer = CENTRE_R + RINGS * RING_STEP
    band = CENTRE_R + UNPLACED_RING * RING_STEP
    out.append('<g class="rings" fill="none">')
    out.append(
        f'<circle cx="{_n(CX)}" cy="{_n(CY)}" r="{_n(band)}" stroke="#9A9A9A" '
        'stroke-width="1.2" stroke-dasharray="6 6"/>'
    )
    for ring in range(RINGS, 0, -1):
        shade = "#F4F4F4" if ring % 2 else "#FFFFFF"
        r = CENTRE_R + ring * RING_STEP
        out.append(
            f'<circle cx="{_n(CX)}" cy="{_n(CY)}" r="{_n(r)}" fill="{shade}" '
            'stroke="#B5B5B5" stroke-width="1.2"/>'
        )
    out.append("</g>")
    for ring in range(1, RINGS + 1):
        out.append(
            f'<text x="{_n(CX + 4)}" y="{_n(CY - _ring_radius(ring) + 4)}" font-size="11" '
            f'fill="#777">{ring}</text>'
        )

    # Sector boundaries and names.
    secs = sectors(state)
    out.append('<g class="sectors">')
    for sec in secs if len(secs) > 1 else []:
        x1, y1 = point(CX, CY, CENTRE_R, sec.start_degrees)
        x2, y2 = point(CX, CY, band, sec.start_degrees)
        out.append(
            f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="#9A9A9A" '
            'stroke-width="1" stroke-dasharray="2 3"/>'
        )
    for sec in secs:
        name = c.label("agency_types", sec.agency_type) if sec.agency_type else "Type not set"
        tx, ty = point(CX, CY, band + 190, sec.middle_degrees)
        out.append(
            f'<text x="{_n(tx)}" y="{_n(ty)}" text-anchor="middle" dominant-baseline="middle" '
            f'font-size="15" font-weight="bold" fill="#555">{_e(name)} ({sec.count})</text>'
        )
    out.append("</g>")

    placements = layout(state)
    out.append('<g class="links" fill="none">')
    for p in placements:
        rel = state.relationships[p.relationship_id]
        x1, y1 = point(CX, CY, CENTRE_R, p.angle_degrees)
        x2, y2 = point(CX, CY, _ring_radius(p.ring) - MARKER, p.angle_degrees)
        out.append(
            f'<line class="link" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
            f"{_line_attrs(rel.rel_type)}/>"
        )
    out.append("</g>")

    out.append(
        f'<circle cx="{_n(CX)}" cy="{_n(CY)}" r="{_n(CENTRE_R)}" fill="#333333"/>'
        f'<text x="{_n(CX)}" y="{_n(CY)}" text-anchor="middle" dominant-baseline="middle" '
        'font-size="13" font-weight="bold" fill="#FFFFFF">Partnership</text>'
    )
    out.append('<g class="markers">')
    for p in placements:
        out.append(_marker(state, p.relationship_id, p.ring, p.angle_degrees))
    out.append("</g>")
    if not placements:
        out.append(
            f'<text x="{_n(CX)}" y="{_n(CY + outer + 40)}" text-anchor="middle" font-size="16" '
            'fill="#444">No relationships on the map yet.</text>'
        )
    out.append(_legend(state))
    out.append("</svg>\n")
    return "".join(out)
