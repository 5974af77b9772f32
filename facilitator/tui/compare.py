"""The Compare view: what changed between an earlier session and a later one.

Two ring maps side by side (drawn as the stage 1 map is, by
:func:`facilitator.tui.stages.map_layout.layout_map` on the shared geometry of
:mod:`facilitator.domain.mapgeometry`), the same number marking the same
relationship on both. On the later map an arrow replaces the marker of a relationship
that moved: ``↑`` closer, ``↓`` further out; ``+`` marks a new one, and on the earlier
map ``×`` marks one that has gone. Below the maps, every change in words.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from facilitator.domain.mapgeometry import ring_or_none, sector_key
from facilitator.domain.model import SessionState
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.history.compare import Comparison, compare
from facilitator.history.report import summary_lines
from facilitator.tui.guard import Guarded
from facilitator.tui.stages.map_entries import MapEntry
from facilitator.tui.stages.map_layout import (
    CENTRE,
    MARKER,
    NUMBER,
    RING,
    RING_NUMBER,
    SECTOR,
    layout_map,
)

NEW_MARK, GONE_MARK, CLOSER_MARK, FURTHER_MARK = "+", "×", "↑", "↓"
_STYLES = {
    RING: "dim",
    RING_NUMBER: "dim",
    SECTOR: "italic dim",
    CENTRE: "bold reverse",
    NUMBER: "",
}
_MARK_STYLES = {
    NEW_MARK: "bold green",
    GONE_MARK: "bold red",
    CLOSER_MARK: "bold cyan",
    FURTHER_MARK: "bold yellow",
}


def map_entries(cmp: Comparison, side: str) -> list[MapEntry]:
    """The map entries of one side (``before`` or ``after``), numbered as in ``cmp``."""
    vocab = load_vocabulary()
    symbols = {t.id: t.symbol or "·" for t in vocab.relationship_types}
    types = vocab.ids("agency_types")
    out = []
    for number, change in enumerate(cmp.relationships, start=1):
        key = change.before_id if side == "before" else change.after_id
        if key is None:
            continue
        ring = change.ring_before if side == "before" else change.ring_after
        kind = (change.type_before if side == "before" else change.type_after) or ""
        symbol = symbols.get(kind, "·")
        if side == "before" and change.status == "gone":
            symbol = GONE_MARK
        elif side == "after" and change.status == "new":
            symbol = NEW_MARK
        elif side == "after" and change.movement in ("closer", "further"):
            symbol = CLOSER_MARK if change.movement == "closer" else FURTHER_MARK
        out.append(
            MapEntry(
                key=f"{side}:{number}",
                number=number,
                name=change.name,
                ring=ring_or_none(ring),
                sector=sector_key(change.agency_type, types),
                kind=kind,
                symbol=symbol,
            )
        )
    return out


def text_map(cmp: Comparison, side: str, width: int, height: int) -> Text:
    """One side's map as styled text, ``width`` x ``height`` cells."""
    layout = layout_map(map_entries(cmp, side), width, height, name_widths=[])
    out = Text(no_wrap=True, overflow="crop")
    for y, row in enumerate(layout.grid):
        if y:
            out.append("\n")
        for cell in row:
            if cell is None:
                out.append(" ")
            elif cell.role == "continued":
                continue
            elif cell.role == MARKER:
                out.append(cell.text, _MARK_STYLES.get(cell.text, "bold"))
            else:
                out.append(cell.text, _STYLES.get(cell.role, ""))
    return out


def change_lines(cmp: Comparison) -> Text:
    """Every change in words, one relationship or action a line."""
    out = Text()
    lines = summary_lines(cmp)
    out.append("In short: ", "bold")
    out.append("; ".join(lines) if lines else "nothing changed.")
    for number, change in enumerate(cmp.relationships, start=1):
        if change.status == "same":
            continue
        what = {"new": "new", "gone": "gone"}.get(change.status) or "; ".join(change.changes())
        out.append(f"\n{number}. ", "bold")
        out.append(change.name, "bold")
        out.append(f": {what}")
    changed_actions = [a for a in cmp.actions if a.changed]
    if changed_actions:
        out.append("\nActions", "bold underline")
        for action in changed_actions:
            out.append(f"\n  {action.outcome}: ", "bold")
            out.append(action.what)
    return out


class CompareScreen(Guarded, Screen[None]):
    """Two sessions side by side: the maps, then the changes."""

    DEFAULT_CSS = """
    CompareScreen { layout: vertical; }
    CompareScreen #compare-title { height: 1; text-style: bold; padding: 0 1; }
    CompareScreen #compare-maps { height: 11; }
    CompareScreen .compare-map { width: 1fr; height: 11; padding: 0 1; }
    CompareScreen #compare-legend { height: 1; padding: 0 1; color: $text-muted; }
    CompareScreen #compare-changes { height: 1fr; padding: 0 1; }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to where you were"),
        Binding("m", "toggle_maps", "Maps", tooltip="Show or hide the two maps"),
    ]

    def __init__(self, before: SessionState, after: SessionState) -> None:
        super().__init__()
        self.before = before
        self.after = after
        self.comparison = compare(before, after)

    def compose(self) -> ComposeResult:
        a, b = self.comparison.before, self.comparison.after
        area = b.area or a.area
        heading = f"What changed · {area + ' · ' if area else ''}{a.date} → {b.date}"
        title = Static(Text(heading, no_wrap=True, overflow="ellipsis"), id="compare-title")
        title.tooltip = f"Before: {a.title}\nAfter: {b.title}"
        yield title
        with Horizontal(id="compare-maps"):
            yield Static(id="map-before", classes="compare-map")
            yield Static(id="map-after", classes="compare-map")
        yield Static(
            f"Left: before. Right: after.  {NEW_MARK} new  {GONE_MARK} gone  "
            f"{CLOSER_MARK} closer  {FURTHER_MARK} further",
            id="compare-legend",
            markup=False,
        )
        with VerticalScroll(id="compare-changes"):
            yield Static(change_lines(self.comparison), id="compare-lines")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#compare-changes").focus()

    def on_resize(self) -> None:
        self._draw_maps()

    def _draw_maps(self) -> None:
        for side in ("before", "after"):
            widget = self.query_one(f"#map-{side}", Static)
            width = max((widget.size.width or (self.app.size.width // 2 - 2)), 10)
            height = max((widget.size.height or 11) - 1, 5)
            info = self.comparison.before if side == "before" else self.comparison.after
            heading = Text(f"{side.capitalize()} · {info.date}", "bold", no_wrap=True)
            heading.truncate(width)
            widget.update(
                Text("\n").join([heading, text_map(self.comparison, side, width, height)])
            )

    def action_toggle_maps(self) -> None:
        maps = self.query_one("#compare-maps")
        maps.display = not maps.display

    def action_back(self) -> None:
        self.app.pop_screen()


def show_compare(app, before_path: Path, after: Path | SessionState) -> None:  # type: ignore[no-untyped-def]
    """Read the sessions and push the Compare view; a one-line message if one cannot be read.

    ``after`` is a file, or the state of the session that is open.
    """
    from facilitator.history.files import read_session
    from facilitator.store.errors import SessionFileError

    try:
        before = read_session(before_path, verify=False).state
        later = (
            after if isinstance(after, SessionState) else read_session(after, verify=False).state
        )
    except SessionFileError as exc:
        app.notify(str(exc), severity="error")
        return
    if later.info.date and before.info.date and later.info.date < before.info.date:
        before, later = later, before
    app.push_screen(CompareScreen(before, later))
