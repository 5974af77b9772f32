"""Stage 3: one relationship to develop, what holds it back and the next steps."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.events import Resize
from textual.widgets import (
    Checkbox,
    Static,
    TabPane,
)

from facilitator.domain import commands
from facilitator.domain.model import to_dict
from facilitator.domain.text import shorten
from facilitator.tui.dialogs import ConfirmDialog, labelled
from facilitator.tui.stages.closer_look import (
    CloserLookPane,
    tab_body,
)
from facilitator.tui.stages.closer_look_widgets import (
    ActionDialog,
    ActionTable,
    NoteArea,
)
from facilitator.tui.ticks import TickBox


class DevelopPane(CloserLookPane):
    """Stage 3: one relationship to improve, with next steps."""

    stage_id = "to-develop"
    stage_no = 3
    pick_field = "develop_relationship_id"
    prefix = "stage3"
    effect = "hinders"
    factor_hint = "What holds this relationship back? Tick all that apply."
    empty_hint = (
        "Which relationship would the group like to make better? Press ctrl+y (or Enter "
        "on Pick) to choose one, then rate it and agree next steps."
    )
    NOTE_FIELDS = {"better-looks-like": "better_looks_like"}

    BINDINGS = [
        Binding("ctrl+n", "add_step", "Add step", tooltip="Add a next step: what, who, by when"),
    ]

    def compose_tabs(self) -> ComposeResult:
        with TabPane("Holding back", id="tab-factors"), tab_body():
            yield Static(self.factor_hint, classes="focus-hint")
            with Container(classes="columns"):
                with Vertical(classes="factor-side"):
                    yield from self.compose_factor_lists()
                with Vertical(classes="factor-side"):
                    yield from self.compose_factor_extras()
        with TabPane("Better", id="tab-better"), tab_body():
            yield Static(
                "Picture this relationship working well. What would be different? "
                "What would each side be doing?",
                classes="focus-hint",
            )
            yield labelled(
                NoteArea(id="better-looks-like", draft_key="stage3.better", classes="note"),
                "What would “better” look like?",
            )
        with TabPane("Next steps", id="tab-steps"), tab_body():
            yield TickBox("Hold a facilitated conversation", id="want-conversation")
            table = ActionTable(id="steps", cursor_type="row", zebra_stripes=True)
            yield labelled(table, "Next steps")
            yield Static("", id="steps-hint", classes="focus-hint")

    def refresh_tabs(self, rid: str, force: bool) -> None:
        rel = self.state.relationships[rid]
        self.show_factors(rid)
        self.show_note(rid, "better-looks-like", force)
        box = self.query_one("#want-conversation", Checkbox)
        box.label = Text(f"Hold a facilitated conversation with {shorten(rel.name, 40)}")
        if box.value != rel.want_conversation:
            with box.prevent(Checkbox.Changed):
                box.value = rel.want_conversation
        self._fill_steps(rid)

    def _fill_steps(self, rid: str) -> None:
        table = self.query_one("#steps", ActionTable)
        row = table.cursor_row
        # Columns sized to the pane, so that "by when" is never scrolled out of sight.
        room = max(50, (self.size.width or 80) - 12)
        when_w, who_w = 14, min(30, room // 4)
        what_w = room - when_w - who_w
        table.clear(columns=True)
        table.add_column("What", width=what_w)
        table.add_column("Who", width=who_w)
        table.add_column("By when", width=when_w)
        steps = self.state.where("action", relationship_id=rid)
        for aid, action in steps:
            who = " · ".join(p for p in (action.who_org, action.who_person) if p)
            table.add_row(
                shorten(action.what, what_w),
                shorten(who, who_w) or "–",
                shorten(action.by_when, when_w) or "–",
                key=aid,
            )
        if steps:
            table.move_cursor(row=max(0, min(row, len(steps) - 1)))
        self.query_one("#steps-hint", Static).update(
            "ctrl+n adds a step · Enter changes it · Delete removes it"
            if steps
            else "No next steps yet. Press ctrl+n to add one: what, who and by when."
        )

    def on_resize(self, event: Resize) -> None:
        super().on_resize(event)
        if self.picked is not None:
            self._fill_steps(self.picked)

    @on(Checkbox.Changed, "#want-conversation")
    def _want_conversation(self, event: Checkbox.Changed) -> None:
        event.stop()
        rid = self.picked
        if rid is None or self.state.relationships[rid].want_conversation == event.value:
            return
        self.commit(commands.edit(self.state, "relationship", rid, want_conversation=event.value))

    def action_add_step(self) -> None:
        rid = self.picked
        if rid is None:
            self.app.notify("Pick the relationship to develop first (ctrl+y).", severity="warning")
            return
        rel = self.state.relationships[rid]

        def done(values: dict | None) -> None:
            if not values or self.picked != rid:
                return
            try:
                events = [commands.add(self.state, "action", relationship_id=rid, **values)]
            except commands.DomainError as exc:
                self.app.notify(str(exc), severity="warning")
                return
            if self.commit(events):
                table = self.query_one("#steps", ActionTable)
                table.move_cursor(row=table.row_count - 1)
                table.focus()

        self.show_tab("tab-steps")
        self.app.push_screen(ActionDialog(agency=rel.name), done)

    @on(ActionTable.Requested)
    def _step_requested(self, event: ActionTable.Requested) -> None:
        event.stop()
        aid = event.action_id
        action = self.state.of("action").get(aid)
        if action is None:
            return
        if event.what == "edit":

            def edited(values: dict | None) -> None:
                if values and aid in self.state.of("action"):
                    try:
                        events = commands.edit(self.state, "action", aid, **values)
                    except commands.DomainError as exc:
                        self.app.notify(str(exc), severity="warning")
                        return
                    self.commit(events)

            rel = self.state.relationships.get(self.picked or "")
            self.app.push_screen(
                ActionDialog(to_dict(action), agency=rel.name if rel else ""), edited
            )
            return

        def removed(yes: bool | None) -> None:
            if yes and aid in self.state.of("action"):
                self.commit(commands.remove(self.state, "action", aid))

        self.app.push_screen(
            ConfirmDialog(
                f"Remove the step “{shorten(action.what, 60)}”? (ctrl+z undoes it)",
                yes="Remove",
            ),
            removed,
        )
