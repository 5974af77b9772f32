"""Stage 1, all relationships: a quick, messy map of every relationship with public agencies.

Names go in as fast as the room says them (the quick-add box keeps the cursor); details
can follow at once or later. The map view is the one to project: the partnership in the
middle, agencies on rings by closeness and in sectors by type. The table view lists the
same relationships for sorting, filtering and checking.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from facilitator.domain import commands
from facilitator.domain.holders import holder_count
from facilitator.domain.model import Relationship, to_dict
from facilitator.domain.text import shorten
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.dialogs import ConfirmDialog
from facilitator.tui.stagepane import StagePane
from facilitator.tui.stages.map_entries import (
    FLAG_NOTE,
    MapEntry,
    entries_from_state,
    fit_cells,
    flag_level,
)
from facilitator.tui.stages.map_layout import ZOOMS
from facilitator.tui.stages.map_widget import RelationshipMap
from facilitator.tui.stages.relationship_dialog import RelationshipDialog, notes_draft_key
from facilitator.tui.tables import PlainTable

QUICK_ADD_KEY = "stage1.quick-add"

# Short words for the flags raised by commands.relationship_flags, by how they start.
FLAG_WORDS = (("fragile", "fragile"), ("no purpose", "no purpose"), ("possible dup", "duplicate"))


def flag_word(flag: str) -> str:
    for start, word in FLAG_WORDS:
        if flag.startswith(start):
            return word
    return flag


def flag_summary(flags: dict[str, list[str]]) -> str:
    """A count line such as "3 flags: 2 fragile, 1 duplicate" ("" when there are none)."""
    counts: Counter[str] = Counter(flag_word(f) for found in flags.values() for f in found)
    total = sum(counts.values())
    if not total:
        return ""
    order = [word for _, word in FLAG_WORDS] + sorted(set(counts) - {w for _, w in FLAG_WORDS})
    parts = [f"{counts[word]} {word}" for word in order if counts[word]]
    return f"{total} flag{'s' if total != 1 else ''}: {', '.join(parts)}"


# -- the table -------------------------------------------------------------------------------

COLUMNS = (
    ("number", "No."),
    ("name", "Name"),
    ("agency", "Agency"),
    ("kind", "Kind"),
    ("ring", "Ring"),
    ("flags", "Flags"),
    ("purposes", "Purposes"),
    ("holders", "Held by"),
    ("state", "State"),
)
SORT_NAMES = {
    "number": "order added",
    "name": "name",
    "agency": "agency type",
    "kind": "kind",
    "ring": "ring",
    "flags": "flags",
    "purposes": "purposes",
    "holders": "holders",
    "state": "state",
}


class RelationshipTable(PlainTable):
    """Every relationship as a row; Enter opens its details, s changes the sort."""

    BINDINGS = [
        Binding("s", "sort", "Sort", tooltip="Sort by the next column"),
        Binding("S", "sort_reverse", "Reverse sort", show=False),
    ]

    def action_sort(self) -> None:
        self.screen.query_one(RelationshipsPane).cycle_sort()

    def action_sort_reverse(self) -> None:
        self.screen.query_one(RelationshipsPane).reverse_sort()


class KeyList(OptionList, can_focus=False):
    """The numbered list beside the map: what each number on the map is."""


class RelationshipsPane(StagePane):
    """Quick add, the map and the table of every relationship."""

    stage_id = "all-relationships"

    BINDINGS = [
        Binding("v", "toggle_view", "Table/map", tooltip="Switch between the map and the table"),
        Binding("d", "details", "Details", tooltip="Open the selected relationship's details"),
        Binding("1", "ring(1)", "Ring", key_display="1-4", tooltip="Put it on ring 1 to 4"),
        Binding("2", "ring(2)", "Ring 2", show=False),
        Binding("3", "ring(3)", "Ring 3", show=False),
        Binding("4", "ring(4)", "Ring 4", show=False),
        Binding("0", "ring(0)", "Take off the rings", show=False),
        Binding("delete", "remove", "Remove", show=False, tooltip="Remove the selected one"),
        Binding("a", "quick_add", "Add", show=False, tooltip="Type another name"),
        Binding("escape", "switch_focus", "Add box / map", show=False),
        Binding("slash", "filter", "Filter", show=False, tooltip="Filter the table"),
    ]

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.selected: str | None = None
        self.flags: dict[str, list[str]] = {}
        self.entries: list[MapEntry] = []
        self.sort_column = "number"
        self._table_stale = True  # filled when first shown
        self.sort_reverse = False
        self._by_key: dict[str, MapEntry] = {}
        self._rows: dict[str, tuple[tuple[Any, ...], tuple[Any, ...], str]] = {}
        self._filling_table = False

    # -- building ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="rel-add-row"):
            yield Label("Add:", id="rel-add-label")
            quick = Input(
                id="rel-quick-add",
                placeholder="type an agency's name and press Enter · Esc leaves the box",
                compact=True,
            )
            quick.draft_key = QUICK_ADD_KEY
            yield quick
        with ContentSwitcher(initial="rel-map-view", id="rel-views"):
            with Horizontal(id="rel-map-view"):
                yield RelationshipMap(id="rel-map")
                with Vertical(id="rel-side"):
                    yield Static("", id="rel-legend")
                    yield KeyList(id="rel-list")
            with Vertical(id="rel-table-view"):
                with Horizontal(id="rel-filter-row"):
                    yield Label("Filter:", id="rel-filter-label")
                    yield Input(
                        id="rel-filter",
                        placeholder="type to narrow the list (name, type, notes)",
                        compact=True,
                    )
                    yield Label("", id="rel-sort")
                table = RelationshipTable(id="rel-table", cursor_type="row", zebra_stripes=True)
                for key, label in COLUMNS:
                    table.add_column(label, key=key)
                yield table
        yield Static("", id="rel-status")

    def on_mount(self) -> None:
        self.query_one("#rel-side").border_title = "Key"
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.watch(self.map, "zoom", lambda _zoom: self._update_status(), init=False)
        self.refresh_from_state()
        self.call_after_refresh(self._mention_kept_notes)

    def _theme_changed(self, _theme: Any) -> None:
        # Symbols in the key and the table take their colours from the theme.
        self.__dict__.pop("_list_specs", None)  # so the key list is drawn again in full
        self.__dict__.pop("_line_cache", None)
        self.call_after_refresh(self.refresh_from_state)

    @property
    def map(self) -> RelationshipMap:
        found = self.__dict__.get("_map_widget")
        if found is None:  # looked up once: this is asked for on every row drawn
            found = self.__dict__["_map_widget"] = self.query_one(RelationshipMap)
        return found

    @property
    def table(self) -> RelationshipTable:
        found = self.__dict__.get("_table_widget")
        if found is None:
            found = self.__dict__["_table_widget"] = self.query_one(RelationshipTable)
        return found

    @property
    def showing_table(self) -> bool:
        return self.query_one("#rel-views", ContentSwitcher).current == "rel-table-view"

    # -- from the state ----------------------------------------------------------------------

    def refresh_from_state(self) -> None:
        state = self.state
        self.flags = commands.relationship_flags(state)
        self.entries = entries_from_state(
            state, self.flags, cache=self.__dict__.setdefault("_entry_cache", {})
        )
        self._by_key = {e.key: e for e in self.entries}
        rels = state.relationships
        if self.selected not in rels:
            self.selected = self._neighbour_of_gone() if rels else None
        self.map.set_entries(self.entries)
        self.map.selected = self.selected
        self._fill_legend()
        self._fill_list()
        self._fill_table()
        self._update_status()

    def _cached_row(self, rid: str, rel: Relationship) -> tuple[Any, ...]:
        """A table row, made again only when its relationship, number or flags change.

        (Entities are replaced, never changed in place, so identity says "unchanged".)
        """
        cache = self.__dict__.setdefault("_row_cache", {})
        key = (id(rel), self._by_key[rid].number, tuple(self.flags.get(rid, ())), self.app.theme)
        kept = cache.get(rid)
        if kept is not None and kept[0] == key and kept[2] is rel:
            return kept[1]
        row = self._row(rid, rel)
        cache[rid] = (key, row, rel)
        return row

    def _neighbour_of_gone(self) -> str | None:
        """After a removal, the relationship that was next to it (or the last one)."""
        old = [e.key for e in self.entries]
        rels = self.state.relationships
        if self.selected in old:
            after = old[old.index(self.selected) + 1 :] + old[: old.index(self.selected)][::-1]
            for key in after:
                if key in rels:
                    return key
        return next(reversed(rels), None) if rels else None

    def _kind_style(self, kind: str) -> Style:
        return self.map.part_style(kind or "untyped")

    def _symbol(self, entry: MapEntry) -> Text:
        return Text(entry.symbol, style=self._kind_style(entry.kind))

    def _fill_legend(self) -> None:
        """The key: symbols for kinds of relationship and agency types, two or three a row."""
        vocab = load_vocabulary()
        text = Text(no_wrap=True, overflow="ellipsis")
        for i, term in enumerate(vocab.relationship_types):
            text.append("\n" if i == 2 else "  " if i else "")
            text.append(term.symbol, style=self._kind_style(term.id))
            text.append(f" {term.short:<9}" if i % 2 == 0 else f" {term.short}")
        for i, term in enumerate(vocab.agency_types):
            text.append("\n" if i % 3 == 0 else " ")
            text.append(
                f"{term.symbol} {term.short:<7}" if i % 3 < 2 else f"{term.symbol} {term.short}"
            )
        text.append("\nRing 1 close … 4 far  ", style="dim")
        text.append("!", style=self.map.part_style("flag-warn"))
        text.append(" flag", style="dim")
        if text != self.__dict__.get("_legend_shown"):  # it changes only with the theme
            self.__dict__["_legend_shown"] = text
            self.query_one("#rel-legend", Static).update(text)

    def _fill_list(self) -> None:
        vocab = load_vocabulary()
        types = {t.id: t.symbol for t in vocab.agency_types}
        keylist = self.query_one(KeyList)
        placed = [e for e in self.entries if e.ring is not None]
        waiting = [e for e in self.entries if e.ring is None]

        # Lines are kept from one redraw to the next: entries are frozen, so an equal
        # entry draws an equal line (the cache is emptied when the theme changes).
        cache: dict[MapEntry, Text] = self.__dict__.setdefault("_line_cache", {})
        if len(cache) > 2 * len(self.entries) + 100:
            cache.clear()

        def line(entry: MapEntry) -> Text:
            kept = cache.get(entry)
            if kept is None:
                kept = cache[entry] = draw(entry)
            return kept

        def draw(entry: MapEntry) -> Text:
            text = Text(no_wrap=True, overflow="ellipsis")
            text.append(f"{entry.number:>2} ")
            text.append_text(self._symbol(entry))
            text.append(f"{types.get(entry.sector, '·')} ")
            if entry.flag:
                style = "flag-warn" if entry.flag == "warn" else "flag-note"
                text.append("!", style=self.map.part_style(style))
            text.append(fit_cells(entry.name, 60))
            return text

        # What each line of the list shows, cheaply comparable: (id, what it shows).
        specs: list[tuple[str | None, Any]] = []
        if not self.entries:
            specs.append((None, "Nothing yet: type a name above."))
        # The headings carry no counts (the status line below the map has them): a
        # heading that changed would make the list measure all its lines again.
        if placed:
            specs.append((None, "On the map"))
            specs.extend((e.key, e) for e in placed)
        if waiting:
            specs.append((None, "Not placed yet: press 1-4"))
            specs.extend((e.key, e) for e in waiting)

        def option(spec: tuple[str | None, Any]) -> Option:
            key, shown = spec
            if key is not None:
                return Option(line(shown), id=key)
            style = "dim" if not self.entries else "bold"
            return Option(Text(shown, style=style), disabled=True)

        self._put_options(keylist, specs, option)
        self._highlight_in_list()

    def _put_options(
        self,
        keylist: KeyList,
        specs: list[tuple[str | None, Any]],
        option: Callable[[tuple[str | None, Any]], Option],
    ) -> None:
        """Show these lines, touching as little of the list as possible.

        Rebuilding a list of hundreds costs a noticeable pause after every change; the
        usual change (one more relationship, new counts in the headings) needs only
        the headings renamed and the new lines added.
        """
        old: list[tuple[str | None, Any]] = self.__dict__.get("_list_specs", [])
        self.__dict__["_list_specs"] = specs
        same_shape = len(specs) >= len(old) and all(
            a[0] == b[0] for a, b in zip(old, specs, strict=False)
        )
        if not same_shape or keylist.option_count != len(old):
            keylist.clear_options()
            keylist.add_options([option(spec) for spec in specs])
            return
        for index, (before, after) in enumerate(zip(old, specs, strict=False)):
            if before != after:
                keylist.replace_option_prompt_at_index(index, option(after).prompt)
        if len(specs) > len(old):
            keylist.add_options([option(spec) for spec in specs[len(old) :]])

    def _highlight_in_list(self) -> None:
        keylist = self.query_one(KeyList)
        if self.selected is None:
            keylist.highlighted = None
            return
        try:
            keylist.highlighted = keylist.get_option_index(self.selected)
        except Exception:  # noqa: BLE001 - the list is being rebuilt
            return
        keylist.scroll_to_highlight()

    def _uses_and_holders(self, rel: Relationship) -> tuple[list[str], list[str], list[str]]:
        """Short names of its purposes and holder roles, and the people who hold it."""
        vocab = load_vocabulary()
        purposes = [
            vocab.get("purposes", p).short for p in rel.purposes if p in vocab.ids("purposes")
        ]
        holders = [
            vocab.get("holders", h).short for h in rel.holder_roles if h in vocab.ids("holders")
        ]
        people = [
            self.state.participants[p].name
            for p in rel.holder_participants
            if p in self.state.participants
        ]
        return purposes, holders, people

    def _table_details(self, rel: Relationship) -> Text:
        """The selected row's purposes, holders and state: the columns 80 columns hide."""
        purposes, holders, people = self._uses_and_holders(rel)
        text = Text()
        text.append("For: ", style="bold")
        text.append(", ".join(purposes) or "none yet")
        text.append(" · Held by: ", style="bold")
        text.append(", ".join(holders + people) or "no one yet")
        text.append(f" · {load_vocabulary().label('relationship_states', rel.state)}")
        return text

    def _row(self, rid: str, rel: Relationship) -> tuple[tuple[Any, ...], tuple[Any, ...], str]:
        """(cells, sort keys, text to filter on) for one relationship."""
        vocab = load_vocabulary()
        number = self._by_key[rid].number
        agency = vocab.label("agency_types", rel.agency_type)
        agency_short = ""
        if rel.agency_type in vocab.ids("agency_types"):
            term = vocab.get("agency_types", rel.agency_type)
            agency_short = f"{term.symbol} {term.short}"
        sub = ""
        if rel.agency_type and rel.agency_subtype:
            try:
                sub = vocab.subtype(rel.agency_type, rel.agency_subtype).label
            except KeyError:
                sub = rel.agency_subtype
        kind = Text("–", style="dim")
        kind_label = ""
        if rel.rel_type in vocab.ids("relationship_types"):
            term = vocab.get("relationship_types", rel.rel_type)
            kind = Text(term.symbol, style=self._kind_style(term.id))
            kind.append(f" {term.short}", style="")
            kind_label = term.label
        purposes, holders, people = self._uses_and_holders(rel)
        state_label = vocab.label("relationship_states", rel.state)
        found = self.flags.get(rid, [])
        flag_text = Text()
        if found:
            level = "flag-note" if flag_level(found) == FLAG_NOTE else "flag-warn"
            flag_text.append("! ", style=self.map.part_style(level))
            flag_text.append(", ".join(flag_word(f) for f in found))
        cells = (
            Text(str(number), justify="right"),
            fit_cells(" ".join(rel.name.split()), 26),
            agency_short or Text("–", style="dim"),
            kind,
            Text(str(rel.closeness) if rel.closeness else "–", justify="center"),
            flag_text,
            shorten(", ".join(purposes), 22) if purposes else Text("none", style="dim"),
            shorten(", ".join(holders + people), 22)
            if holders or people
            else Text("–", style="dim"),
            state_label,
        )
        types = [t.id for t in vocab.agency_types]
        kinds = [t.id for t in vocab.relationship_types]
        states = [t.id for t in vocab.relationship_states]
        sort_keys = (
            number,
            rel.name.casefold(),
            types.index(rel.agency_type) if rel.agency_type in types else len(types),
            kinds.index(rel.rel_type) if rel.rel_type in kinds else len(kinds),
            rel.closeness or 9,
            -len(found),
            -len(rel.purposes),
            -holder_count(rel.holder_roles, rel.holder_participants, self.state.participants),
            states.index(rel.state) if rel.state in states else len(states),
        )
        haystack = " ".join(
            [rel.name, agency, sub, kind_label, state_label, rel.notes, *people, *purposes]
        ).casefold()
        return cells, sort_keys, haystack

    def _fill_table(self) -> None:
        """Fill the table, or, while the map is showing, leave it until it is shown.

        (Measuring hundreds of rows is the slowest part of a redraw; a hidden table
        need not pay for it on every change.)
        """
        if not self.showing_table:
            self._table_stale = True
            return
        self._table_stale = False
        table = self.table
        rels = self.state.relationships
        self._rows = {rid: self._cached_row(rid, rel) for rid, rel in rels.items()}
        needle = self.query_one("#rel-filter", Input).value.casefold().strip()
        words = needle.split()
        column = [key for key, _ in COLUMNS].index(self.sort_column)
        rows = [
            (rid, row) for rid, row in self._rows.items() if all(word in row[2] for word in words)
        ]
        rows.sort(key=lambda item: (item[1][1][column], item[1][1][0]), reverse=self.sort_reverse)
        self._filling_table = True
        try:
            table.clear()
            for rid, (cells, _keys, _hay) in rows:
                table.add_row(*cells, key=rid)
            if rows:
                keys = [rid for rid, _ in rows]
                index = keys.index(self.selected) if self.selected in keys else 0
                table.move_cursor(row=index, animate=False)
        finally:
            self._filling_table = False
        arrow = "↓" if not self.sort_reverse else "↑"
        shown = f"{len(rows)} of {len(self._rows)}" if words else f"{len(rows)}"
        self.query_one("#rel-sort", Label).update(
            f"{shown} shown · by {SORT_NAMES[self.sort_column]} {arrow} (s)"
        )

    def _update_status(self) -> None:
        rels = self.state.relationships
        status = self.query_one("#rel-status", Static)
        if not rels:
            self.__dict__["_status_shown"] = None
            status.update("No relationships yet.\nType a name above and press Enter.")
            return
        waiting = sum(1 for e in self.entries if e.ring is None)
        parts = []
        summary = flag_summary(self.flags)
        if summary:
            parts.append(summary)
        total = f"{len(rels)} relationship{'s' if len(rels) != 1 else ''}"
        parts.append(f"{total}, {waiting} not placed yet" if waiting else total)
        if self.map.zoom and not self.showing_table:
            parts.insert(0, f"Zoom {ZOOMS[self.map.zoom]:g}× (arrows move)")
        counts = Text(" · ".join(parts), no_wrap=True, overflow="ellipsis")
        text = Text("Nothing selected", style="dim")
        if self.selected in rels:
            entry = self._by_key[self.selected]
            sel = Text(f"▶ {entry.number} ", style="bold")
            sel.append_text(self._symbol(entry))
            sel.append(f" {fit_cells(entry.name, 40)}", style="bold")
            if self.showing_table:
                # The row itself shows the name; what the table's right-hand columns
                # hold is said here, so it never takes scrolling to see.
                sel = Text(f"▶ {entry.number} ", style="bold")
                sel.append_text(self._table_details(rels[self.selected]))
            else:
                found = self.flags.get(self.selected, [])
                if found:
                    sel.append(f" ! {'; '.join(found)}", style="bold")
            text = sel
        text.no_wrap, text.overflow = True, "ellipsis"
        content = Text.assemble(text, "\n", counts)
        if content != self.__dict__.get("_status_shown"):
            self.__dict__["_status_shown"] = content
            status.update(content, layout=False)  # its size is fixed: two lines

    # -- selection -----------------------------------------------------------------------

    def select(self, key: str | None, *, from_table: bool = False) -> None:
        if key is not None and key not in self.state.relationships:
            return
        self.selected = key
        self.map.selected = key
        self._highlight_in_list()
        if not from_table and key is not None and not self._table_stale:
            table = self.table
            try:
                index = table.get_row_index(key)
            except Exception:  # noqa: BLE001 - filtered out of the table
                index = None
            if index is not None and index != table.cursor_row:
                self._filling_table = True
                table.move_cursor(row=index, animate=False)
                self._filling_table = False
        self._update_status()

    @on(RelationshipMap.Selected)
    def _map_selected(self, event: RelationshipMap.Selected) -> None:
        self.select(event.key)

    @on(RelationshipMap.Opened)
    def _map_opened(self, event: RelationshipMap.Opened) -> None:
        self.select(event.key)
        self.open_details(event.key)

    @on(OptionList.OptionSelected, "#rel-list")
    def _list_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.select(event.option.id)

    @on(DataTable.RowHighlighted, "#rel-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if not self._filling_table and event.row_key.value:
            self.select(event.row_key.value, from_table=True)

    @on(DataTable.RowSelected, "#rel-table")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.select(event.row_key.value, from_table=True)
            self.open_details(event.row_key.value)

    @on(DataTable.HeaderSelected, "#rel-table")
    def _header_chosen(self, event: DataTable.HeaderSelected) -> None:
        column = str(event.column_key.value)
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self._fill_table()

    def cycle_sort(self) -> None:
        keys = [key for key, _ in COLUMNS]
        self.sort_column = keys[(keys.index(self.sort_column) + 1) % len(keys)]
        self.sort_reverse = False
        self._fill_table()

    def reverse_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._fill_table()

    # -- quick add -------------------------------------------------------------------------

    @on(Input.Submitted, "#rel-quick-add")
    def _quick_add(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            added = commands.add(self.state, "relationship", name=event.value)
        except commands.DomainError as exc:
            self.app.notify(str(exc), title="Not added", severity="warning")
            return
        if self.commit([added]):
            event.input.value = ""
            self.workshop.drafts.forget(QUICK_ADD_KEY)
            self.select(added.payload["id"])

    @on(Input.Changed, "#rel-filter")
    def _filter_changed(self) -> None:
        self._fill_table()

    @on(Input.Submitted, "#rel-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    # -- actions ---------------------------------------------------------------------------

    def action_toggle_view(self) -> None:
        switcher = self.query_one("#rel-views", ContentSwitcher)
        if self.showing_table:
            switcher.current = "rel-map-view"
            self.map.focus()
        else:
            switcher.current = "rel-table-view"
            self._fill_table()
            self.table.focus()

    def action_filter(self) -> None:
        if not self.showing_table:
            self.action_toggle_view()
        self.query_one("#rel-filter", Input).focus()

    def action_switch_focus(self) -> None:
        """Escape: from a box to the map or table, and from there back to the add box."""
        if not isinstance(self.app.focused, Input):
            self.action_quick_add()
        elif self.showing_table:
            self.table.focus()
        else:
            self.map.focus()

    def action_quick_add(self) -> None:
        self.query_one("#rel-quick-add", Input).focus()

    def action_details(self) -> None:
        if self.selected is None:
            self.app.notify("Add a relationship first: type its name and press Enter.")
            return
        self.open_details(self.selected)

    def action_ring(self, ring: int) -> None:
        if self.selected is None:
            return
        try:
            events = commands.edit(
                self.state, "relationship", self.selected, closeness=ring or None
            )
        except commands.DomainError as exc:
            self.app.notify(str(exc), severity="warning")
            return
        self.commit(events)

    def action_remove(self) -> None:
        rid = self.selected
        if rid is None:
            return
        rel = self.state.relationships[rid]
        also = ""
        info = self.state.info
        if rid == info.good_relationship_id:
            also = " It is also stage 2's good relationship."
        elif rid == info.develop_relationship_id:
            also = " It is also stage 3's relationship to develop."

        def done(yes: bool | None) -> None:
            if (
                yes
                and rid in self.state.relationships
                and self.commit(commands.remove(self.state, "relationship", rid))
            ):
                self.workshop.drafts.forget(notes_draft_key(rid))

        self.app.push_screen(
            ConfirmDialog(
                f"Remove {shorten(rel.name, 60)} from the map?{also} (ctrl+z brings it back)",
                yes="Remove",
            ),
            done,
        )

    def open_details(self, rid: str) -> None:
        if rid not in self.state.relationships:
            return
        rel = self.state.relationships[rid]
        people = [
            (pid, f"{p.name} ({load_vocabulary().label('roles', p.role)})")
            for pid, p in self.state.participants.items()
        ]
        key = notes_draft_key(rid)
        self.workshop.drafts.flush()
        draft = self.workshop.session.drafts().get(key)

        def check(values: dict[str, Any]) -> str | None:
            if rid not in self.state.relationships:
                return "This relationship has been removed."
            try:
                commands.edit(self.state, "relationship", rid, **values)
            except commands.DomainError as exc:
                return str(exc)
            return None

        def done(values: dict[str, Any] | None) -> None:
            if values is None:
                self.workshop.drafts.forget(key)
                return
            if rid not in self.state.relationships:
                return
            try:
                events = commands.edit(self.state, "relationship", rid, **values)
            except commands.DomainError as exc:
                self.app.notify(str(exc), title="Not saved", severity="error")
                return
            if self.commit(events):
                self.workshop.drafts.forget(key)
                self.select(rid)

        dialog = RelationshipDialog(
            rid,
            to_dict(rel),
            people,
            draft_notes=draft,
            typed=self.workshop.drafts.typed,
            check=check,
        )
        self.app.push_screen(dialog, done)

    def _mention_kept_notes(self) -> None:
        saved = self.workshop.session.drafts()
        waiting = [
            self.state.relationships[key.removeprefix("stage1.notes.")].name
            for key in saved
            if key.startswith("stage1.notes.")
            and key.removeprefix("stage1.notes.") in self.state.relationships
        ]
        if waiting:
            self.app.notify(
                f"Unsaved notes are kept for {shorten(', '.join(waiting), 60)}: "
                "open its details to finish them.",
                title="Notes kept",
                timeout=8,
            )

    # -- the stage ---------------------------------------------------------------------------

    def focus_first(self) -> None:
        self.query_one("#rel-quick-add", Input).focus()

    def incomplete(self) -> str:
        if not self.state.relationships:
            return "No relationships on the map yet."
        return ""
