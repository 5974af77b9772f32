"""One prompt at a time, in large type for the wall, with the notes taken on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.message import Message
from textual.widgets import Input, OptionList, Static

from facilitator.domain import commands
from facilitator.domain import conversation as conv_rules
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.conversation import keys
from facilitator.tui.conversation.step import ConversationStep
from facilitator.tui.conversation.timer import SectionTimer
from facilitator.tui.conversation.widgets import (
    ItemList,
    PromptCard,
    note_option,
    panel_options,
    show,
)

#: Wide enough to show the running panel beside the prompt without being asked.
PANEL_MIN_WIDTH = 110

NOTE_PLACEHOLDER = "Type a note, Enter saves. Start with ! + ? = to tag it, P: A: B: for who"
TIMER_STYLES = {"ok": "bold", "near": "bold $text-warning", "over": "bold $text-error"}


class PromptStep(ConversationStep):
    """The prompt on the wall, its notes, the section timer and the running tally."""

    BINDINGS = [
        keys.NEXT,
        keys.NEXT_PAGE,
        keys.BACK,
        keys.BACK_PAGE,
        keys.PROBE,
        keys.ADD_ACTION,
        keys.SKIP,
        keys.GUIDANCE,
        keys.SPEAKER,
        keys.TAG,
        keys.TIMER,
        keys.PANEL,
        keys.PANEL_ALT,
        keys.TO_SUMMARY,
        keys.STEPS,
    ]

    @dataclass
    class Move(Message):
        """Bring this prompt up for discussion."""

        prompt_id: str

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.probe_index = -1
        self.show_guidance = False
        self.panel_wanted: bool | None = None  # None: decided by the width
        self.speaker = "partnership"
        self.tag: str | None = None
        self.timer = SectionTimer()

    def compose(self) -> ComposeResult:
        with Horizontal(id="prompt-top"):
            yield Static(id="prompt-position")
            yield Static(id="prompt-timer")
        with Horizontal(id="prompt-body"):
            with Vertical(id="prompt-main"):
                yield PromptCard(id="prompt-card")
                yield Static(id="prompt-guidance")
                yield ItemList(id="prompt-notes")
                yield Input(id="note-input", placeholder=NOTE_PLACEHOLDER)
                yield Static(id="prompt-tally")
            panel = ItemList(id="prompt-panel")
            panel.border_title = "So far"
            yield panel

    def focus_first(self) -> None:
        self.query_one("#note-input").focus()

    def on_resize(self, event: Resize) -> None:
        self.place_panel()

    def current_prompt(self) -> str | None:
        conv = self.conv
        assert conv is not None and self.bank is not None
        return conv_rules.resolve_prompt(self.bank, conv.agency_type, conv.current_prompt_id)

    # -- drawing ------------------------------------------------------------------------------

    def draw(self) -> None:
        conv = self.conv
        bank = self.bank
        assert conv is not None and bank is not None and self.session is not None
        pid = self.current_prompt()
        card = self.query_one(PromptCard)
        if pid is None:
            card.show("This question bank has no prompts for this kind of agency.")
            return
        prompt = bank.prompt(pid)
        at = conv_rules.position(bank, conv.agency_type, pid)
        show(
            self.query_one("#prompt-position", Static),
            Content.assemble(
                (f"Prompt {at.number} of {at.total}", "bold"),
                f" · Section: {at.section_title}",
            ),
        )
        self.timer.start(self.session, self.conv_id or "", at.section_id)
        self._show_timer(at.section_minutes)
        probe = conv_rules.probe_text(prompt, self.probe_index)
        card.show(
            prompt.text,
            probe,
            f"Follow-up {self.probe_index + 1} of {len(prompt.probes)}:" if probe else "",
            skipped=pid in conv.skipped_prompts,
        )
        guidance = self.query_one("#prompt-guidance", Static)
        guidance.display = self.show_guidance
        show(
            guidance,
            Content.assemble(("For you: ", "bold"), prompt.guidance or "no note for this prompt."),
        )
        notes = conv_rules.notes_for(self.state, self.conv_id, pid)
        listing = self.query_one("#prompt-notes", ItemList)
        listing.replace([note_option(nid, note) for nid, note in notes])
        listing.display = bool(notes)
        listing.border_title = f"Notes on this prompt ({len(notes)})"
        note_input = self.query_one("#note-input", Input)
        self.bind_draft(note_input, f"conversation.note.{self.conv_id}.{pid}", "")
        self._show_note_title()
        self._draw_panel()
        self.place_panel()

    def _show_note_title(self, saved: str = "") -> None:
        """The note box's label: who is speaking (kept for every note until ctrl+b changes
        it) and the tag (for the next note only); below it, how the last note was read."""
        vocab = load_vocabulary()
        note_input = self.query_one("#note-input", Input)
        tag = vocab.get("note_tags", self.tag) if self.tag else None
        note_input.border_title = f"Said by {vocab.label('speakers', self.speaker)} (stays) · " + (
            f"{tag.symbol} {tag.label} (next note)" if tag else "no tag"
        )
        note_input.border_subtitle = f"✓ Saved as {saved}" if saved else "ctrl+b who · ctrl+y tag"

    @on(Input.Changed, "#note-input")
    def _note_typed(self) -> None:
        if str(self.query_one("#note-input", Input).border_subtitle).startswith("✓"):
            self._show_note_title()

    def _draw_panel(self) -> None:
        items = conv_rules.panel_items(self.state, self.conv_id)
        self.query_one("#prompt-panel", ItemList).replace(panel_options(items))
        counts = {kind: len(entries) for kind, entries in items.items()}
        show(
            self.query_one("#prompt-tally", Static),
            f"Challenges {counts['challenge']} · Opportunities {counts['opportunity']} · "
            f"Actions {counts['action']}   (ctrl+e shows them)",
        )

    def _panel_visible(self) -> bool:
        if self.panel_wanted is not None:
            return self.panel_wanted
        return self.size.width >= PANEL_MIN_WIDTH

    def place_panel(self) -> None:
        shown = self._panel_visible()
        self.query_one("#prompt-panel").display = shown
        self.query_one("#prompt-tally").display = not shown

    # -- the section timer --------------------------------------------------------------------

    def _show_timer(self, minutes: int) -> None:
        reading = self.timer.reading(minutes)
        if reading is None:
            return
        text, level = reading
        timer = self.query_one("#prompt-timer", Static)
        timer.update(Content.assemble((text, TIMER_STYLES[level])))
        timer.set_class(level != "ok", "timer-alert")

    def tick(self) -> None:
        """Once a second while the prompt is showing: the timer, kept now and then."""
        if self.conv is None or self.bank is None or self.session is None:
            return
        pid = self.current_prompt()
        if pid is not None:
            at = conv_rules.position(self.bank, self.conv.agency_type, pid)
            self._show_timer(at.section_minutes)
        self.timer.keep_if_due(self.session)

    def action_toggle_timer(self) -> None:
        if self.timer.toggle():
            self.notify("Section timer paused. alt+t starts it again.")
        self.tick()

    # -- notes --------------------------------------------------------------------------------

    @on(Input.Submitted, "#note-input")
    def _note_submitted(self) -> None:
        self.save_note(quiet=False)

    def save(self) -> None:
        self.save_note()

    def save_note(self, quiet: bool = True) -> None:
        """Save what is in the note box as a note on its prompt."""
        note_input = self.query_one("#note-input", Input)
        key = getattr(note_input, "draft_key", "")
        if self.conv is None or not key or not note_input.value.strip():
            if not quiet:
                self.notify("Type the note first, then press Enter.")
            return
        _, _, conv_id, pid = key.split(".", 3)
        if conv_id not in self.state.conversations:
            return
        quick = conv_rules.parse_note(note_input.value)
        if not quick.text:
            self.notify("That note has a tag but no words yet.", severity="warning")
            return
        tag = quick.tag or self.tag
        speaker = quick.speaker or self.speaker

        def events() -> list:
            return [
                commands.add(
                    self.state,
                    "prompt_answer",
                    conversation_id=conv_id,
                    prompt_id=pid,
                    text=quick.text,
                    speaker=speaker,
                    tag=tag,
                ),
                *conv_rules.unskip_events(self.state, conv_id, pid),
            ]

        def saved() -> None:
            with note_input.prevent(Input.Changed):
                note_input.value = ""
            assert self.drafts is not None
            self.drafts.forget(key)
            self.tag = None
            self._show_note_title(conv_rules.describe_quick_note(tag, speaker))
            # The newest note is at the end: keep it in view as the list grows.
            listing = self.query_one("#prompt-notes", ItemList)
            self.call_after_refresh(listing.scroll_end, animate=False)

        self.change(events, saved)

    def action_cycle_speaker(self) -> None:
        order = list(conv_rules.SPEAKER_PREFIXES.values())
        self.speaker = order[(order.index(self.speaker) + 1) % len(order)]
        self._show_note_title()

    def action_cycle_tag(self) -> None:
        order: list[str | None] = [None, *conv_rules.TAG_PREFIXES.values()]
        self.tag = order[(order.index(self.tag) + 1) % len(order)]
        self._show_note_title()

    @on(OptionList.OptionSelected, "#prompt-notes")
    def _edit_note_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.edit_note(event.option.id)

    # -- moving through the prompts -----------------------------------------------------------

    def action_next(self) -> None:
        self._to_neighbour(conv_rules.next_prompt, "summary")

    def action_back(self) -> None:
        self._to_neighbour(conv_rules.previous_prompt, "setup")

    def _to_neighbour(self, neighbour: Any, beyond: str) -> None:
        """Save the note being typed, then bring up the next (or previous) prompt, or the
        step beyond the prompts when there is none."""
        conv = self.conv
        if conv is None or self.bank is None:
            return
        self.save_note()
        prompt_id = neighbour(self.bank, conv.agency_type, conv.current_prompt_id)
        if prompt_id is None:
            self.go(beyond)
        else:
            self.post_message(self.Move(prompt_id))

    def action_skip(self) -> None:
        conv, bank = self.conv, self.bank
        if conv is None or bank is None:
            return
        last = conv_rules.next_prompt(bank, conv.agency_type, self.current_prompt())
        self.probe_index = -1
        conv_id = self.conv_id
        self.change(lambda: conv_rules.skip_events(self.state, bank, conv_id))
        if last is None:
            self.go("summary")

    def action_probe(self) -> None:
        pid = self.current_prompt() if self.conv else None
        if pid is None or self.bank is None:
            return
        prompt = self.bank.prompt(pid)
        if not prompt.probes:
            self.notify("This prompt has no follow-up questions.")
            return
        self.probe_index = conv_rules.next_probe_index(prompt, self.probe_index)
        self.draw()

    def action_toggle_guidance(self) -> None:
        self.show_guidance = not self.show_guidance
        self.draw()

    def action_toggle_panel(self) -> None:
        self.panel_wanted = not self._panel_visible()
        self.place_panel()
