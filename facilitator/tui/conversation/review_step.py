"""Looking back at the actions agreed last time, before a follow-up conversation."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import Static

from facilitator.domain import conversation as conv_rules
from facilitator.domain.text import shorten
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.conversation import keys
from facilitator.tui.conversation.dialogs import ReviewDialog
from facilitator.tui.conversation.step import ConversationStep
from facilitator.tui.conversation.widgets import ReviewTable, show


class ReviewStep(ConversationStep):
    """How each earlier action has gone: done, under way, dropped or still to do."""

    BINDINGS = [keys.NEXT, keys.NEXT_PAGE, keys.ADD_ACTION, keys.TO_SUMMARY, keys.STEPS]

    def compose(self) -> ComposeResult:
        yield Static(id="review-heading", classes="conv-heading")
        yield Static(
            "How has each one gone? D done · U under way · X dropped · T to do · "
            "Enter adds a note. ctrl+↓ when you are ready to move on.",
            classes="conv-hint",
        )
        yield ReviewTable(id="review-table", cursor_type="row", zebra_stripes=True)

    def focus_first(self) -> None:
        self.query_one("#review-table").focus()

    def on_resize(self, event: Resize) -> None:
        if self.conv is not None:
            self.draw()  # the columns share out the width

    def action_next(self) -> None:
        if self.conv is not None:
            self.go("setup")

    def draw(self) -> None:
        conv = self.conv
        assert conv is not None
        vocab = load_vocabulary()
        previous = self.state.conversations.get(conv.previous_id) if conv.previous_id else None
        when = conv_rules.nice_date(previous.started_at) if previous else ""
        show(
            self.query_one("#review-heading", Static),
            f"Looking back: the actions agreed with {conv.agency_name}"
            + (f" on {when}" if when else ""),
        )
        table = self.query_one("#review-table", ReviewTable)
        row = table.cursor_row
        table.clear(columns=True)
        table.add_columns("Now", "What", "Who, by when", "Note")
        # Share the width out so that no sideways scrolling is needed at 80 columns.
        room = max(table.size.width or self.size.width, 60) - 11 - 9
        what_w, who_w = room * 45 // 100, room * 25 // 100
        note_w = room - what_w - who_w
        actions = conv_rules.previous_actions(self.state, self.conv_id)
        for aid, action in actions:
            review = conv_rules.review_for(self.state, self.conv_id, aid)
            if review is None:
                now = "· not yet"
                note = ""
            else:
                term = vocab.get("action_statuses", review[1].status)
                now = f"{term.symbol} {term.label}"
                note = review[1].note
            who = action.who_person or action.who_org
            if action.by_when:
                who = f"{who}, {action.by_when}" if who else action.by_when
            table.add_row(
                now,
                shorten(action.what, what_w),
                shorten(who, who_w),
                shorten(note, note_w),
                key=aid,
            )
        if actions:
            table.move_cursor(row=min(max(row, 0), len(actions) - 1))
        else:
            table.add_row("", "No actions were recorded last time.", "", "")

    @on(ReviewTable.Mark)
    def _mark_action(self, event: ReviewTable.Mark) -> None:
        aid = event.action_id
        action = self.state.rows["action"].get(aid)
        if action is None or self.conv_id is None:
            return
        conv_id = self.conv_id
        if event.status != "note":
            status = event.status
            self.change(lambda: conv_rules.review_events(self.state, conv_id, aid, status))
            return
        review = conv_rules.review_for(self.state, conv_id, aid)
        status = review[1].status if review else action.status
        note = review[1].note if review else ""

        def done(values: dict | None) -> None:
            if values and aid in self.state.rows["action"] and conv_id in self.state.conversations:
                self.change(
                    lambda: conv_rules.review_events(
                        self.state, conv_id, aid, values["status"], values["note"]
                    )
                )

        self.app.push_screen(ReviewDialog(shorten(action.what, 40), status, note), done)
