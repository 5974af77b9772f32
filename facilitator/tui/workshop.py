"""The workshop screen: the stage bar, one pane per stage, undo and drafts."""

from __future__ import annotations

import contextlib
import importlib
import time
from collections.abc import Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, TextArea

from facilitator.domain import commands
from facilitator.domain.events import Event, describe
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.store.errors import SessionFileError
from facilitator.tui.drafts import DraftKeeper, put_back
from facilitator.tui.footer import FittedFooter
from facilitator.tui.guard import Guarded
from facilitator.tui.stagebar import STAGE_KEYS, StageBar
from facilitator.tui.stagepane import StagePane
from facilitator.tui.view_memory import (
    KEEP_EVERY_SECONDS,
    forget_stage_seconds,
    keep_stage_seconds,
    unrecorded_stage_seconds,
)

monotonic = time.monotonic  # the stage clock (tests replace it)

# The pane for each stage: module and class, imported when the workshop screen opens.
STAGE_PANES = {
    "setup": ("facilitator.tui.setup", "SetupPane"),
    "criteria": ("facilitator.tui.criteria.pane", "CriteriaPane"),
    "all-relationships": ("facilitator.tui.stages.relationships", "RelationshipsPane"),
    "good-relationship": ("facilitator.tui.stages.good_relationship", "GoodRelationshipPane"),
    "to-develop": ("facilitator.tui.stages.develop", "DevelopPane"),
    "conversation": ("facilitator.tui.conversation.pane", "ConversationPane"),
    "notes": ("facilitator.tui.notes", "NotesPane"),
}


def make_pane(stage_id: str) -> StagePane:
    """A new pane for a stage."""
    module, name = STAGE_PANES[stage_id]
    return getattr(importlib.import_module(module), name)(id=stage_id)


class WorkshopScreen(Guarded, Screen[None]):
    """A session being run: everything typed is saved as it is typed."""

    # The stages' look, read when a session first opens; a stage with its own package
    # keeps its rules beside its widgets.
    CSS_PATH = [
        "workshop.tcss",
        "criteria/criteria.tcss",
        "stages/stages.tcss",
        "conversation/conversation.tcss",
    ]

    BINDINGS = [
        Binding("ctrl+z", "undo", "Undo", tooltip="Take back the last change"),
        # Stage keys come first even in a text box or a table, which have their own
        # uses for some of them (a text area selects all on F7).
        Binding("ctrl+pagedown", "next_stage", "Next stage", show=False, priority=True),
        Binding("ctrl+pageup", "previous_stage", "Previous stage", show=False, priority=True),
        Binding("ctrl+g", "goto_stage", "Stages", tooltip="Jump to any stage"),
        Binding("ctrl+s", "save_now", "Saved", show=False),
        Binding("ctrl+t", "timebox", "Timebox", show=False, tooltip="Set minutes for this stage"),
        Binding("ctrl+r", "export", "Export", show=False, tooltip="Save notes, map or data"),
        Binding(
            "f11",
            "compare_earlier",
            "Compare with earlier",
            show=False,
            tooltip="What changed since the session this one was started from",
        ),
        Binding(
            "ctrl+j",
            "room",
            "Room",
            show=False,
            tooltip="Let participants add from their phones (the room page)",
        ),
        Binding(
            "ctrl+l",
            "close_session",
            "Leave",
            show=False,
            tooltip="Close the session, back to the list",
        ),
        *[
            Binding(
                key,
                f"stage({i})",
                f"Go to {stage.short}" + (f": {stage.label}" if stage.label != stage.short else ""),
                show=False,
                priority=True,
                tooltip=f"Go to {stage.short}",
            )
            for i, (key, stage) in enumerate(zip(STAGE_KEYS, load_vocabulary().stages, strict=True))
        ],
    ]

    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session
        self.drafts = DraftKeeper(
            self._save_draft, self.set_timer, self._draft_failed, self._drafts_saved_again
        )
        self._stage_ids = [s.id for s in load_vocabulary().stages]
        self._entered = monotonic()  # when the current stage was last entered
        self._stale: set[str] = set()  # panes to redraw when next shown
        self._drafts_shown = False
        self._focus_when_mounted: str | None = self.session.state.info.current_stage
        self._time_kept_at = self._entered  # when the stage time was last written down

    def compose(self) -> ComposeResult:
        yield StageBar(id="stagebar")
        current = self.session.state.info.current_stage
        # Only the current stage is built now; the others when first visited.
        with ContentSwitcher(initial=current, id="stages"):
            yield make_pane(current)
        yield FittedFooter()

    def on_mount(self) -> None:
        self.sub_title = self.session.path.name
        self.app.sub_title = self.session.state.info.title
        self._recover_stage_time()
        self._update_bar()
        self._entered = monotonic()
        self._time_kept_at = self._entered
        self.set_interval(1.0, self._tick)
        self._tick()
        if getattr(self.app, "room_on_open", False):  # facilitator open FILE --room
            self.app.room_on_open = False
            self.call_after_refresh(self.action_room)

    # -- committing -------------------------------------------------------------------------

    def commit(self, events: Sequence[Event] | Event) -> bool:
        """Save events to the file; show any problem as a message. True when saved."""
        if isinstance(events, Event):
            events = [events]
        if not events:
            return True
        try:
            self.session.apply(list(events))
        except (SessionFileError, commands.DomainError, ValueError) as exc:
            self.app.notify(str(exc), title="Not saved", severity="error", timeout=8)
            return False
        self.refresh_panes()
        return True

    def current_pane(self) -> StagePane:
        switcher = self.query_one(ContentSwitcher)
        return self.query_one(f"#{switcher.current}", StagePane)

    def refresh_panes(self) -> None:
        """Redraw the visible stage now, the others when they are next shown."""
        pane = self.current_pane()
        self._stale = {p.id or "" for p in self.query(StagePane)} - {pane.id}
        if pane.is_mounted:
            pane.refresh_from_state()
        self._update_bar()
        self.app.sub_title = self.session.state.info.title

    def _update_bar(self) -> None:
        bar = self.query_one(StageBar)
        bar.current = self.session.state.info.current_stage
        bar.visited = frozenset(e.stage for e in self.session.journal)

    def action_undo(self) -> None:
        self.drafts.flush()
        try:
            done = self.session.undo()
        except SessionFileError as exc:
            self.app.notify(str(exc), title="Not undone", severity="error")
            return
        if done is None:
            self.app.notify("Nothing left to undo.")
            return
        target, _entries = done
        first = next(e for e in self.session.journal if e.txn == target)
        self.refresh_panes()
        self.app.notify(f"Undone: {describe(first.event)}")

    def action_save_now(self) -> None:
        self.drafts.flush()
        self.app.notify("Everything is saved as you type; nothing is waiting.")

    # -- stages ---------------------------------------------------------------------------

    @property
    def current_stage(self) -> str:
        return self.session.state.info.current_stage

    def go_to_stage(self, stage_id: str) -> None:
        if stage_id == self.current_stage:
            return
        self.drafts.flush()
        warning = self.current_pane().incomplete()
        events = self._time_events()
        events += commands.update_session(self.session.state, current_stage=stage_id)
        if not self.commit(events):
            return
        forget_stage_seconds(self.session)
        self._entered = monotonic()
        self._tick()
        if self.show_stage(stage_id).is_mounted:
            self._focus_stage()
        else:
            self._focus_when_mounted = stage_id
        if warning:
            self.app.notify(f"Moved on, but: {warning}", severity="warning", timeout=6)

    def show_stage(self, stage_id: str) -> StagePane:
        """Show a stage's pane, building it on first use and redrawing it if stale."""
        switcher = self.query_one(ContentSwitcher)
        found = self.query(f"#{stage_id}").results(StagePane)
        pane = next(iter(found), None)
        if pane is None:
            pane = make_pane(stage_id)
            switcher.mount(pane)  # pane_mounted() follows once it is built
        elif stage_id in self._stale and pane.is_mounted:
            # (A pane still being built draws itself from the state when it mounts.)
            self._stale.discard(stage_id)
            pane.refresh_from_state()
        switcher.current = stage_id
        return pane

    def pane_mounted(self, pane: StagePane) -> None:
        """A stage's pane has been built: put back its drafts, focus it if it is showing."""
        self._restore_drafts(pane)
        if self._focus_when_mounted == pane.id:
            self._focus_when_mounted = None
            pane.focus_first()

    def _focus_stage(self) -> None:
        self.current_pane().focus_first()

    def action_stage(self, index: int) -> None:
        if 0 <= index < len(self._stage_ids):
            self.go_to_stage(self._stage_ids[index])

    def action_next_stage(self) -> None:
        i = self._stage_ids.index(self.current_stage)
        if i + 1 < len(self._stage_ids):
            self.go_to_stage(self._stage_ids[i + 1])

    def action_previous_stage(self) -> None:
        i = self._stage_ids.index(self.current_stage)
        if i > 0:
            self.go_to_stage(self._stage_ids[i - 1])

    def action_goto_stage(self) -> None:
        from facilitator.tui.pickers import StagePicker

        def done(stage_id: str | None) -> None:
            if stage_id:
                self.go_to_stage(stage_id)

        self.app.push_screen(StagePicker(self.current_stage), done)

    def action_export(self) -> None:
        from facilitator.tui.export_dialog import ExportDialog

        self.drafts.flush()
        self.app.push_screen(
            ExportDialog(self.session.path, self.session.state, self.session.journal)
        )

    def action_room(self) -> None:
        """Open the room page (or its panel, if it is open already)."""
        from facilitator.tui.room import open_room
        from facilitator.tui.room_screen import RoomScreen

        link = open_room(self)
        if link is not None:
            self.app.push_screen(RoomScreen(link))

    def action_close_session(self) -> None:
        self.app.leave_session()

    def action_compare_earlier(self) -> None:
        from facilitator.tui.history_actions import compare_with_origin

        self.drafts.flush()
        compare_with_origin(self.app, self.session)

    # -- time -------------------------------------------------------------------------------

    def _time_events(self) -> list[Event]:
        """Events adding the time spent on the current stage since it was entered."""
        elapsed = int(monotonic() - self._entered)
        if elapsed <= 0:
            return []
        self._entered += elapsed
        stage = self.current_stage
        kept = self.session.state.rows["stage_time"].get(stage)
        if kept is None:
            return [
                commands.add(
                    self.session.state, "stage_time", entity_id=stage, spent_seconds=elapsed
                )
            ]
        return commands.edit(
            self.session.state, "stage_time", stage, spent_seconds=kept.spent_seconds + elapsed
        )

    def record_time(self) -> None:
        """Keep the time spent on the current stage (on leaving the session).

        Written straight to the file, without redrawing: this runs as the screen closes.
        """
        if self.session.readonly or getattr(self.session, "_closed", False):
            return
        with contextlib.suppress(SessionFileError, commands.DomainError):
            self.session.apply(self._time_events())
            forget_stage_seconds(self.session)

    def _recover_stage_time(self) -> None:
        """Put into the journal the stage time written while the app last ran but not
        recorded there (the process was killed): at most a few seconds are lost."""
        found = None if self.session.readonly else unrecorded_stage_seconds(self.session)
        if found is None:
            return
        stage, total = found
        kept = self.session.state.rows["stage_time"].get(stage)
        if stage in self._stage_ids and total > (kept.spent_seconds if kept else 0):
            state = self.session.state
            with contextlib.suppress(SessionFileError, commands.DomainError):
                if kept is None:
                    add = commands.add(state, "stage_time", entity_id=stage, spent_seconds=total)
                    self.session.apply([add])
                else:
                    self.session.apply(
                        commands.edit(state, "stage_time", stage, spent_seconds=total)
                    )
        forget_stage_seconds(self.session)

    def _keep_stage_time(self) -> None:
        """Every few seconds, write the stage's whole time where a killed process leaves it."""
        now = monotonic()
        if now - self._time_kept_at < KEEP_EVERY_SECONDS or self.session.readonly:
            return
        self._time_kept_at = now
        keep_stage_seconds(self.session, self.current_stage, self.spent_on(self.current_stage))

    def spent_on(self, stage: str) -> int:
        kept = self.session.state.rows["stage_time"].get(stage)
        spent = kept.spent_seconds if kept else 0
        if stage == self.current_stage:
            spent += int(monotonic() - self._entered)
        return spent

    def _tick(self) -> None:
        self._keep_stage_time()
        bar = self.query_one(StageBar)
        kept = self.session.state.rows["stage_time"].get(self.current_stage)
        if kept is None or not kept.timebox_minutes:
            bar.clock, bar.clock_style = "", ""
            return
        left = kept.timebox_minutes * 60 - self.spent_on(self.current_stage)
        bar.clock, bar.clock_style = clock_text(left)

    def action_timebox(self) -> None:
        from facilitator.tui.dialogs import TimeboxDialog

        stage = self.current_stage
        kept = self.session.state.rows["stage_time"].get(stage)

        def done(minutes: int | None) -> None:
            if minutes is None:
                return
            value = minutes or None
            if kept is None and stage not in self.session.state.rows["stage_time"]:
                event = commands.add(
                    self.session.state, "stage_time", entity_id=stage, timebox_minutes=value
                )
                self.commit([event])
            else:
                self.commit(
                    commands.edit(self.session.state, "stage_time", stage, timebox_minutes=value)
                )
            self._tick()

        label = load_vocabulary().get("stages", stage).label
        self.app.push_screen(TimeboxDialog(label, kept.timebox_minutes if kept else None), done)

    # -- drafts ---------------------------------------------------------------------------

    def _save_draft(self, key: str, text: str) -> None:
        self.session.save_draft(key, text)

    def _draft_failed(self, exc: Exception) -> None:
        self.app.notify(
            f"Typing could not be saved: {exc} It stays on screen, and saving is tried "
            "again every few seconds.",
            title="Not saved",
            severity="error",
            timeout=10,
        )

    def _drafts_saved_again(self) -> None:
        if getattr(self.session, "closed", False):  # (nothing is written to a closed one)
            return
        self.app.notify("Typing is being saved again.", title="Saved", timeout=4)

    def has_unsaved_typing(self) -> bool:
        """Text on screen that could not be written to the file (a full disk)."""
        self.drafts.flush()
        return bool(self.drafts.pending)

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        # Only typing counts: a field filled in by the app (focus elsewhere) is no draft.
        key = getattr(event.input, "draft_key", None)
        if key and event.input.has_focus:
            self.drafts.typed(key, event.value)

    @on(TextArea.Changed)
    def _textarea_changed(self, event: TextArea.Changed) -> None:
        key = getattr(event.text_area, "draft_key", None)
        if key and event.text_area.has_focus:
            self.drafts.typed(key, event.text_area.text)

    def _restore_drafts(self, pane: StagePane) -> None:
        """Put back text that was being typed in this stage when the app last stopped."""
        saved = self.session.drafts()
        restored = 0
        for widget in pane.query("Input, TextArea"):
            key = getattr(widget, "draft_key", None)
            if key and saved.get(key, "").strip():  # (spaces alone are nothing to put back)
                put_back(widget, saved[key])
                restored += 1
        if restored and not self._drafts_shown:
            self._drafts_shown = True
            self.app.notify(
                "Text you were typing when facilitator last closed has been put back.",
                title="Restored",
                timeout=6,
            )

    def flush(self) -> None:
        """Write pending drafts, where each stage was and the time kept (used when the
        session closes)."""
        self.drafts.flush()
        if not self.session.readonly and not getattr(self.session, "_closed", False):
            for pane in self.query(StagePane):
                if pane.is_mounted:
                    pane.keep_view()
        self.record_time()

    def on_unmount(self) -> None:
        # However the screen goes (closed, app quit, test ended), keep typing and time.
        self.flush()


def clock_text(seconds_left: int) -> tuple[str, str]:
    """The stage countdown and its style: calm, then a warning, then overtime.

    Never colour alone: the words change too ("left", "⚠ left", "over").
    """
    if seconds_left < 0:
        over = -seconds_left
        return f"⏱ {over // 60}:{over % 60:02d} over", "bold white on dark_red"
    text = f"{seconds_left // 60}:{seconds_left % 60:02d} left"
    if seconds_left <= 120:
        return f"⚠ {text}", "bold black on yellow"
    return f"⏱ {text}", "bold"
