"""The conversation stage's pane: shows one step at a time and commits what they post.

A conversation runs in steps: (for a follow-up) a look back at the actions agreed last
time; who is at the table and what will and won't be talked about; the prompts, one at
a time in large type for the wall, with notes tagged by who said them and what they
are; and a closing summary of challenges, opportunities and agreed actions. Each step is
its own widget with its own keys. Steps post what changes; this pane is the one place
that commits it (one commit each, so ctrl+z takes it back) and switches the steps.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import ContentSwitcher

from facilitator.domain import commands
from facilitator.domain import conversation as conv_rules
from facilitator.domain.model import Conversation
from facilitator.domain.questions import QuestionBank
from facilitator.tui.conversation.list_step import ConversationList
from facilitator.tui.conversation.prompt_step import PromptStep
from facilitator.tui.conversation.review_step import ReviewStep
from facilitator.tui.conversation.setup_step import SetupStep
from facilitator.tui.conversation.step import ConversationStep
from facilitator.tui.conversation.summary_step import SummaryStep
from facilitator.tui.dialogs import MessageDialog
from facilitator.tui.stagepane import StagePane
from facilitator.tui.view_memory import conversation_place, keep_conversation_place

#: Each step's widget id.
STEP_IDS = {
    "list": "conv-list",
    "review": "conv-review",
    "setup": "conv-setup",
    "prompt": "conv-prompt",
    "summary": "conv-summary",
}


class ConversationPane(StagePane):
    """Runs facilitated conversations between the partnership and one agency."""

    stage_id = "conversation"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.conv_id: str | None = None
        self.step = "list"
        self.bank: QuestionBank | None = None
        self.bank_problem = ""
        self._bindings_for: tuple[str, bool] = ("", False)

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="conv-list", id="conv-steps"):
            yield ConversationList(id="conv-list")
            yield ReviewStep(id="conv-review")
            yield SetupStep(id="conv-setup")
            yield PromptStep(id="conv-prompt")
            yield SummaryStep(id="conv-summary")

    def on_mount(self) -> None:
        app: Any = self.app
        choice = conv_rules.choose_bank(
            getattr(app, "questions", None), getattr(app, "sessions_dir", None)
        )
        self.bank = choice.bank
        self.bank_problem = choice.problem
        for step in self.query(ConversationStep):
            step.session = self.workshop.session
            step.drafts = self.workshop.drafts
            step.bank = self.bank
        self.refresh_from_state()
        place = conversation_place(self.workshop.session)
        if place is not None and place[0] in self.state.conversations:
            self.open_conversation(*place)  # where the facilitator was when the app stopped
        self.set_interval(1.0, self._tick)
        if self.bank_problem:
            self.call_after_refresh(self._warn_about_bank)

    def _warn_about_bank(self) -> None:
        self.app.push_screen(
            MessageDialog(
                "Your question bank could not be used",
                f"{self.bank_problem}\n\nUsing the standard questions instead. Fix the file "
                "(see docs/questions.md) and open the session again to use your own.",
            )
        )

    # -- state ------------------------------------------------------------------------------

    @property
    def conv(self) -> Conversation | None:
        return self.state.conversations.get(self.conv_id) if self.conv_id else None

    @property
    def prompt_step(self) -> PromptStep:
        return self.query_one(PromptStep)

    def step_widget(self, step: str | None = None) -> ConversationStep:
        return self.query_one(f"#{STEP_IDS[step or self.step]}", ConversationStep)

    def refresh_from_state(self) -> None:
        if self.conv_id and self.conv_id not in self.state.conversations:
            self.conv_id = None
            self.step = "list"
        switcher = self.query_one("#conv-steps", ContentSwitcher)
        if switcher.current != STEP_IDS[self.step]:
            switcher.current = STEP_IDS[self.step]
        for step in self.query(ConversationStep):
            step.conv_id = self.conv_id
        self.step_widget().draw()
        conv = self.conv
        keys_for = (self.step, bool(conv and conv.finished))
        if self._bindings_for != keys_for:
            # The Footer is rebuilt on every refresh_bindings: only when the keys change.
            self._bindings_for = keys_for
            self.refresh_bindings()

    def focus_first(self) -> None:
        self.step_widget().focus_first()

    def incomplete(self) -> str:
        open_ones = [c.agency_name for c in self.state.conversations.values() if not c.finished]
        if open_ones:
            return f"The conversation with {open_ones[0]} is not marked finished yet."
        return ""

    def keep_view(self) -> None:
        """Remember the conversation and step on screen, and how long its section has
        run, so that reopening the session comes back to them."""
        session = self.workshop.session
        keep_conversation_place(session, self.conv_id, self.step if self.conv_id else "list")
        self.prompt_step.timer.keep(session)

    def _tick(self) -> None:
        if self.display and self.step == "prompt" and self.conv is not None:
            self.prompt_step.tick()

    # -- moving between steps ------------------------------------------------------------------

    def go(self, step: str) -> None:
        """Show a step of the open conversation (or the list), saving typed text first."""
        self.step_widget().save()
        self.step = step if self.conv_id or step == "list" else "list"
        self.prompt_step.probe_index = -1
        self.refresh_from_state()
        self.focus_first()
        self.keep_view()

    def open_conversation(self, conv_id: str, step: str | None = None) -> None:
        conv = self.state.conversations[conv_id]
        self.step_widget().save()
        self.conv_id = conv_id
        if self.bank is not None and conv.bank_id and conv.bank_id != self.bank.id:
            self.notify(
                f"This conversation began with the question bank “{conv.bank_id}”; the one in "
                f"use now is “{self.bank.id}”. Notes on prompts it lacks still show in the "
                "summary.",
                title="Different questions",
                severity="warning",
                timeout=8,
            )
        if step is None:
            has_notes = bool(self.state.where("prompt_answer", conversation_id=conv_id))
            started = has_notes or conv.boundaries_in or conv.boundaries_out
            if conv.finished:
                step = "summary"
            elif started:
                step = "prompt"
            else:
                step = "review" if conv.previous_id else "setup"
        self.go(step)

    def _move_to(self, prompt_id: str) -> None:
        conv_id = self.conv_id
        if self.conv is None or conv_id is None:
            return
        self.prompt_step.probe_index = -1
        if prompt_id == self.conv.current_prompt_id:
            self.refresh_from_state()
            return
        self._try_commit(lambda: conv_rules.move_events(self.state, conv_id, prompt_id))

    def _enter_prompts(self) -> None:
        """The prompts, at the one under discussion (the first, to begin with)."""
        self.step_widget().save()
        self.prompt_step.conv_id = self.conv_id
        current = self.prompt_step.current_prompt()
        if current is not None and self.conv and current != self.conv.current_prompt_id:
            self._move_to(current)
        self.go("prompt")

    # -- what the steps post ------------------------------------------------------------------

    @on(ConversationStep.Change)
    def _change(self, event: ConversationStep.Change) -> None:
        event.stop()
        if self._try_commit(event.make_events) and event.then is not None:
            event.then()

    @on(ConversationStep.Go)
    def _go(self, event: ConversationStep.Go) -> None:
        event.stop()
        where = event.step
        if self.conv is None:
            if where == "list":
                self.go("list")
            return
        if where.startswith("prompt:"):
            self.step_widget().save()
            self.step = "prompt"
            self._move_to(where.removeprefix("prompt:"))
            self.go("prompt")
        elif where == "current":
            self._enter_prompts()
        else:
            self.go(where)

    @on(PromptStep.Move)
    def _move(self, event: PromptStep.Move) -> None:
        event.stop()
        self._move_to(event.prompt_id)

    @on(ConversationList.Open)
    def _open(self, event: ConversationList.Open) -> None:
        event.stop()
        if event.conv_id in self.state.conversations:
            self.open_conversation(event.conv_id)

    def _try_commit(self, make_events: Any) -> bool:
        """Build events (a refusal is shown, not raised) and commit them."""
        try:
            events = make_events()
        except commands.DomainError as exc:
            self.notify(str(exc), severity="warning")
            return False
        return self.commit(events)
