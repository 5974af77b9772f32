"""What every step of a conversation shares.

A step is given what it draws from (attributes down: the session, the typing kept as
drafts, the question bank and the open conversation) and posts what the facilitator
changes or where they want to go (messages up); the pane commits and moves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from textual import on
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, TextArea

from facilitator.domain import commands
from facilitator.domain import conversation as conv_rules
from facilitator.domain.model import Conversation, SessionState, to_dict
from facilitator.domain.questions import QuestionBank
from facilitator.domain.text import shorten
from facilitator.tui.conversation.dialogs import ActionDialog, NoteDialog
from facilitator.tui.conversation.widgets import ItemList
from facilitator.tui.dialogs import ConfirmDialog
from facilitator.tui.drafts import DraftKeeper, put_back
from facilitator.tui.guard import Guarded
from facilitator.tui.pickers import PickDialog


class ConversationSession(Protocol):
    """What a step reads from the open session file."""

    state: SessionState
    readonly: bool

    def drafts(self) -> dict[str, str]: ...


class ConversationStep(Guarded, Vertical):
    """One step of the open conversation (or the list of them); like the panes, a bug in
    its handlers is reported and the workshop goes on."""

    @dataclass
    class Change(Message):
        """Commit the events ``make_events`` builds (a refusal is shown, not raised);
        once they are saved, ``then`` runs."""

        make_events: Callable[[], Any]
        then: Callable[[], None] | None = field(default=None)

    @dataclass
    class Go(Message):
        """Show another step: "list", "review", "setup", "prompt", "summary", "current"
        (the prompt under discussion) or "prompt:ID" (a section's first prompt)."""

        step: str

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session: ConversationSession | None = None
        self.drafts: DraftKeeper | None = None
        self.bank: QuestionBank | None = None
        self.conv_id: str | None = None

    # -- what comes down ----------------------------------------------------------------------

    @property
    def state(self) -> SessionState:
        assert self.session is not None
        return self.session.state

    @property
    def conv(self) -> Conversation | None:
        return self.state.conversations.get(self.conv_id) if self.conv_id else None

    def draw(self) -> None:
        """Redraw from the session state."""

    def focus_first(self) -> None:
        """Put the cursor where the facilitator most likely types next."""

    def save(self) -> None:
        """Save text typed on this step (before another step is shown)."""

    # -- what goes up ---------------------------------------------------------------------------

    def change(
        self, make_events: Callable[[], Any], then: Callable[[], None] | None = None
    ) -> None:
        """Ask for events to be committed; ``then`` runs once they are saved."""
        self.post_message(self.Change(make_events, then))

    def go(self, step: str) -> None:
        self.post_message(self.Go(step))

    def action_next(self) -> None:
        """The next step or prompt (each step says which)."""

    def action_back(self) -> None:
        """The previous step or prompt (each step says which)."""

    def action_to_summary(self) -> None:
        if self.conv is not None:
            self.go("summary")

    def action_steps(self) -> None:
        conv = self.conv
        if conv is None or self.bank is None:
            return
        options: list[tuple[str, str]] = []
        if conv.previous_id:
            options.append(("review", "Looking back at earlier actions"))
        options.append(("setup", "Who is here, and the boundaries"))
        options.append(("current", "The current prompt"))
        for pid, title in conv_rules.section_starts(self.bank, conv.agency_type):
            options.append((f"prompt:{pid}", f"Section: {title}"))
        options.append(("summary", "Summary and finish"))
        options.append(("list", "All conversations"))

        def picked(choice: str | None) -> None:
            if choice:
                self.go(choice)

        self.app.push_screen(PickDialog("Go to", options, "current"), picked)

    # -- agreed actions and notes, from any step --------------------------------------------------

    def _action_choices(self) -> tuple[list[str], list[str]]:
        conv = self.conv
        assert conv is not None
        organisations = ["Partnership", conv.agency_name, "Both"]
        people = [a.name for _, a in self.state.where("attendee", conversation_id=self.conv_id)]
        return organisations, people

    def action_add_action(self) -> None:
        if self.conv is None:
            return
        conv_id = self.conv_id
        organisations, people = self._action_choices()

        def done(values: dict | None) -> None:
            conv = self.state.conversations.get(conv_id or "")
            if values and conv is not None:
                self.change(
                    lambda: [
                        commands.add(
                            self.state,
                            "action",
                            conversation_id=conv_id,
                            relationship_id=conv.relationship_id,
                            **values,
                        )
                    ]
                )

        self.app.push_screen(ActionDialog(organisations=organisations, people=people), done)

    def edit_action(self, action_id: str) -> None:
        action = self.state.rows["action"].get(action_id)
        if action is None:
            return
        organisations, people = self._action_choices()

        def done(values: dict | None) -> None:
            if values and action_id in self.state.rows["action"]:
                self.change(lambda: commands.edit(self.state, "action", action_id, **values))

        self.app.push_screen(
            ActionDialog(to_dict(action), organisations=organisations, people=people), done
        )

    def edit_note(self, note_id: str) -> None:
        note = self.state.rows["prompt_answer"].get(note_id)
        if note is None:
            return

        def done(values: dict | None) -> None:
            if values and note_id in self.state.rows["prompt_answer"]:
                self.change(lambda: commands.edit(self.state, "prompt_answer", note_id, **values))

        self.app.push_screen(NoteDialog(to_dict(note)), done)

    @on(OptionList.OptionSelected, "#prompt-panel, #summary-panel")
    def _edit_panel_item(self, event: OptionList.OptionSelected) -> None:
        kind, _, entity_id = (event.option.id or "").partition(":")
        if kind == "action":
            self.edit_action(entity_id)
        elif kind in ("challenge", "opportunity"):
            self.edit_note(entity_id)

    @on(ItemList.Remove)
    def _remove_item(self, event: ItemList.Remove) -> None:
        option_id = event.option_id
        list_id = event.item_list.id or ""
        if list_id.startswith("attendees-"):
            if option_id in self.state.rows["attendee"]:
                self.change(lambda: commands.remove(self.state, "attendee", option_id))
            return
        kind, _, entity_id = option_id.partition(":")
        if list_id == "prompt-notes":
            kind, entity_id = "prompt_answer", option_id
        elif kind in ("challenge", "opportunity"):
            kind = "prompt_answer"
        elif kind != "action":
            return
        entity = self.state.rows[kind].get(entity_id)
        if entity is None:
            return
        what = entity.what if kind == "action" else entity.text

        def done(yes: bool | None) -> None:
            if yes and entity_id in self.state.rows[kind]:
                self.change(lambda: commands.remove(self.state, kind, entity_id))

        noun = "action" if kind == "action" else "note"
        self.app.push_screen(
            ConfirmDialog(
                f"Remove this {noun}? “{shorten(what, 60)}” (ctrl+z undoes it)", yes="Remove"
            ),
            done,
        )

    # -- typing kept as drafts --------------------------------------------------------------------

    def _draft_text(self, key: str) -> str | None:
        assert self.drafts is not None and self.session is not None
        pending = self.drafts.pending
        if key in pending:
            return pending[key]
        return self.session.drafts().get(key)

    def bind_draft(self, widget: Input | TextArea, key: str, committed: str) -> None:
        """Point a reused text field at a draft key, showing that draft or the saved text.

        Text under the cursor is never touched, and neither is typing not yet committed.
        """
        assert self.drafts is not None
        same = getattr(widget, "draft_key", None) == key
        if same and widget.has_focus:
            return
        if not same:
            self.drafts.flush()
            widget.draft_key = key  # type: ignore[union-attr]
        draft = self._draft_text(key)
        if same and draft:
            return
        text = draft or committed
        if draft:
            put_back(widget, text, quiet=True)
        elif isinstance(widget, Input):
            if widget.value != text:
                with widget.prevent(Input.Changed):
                    widget.value = text
        elif widget.text != text:
            with widget.prevent(TextArea.Changed):
                widget.text = text

    def save_text(self, area: TextArea, field_name: str) -> None:
        """Save a text box of the conversation (boundaries, summary) if it has changed."""
        conv = self.conv
        key = getattr(area, "draft_key", None)
        if conv is None or not key or not key.endswith(f".{self.conv_id}"):
            return
        conv_id, text = self.conv_id, area.text
        assert self.drafts is not None
        drafts = self.drafts

        def events() -> list:
            now = self.state.conversations.get(conv_id or "")
            if now is None or text.strip() == getattr(now, field_name).strip():
                return []  # nothing new: the draft is only forgotten
            return commands.edit(self.state, "conversation", conv_id or "", **{field_name: text})

        self.change(events, lambda: drafts.forget(key))
