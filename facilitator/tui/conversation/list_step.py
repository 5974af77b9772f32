"""The list of the session's conversations, and starting a new one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Button, DataTable, Static

from facilitator.domain import commands
from facilitator.domain import conversation as conv_rules
from facilitator.domain.events import Event
from facilitator.domain.text import shorten
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.conversation import keys
from facilitator.tui.conversation.dialogs import AgencyDialog
from facilitator.tui.conversation.step import ConversationStep
from facilitator.tui.conversation.widgets import ConversationsTable, show
from facilitator.tui.dialogs import ConfirmDialog
from facilitator.tui.pickers import PickDialog


class ConversationList(ConversationStep):
    """Every conversation of the session: Enter picks one up, ctrl+n starts another."""

    BINDINGS = [keys.NEW]

    @dataclass
    class Open(Message):
        """Open this conversation where it was left."""

        conv_id: str

    def compose(self) -> ComposeResult:
        yield Static("Facilitated conversations", classes="conv-heading")
        yield Static(id="list-hint", classes="conv-hint")
        table = ConversationsTable(id="conv-table", cursor_type="row", zebra_stripes=True)
        table.add_columns("Agency", "Kind", "Started", "Where", "Follows up")
        yield table
        yield Button("Start a conversation", id="start-conversation", variant="primary")

    def focus_first(self) -> None:
        target = "#conv-table" if self.state.conversations else "#start-conversation"
        self.query_one(target).focus()

    def draw(self) -> None:
        vocab = load_vocabulary()
        table = self.query_one("#conv-table", ConversationsTable)
        row = table.cursor_row
        table.clear()
        convs = self.state.conversations
        for cid, conv in convs.items():
            previous = convs.get(conv.previous_id) if conv.previous_id else None
            table.add_row(
                shorten(conv.agency_name, 28),
                vocab.label("agency_types", conv.agency_type, "not sure"),
                conv_rules.nice_date(conv.started_at),
                "✓ Finished" if conv.finished else self._where(conv),
                conv_rules.nice_date(previous.started_at) if previous else "",
                key=cid,
            )
        table.display = bool(convs)
        if convs:
            table.move_cursor(row=min(max(row, 0), len(convs) - 1))
        self._draw_hint(bool(convs))

    def _draw_hint(self, any_yet: bool) -> None:
        hint = self.query_one("#list-hint", Static)
        suggested = conv_rules.suggested_relationship(self.state)
        name = self.state.relationships[suggested].name if suggested else ""
        if any_yet:
            assert self.session is not None
            show(
                hint,
                "Enter shows a conversation as it stood at this moment of the replay."
                if self.session.readonly
                else "Enter picks a conversation up where it was left. ctrl+n starts another.",
            )
            return
        lines = [
            "The partnership and one agency, about two people a side, talk through "
            "coaching-style questions and leave with agreed actions.",
            "",
        ]
        if name:
            lines.append(
                f"Stage 3 chose {name} as the relationship to develop. Press ctrl+n to "
                "start a conversation with them, or with any agency."
            )
        else:
            lines.append("Press ctrl+n to start a conversation with any agency.")
        show(hint, "\n".join(lines))

    def _where(self, conv: Any) -> str:
        assert self.bank is not None
        current = conv_rules.resolve_prompt(self.bank, conv.agency_type, conv.current_prompt_id)
        if current is None:
            return ""
        at = conv_rules.position(self.bank, conv.agency_type, current)
        return f"Prompt {at.number} of {at.total}"

    @on(DataTable.RowSelected, "#conv-table")
    def _resume(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key in self.state.conversations:
            self.post_message(self.Open(key))

    @on(ConversationsTable.Remove)
    def _remove_conversation(self, event: ConversationsTable.Remove) -> None:
        cid = event.conversation_id
        conv = self.state.conversations.get(cid)
        if conv is None:
            return

        def done(yes: bool | None) -> None:
            if yes and cid in self.state.conversations:
                self.change(lambda: commands.remove(self.state, "conversation", cid))

        self.app.push_screen(
            ConfirmDialog(
                f"Remove the conversation with {conv.agency_name} and all its notes? "
                "(ctrl+z undoes it)",
                yes="Remove",
            ),
            done,
        )

    @on(Button.Pressed, "#start-conversation")
    def _start_pressed(self) -> None:
        self.action_new_conversation()

    # -- starting a conversation --------------------------------------------------------------

    def action_new_conversation(self) -> None:
        vocab = load_vocabulary()
        suggested = conv_rules.suggested_relationship(self.state)
        options: list[tuple[str, str]] = []
        rels = self.state.relationships
        order = ([suggested] if suggested else []) + [r for r in rels if r != suggested]
        for rid in order:
            rel = rels[rid]
            kind = vocab.label("agency_types", rel.agency_type, "kind not set")
            text = f"{rel.name} · {kind}"
            if rid == suggested:
                text = f"★ {text} · the relationship to develop"
            options.append((f"rel:{rid}", text))
        options.append(("other", "Another agency: type its name…"))

        def picked(choice: str | None) -> None:
            if choice == "other":
                self._ask_agency()
            elif choice and choice.startswith("rel:"):
                rid = choice[4:]
                rel = self.state.relationships.get(rid)
                if rel is None:
                    return
                if rel.agency_type:
                    self._offer_follow_up(rel.name, rel.agency_type, rid)
                else:
                    self._ask_agency(rel.name, None, rid)

        self.app.push_screen(PickDialog("Start a conversation with…", options), picked)

    def _ask_agency(
        self, name: str = "", agency_type: str | None = None, rid: str | None = None
    ) -> None:
        def done(values: dict | None) -> None:
            if values:
                self._offer_follow_up(values["agency_name"], values["agency_type"], rid)

        self.app.push_screen(AgencyDialog(name, agency_type), done)

    def _offer_follow_up(self, name: str, agency_type: str | None, rid: str | None) -> None:
        earlier = conv_rules.earlier_conversations(self.state, name, rid)
        if not earlier:
            self._start(name, agency_type, rid, None)
            return
        options = []
        for cid, conv in earlier:
            state = "finished" if conv.finished else "not finished"
            when = conv_rules.nice_date(conv.started_at) or "earlier"
            options.append((f"prev:{cid}", f"Follow up the {when} conversation ({state})"))
        options.append(("fresh", "Start a fresh conversation"))

        def picked(choice: str | None) -> None:
            if choice == "fresh":
                self._start(name, agency_type, rid, None)
            elif choice and choice.startswith("prev:"):
                self._start(name, agency_type, rid, choice[5:])

        self.app.push_screen(
            PickDialog(f"You have talked with {name} before", options, options[0][0]), picked
        )

    def _start(
        self, name: str, agency_type: str | None, rid: str | None, previous: str | None
    ) -> None:
        bank = self.bank
        assert bank is not None
        made: list[Event] = []

        def events() -> list[Event]:
            made.append(
                conv_rules.start_event(
                    self.state,
                    bank,
                    agency_name=name,
                    agency_type=agency_type,
                    relationship_id=rid,
                    previous_id=previous,
                    started_at=conv_rules.utc_now(),
                )
            )
            return made

        self.change(events, lambda: self.post_message(self.Open(made[0].payload["id"])))
