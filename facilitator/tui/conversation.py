"""The conversation stage: leads a facilitated conversation one prompt at a time.

A conversation runs in steps: (for a follow-up) a look back at the actions agreed last
time; who is at the table and what will and won't be talked about; the prompts, one at
a time in large type for the wall, with notes tagged by who said them and what they
are; and a closing summary of challenges, opportunities and agreed actions. Every
change is one commit, so ctrl+z takes it back.
"""

from __future__ import annotations

import time
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import DescendantBlur, Resize
from textual.suggester import SuggestFromList
from textual.widgets import (
    Button,
    ContentSwitcher,
    DataTable,
    Input,
    OptionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from facilitator.domain import commands
from facilitator.domain import conversation as conv_rules
from facilitator.domain.model import to_dict
from facilitator.domain.questions import QuestionBank
from facilitator.domain.text import shorten
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.attendees import AttendeeInput, AttendeeList
from facilitator.tui.conversation_dialogs import (
    ActionDialog,
    AgencyDialog,
    AttendeeDialog,
    NoteDialog,
    ReviewDialog,
)
from facilitator.tui.conversation_widgets import (
    ConversationsTable,
    ItemList,
    PromptCard,
    ReviewTable,
    note_option,
    panel_options,
    show,
)
from facilitator.tui.dialogs import ConfirmDialog, MessageDialog
from facilitator.tui.drafts import put_back
from facilitator.tui.pickers import PickDialog
from facilitator.tui.stagepane import StagePane
from facilitator.tui.tables import plain
from facilitator.tui.view_memory import (
    KEEP_EVERY_SECONDS,
    conversation_place,
    keep_conversation_place,
    keep_section_seconds,
    section_seconds,
)

#: The clock the section timer reads. Tests replace it so that screenshots stand still.
monotonic = time.monotonic

#: Wide enough to show the running panel beside the prompt without being asked.
PANEL_MIN_WIDTH = 110

STEP_IDS = {
    "list": "conv-list",
    "review": "conv-review",
    "setup": "conv-setup",
    "prompt": "conv-prompt",
    "summary": "conv-summary",
}
PROMPT_ONLY = {
    "probe",
    "skip",
    "toggle_guidance",
    "cycle_speaker",
    "cycle_tag",
    "toggle_timer",
    "toggle_panel",
}
SIDE_TITLES = {"partnership": "Partnership side", "agency": "Agency side"}
NOTE_PLACEHOLDER = "Type a note, Enter saves. Start with ! + ? = to tag it, P: A: B: for who"


class ConversationPane(StagePane):
    """Runs facilitated conversations between the partnership and one agency."""

    stage_id = "conversation"
    BINDINGS = [
        Binding("ctrl+down", "next", "Next", tooltip="The next prompt or step"),
        Binding("pagedown", "next", "Next", show=False),
        Binding("ctrl+up", "back", "Back", tooltip="The previous prompt or step"),
        Binding("pageup", "back", "Back", show=False),
        Binding(
            "ctrl+f", "probe", "Follow-up", tooltip="Show a follow-up question; again for the next"
        ),
        Binding("ctrl+f", "finish", "Finish", tooltip="Mark the conversation finished"),
        Binding("ctrl+f", "reopen", "Reopen", tooltip="Reopen a finished conversation"),
        Binding(
            "ctrl+n", "add_action", "Action", tooltip="Add an agreed action: what, who, by when"
        ),
        Binding("ctrl+n", "new_conversation", "New", tooltip="Start a conversation with an agency"),
        Binding("ctrl+o", "skip", "Skip", tooltip="Skip this prompt (it is noted as skipped)"),
        Binding(
            "f12,alt+g",
            "toggle_guidance",
            "Guidance",
            tooltip="Show or hide your facilitator's note (not for the wall)",
        ),
        Binding(
            "ctrl+b",
            "cycle_speaker",
            "Who said it: kept for later notes (P: A: B: before one note)",
            show=False,
            tooltip="Partnership, agency or both; stays until changed",
        ),
        Binding(
            "ctrl+y",
            "cycle_tag",
            "Tag the next note (or start it with ! + ? = before a letter or space)",
            show=False,
            tooltip="Challenge, opportunity, ask, agreement or none, for the next note only",
        ),
        Binding(
            "alt+t",
            "toggle_timer",
            "Pause timer",
            show=False,
            tooltip="Pause or restart the section timer",
        ),
        # ctrl+e also moves to the end of a text box; End does that as well, and
        # terminals often swallow alt keys, so the running tally gets a ctrl key.
        Binding(
            "ctrl+e",
            "toggle_panel",
            "So far",
            priority=True,
            tooltip="Show or hide the challenges, opportunities and actions so far",
        ),
        Binding(
            "alt+p",
            "toggle_panel",
            "Challenges, opportunities and actions so far",
            show=False,
            tooltip="Show or hide the running tally beside the prompt (ctrl+e)",
        ),
        Binding(
            "alt+s",
            "to_summary",
            "Summary: challenges, opportunities, actions, what was agreed",
            show=False,
            tooltip="The conversation's closing summary",
        ),
        Binding(
            "escape", "steps", "Steps", tooltip="Jump to a step or section, or back to the list"
        ),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.conv_id: str | None = None
        self.step = "list"
        self.probe_index = -1
        self.show_guidance = False
        self.panel_wanted: bool | None = None  # None: decided by the width
        self.speaker = "partnership"
        self.tag: str | None = None
        self.bank: QuestionBank | None = None
        self.bank_problem = ""
        self._timer_key: tuple[str, str] | None = None
        self._timer_started = 0.0
        self._timer_paused: float | None = None
        self._timer_kept_at = 0.0  # when the section's time was last written down
        self._timer_shown: tuple[str, str] = ("", "")
        self._bindings_for: tuple[str, bool] = ("", False)

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="conv-list", id="conv-steps"):
            with Vertical(id="conv-list"):
                yield Static("Facilitated conversations", classes="conv-heading")
                yield Static(id="list-hint", classes="conv-hint")
                yield ConversationsTable(id="conv-table", cursor_type="row", zebra_stripes=True)
                yield Button("Start a conversation", id="start-conversation", variant="primary")
            with Vertical(id="conv-review"):
                yield Static(id="review-heading", classes="conv-heading")
                yield Static(
                    "How has each one gone? D done · U under way · X dropped · T to do · "
                    "Enter adds a note. ctrl+↓ when you are ready to move on.",
                    classes="conv-hint",
                )
                yield ReviewTable(id="review-table", cursor_type="row", zebra_stripes=True)
            with Vertical(id="conv-setup"):
                yield Static(id="setup-heading", classes="conv-heading")
                with Horizontal(id="attendee-row"):
                    for side in conv_rules.SIDES:
                        with Vertical(classes="attendee-side"):
                            people = AttendeeList(id=f"attendees-{side}", classes="attendee-list")
                            people.border_title = SIDE_TITLES[side]
                            yield people
                            add = AttendeeInput(
                                id=f"attendee-{side}",
                                placeholder="Type a name, or Enter to pick"
                                if side == "partnership"
                                else "Type a name and press Enter",
                            )
                            yield add
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
            with Vertical(id="conv-prompt"):
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
            with Vertical(id="conv-summary"):
                yield Static(id="summary-heading", classes="conv-heading")
                summary_panel = ItemList(id="summary-panel")
                summary_panel.border_title = "Challenges, opportunities and actions"
                yield summary_panel
                text = TextArea(
                    id="summary-text",
                    soft_wrap=True,
                    placeholder="In a few sentences, for both sides to take away",
                )
                text.border_title = "Summary: what we learned and agreed"
                yield text
                yield Static(id="summary-status")

    def on_mount(self) -> None:
        app: Any = self.app
        choice = conv_rules.choose_bank(
            getattr(app, "questions", None), getattr(app, "sessions_dir", None)
        )
        self.bank = choice.bank
        self.bank_problem = choice.problem
        self.query_one("#conv-table", DataTable).add_columns(
            "Agency", "Kind", "Started", "Where", "Follows up"
        )
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

    def on_resize(self, event: Resize) -> None:
        self._place_panel()
        if self.step == "review" and self.conv is not None:
            self._draw_review()  # the columns share out the width

    # -- state ------------------------------------------------------------------------------

    @property
    def conv(self) -> Any:
        return self.state.conversations.get(self.conv_id) if self.conv_id else None

    def refresh_from_state(self) -> None:
        if self.conv_id and self.conv_id not in self.state.conversations:
            self.conv_id = None
            self.step = "list"
        switcher = self.query_one("#conv-steps", ContentSwitcher)
        if switcher.current != STEP_IDS[self.step]:
            switcher.current = STEP_IDS[self.step]
        draw = {
            "list": self._draw_list,
            "review": self._draw_review,
            "setup": self._draw_setup,
            "prompt": self._draw_prompt,
            "summary": self._draw_summary,
        }[self.step]
        draw()
        keys_for = (self.step, bool(self.conv and self.conv.finished))
        if self._bindings_for != keys_for:
            # The Footer is rebuilt on every refresh_bindings: only when the keys change.
            self._bindings_for = keys_for
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in PROMPT_ONLY:
            return self.step == "prompt"
        if action in ("finish", "reopen"):
            conv = self.conv
            finished = bool(conv and conv.finished)
            return self.step == "summary" and finished == (action == "reopen")
        if action == "new_conversation":
            return self.step == "list"
        if action == "next":
            return self.step in ("review", "setup", "prompt")
        if action == "back":
            return self.step in ("setup", "prompt", "summary")
        if action in ("add_action", "steps"):
            return self.step != "list"
        if action == "to_summary":
            return self.step not in ("list", "summary")
        return True

    def focus_first(self) -> None:
        target = {
            "list": "#conv-table" if self.state.conversations else "#start-conversation",
            "review": "#review-table",
            "setup": "#attendee-partnership",
            "prompt": "#note-input",
            "summary": "#summary-panel",
        }[self.step]
        self.query_one(target).focus()

    def incomplete(self) -> str:
        open_ones = [c.agency_name for c in self.state.conversations.values() if not c.finished]
        if open_ones:
            return f"The conversation with {open_ones[0]} is not marked finished yet."
        return ""

    def go(self, step: str) -> None:
        """Show a step of the open conversation (or the list), saving typed text first."""
        self._save_texts()
        self.step = step if self.conv_id or step == "list" else "list"
        self.probe_index = -1
        self.refresh_from_state()
        self.focus_first()
        self.keep_view()

    def keep_view(self) -> None:
        """Remember the conversation and step on screen, and how long its section has
        run, so that reopening the session comes back to them."""
        session = self.workshop.session
        keep_conversation_place(session, self.conv_id, self.step if self.conv_id else "list")
        if self._timer_key is not None and self._timer_key[0]:
            keep_section_seconds(session, *self._timer_key, self._elapsed())
            self._timer_kept_at = monotonic()

    def open_conversation(self, conv_id: str, step: str | None = None) -> None:
        conv = self.state.conversations[conv_id]
        self._save_texts()
        self.conv_id = conv_id
        if self.bank is not None and conv.bank_id and conv.bank_id != self.bank.id:
            self.app.notify(
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

    # -- the list of conversations ------------------------------------------------------------

    def _draw_list(self) -> None:
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
        hint = self.query_one("#list-hint", Static)
        suggested = conv_rules.suggested_relationship(self.state)
        name = self.state.relationships[suggested].name if suggested else ""
        if not convs:
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
        else:
            show(
                hint,
                "Enter shows a conversation as it stood at this moment of the replay."
                if self.workshop.session.readonly
                else "Enter picks a conversation up where it was left. ctrl+n starts another.",
            )

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
            self.open_conversation(key)

    @on(ConversationsTable.Remove)
    def _remove_conversation(self, event: ConversationsTable.Remove) -> None:
        cid = event.conversation_id
        conv = self.state.conversations.get(cid)
        if conv is None:
            return

        def done(yes: bool | None) -> None:
            if yes and cid in self.state.conversations:
                self.commit(commands.remove(self.state, "conversation", cid))

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
        assert self.bank is not None
        try:
            event = conv_rules.start_event(
                self.state,
                self.bank,
                agency_name=name,
                agency_type=agency_type,
                relationship_id=rid,
                previous_id=previous,
                started_at=conv_rules.utc_now(),
            )
        except commands.DomainError as exc:
            self.app.notify(str(exc), severity="warning")
            return
        if self.commit([event]):
            self.open_conversation(event.payload["id"])

    # -- looking back at earlier actions ------------------------------------------------------

    def _draw_review(self) -> None:
        conv = self.conv
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
            self.commit(conv_rules.review_events(self.state, conv_id, aid, event.status))
            return
        review = conv_rules.review_for(self.state, conv_id, aid)
        status = review[1].status if review else action.status
        note = review[1].note if review else ""

        def done(values: dict | None) -> None:
            if values and aid in self.state.rows["action"] and conv_id in self.state.conversations:
                self.commit(
                    conv_rules.review_events(
                        self.state, conv_id, aid, values["status"], values["note"]
                    )
                )

        self.app.push_screen(ReviewDialog(shorten(action.what, 40), status, note), done)

    # -- who is here, and the boundaries ------------------------------------------------------

    def _draw_setup(self) -> None:
        conv = self.conv
        show(
            self.query_one("#setup-heading", Static),
            f"Who is here, and what we will talk about · {conv.agency_name}",
        )
        names = []
        for side in conv_rules.SIDES:
            people = conv_rules.attendees(self.state, self.conv_id, side)
            names += [a.name for _, a in people]
            listing = self.query_one(f"#attendees-{side}", ItemList)
            if people:
                listing.replace([Option(plain(a.name), id=aid) for aid, a in people])
            else:
                listing.replace([Option("nobody yet", disabled=True)])
            add = self.query_one(f"#attendee-{side}", Input)
            self._bind_draft(add, f"conversation.attendee.{side}.{self.conv_id}", "")
        room = [p.name for p in self.state.participants.values()]
        self.query_one("#attendee-partnership", Input).suggester = SuggestFromList(
            room, case_sensitive=False
        )
        warning = conv_rules.attendee_warning(self.state, self.conv_id)
        show(self.query_one("#attendee-warning", Static), f"⚠ {warning}" if warning else "")
        for field in ("boundaries_in", "boundaries_out"):
            area = self.query_one(f"#{field.replace('_', '-')}", TextArea)
            self._bind_draft(area, f"conversation.{field}.{self.conv_id}", getattr(conv, field))

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
            self.app.notify("Everyone in the session is already listed. Type a name instead.")
            return

        def picked(pid: str | None) -> None:
            if pid and pid in self.state.participants:
                self._commit_attendee(side, self.state.participants[pid].name, pid, None)

        self.app.push_screen(PickDialog("Who from the room?", options), picked)

    def _commit_attendee(
        self, side: str, name: str, participant: str | None, field: Input | None
    ) -> None:
        try:
            event = commands.add(
                self.state,
                "attendee",
                conversation_id=self.conv_id,
                side=side,
                name=name,
                participant_id=participant,
            )
        except commands.DomainError as exc:
            self.app.notify(str(exc), severity="warning")
            return
        if self.commit([event]):
            if field is not None:
                field.value = ""
                self.workshop.drafts.forget(field.draft_key)
            warning = conv_rules.attendee_warning(self.state, self.conv_id)
            if warning and len(conv_rules.attendees(self.state, self.conv_id, side)) == 3:
                self.app.notify(warning, title="Quite a crowd", severity="warning", timeout=6)

    @on(OptionList.OptionSelected, "#attendees-partnership, #attendees-agency")
    def _edit_attendee(self, event: OptionList.OptionSelected) -> None:
        aid = event.option.id
        attendee = self.state.rows["attendee"].get(aid) if aid else None
        if attendee is None:
            return

        def done(values: dict | None) -> None:
            if values and aid in self.state.rows["attendee"]:
                self._try_commit(lambda: commands.edit(self.state, "attendee", aid, **values))

        self.app.push_screen(AttendeeDialog(attendee.name, attendee.side), done)

    def _save_boundaries(self) -> None:
        conv = self.conv
        if conv is None:
            return
        for field in ("boundaries_in", "boundaries_out"):
            area = self.query_one(f"#{field.replace('_', '-')}", TextArea)
            self._save_text(area, field)

    def _save_text(self, area: TextArea, field: str) -> None:
        conv = self.conv
        key = getattr(area, "draft_key", None)
        if conv is None or not key or not key.endswith(f".{self.conv_id}"):
            return
        if area.text.strip() == getattr(conv, field).strip():
            self.workshop.drafts.forget(key)
            return
        if self._try_commit(
            lambda: commands.edit(self.state, "conversation", self.conv_id, **{field: area.text})
        ):
            self.workshop.drafts.forget(key)

    def _save_texts(self) -> None:
        if self.step == "setup":
            self._save_boundaries()
        elif self.step == "summary":
            self._save_text(self.query_one("#summary-text", TextArea), "summary")
        elif self.step == "prompt":
            self._save_typed_note()

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        widget = event.widget
        if not isinstance(widget, TextArea) or self.conv is None:
            return
        if widget.id in ("boundaries-in", "boundaries-out") and self.step == "setup":
            self._save_text(widget, widget.id.replace("-", "_"))
        elif widget.id == "summary-text" and self.step == "summary":
            self._save_text(widget, "summary")

    # -- one prompt at a time -----------------------------------------------------------------

    def _current_prompt(self) -> str | None:
        conv = self.conv
        assert self.bank is not None
        return conv_rules.resolve_prompt(self.bank, conv.agency_type, conv.current_prompt_id)

    def _draw_prompt(self) -> None:
        conv = self.conv
        bank = self.bank
        assert bank is not None
        pid = self._current_prompt()
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
        self._start_section_timer(at.section_id)
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
        self._bind_draft(note_input, f"conversation.note.{self.conv_id}.{pid}", "")
        self._show_note_title()
        self._draw_panel(self.query_one("#prompt-panel", ItemList))
        self._place_panel()

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

    def _draw_panel(self, listing: ItemList) -> None:
        items = conv_rules.panel_items(self.state, self.conv_id)
        listing.replace(panel_options(items))
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

    def _place_panel(self) -> None:
        shown = self._panel_visible()
        self.query_one("#prompt-panel").display = shown
        self.query_one("#prompt-tally").display = not shown

    # The section timer --------------------------------------------------------------------

    def _start_section_timer(self, section_id: str) -> None:
        key = (self.conv_id or "", section_id)
        if key != self._timer_key:
            session = self.workshop.session
            if self._timer_key is not None and self._timer_key[0]:
                keep_section_seconds(session, *self._timer_key, self._elapsed())
            self._timer_key = key
            # A section goes on from the time it had already run, across a restart too.
            self._timer_started = monotonic() - section_seconds(session, *key)
            self._timer_paused = None
            self._timer_kept_at = monotonic()

    def _elapsed(self) -> float:
        now = self._timer_paused if self._timer_paused is not None else monotonic()
        return now - self._timer_started

    def _show_timer(self, minutes: int) -> None:
        reading = conv_rules.section_timer(minutes, self._elapsed())
        style = {"ok": "bold", "near": "bold $text-warning", "over": "bold $text-error"}
        text = reading.text
        if self._timer_paused is not None:
            text = f"⏸ {text} (paused)"
        if (text, reading.level) == self._timer_shown:
            return  # unchanged: spare the screen a redraw
        self._timer_shown = (text, reading.level)
        timer = self.query_one("#prompt-timer", Static)
        timer.update(Content.assemble((text, style[reading.level])))
        timer.set_class(reading.level != "ok", "timer-alert")

    def _tick(self) -> None:
        if not self.display or self.step != "prompt" or self.conv is None or self.bank is None:
            return
        pid = self._current_prompt()
        if pid is not None:
            at = conv_rules.position(self.bank, self.conv.agency_type, pid)
            self._show_timer(at.section_minutes)
        if self._timer_key is not None and monotonic() - self._timer_kept_at >= KEEP_EVERY_SECONDS:
            self._timer_kept_at = monotonic()
            keep_section_seconds(self.workshop.session, *self._timer_key, self._elapsed())

    def action_toggle_timer(self) -> None:
        if self._timer_paused is None:
            self._timer_paused = monotonic()
            self.app.notify("Section timer paused. alt+t starts it again.")
        else:
            self._timer_started += monotonic() - self._timer_paused
            self._timer_paused = None
        self._tick()

    # Notes --------------------------------------------------------------------------------

    @on(Input.Submitted, "#note-input")
    def _note_submitted(self) -> None:
        self._save_typed_note(quiet=False)

    def _save_typed_note(self, quiet: bool = True) -> bool:
        """Save what is in the note box as a note on the current prompt."""
        note_input = self.query_one("#note-input", Input)
        key = getattr(note_input, "draft_key", "")
        if self.conv is None or not key or not note_input.value.strip():
            if not quiet:
                self.app.notify("Type the note first, then press Enter.")
            return False
        _, _, conv_id, pid = key.split(".", 3)
        if conv_id not in self.state.conversations:
            return False
        quick = conv_rules.parse_note(note_input.value)
        tag = self.tag
        if not quick.text:
            self.app.notify("That note has a tag but no words yet.", severity="warning")
            return False

        def events() -> list:
            return [
                commands.add(
                    self.state,
                    "prompt_answer",
                    conversation_id=conv_id,
                    prompt_id=pid,
                    text=quick.text,
                    speaker=quick.speaker or self.speaker,
                    tag=quick.tag or tag,
                ),
                *conv_rules.unskip_events(self.state, conv_id, pid),
            ]

        if not self._try_commit(events):
            return False
        with note_input.prevent(Input.Changed):
            note_input.value = ""
        self.workshop.drafts.forget(key)
        self.tag = None
        self._show_note_title(
            conv_rules.describe_quick_note(quick.tag or tag, quick.speaker or self.speaker)
        )
        # The newest note is at the end: keep it in view as the list grows.
        listing = self.query_one("#prompt-notes", ItemList)
        self.call_after_refresh(listing.scroll_end, animate=False)
        return True

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
            self._edit_note(event.option.id)

    def _edit_note(self, note_id: str) -> None:
        note = self.state.rows["prompt_answer"].get(note_id)
        if note is None:
            return

        def done(values: dict | None) -> None:
            if values and note_id in self.state.rows["prompt_answer"]:
                self._try_commit(
                    lambda: commands.edit(self.state, "prompt_answer", note_id, **values)
                )

        self.app.push_screen(NoteDialog(to_dict(note)), done)

    @on(ItemList.Remove)
    def _remove_item(self, event: ItemList.Remove) -> None:
        option_id = event.option_id
        list_id = event.item_list.id or ""
        if list_id.startswith("attendees-"):
            if option_id in self.state.rows["attendee"]:
                self.commit(commands.remove(self.state, "attendee", option_id))
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
                self.commit(commands.remove(self.state, kind, entity_id))

        noun = "action" if kind == "action" else "note"
        self.app.push_screen(
            ConfirmDialog(
                f"Remove this {noun}? “{shorten(what, 60)}” (ctrl+z undoes it)", yes="Remove"
            ),
            done,
        )

    @on(OptionList.OptionSelected, "#prompt-panel, #summary-panel")
    def _edit_panel_item(self, event: OptionList.OptionSelected) -> None:
        kind, _, entity_id = (event.option.id or "").partition(":")
        if kind == "action":
            self._edit_action(entity_id)
        elif kind in ("challenge", "opportunity"):
            self._edit_note(entity_id)

    # Moving through the prompts --------------------------------------------------------------

    def _move_to(self, prompt_id: str | None) -> None:
        if prompt_id is None or self.conv is None:
            return
        self.probe_index = -1
        if prompt_id == self.conv.current_prompt_id:
            self.refresh_from_state()
            return
        self._try_commit(lambda: conv_rules.move_events(self.state, self.conv_id, prompt_id))

    def action_next(self) -> None:
        if self.conv is None:
            return
        if self.step == "review":
            self.go("setup")
        elif self.step == "setup":
            self._enter_prompts()
        elif self.step == "prompt":
            self._save_typed_note()
            assert self.bank is not None
            following = conv_rules.next_prompt(
                self.bank, self.conv.agency_type, self.conv.current_prompt_id
            )
            if following is None:
                self.go("summary")
            else:
                self._move_to(following)

    def _enter_prompts(self) -> None:
        self._save_texts()
        current = self._current_prompt()
        if current is not None and current != self.conv.current_prompt_id:
            self._try_commit(lambda: conv_rules.move_events(self.state, self.conv_id, current))
        self.go("prompt")

    def action_back(self) -> None:
        if self.conv is None:
            return
        if self.step == "summary":
            self.go("prompt")
        elif self.step == "setup":
            if self.conv.previous_id:
                self.go("review")
        elif self.step == "prompt":
            self._save_typed_note()
            assert self.bank is not None
            before = conv_rules.previous_prompt(
                self.bank, self.conv.agency_type, self.conv.current_prompt_id
            )
            if before is None:
                self.go("setup")
            else:
                self._move_to(before)

    def action_skip(self) -> None:
        if self.conv is None or self.bank is None:
            return
        last = conv_rules.next_prompt(self.bank, self.conv.agency_type, self._current_prompt())
        self.probe_index = -1
        self._try_commit(lambda: conv_rules.skip_events(self.state, self.bank, self.conv_id))
        if last is None:
            self.go("summary")

    def action_probe(self) -> None:
        pid = self._current_prompt() if self.conv else None
        if pid is None or self.bank is None:
            return
        prompt = self.bank.prompt(pid)
        if not prompt.probes:
            self.app.notify("This prompt has no follow-up questions.")
            return
        self.probe_index = conv_rules.next_probe_index(prompt, self.probe_index)
        self._draw_prompt()

    def action_toggle_guidance(self) -> None:
        self.show_guidance = not self.show_guidance
        self._draw_prompt()

    def action_toggle_panel(self) -> None:
        self.panel_wanted = not self._panel_visible()
        self._place_panel()

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
            if not choice or self.conv is None:
                return
            if choice.startswith("prompt:"):
                self._save_texts()
                self.step = "prompt"
                self._move_to(choice[7:])
                self.go("prompt")
            elif choice == "current":
                self._enter_prompts()
            else:
                self.go(choice)

        self.app.push_screen(PickDialog("Go to", options, "current"), picked)

    # -- actions ------------------------------------------------------------------------------

    def _action_choices(self) -> tuple[list[str], list[str]]:
        conv = self.conv
        organisations = ["Partnership", conv.agency_name, "Both"]
        people = [a.name for _, a in self.state.where("attendee", conversation_id=self.conv_id)]
        return organisations, people

    def action_add_action(self) -> None:
        if self.conv is None:
            return
        conv_id = self.conv_id
        organisations, people = self._action_choices()

        def done(values: dict | None) -> None:
            conv = self.state.conversations.get(conv_id)
            if values and conv is not None:
                self._try_commit(
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

    def _edit_action(self, action_id: str) -> None:
        action = self.state.rows["action"].get(action_id)
        if action is None:
            return
        organisations, people = self._action_choices()

        def done(values: dict | None) -> None:
            if values and action_id in self.state.rows["action"]:
                self._try_commit(lambda: commands.edit(self.state, "action", action_id, **values))

        self.app.push_screen(
            ActionDialog(to_dict(action), organisations=organisations, people=people), done
        )

    # -- the closing summary ------------------------------------------------------------------

    def _draw_summary(self) -> None:
        conv = self.conv
        when = conv_rules.nice_date(conv.started_at)
        show(
            self.query_one("#summary-heading", Static),
            f"Summary · {conv.agency_name}" + (f" · {when}" if when else ""),
        )
        self._draw_panel(self.query_one("#summary-panel", ItemList))
        area = self.query_one("#summary-text", TextArea)
        self._bind_draft(area, f"conversation.summary.{self.conv_id}", conv.summary)
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

    def action_reopen(self) -> None:
        self.action_finish()

    def action_finish(self) -> None:
        conv = self.conv
        if conv is None:
            return
        self._save_text(self.query_one("#summary-text", TextArea), "summary")
        conv_id = self.conv_id
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
                self._try_commit(
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

    # -- helpers ------------------------------------------------------------------------------

    def _try_commit(self, make_events: Any) -> bool:
        """Build events (a DomainError is shown, not raised) and commit them."""
        try:
            events = make_events()
        except commands.DomainError as exc:
            self.app.notify(str(exc), severity="warning")
            return False
        return self.commit(events)

    def _draft_text(self, key: str) -> str | None:
        pending = self.workshop.drafts.pending
        if key in pending:
            return pending[key]
        return self.workshop.session.drafts().get(key)

    def _bind_draft(self, widget: Input | TextArea, key: str, committed: str) -> None:
        """Point a reused text field at a draft key, showing that draft or the saved text.

        Text under the cursor is never touched, and neither is typing not yet committed.
        """
        same = getattr(widget, "draft_key", None) == key
        if same and widget.has_focus:
            return
        if not same:
            self.workshop.drafts.flush()
            widget.draft_key = key  # type: ignore[attr-defined]
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
