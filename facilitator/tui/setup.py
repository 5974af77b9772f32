"""Setup: the session's details and who is in the room."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select

from facilitator.domain import commands
from facilitator.domain.text import shorten
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.dialogs import ConfirmDialog, ParticipantDialog
from facilitator.tui.stagepane import StagePane
from facilitator.tui.tables import PlainTable

SESSION_INPUTS = ("title", "area", "date", "facilitator")


class ParticipantTable(PlainTable):
    BINDINGS = [
        Binding("enter", "edit_participant", "Edit"),
        Binding("delete,backspace", "remove_participant", "Remove"),
        Binding("space", "toggle_consent", "Consent"),
    ]

    def action_edit_participant(self) -> None:
        self.screen.query_one(SetupPane).edit_selected()

    def action_remove_participant(self) -> None:
        self.screen.query_one(SetupPane).remove_selected()

    def action_toggle_consent(self) -> None:
        self.screen.query_one(SetupPane).toggle_consent()


class SetupPane(StagePane):
    """Title, area, date, venue, facilitator, and the participants."""

    stage_id = "setup"
    BINDINGS = [
        Binding(
            "ctrl+n",
            "add_participant",
            "Add person",
            tooltip="Add a participant with all their details",
        )
    ]

    def compose(self) -> ComposeResult:
        vocab = load_vocabulary()
        with Horizontal(classes="form-row"):
            yield self._input("title", "Title", "what this workshop is called")
            yield self._input("area", "Area", "the neighbourhood")
        with Horizontal(classes="form-row"):
            yield self._input("date", "Date", "YYYY-MM-DD", classes="narrow")
            venue = Select(
                [(t.label, t.id) for t in vocab.venue_modes],
                allow_blank=False,
                id="venue_mode",
                classes="narrow",
            )
            venue.border_title = "Venue"
            yield venue
            yield self._input("facilitator", "Facilitator", "who is running it")
        yield Label("", id="participants-heading", classes="section-heading")
        yield Label("", id="carried-consent", classes="section-heading", markup=False)
        table = ParticipantTable(id="participants", cursor_type="row", zebra_stripes=True)
        table.add_columns("Name", "Role", "Agency", "Named?", "Here?")
        yield table
        with Horizontal(classes="form-row"):
            add = Input(
                id="new-participant",
                placeholder="Type a name and press Enter to add someone",
            )
            add.border_title = "Add participant"
            add.draft_key = "setup.new-participant"
            yield add
            role = Select(
                [(t.label, t.id) for t in vocab.roles],  # named as in the participant dialog
                allow_blank=False,
                value="resident-member",
                id="new-role",
                classes="role",
            )
            role.border_title = "Role"
            yield role

    def _input(self, field: str, label: str, placeholder: str, classes: str = "") -> Input:
        widget = Input(id=field, placeholder=placeholder, classes=classes)
        widget.border_title = label
        widget.draft_key = f"setup.{field}"
        return widget

    def on_mount(self) -> None:
        self.refresh_from_state()

    def refresh_from_state(self) -> None:
        info = self.state.info
        for field in SESSION_INPUTS:
            widget = self.query_one(f"#{field}", Input)
            if not widget.has_focus:
                widget.value = getattr(info, field)
        venue = self.query_one("#venue_mode", Select)
        if venue.value != info.venue_mode:
            with venue.prevent(Select.Changed):
                venue.value = info.venue_mode
        self._fill_table()

    def _fill_table(self) -> None:
        vocab = load_vocabulary()
        table = self.query_one(ParticipantTable)
        row = table.cursor_row
        table.clear()
        people = self.state.participants
        for pid, p in people.items():
            table.add_row(
                shorten(p.name, 28),
                vocab.get("roles", p.role).short if p.role in vocab.ids("roles") else p.role,
                shorten(p.agency, 18),
                "yes" if p.consent_named else "no",
                "yes" if p.present else "no",
                key=pid,
            )
        if people:
            table.move_cursor(row=min(row, len(people) - 1))
        self._show_carried_note()
        here = sum(1 for p in people.values() if p.present)
        self.query_one("#participants-heading", Label).update(
            f"Participants: {len(people)} ({here} here)"
            if people
            else "Participants: none yet. Type a name below and press Enter."
        )

    def _show_carried_note(self) -> None:
        """In a session carried forward, a reminder to ask everyone about being named."""
        note = self.query_one("#carried-consent", Label)
        info = self.state.info
        waiting = [p for p in self.state.participants.values() if not p.consent_named]
        note.display = bool(info.origin_title and waiting)
        if note.display:
            note.update("Carried forward: ask everyone again if they can be named (space).")
            note.tooltip = f"Started from {info.origin_title} ({info.origin_date})."

    # -- session details --------------------------------------------------------------

    @on(Input.Submitted, "#title, #area, #date, #facilitator")
    def _submit_field(self, event: Input.Submitted) -> None:
        self._save_field(event.input)

    @on(Input.Blurred, "#title, #area, #date, #facilitator")
    def _blur_field(self, event: Input.Blurred) -> None:
        self._save_field(event.input)

    def _save_field(self, widget: Input) -> None:
        field = widget.id or ""
        if getattr(self.state.info, field) == widget.value:
            self.workshop.drafts.forget(widget.draft_key)
            return
        try:
            events = commands.update_session(self.state, **{field: widget.value})
        except commands.DomainError as exc:  # an empty title, a date that is no date…
            # Said, and the typing stays in the box (and in its draft) to be put right.
            self.app.notify(str(exc), severity="warning")
            return
        if self.commit(events):
            self.workshop.drafts.forget(widget.draft_key)

    @on(Select.Changed, "#venue_mode")
    def _venue(self, event: Select.Changed) -> None:
        if event.value != self.state.info.venue_mode and event.value is not Select.NULL:
            self.commit(commands.update_session(self.state, venue_mode=event.value))

    # -- participants ---------------------------------------------------------------------

    @on(Input.Submitted, "#new-participant")
    def _quick_add(self, event: Input.Submitted) -> None:
        role = self.query_one("#new-role", Select).value
        event_ = None
        try:
            event_ = commands.add(self.state, "participant", name=event.value, role=role)
        except commands.DomainError as exc:
            self.app.notify(str(exc), severity="warning")
            return
        if self.commit([event_]):
            event.input.value = ""
            self.workshop.drafts.forget(event.input.draft_key)
            table = self.query_one(ParticipantTable)
            table.move_cursor(row=len(self.state.participants) - 1)

    def action_add_participant(self) -> None:
        def done(values: dict | None) -> None:
            if values:
                try:
                    self.commit([commands.add(self.state, "participant", **values)])
                except commands.DomainError as exc:
                    self.app.notify(str(exc), severity="warning")

        self.app.push_screen(ParticipantDialog(), done)

    def _selected(self) -> str | None:
        table = self.query_one(ParticipantTable)
        if not self.state.participants or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return key if key in self.state.participants else None

    def edit_selected(self) -> None:
        pid = self._selected()
        if pid is None:
            return
        current = self.state.participants[pid]

        def done(values: dict | None) -> None:
            if values and pid in self.state.participants:
                try:
                    self.commit(commands.edit(self.state, "participant", pid, **values))
                except commands.DomainError as exc:
                    self.app.notify(str(exc), severity="warning")

        from facilitator.domain.model import to_dict

        self.app.push_screen(ParticipantDialog(to_dict(current)), done)

    def remove_selected(self) -> None:
        pid = self._selected()
        if pid is None:
            return
        name = self.state.participants[pid].name

        def done(yes: bool | None) -> None:
            if yes and pid in self.state.participants:
                self.commit(commands.remove(self.state, "participant", pid))

        self.app.push_screen(
            ConfirmDialog(f"Remove {name} from this session? (ctrl+z undoes it)", yes="Remove"),
            done,
        )

    def toggle_consent(self) -> None:
        pid = self._selected()
        if pid is not None:
            p = self.state.participants[pid]
            self.commit(
                commands.edit(self.state, "participant", pid, consent_named=not p.consent_named)
            )

    def focus_first(self) -> None:
        target = "#new-participant" if self.state.info.title else "#title"
        self.query_one(target, Input).focus()

    def incomplete(self) -> str:
        if not self.state.participants:
            return "No participants have been added yet."
        return ""
