"""Who is at the table on each side, and what will and won't be talked about."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import DescendantBlur
from textual.suggester import SuggestFromList
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from facilitator.domain import commands
from facilitator.domain import conversation as conv_rules
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.attendees import AttendeeInput, AttendeeList
from facilitator.tui.conversation import keys
from facilitator.tui.conversation.dialogs import AttendeeDialog
from facilitator.tui.conversation.step import ConversationStep
from facilitator.tui.conversation.widgets import ItemList, show
from facilitator.tui.pickers import PickDialog
from facilitator.tui.tables import plain

SIDE_TITLES = {"partnership": "Partnership side", "agency": "Agency side"}
BOUNDARIES = ("boundaries_in", "boundaries_out")


class SetupStep(ConversationStep):
    """The people at the table, side by side, and the boundaries of the conversation."""

    BINDINGS = [
        keys.NEXT,
        keys.NEXT_PAGE,
        keys.BACK,
        keys.BACK_PAGE,
        keys.ADD_ACTION,
        keys.TO_SUMMARY,
        keys.STEPS,
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="setup-heading", classes="conv-heading")
        with Horizontal(id="attendee-row"):
            for side in conv_rules.SIDES:
                with Vertical(classes="attendee-side"):
                    people = AttendeeList(id=f"attendees-{side}", classes="attendee-list")
                    people.border_title = SIDE_TITLES[side]
                    yield people
                    yield AttendeeInput(
                        id=f"attendee-{side}",
                        placeholder="Type a name, or Enter to pick"
                        if side == "partnership"
                        else "Type a name and press Enter",
                    )
        yield Static(id="attendee-warning")
        with Horizontal(id="boundaries-row"):
            inside = TextArea(
                id="boundaries-in",
                soft_wrap=True,
                placeholder="e.g. how each side reaches residents; the summer fair",
            )
            inside.border_title = "We will talk about"
            yield inside
            outside = TextArea(
                id="boundaries-out",
                soft_wrap=True,
                placeholder="e.g. individual cases; things nobody here can decide",
            )
            outside.border_title = "We won't talk about"
            yield outside

    def focus_first(self) -> None:
        self.query_one("#attendee-partnership").focus()

    def action_next(self) -> None:
        if self.conv is not None:
            self.go("current")

    def action_back(self) -> None:
        conv = self.conv
        if conv is not None and conv.previous_id:
            self.go("review")

    def draw(self) -> None:
        conv = self.conv
        assert conv is not None
        show(
            self.query_one("#setup-heading", Static),
            f"Who is here, and what we will talk about · {conv.agency_name}",
        )
        for side in conv_rules.SIDES:
            people = conv_rules.attendees(self.state, self.conv_id, side)
            listing = self.query_one(f"#attendees-{side}", ItemList)
            if people:
                listing.replace([Option(plain(a.name), id=aid) for aid, a in people])
            else:
                listing.replace([Option("nobody yet", disabled=True)])
            add = self.query_one(f"#attendee-{side}", Input)
            self.bind_draft(add, f"conversation.attendee.{side}.{self.conv_id}", "")
        room = [p.name for p in self.state.participants.values()]
        self.query_one("#attendee-partnership", Input).suggester = SuggestFromList(
            room, case_sensitive=False
        )
        warning = conv_rules.attendee_warning(self.state, self.conv_id)
        show(self.query_one("#attendee-warning", Static), f"⚠ {warning}" if warning else "")
        for name in BOUNDARIES:
            area = self.query_one(f"#{name.replace('_', '-')}", TextArea)
            self.bind_draft(area, f"conversation.{name}.{self.conv_id}", getattr(conv, name))

    # -- the boundaries -----------------------------------------------------------------------

    def save(self) -> None:
        if self.conv is None:
            return
        for name in BOUNDARIES:
            self.save_text(self.query_one(f"#{name.replace('_', '-')}", TextArea), name)

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        widget = event.widget
        shown = self.conv is not None and self.display
        if (
            shown
            and isinstance(widget, TextArea)
            and widget.id in ("boundaries-in", "boundaries-out")
        ):
            self.save_text(widget, widget.id.replace("-", "_"))

    # -- who is here ------------------------------------------------------------------------

    @on(Input.Submitted, "#attendee-partnership, #attendee-agency")
    def _add_attendee(self, event: Input.Submitted) -> None:
        side = (event.input.id or "").removeprefix("attendee-")
        name = event.value.strip()
        if not name:
            if side == "partnership":
                self._pick_attendee(side)
            return
        participant = next(
            (
                pid
                for pid, p in self.state.participants.items()
                if " ".join(p.name.casefold().split()) == " ".join(name.casefold().split())
            ),
            None,
        )
        self._commit_attendee(side, name, participant, event.input)

    def _pick_attendee(self, side: str) -> None:
        here = {
            a.participant_id for _, a in self.state.where("attendee", conversation_id=self.conv_id)
        }
        vocab = load_vocabulary()
        options = [
            (pid, f"{p.name} · {vocab.label('roles', p.role)}")
            for pid, p in self.state.participants.items()
            if pid not in here
        ]
        if not options:
            self.notify("Everyone in the session is already listed. Type a name instead.")
            return

        def picked(pid: str | None) -> None:
            if pid and pid in self.state.participants:
                self._commit_attendee(side, self.state.participants[pid].name, pid, None)

        self.app.push_screen(PickDialog("Who from the room?", options), picked)

    def _commit_attendee(
        self, side: str, name: str, participant: str | None, field: Input | None
    ) -> None:
        conv_id = self.conv_id

        def added() -> None:
            if field is not None:
                field.value = ""
                assert self.drafts is not None
                self.drafts.forget(field.draft_key)  # type: ignore[attr-defined]
            warning = conv_rules.attendee_warning(self.state, conv_id)
            if warning and len(conv_rules.attendees(self.state, conv_id, side)) == 3:
                self.notify(warning, title="Quite a crowd", severity="warning", timeout=6)

        self.change(
            lambda: commands.add(
                self.state,
                "attendee",
                conversation_id=conv_id,
                side=side,
                name=name,
                participant_id=participant,
            ),
            added,
        )

    @on(OptionList.OptionSelected, "#attendees-partnership, #attendees-agency")
    def _edit_attendee(self, event: OptionList.OptionSelected) -> None:
        aid = event.option.id
        attendee = self.state.rows["attendee"].get(aid) if aid else None
        if attendee is None or aid is None:
            return

        def done(values: dict | None) -> None:
            if values and aid in self.state.rows["attendee"]:
                self.change(lambda: commands.edit(self.state, "attendee", aid, **values))

        self.app.push_screen(AttendeeDialog(attendee.name, attendee.side), done)
