"""A conversation as it stood at one moment of a replay: read-only, all on one page.

Who was at the table, the boundaries, every prompt that had a note (or was skipped, or
was being discussed) with its notes, the challenges, opportunities and actions so far,
and the summary. The replay's timeline keeps the focus; this view only scrolls.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from facilitator.domain import conversation as conv_rules
from facilitator.domain.model import SessionState
from facilitator.domain.questions import QuestionBank
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.conversation.widgets import PANEL_HEADINGS, note_option

Part = Content | str | tuple[str, str]

#: Shown as the first line, so that nobody mistakes the view for the live screen.
READ_ONLY = "Replay: as it stood at this moment. Esc goes back."


def conversation_heading(state: SessionState, conv_id: str | None) -> Content:
    """ "Conversation with X · 14 Mar 2026 · not finished", and that this is a replay."""
    conv = state.conversations.get(conv_id) if conv_id else None
    if conv is None:
        return Content.assemble(("Conversation", "bold"), "\n", (READ_ONLY, "$text-muted"))
    when = conv_rules.nice_date(conv.started_at)
    state_word = "finished" if conv.finished else "not finished"
    return Content.assemble(
        (f"Conversation with {conv.agency_name}", "bold"),
        f" · {when} · {state_word}" if when else f" · {state_word}",
        "\n",
        (READ_ONLY, "$text-muted"),
    )


def conversation_record(
    state: SessionState, bank: QuestionBank, conv_id: str
) -> tuple[list[Content], int]:
    """The conversation as lines, and the line where its current prompt begins."""
    conv = state.conversations.get(conv_id)
    if conv is None:
        return [Content("This conversation had not started yet at this point of the replay.")], 0
    lines: list[Content] = []

    def line(*parts: Part) -> None:
        lines.append(Content.assemble(*parts))

    for side in conv_rules.SIDES:
        people = [a.name for _, a in conv_rules.attendees(state, conv_id, side)]
        title = conv_rules.SIDE_NAMES[side].capitalize()
        line((f"{title} side: ", "bold"), ", ".join(people) or "nobody yet")
    if conv.boundaries_in.strip():
        line(("We will talk about: ", "bold"), conv.boundaries_in.strip())
    if conv.boundaries_out.strip():
        line(("We won't talk about: ", "bold"), conv.boundaries_out.strip())

    earlier = conv_rules.previous_actions(state, conv_id)
    if earlier:
        line("")
        line(("Looking back at the actions agreed last time", "bold"))
        statuses = load_vocabulary()
        for aid, action in earlier:
            review = conv_rules.review_for(state, conv_id, aid)
            if review is None:
                now = "· not looked at yet"
            else:
                term = statuses.get("action_statuses", review[1].status)
                now = f"{term.symbol} {term.label}" + (
                    f": {review[1].note}" if review[1].note else ""
                )
            line(f"  {action.what} ", (f"({now})", "$text-muted"))

    # The prompt on the wall at this moment (none once the conversation is finished).
    current = (
        None
        if conv.finished or not conv.current_prompt_id
        else conv_rules.resolve_prompt(bank, conv.agency_type, conv.current_prompt_id)
    )
    current_line = 0
    ids = conv_rules.prompt_ids(bank, conv.agency_type)
    noted = conv_rules.answered_prompts(state, conv_id)
    # Notes on prompts this bank lacks (another bank began the conversation) come last.
    shown = [pid for pid in ids if pid in noted or pid in conv.skipped_prompts or pid == current]
    shown += sorted(noted - set(ids))
    for pid in shown:
        line("")
        if pid == current:
            current_line = len(lines)
        if pid in ids:
            at = conv_rules.position(bank, conv.agency_type, pid)
            head = f"Prompt {at.number} of {at.total} · {at.section_title}"
            text = bank.prompt(pid).text
        else:
            head, text = "A prompt from another question bank", pid
        marks = []
        if pid == current:
            marks.append(("  ▶ being discussed", "bold $text-accent"))
        if pid in conv.skipped_prompts:
            marks.append(("  (skipped)", "$text-muted"))
        line((head, "$text-muted"), *marks)
        line((text, "bold"))
        for nid, note in conv_rules.notes_for(state, conv_id, pid):
            line("  ", note_option(nid, note).prompt)  # type: ignore[arg-type]
    if not shown:
        line("")
        line(("No prompt had been reached yet.", "$text-muted"))

    line("")
    for kind, items in conv_rules.panel_items(state, conv_id).items():
        symbol, heading = PANEL_HEADINGS[kind]
        line((f"{heading} ({len(items)})", "bold $text-accent"))
        for item in items:
            detail = [(f" — {item.detail}", "$text-muted")] if item.detail else []
            line(f"  {symbol} ", item.text, *detail)
    if conv.summary.strip():
        line("")
        line(("Summary: ", "bold"), conv.summary.strip())
    return lines, current_line


class ReplayConversation(Vertical, can_focus=False):
    """Shows one conversation, read-only, as the replay's timeline moves: a heading that
    stays put above the conversation, which scrolls."""

    DEFAULT_CSS = """
    ReplayConversation {
        height: 1fr;
        padding: 0 1;
    }
    ReplayConversation #replay-conversation-heading {
        height: auto;
        margin-bottom: 1;
    }
    ReplayConversation VerticalScroll {
        height: 1fr;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.conv_id: str | None = None
        self.text = ""  # what is shown, as plain text (for tests and screen readers)

    def compose(self) -> ComposeResult:
        yield Static(id="replay-conversation-heading")
        with VerticalScroll(can_focus=False):
            yield Static(id="replay-conversation-text")

    def scroll_rows(self, rows: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=rows, animate=False)

    def show_at(self, state: SessionState, bank: QuestionBank, conv_id: str) -> None:
        """Draw the conversation as it stood in ``state``, its current prompt in view."""
        followed = conv_id == self.conv_id
        self.conv_id = conv_id
        heading = conversation_heading(state, conv_id)
        lines, current_line = conversation_record(state, bank, conv_id)
        content = Content("\n").join(lines)
        self.text = f"{heading.plain}\n{content.plain}"
        self.query_one("#replay-conversation-heading", Static).update(heading)
        self.query_one("#replay-conversation-text", Static).update(content)
        body = self.query_one(VerticalScroll)
        if not followed or current_line:
            # Rows above the current prompt, counting the lines that wrap.
            width = max(10, body.scrollable_content_region.width)
            rows = sum(max(1, -(-line.cell_length // width)) for line in lines[:current_line])
            self.call_after_refresh(body.scroll_to, y=max(0, rows - 1), animate=False)
