"""Stages 2 and 3: one good relationship, and one relationship to develop.

Both stages pick one relationship from the map, rate it against the group's two
criteria and say why. Stage 2 then records what the relationship has led to and
what makes it work; stage 3 what holds it back, what "better" would look like,
the next steps and whether to hold a facilitated conversation with the agency.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.widgets import (
    Button,
    Input,
    SelectionList,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from facilitator.domain import commands
from facilitator.domain.model import Rating, Relationship
from facilitator.domain.text import shorten
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.dialogs import labelled
from facilitator.tui.stagepane import StagePane
from facilitator.tui.stages.closer_look_widgets import (
    Checklist,
    NoteArea,
    RelationshipPicker,
    ScoreBar,
    WhyInput,
    score_bar,
)

WIDE = 136  # pane width (columns) from which sections sit side by side

OUTCOME_GROUPS = (
    ("partnership", "For the partnership"),
    ("agency", "For the agency"),
    ("area", "For the area"),
)
FACTOR_GROUPS = (
    ("helps-or-hinders", "Between you and the agency"),
    ("partnership-power", "The partnership's own strength"),
)


def relationship_text(rel: Relationship, *, detail: bool = True) -> Text:
    """A relationship as symbols, name and kind, e.g. "★ ▲ Hollin Council · Ally · Council"."""
    vocab = load_vocabulary()
    text = Text(no_wrap=True, overflow="ellipsis")
    rel_type = (
        vocab.get("relationship_types", rel.rel_type)
        if _known("relationship_types", rel.rel_type)
        else None
    )
    agency = (
        vocab.get("agency_types", rel.agency_type)
        if _known("agency_types", rel.agency_type)
        else None
    )
    text.append(f"{rel_type.symbol if rel_type else '·'} ")
    text.append(f"{agency.symbol if agency else '·'} ")
    bits = [t.short or t.label for t in (rel_type, agency) if t is not None]
    if detail and bits:
        text.append(f"{rel.name} ", style="bold")
        text.append("· " + " · ".join(bits), style="dim")
    else:
        text.append(rel.name, style="bold")
    return text


def _known(kind: str, term_id: str | None) -> bool:
    return term_id is not None and term_id in load_vocabulary().ids(kind)


class CloserLookPane(StagePane):
    """What stages 2 and 3 share: the pick, the ratings and the factors."""

    stage_no = 0
    pick_field = ""  # the session field holding this stage's relationship
    prefix = ""  # start of this stage's draft keys
    effect = "helps"  # how the factors ticked here act on the relationship
    factor_hint = ""
    empty_hint = ""

    BINDINGS = [
        # ctrl+r is the workshop's Export; ctrl+t its timebox.
        Binding("ctrl+y", "pick", "Pick", show=False, tooltip="Choose the relationship to look at"),
        Binding("ctrl+o", "next_tab", "Next tab", tooltip="Open the next tab of this stage"),
    ]

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self._shown_rid: str | None = None
        self._shown_criteria: list[str] = []

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(classes="focus-top"):
            yield Static("", id="focus-heading", classes="focus-heading")
            yield Button("Pick…", id="pick", compact=True)
        yield Static("", id="focus-empty", classes="focus-empty")
        with TabbedContent(id="focus-tabs"):
            with TabPane("Rating", id="tab-rating"), tab_body():
                yield Static("", id="criteria-note", classes="focus-hint")
                with Container(classes="columns"):
                    for pos in (1, 2):
                        with Vertical(classes="criterion", id=f"criterion-{pos}"):
                            yield Static("", id=f"criterion-label-{pos}", classes="criterion-label")
                            with Horizontal(classes="rating-row"):
                                yield labelled(ScoreBar(id=f"score-{pos}"), "Score 1–5")
                                why = WhyInput(
                                    id=f"why-{pos}",
                                    classes="why",
                                    placeholder="why this score? then Enter",
                                )
                                why.draft_key = f"{self.prefix}.why.{pos}"
                                yield labelled(why, "Why?")
                yield labelled(Static("", id="compare", classes="compare"), "Side by side")
            yield from self.compose_tabs()

    def compose_tabs(self) -> ComposeResult:  # pragma: no cover - overridden
        yield from ()

    def compose_factor_lists(self) -> ComposeResult:
        """Tick boxes of the factors the method names."""
        for group, title in FACTOR_GROUPS:
            yield labelled(Checklist(id=f"factors-{group}", classes="checklist"), title)

    def compose_factor_extras(self) -> ComposeResult:
        """Factors in the group's own words, and the explanation of the highlighted one."""
        yield labelled(Checklist(id="factors-own", classes="checklist"), "In your own words")
        yield Static("", id="factor-about", classes="term-about")
        other = Input(id="factor-text", placeholder="type it, then press Enter")
        other.draft_key = f"{self.prefix}.factor"
        yield labelled(other, "Something else")

    def on_mount(self) -> None:
        self.refresh_from_state()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")

    # -- reading the state ------------------------------------------------------------------

    @property
    def picked(self) -> str | None:
        rid = getattr(self.state.info, self.pick_field)
        return rid if rid in self.state.relationships else None

    def _rating(self, rid: str, criterion_id: str) -> Rating | None:
        found = self.state.where("rating", relationship_id=rid, criterion_id=criterion_id)
        return found[0][1] if found else None

    # -- redrawing --------------------------------------------------------------------------

    def refresh_from_state(self) -> None:
        rid = self.picked
        rels = self.state.relationships
        heading = self.query_one("#focus-heading", Static)
        empty = self.query_one("#focus-empty", Static)
        tabs = self.query_one("#focus-tabs", TabbedContent)
        button = self.query_one("#pick", Button)
        tabs.display = rid is not None
        empty.display = rid is None
        button.label = "Change… (ctrl+y)" if rid else "Pick… (ctrl+y)"
        stage = load_vocabulary().get("stages", self.stage_id)
        if rid is None:
            heading.update(Text(f"{stage.short}: {stage.label}", style="bold"))
            if rels:
                empty.update(self.empty_hint)
            else:
                empty.update(
                    "There are no relationships on the map yet. Add them in Stage 1 (F4), "
                    "then come back here to pick one."
                )
            self._shown_rid = None
            return
        heading.update(relationship_text(rels[rid]))
        force = rid != self._shown_rid
        self._shown_rid = rid
        self._refresh_rating(rid, force)
        self.refresh_tabs(rid, force)

    def refresh_tabs(self, rid: str, force: bool) -> None:
        """Redraw the stage's own tabs."""

    def _refresh_rating(self, rid: str, force: bool) -> None:
        vocab = load_vocabulary()
        chosen = commands.chosen_criteria(self.state)
        criteria_changed = chosen != self._shown_criteria
        self._shown_criteria = list(chosen)
        note = self.query_one("#criteria-note", Static)
        if len(chosen) < 2:
            note.update(
                "Choose two criteria first (F3). Everything else on this stage can be "
                "filled in meanwhile."
            )
        else:
            note.update("Score each from 1 (weak) to 5 (strong), then say why.")
        own_words = {
            c.criterion_id: c.own_words for c in self.state.of("criterion_choice").values()
        }
        for pos in (1, 2):
            box = self.query_one(f"#criterion-{pos}", Vertical)
            cid = chosen[pos - 1] if len(chosen) >= pos else None
            box.display = cid is not None
            if cid is None:
                continue
            term = vocab.get("criteria", cid)
            label = Text()
            label.append(f"{term.label}  ", style="bold")
            words = own_words.get(cid) or ""
            if words:
                label.append(f"in your words: “{shorten(words, 120)}”", style="italic")
            else:
                label.append(term.description, style="dim")
            self.query_one(f"#criterion-label-{pos}", Static).update(label)
            rating = self._rating(rid, cid)
            bar = self.query_one(f"#score-{pos}", ScoreBar)
            bar.criterion_id = cid
            bar.score = rating.score if rating else None
            why = self.query_one(f"#why-{pos}", Input)
            why.draft_key = f"{self.prefix}.why.{cid}"
            why.criterion_id = cid
            sync_text(why, rating.why if rating else "", force=force or criteria_changed)
        self.query_one("#compare", Static).update(self._comparison(chosen))

    def _comparison(self, chosen: list[str]) -> Table | Text:
        """Both stages' relationships against both criteria, as dots and numbers."""
        vocab = load_vocabulary()
        if not chosen:
            return Text("Scores show here once two criteria are chosen (F3).", style="dim")
        table = Table(box=None, padding=(0, 2, 0, 0), expand=False, show_edge=False)
        table.add_column("")
        for cid in chosen:
            term = vocab.get("criteria", cid)
            table.add_column(term.short or term.label, no_wrap=True)
        info = self.state.info
        rows = (
            ("Good", "good-relationship", info.good_relationship_id),
            ("To develop", "to-develop", info.develop_relationship_id),
        )
        for title, stage_id, rid in rows:
            mark = "▶ " if stage_id == self.stage_id else "  "
            rel = self.state.relationships.get(rid) if rid else None
            label = Text(mark + title + ": ", style="bold" if mark.strip() else "")
            if rel is None:
                label.append("not picked yet", style="dim italic")
                table.add_row(label, *["" for _ in chosen])
                continue
            label.append(shorten(rel.name, 28))
            cells = []
            for cid in chosen:
                rating = self._rating(rid, cid)
                score = rating.score if rating else None
                cells.append(
                    Text(f"{score_bar(score)} {score}") if score else Text("not rated", "dim")
                )
            table.add_row(label, *cells)
        return table

    # -- picking ------------------------------------------------------------------------------

    @on(Button.Pressed, "#pick")
    def _pick_pressed(self) -> None:
        self.action_pick()

    def save_typing(self) -> None:
        """Save text typed here but not saved yet, while it still belongs to this pick."""
        for why in self.query(".why").results(Input):
            if why.value != getattr(why, "_from_state", why.value):
                self._save_why(why)
        for area in self.query(NoteArea):
            if area.text != getattr(area, "_from_state", area.text):
                self._save_note(area)

    def action_pick(self) -> None:
        self.save_typing()
        rels = self.state.relationships
        if not rels:
            self.app.notify(
                "There are no relationships on the map yet: add them in Stage 1 (F4).",
                severity="warning",
            )
            return
        info = self.state.info
        elsewhere = {
            info.good_relationship_id: "stage 2",
            info.develop_relationship_id: "stage 3",
        }
        options = []
        for rid, rel in rels.items():
            text = relationship_text(rel)
            note = elsewhere.get(rid)
            if note and rid != self.picked:
                text.append(f"  ({note})", style="italic")
            text.no_wrap = True
            haystack = " ".join([rel.name, text.plain])
            options.append((rid, text, haystack))

        def check(rid: str) -> str | None:
            try:
                commands.pick_for_stage(self.state, self.stage_id, rid)
            except commands.DomainError as exc:
                return str(exc)
            return None

        def done(rid: str | None) -> None:
            if rid is None:
                return
            try:
                events = commands.pick_for_stage(self.state, self.stage_id, rid)
            except commands.DomainError as exc:
                self.app.notify(str(exc), severity="warning")
                return
            if self.commit(events):
                self.show_tab("tab-rating")

        stage = load_vocabulary().get("stages", self.stage_id)
        self.app.push_screen(
            RelationshipPicker(f"{stage.short}: {stage.label}", options, self.picked, check), done
        )

    # -- rating -------------------------------------------------------------------------------

    @on(ScoreBar.Scored)
    def _scored(self, event: ScoreBar.Scored) -> None:
        event.stop()
        rid, cid = self.picked, event.bar.criterion_id
        if rid is None or not cid:
            return
        rating = self._rating(rid, cid)
        if rating is None and event.score is None:
            return
        try:
            events = commands.rate(self.state, rid, cid, event.score, rating.why if rating else "")
        except commands.DomainError as exc:
            self.app.notify(str(exc), severity="warning")
            return
        self.commit(events)

    @on(Input.Submitted, ".why")
    def _why_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save_why(event.input)
        if event.input.id == "why-1" and self.query_one("#criterion-2").display:
            self.query_one("#score-2", ScoreBar).focus()

    @on(Input.Blurred, ".why")
    def _why_blurred(self, event: Input.Blurred) -> None:
        self._save_why(event.input)

    def _save_why(self, widget: Input) -> None:
        rid, cid = self.picked, getattr(widget, "criterion_id", None)
        if rid is None or cid is None or cid not in commands.chosen_criteria(self.state):
            return
        rating = self._rating(rid, cid)
        if rating is None and not widget.value.strip():
            self.workshop.drafts.forget(widget.draft_key)
            return
        try:
            events = commands.rate(
                self.state, rid, cid, rating.score if rating else None, widget.value
            )
        except commands.DomainError as exc:
            self.app.notify(str(exc), severity="warning")
            return
        if self.commit(events):
            widget._from_state = widget.value
            self.workshop.drafts.forget(widget.draft_key)

    # -- tick boxes ---------------------------------------------------------------------------

    def show_factors(self, rid: str) -> None:
        vocab = load_vocabulary()
        ticked = {
            f"v:{f.factor_id}"
            for _fid, f in self.state.where("factor", relationship_id=rid, effect=self.effect)
            if f.factor_id
        }
        for group, _title in FACTOR_GROUPS:
            items = [(f"v:{t.id}", t.label) for t in vocab.factors if t.group == group]
            self.query_one(f"#factors-{group}", Checklist).show(items, ticked)
        own = [
            (f"t:{fid}", shorten(f.notes, 200))
            for fid, f in self.state.where("factor", relationship_id=rid, effect=self.effect)
            if not f.factor_id
        ]
        own_list = self.query_one("#factors-own", Checklist)
        own_list.show(own, {value for value, _ in own})
        own_list.display = bool(own)

    @on(Checklist.Highlighted)
    def _explain(self, event: Checklist.Highlighted) -> None:
        """Say what the highlighted item means, just below its list."""
        list_id = event.checklist.id or ""
        if list_id.startswith("factors-"):
            kind, about = "factors", self.query_one("#factor-about", Static)
        else:
            kind = "outcomes"
            about = self.query_one(f"#about-{list_id}", Static)
            for other in self.query(".outcome-about").results(Static):
                other.display = other is about
        value = event.value or ""
        if value.startswith("v:"):
            term = load_vocabulary().get(kind, value[2:])
            about.update(Text(term.description, style="italic"))
        else:
            about.update(Text("Untick to remove it; ctrl+z brings it back.", style="italic"))

    @on(SelectionList.SelectionToggled)
    def _toggled(self, event: SelectionList.SelectionToggled) -> None:
        event.stop()
        rid = self.picked
        list_id = event.selection_list.id or ""
        value = str(event.selection.value)
        if rid is None:
            return
        try:
            if list_id.startswith("factors-"):
                events = self._factor_events(rid, value)
            else:
                events = self._outcome_events(rid, list_id.removeprefix("outcomes-"), value)
        except commands.DomainError as exc:
            self.app.notify(str(exc), severity="warning")
            self.refresh_from_state()
            return
        if not self.commit(events):
            self.refresh_from_state()
        elif value.startswith("t:"):
            self.app.notify("Removed. ctrl+z puts it back.", timeout=4)

    def _factor_events(self, rid: str, value: str) -> list[Any]:
        if value.startswith("t:"):
            return commands.remove(self.state, "factor", value[2:])
        factor_id = value[2:]
        found = self.state.where(
            "factor", relationship_id=rid, factor_id=factor_id, effect=self.effect
        )
        if found:
            return [e for fid, _f in found for e in commands.remove(self.state, "factor", fid)]
        return [
            commands.add(
                self.state, "factor", relationship_id=rid, factor_id=factor_id, effect=self.effect
            )
        ]

    def _outcome_events(self, rid: str, group: str, value: str) -> list[Any]:
        """Events for ticking an outcome (only stage 2 records outcomes)."""
        return []

    @on(Input.Submitted, "#factor-text")
    def _own_factor(self, event: Input.Submitted) -> None:
        self._add_own_words(event, "factor", factor_id=None, effect=self.effect, notes=event.value)

    def _add_own_words(self, event: Input.Submitted, kind: str, **fields: Any) -> None:
        """Add an item in the group's own words from a box, then empty the box."""
        event.stop()
        rid = self.picked
        if rid is None or not event.value.strip():
            return
        try:
            events = [commands.add(self.state, kind, relationship_id=rid, **fields)]
        except commands.DomainError as exc:
            self.app.notify(str(exc), severity="warning")
            return
        if self.commit(events):
            event.input.value = ""
            self.workshop.drafts.forget(event.input.draft_key)

    # -- notes ----------------------------------------------------------------------------------

    NOTE_FIELDS: dict[str, str] = {}

    @on(NoteArea.Left)
    def _note_left(self, event: NoteArea.Left) -> None:
        event.stop()
        self._save_note(event.area)

    def _save_note(self, area: NoteArea) -> None:
        rid = self.picked
        field = self.NOTE_FIELDS.get(area.id or "")
        if rid is None or field is None:
            return
        try:
            events = commands.edit(self.state, "relationship", rid, **{field: area.text})
        except commands.DomainError as exc:
            self.app.notify(str(exc), severity="warning")
            return
        if self.commit(events):
            area._from_state = area.text
            self.workshop.drafts.forget(area.draft_key)

    def show_note(self, rid: str, area_id: str, force: bool) -> None:
        field = self.NOTE_FIELDS[area_id]
        sync_text(
            self.query_one(f"#{area_id}", NoteArea),
            getattr(self.state.relationships[rid], field),
            force=force,
        )

    # -- moving about ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in ("add_step", "next_tab") or not self.is_mounted:
            return True
        tabs = self.query_one("#focus-tabs", TabbedContent)
        if action == "next_tab":
            return tabs.display
        return tabs.display and tabs.active == "tab-steps"

    def action_next_tab(self) -> None:
        tabs = self.query_one("#focus-tabs", TabbedContent)
        if not tabs.display:
            return
        ids = [pane.id for pane in tabs.query(TabPane)]
        self.show_tab(ids[(ids.index(tabs.active) + 1) % len(ids)])

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()

    def show_tab(self, tab_id: str) -> None:
        tabs = self.query_one("#focus-tabs", TabbedContent)
        if tabs.active != tab_id:
            # Let go of the focus first: widgets being hidden would otherwise pass it on.
            self.screen.set_focus(None)
            tabs.active = tab_id
        self.call_after_refresh(self._focus_in_tab)

    def _focus_in_tab(self) -> None:
        tabs = self.query_one("#focus-tabs", TabbedContent)
        pane = tabs.get_pane(tabs.active)
        for widget in pane.query("*"):
            if widget.focusable and _shown(widget, pane):
                # The first field sits at the top: keep the tab's opening words in view.
                widget.focus(scroll_visible=False)
                return

    def focus_first(self) -> None:
        if self.picked is None:
            self.query_one("#pick", Button).focus()
            return
        self._focus_in_tab()

    def incomplete(self) -> str:
        rid = self.picked
        if rid is None:
            return f"No relationship has been picked for stage {self.stage_no} yet."
        chosen = commands.chosen_criteria(self.state)
        rated = [cid for cid in chosen if (r := self._rating(rid, cid)) and r.score]
        if len(chosen) < 2 or len(rated) < 2:
            return "Not rated against both criteria yet."
        return ""


class TabBody(VerticalScroll, inherit_bindings=False):
    """A tab's scrolling body, without keys of its own.

    It never takes the focus (the fields inside do, and scroll into view), and it
    leaves keys such as ctrl+PgUp/ctrl+PgDn to the workshop screen, which uses them
    to move between stages.
    """


def tab_body() -> TabBody:
    return TabBody(classes="tab-body", can_focus=False)


def _shown(widget: Any, stop: Any) -> bool:
    """Whether a widget and all its parents up to ``stop`` are displayed."""
    node = widget
    while node is not None and node is not stop:
        if not node.display:
            return False
        node = node.parent
    return True


def sync_text(widget: Input | TextArea, value: str, *, force: bool = False) -> None:
    """Show the saved text in a field, unless someone is typing in it or has unsaved text."""
    current = widget.value if isinstance(widget, Input) else widget.text
    shown = getattr(widget, "_from_state", None)
    if not force and (widget.has_focus or (shown is not None and current != shown)):
        return
    if current != value:
        with widget.prevent(Input.Changed, TextArea.Changed):
            if isinstance(widget, Input):
                widget.value = value
            else:
                widget.text = value
    widget._from_state = value
    if isinstance(widget, WhyInput) and not widget.has_focus:
        widget.show_start()
