"""The stage 1 ring map widget: paints a :class:`MapLayout` and handles keys, zoom and pan.

The layout itself (which cell shows what) is pure and lives in
:mod:`facilitator.tui.stages.map_layout`.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive, var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from facilitator.tui.stages.map_entries import FLAG_WARN, MapEntry, sector_labels
from facilitator.tui.stages.map_layout import (
    CONTINUED,
    FLAG,
    MARKER,
    NAME,
    NUMBER,
    ZOOMS,
    Cell,
    MapLayout,
    layout_map,
)


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
