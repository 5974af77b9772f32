"""A comparison (or a timeline) as a file: Markdown, an HTML page with both maps, or JSON.

The documents are built with the notes' own blocks (:mod:`facilitator.export.document`)
and rendered by the notes' own renderers, so every piece of user text is escaped the
same way as in the session notes.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from facilitator.domain.model import SessionState
from facilitator.export import common as c
from facilitator.export import htmlpage, markdown
from facilitator.export.document import Document, MapPicture, Span, plain
from facilitator.history.compare import (
    DONE,
    DROPPED,
    NEW,
    NOT_CARRIED,
    STILL_OPEN,
    UNDER_WAY,
    Comparison,
    compare,
)
from facilitator.history.timeline import Timeline

COMPARE_FORMATS = ("md", "html", "json")

_ACTION_ORDER = (DONE, UNDER_WAY, DROPPED, STILL_OPEN, NOT_CARRIED, NEW)


def _ring(ring: int | None) -> str:
    return str(ring) if ring else "not placed"


def _criteria(ids: tuple[str, ...]) -> str:
    return " and ".join(c.label("criteria", i) for i in ids) or "not chosen"


def summary_lines(cmp: Comparison) -> list[str]:
    """The headline changes as short sentences, biggest first (also used by the TUI)."""
    counts = cmp.counts()
    phrases = {
        "new": "New relationships",
        "gone": "Relationships gone",
        "closer": "Moved closer",
        "further": "Moved further out",
        "type changed": "Changed type",
        "holders changed": "Held by different people",
        "became fragile": "Became fragile (one person holds them)",
        "became safe": "No longer fragile",
        "ratings up": "Ratings up",
        "ratings down": "Ratings down",
        "actions done": "Earlier actions done",
        "actions under way": "Earlier actions under way",
        "actions dropped": "Earlier actions dropped",
        "new actions": "New actions",
    }
    return [f"{text}: {counts[k]}" for k, text in phrases.items() if counts[k]]


def build_document(cmp: Comparison) -> Document:
    a, b = cmp.before, cmp.after
    doc = Document(f"What changed: {a.title} → {b.title}")
    doc.h(1, "What changed")
    doc.fields(
        [
            ("Before", plain(f"{a.title} ({a.date})" if a.date else a.title)),
            ("After", plain(f"{b.title} ({b.date})" if b.date else b.title)),
            ("Area", plain(b.area or a.area)),
            (
                "Linked",
                plain(
                    "yes: the later session was carried forward from the earlier one"
                    if cmp.linked
                    else "no: relationships are matched by name"
                ),
            ),
            ("Criteria before", plain(_criteria(a.criteria))),
            ("Criteria after", plain(_criteria(b.criteria))),
        ]
    )
    for note in cmp.notes:
        doc.p(Span(note, "i"))
    lines = summary_lines(cmp)
    doc.h(2, "In short")
    if lines:
        doc.bullets([plain(line) for line in lines])
    else:
        doc.p("Nothing changed between the two sessions.")
    doc.blocks.append(MapPicture())

    doc.h(2, "Relationships")
    rows = []
    for number, r in enumerate(cmp.relationships, start=1):
        if r.status == "same":
            continue
        what = {"new": "new", "gone": "gone"}.get(r.status) or "; ".join(r.changes())
        rows.append(
            [
                plain(str(number)),
                plain(r.name),
                plain(_ring(r.ring_before) if r.before_id else "–"),
                plain(_ring(r.ring_after) if r.after_id else "–"),
                plain(what),
            ]
        )
    if rows:
        doc.table(["#", "Relationship", "Ring before", "Ring after", "What changed"], rows, {0})
    else:
        doc.p("No relationship changed.")
    unchanged = [r.name for r in cmp.relationships if r.status == "same"]
    if unchanged:
        doc.p(Span("Unchanged: ", "b"), ", ".join(unchanged))

    rating_rows = []
    for r in cmp.relationships:
        for x in r.ratings:
            if x.direction not in ("up", "down"):
                continue  # rated in one session only: nothing to compare
            rating_rows.append(
                [
                    plain(r.name),
                    plain(c.label("criteria", x.criterion_id)),
                    plain(f"{x.score_before or '–'} → {x.score_after or '–'} ({x.direction})"),
                    plain(x.why_before),
                    plain(x.why_after),
                ]
            )
    if rating_rows:
        doc.h(2, "Ratings")
        doc.table(["Relationship", "Criterion", "Score", "Why, before", "Why, after"], rating_rows)

    if cmp.actions:
        doc.h(2, "Actions")
        ordered = sorted(cmp.actions, key=lambda x: _ACTION_ORDER.index(x.outcome))
        doc.table(
            ["Action", "Who", "Then", "Now"],
            [
                [
                    plain(x.what),
                    plain(x.who),
                    plain(c.label("action_statuses", x.status_before, "–")),
                    plain(x.outcome),
                ]
                for x in ordered
            ],
        )
    return doc


def to_markdown(cmp: Comparison) -> str:
    return markdown.render(build_document(cmp))


def to_html(before: SessionState, after: SessionState, cmp: Comparison | None = None) -> str:
    from facilitator.history.comparemap import to_compare_svg

    cmp = cmp or compare(before, after)
    return htmlpage.render(build_document(cmp), to_compare_svg(before, after, cmp))


def comparison_document(cmp: Comparison) -> dict[str, Any]:
    """The comparison as plain data, with the derived status of each change spelled out."""
    doc = asdict(cmp)
    doc["format"] = "facilitator-comparison"
    doc["counts"] = cmp.counts()
    for item, r in zip(doc["relationships"], cmp.relationships, strict=True):
        item.update(status=r.status, movement=r.movement, fragility=r.fragility)
        item["changes"] = r.changes()
        for rating, x in zip(item["ratings"], r.ratings, strict=True):
            rating["direction"] = x.direction
    for item, x in zip(doc["actions"], cmp.actions, strict=True):
        item["outcome"] = x.outcome
    return doc


def _dumps(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def to_json(cmp: Comparison) -> str:
    return _dumps(comparison_document(cmp))


def render_comparison(before: SessionState, after: SessionState, fmt: str) -> str:
    """A comparison of two sessions in one of :data:`COMPARE_FORMATS`."""
    cmp = compare(before, after)
    if fmt == "md":
        return to_markdown(cmp)
    if fmt == "html":
        return to_html(before, after, cmp)
    if fmt == "json":
        return to_json(cmp)
    raise ValueError(f"Unknown format {fmt!r}; choose one of: {', '.join(COMPARE_FORMATS)}.")


# -- timelines --------------------------------------------------------------------------


def _cell(point: Any) -> str:
    if point is None:
        return "–"
    text = f"ring {point.ring}" if point.ring else "not placed"
    if point.state != "active":
        text += f", {c.label('relationship_states', point.state).lower()}"
    if point.fragile:
        text += ", fragile"
    return text


def build_timeline_document(tl: Timeline) -> Document:
    doc = Document("Relationships over time")
    doc.h(1, "Relationships over time")
    doc.bullets([plain(f"{date}: {title}" if date else title) for title, date in tl.sessions])
    header = [
        "Relationship",
        *[date or f"Session {i + 1}" for i, (_, date) in enumerate(tl.sessions)],
    ]
    header.append("Over the whole time")
    rows = [
        [plain(r.name), *[plain(_cell(p)) for p in r.points], plain(r.trend())]
        for r in tl.relationships
    ]
    doc.table(header, rows)
    return doc


def render_timeline(tl: Timeline, fmt: str) -> str:
    if fmt == "md":
        return markdown.render(build_timeline_document(tl))
    if fmt == "html":
        return htmlpage.render(build_timeline_document(tl), "")
    if fmt == "json":
        doc = asdict(tl)
        doc["format"] = "facilitator-timeline"
        for item, r in zip(doc["relationships"], tl.relationships, strict=True):
            item["trend"] = r.trend()
        return _dumps(doc)
    raise ValueError(f"Unknown format {fmt!r}; choose one of: {', '.join(COMPARE_FORMATS)}.")
