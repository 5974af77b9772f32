"""The closing summary: challenges, opportunities, agreed actions, and finishing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import DescendantBlur
from textual.widgets import Static, TextArea

from facilitator.domain import commands
from facilitator.domain import conversation as conv_rules
from facilitator.tui.conversation import keys
from facilitator.tui.conversation.step import ConversationStep
from facilitator.tui.conversation.widgets import ItemList, panel_options, show
from facilitator.tui.dialogs import ConfirmDialog


class SummaryStep(ConversationStep):
    """What came out of the conversation, in a few sentences for both sides."""

    BINDINGS = [
        keys.BACK,
        keys.BACK_PAGE,
        keys.FINISH,
        keys.REOPEN,
        keys.ADD_ACTION,
        keys.STEPS,
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="summary-heading", classes="conv-heading")
        panel = ItemList(id="summary-panel")
        panel.border_title = "Challenges, opportunities and actions"
        yield panel
        text = TextArea(
            id="summary-text",
            soft_wrap=True,
            placeholder="In a few sentences, for both sides to take away",
        )
        text.border_title = "Summary: what we learned and agreed"
        yield text
        yield Static(id="summary-status")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # ctrl+f finishes an open conversation and reopens a finished one.
        if action in ("finish", "reopen"):
            conv = self.conv
            return bool(conv and conv.finished) == (action == "reopen")
        return True

    def focus_first(self) -> None:
        self.query_one("#summary-panel").focus()

    def action_back(self) -> None:
        if self.conv is not None:
            self.go("prompt")

    def draw(self) -> None:
        conv = self.conv
        assert conv is not None
        when = conv_rules.nice_date(conv.started_at)
        show(
            self.query_one("#summary-heading", Static),
            f"Summary · {conv.agency_name}" + (f" · {when}" if when else ""),
        )
        items = conv_rules.panel_items(self.state, self.conv_id)
        self.query_one("#summary-panel", ItemList).replace(panel_options(items))
        area = self.query_one("#summary-text", TextArea)
        self.bind_draft(area, f"conversation.summary.{self.conv_id}", conv.summary)
        status = self.query_one("#summary-status", Static)
        if conv.finished:
            show(status, "✓ Finished. Everything can still be changed; ctrl+f reopens it.")
        else:
            show(
                status,
                "Not finished yet. Enter changes an item, Delete removes it, ctrl+n adds an "
                "action, ctrl+f marks the conversation finished.",
            )
        status.set_class(conv.finished, "finished")

    def save(self) -> None:
        self.save_text(self.query_one("#summary-text", TextArea), "summary")

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        widget = event.widget
        if widget.id == "summary-text" and self.conv is not None and self.display:
            self.save()

    def action_reopen(self) -> None:
        self.action_finish()

    def action_finish(self) -> None:
        conv = self.conv
        if conv is None:
            return
        self.save()
        conv_id = self.conv_id or ""
        finishing = not conv.finished
        if finishing:
            question = (
                f"Mark the conversation with {conv.agency_name} finished? "
                "You can still change it afterwards."
            )
        else:
            question = f"Reopen the conversation with {conv.agency_name}?"

        def done(yes: bool | None) -> None:
            if yes and conv_id in self.state.conversations:
                self.change(
                    lambda: commands.edit(self.state, "conversation", conv_id, finished=finishing)
                )

        self.app.push_screen(
            ConfirmDialog(
                question,
                yes="Mark finished" if finishing else "Reopen",
                no="Not yet" if finishing else "Keep it finished",
            ),
            done,
        )
