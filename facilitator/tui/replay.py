"""Replay: watch a saved session unfold again, event by event, without changing it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import ContentSwitcher, Footer, Static

from facilitator.domain import conversation as conv_rules
from facilitator.domain.events import describe
from facilitator.domain.replay import Timeline
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.store.errors import WriteError
from facilitator.tui.replay_conversation import ReplayConversation
from facilitator.tui.stagebar import StageBar
from facilitator.tui.stagepane import StagePane
from facilitator.tui.workshop import WorkshopScreen

SPEEDS = {"1": 1.0, "2": 10.0, "3": 0.0}  # 0 = as fast as possible
LONGEST_PAUSE = 20.0  # seconds of real time; longer quiet gaps are shortened when playing
FAST_TICK = 0.05


class ReplaySession:
    """Looks like an open session to the stage panes, but shows a moment in the past."""

    readonly = True

    def __init__(self, source: Any) -> None:
        self.source = source  # the SessionFile, opened read-only
        self.path: Path = source.path
        self.timeline = Timeline(source.journal)
        self.position = len(self.timeline)
        self.state = self.timeline.state_at(self.position)

    @property
    def journal(self) -> tuple:
        return self.timeline.entries[: self.position]

    def seek(self, position: int) -> None:
        self.position = max(0, min(position, len(self.timeline)))
        self.state = self.timeline.state_at(self.position)

    def apply(self, _events: Any) -> list:
        raise WriteError("This is a replay: nothing can be changed here.", self.path)

    def undo(self) -> None:
        raise WriteError("This is a replay: nothing can be changed here.", self.path)

    def drafts(self) -> dict[str, str]:
        return {}

    def save_draft(self, _key: str, _text: str) -> None:
        return None

    def close(self) -> None:
        self.source.close()


class TimelineBar(Static, can_focus=True):
    """Where the replay is: event number, time, what happened, and a progress line.

    It holds the focus during a replay, so single-letter keys reach the timeline
    rather than a text box.
    """


class ReplayScreen(WorkshopScreen):
    """The workshop screen, read-only, with a timeline to move along."""

    BINDINGS = [
        Binding("right,full_stop", "step(1)", "Step", priority=True),
        Binding("left,comma", "step(-1)", "Back", priority=True),
        Binding("space", "play", "Play/pause", priority=True),
        Binding("1", "speed('1')", "1×", show=False, priority=True),
        Binding("2", "speed('2')", "10×", show=False, priority=True),
        Binding("3", "speed('3')", "Fastest", show=False, priority=True),
        Binding("home", "seek_start", "Start", show=False, priority=True),
        Binding("end", "seek_end", "End", show=False, priority=True),
        Binding("pageup", "step(-25)", "Back 25", show=False, priority=True),
        Binding("pagedown", "step(25)", "On 25", show=False, priority=True),
        Binding("g", "seek_to", "Go to", priority=True),
        Binding("s", "stage_jump", "Stage", tooltip="Jump to where a stage began", priority=True),
        Binding(
            "enter",
            "open_conversation",
            "Open",
            priority=True,
            tooltip=(
                "Show a conversation's prompts, notes and actions as they were at this moment"
            ),
        ),
        Binding("escape", "close_conversation", "All conversations", priority=True),
        Binding("down", "scroll_record(1)", "Scroll", show=False, priority=True),
        Binding("up", "scroll_record(-1)", "Scroll", show=False, priority=True),
        Binding("ctrl+l,escape", "close_session", "Leave"),
        # Changing things is not part of a replay: keep those keys out of the Footer.
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("ctrl+t", "timebox", "Timebox", show=False),
    ]

    def __init__(self, session: ReplaySession) -> None:
        super().__init__(session)
        self.replay = session
        self.playing = False
        self.speed = "2"
        self._timer: Any = None
        self.watching: str | None = None  # the conversation shown read-only, if any
        self._bank: Any = None

    def compose(self):  # type: ignore[override]
        for widget in super().compose():
            if isinstance(widget, Footer):
                record = ReplayConversation(id="replay-conversation")
                record.display = False
                yield record
                yield TimelineBar(id="timeline")
            yield widget

    def on_mount(self) -> None:
        self.sub_title = f"Replay of {self.replay.path.name}"
        self.app.sub_title = f"Replay: {self.replay.state.info.title}"
        self.replay.seek(0)
        self.show_position()

    # -- stepping -------------------------------------------------------------------------

    def show_position(self) -> None:
        """Redraw the stage that was current at this moment, and the timeline."""
        state = self.replay.state
        stage = state.info.current_stage or "setup"
        self._stale = {p.id or "" for p in self.query(StagePane)}
        pane = self.show_stage(stage)
        if pane.is_mounted:
            self._lock_fields(pane)
        bar = self.query_one(StageBar)
        bar.current = stage
        bar.visited = frozenset(e.stage for e in self.replay.journal)
        self._draw_conversation()
        self._draw_timeline()

    # -- a conversation, read-only ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_conversation":
            showing = self.query_one(ContentSwitcher).current
            return (
                self.watching is None
                and showing == "conversation"
                and bool(self.replay.state.conversations)
            )
        if action in ("close_conversation", "scroll_record"):
            return self.watching is not None
        return True

    def _question_bank(self) -> Any:
        if self._bank is None:
            app: Any = self.app
            self._bank = conv_rules.choose_bank(
                getattr(app, "questions", None), getattr(app, "sessions_dir", None)
            ).bank
        return self._bank

    def action_open_conversation(self) -> None:
        from facilitator.tui.pickers import PickDialog

        convs = self.replay.state.conversations
        if len(convs) == 1:
            self._watch(next(iter(convs)))
            return
        options = [
            (cid, f"{conv.agency_name} · {conv_rules.nice_date(conv.started_at) or 'no date'}")
            for cid, conv in convs.items()
        ]

        def picked(cid: str | None) -> None:
            if cid:
                self._watch(cid)

        self.app.push_screen(PickDialog("Show which conversation?", options), picked)

    def _watch(self, conv_id: str | None) -> None:
        self.watching = conv_id
        self._draw_conversation()
        self.refresh_bindings()

    def action_close_conversation(self) -> None:
        self._watch(None)

    def action_scroll_record(self, rows: int) -> None:
        self.query_one(ReplayConversation).scroll_rows(rows * 3)

    def _draw_conversation(self) -> None:
        record = self.query_one(ReplayConversation)
        watching = self.watching is not None
        self.query_one("#stages").display = not watching
        record.display = watching
        if self.watching is not None:
            record.show_at(self.replay.state, self._question_bank(), self.watching)

    def refresh_panes(self) -> None:
        self.show_stage(self.query_one(ContentSwitcher).current or "setup")

    @staticmethod
    def _lock_fields(pane: StagePane) -> None:
        """Nothing can be typed into a replay, and nothing in a stage takes the focus:
        it stays on the timeline, so its keys always work and the Footer offers no
        keys for changing things."""
        for widget in pane.query("Input, TextArea, Select, Checkbox, SelectionList, Switch"):
            widget.disabled = True
        for widget in pane.query("*"):
            if widget.can_focus:
                widget.can_focus = False

    def _focus_stage(self) -> None:
        self.query_one(TimelineBar).focus()

    def _draw_timeline(self) -> None:
        timeline = self.replay.timeline
        position, total = self.replay.position, len(timeline)
        entry = timeline.entry_at(position)
        width = max(self.size.width - 2, 20)
        done = int(width * position / total) if total else width
        line = Text()
        line.append("━" * done, style="bold")
        line.append("─" * (width - done), style="dim")
        head = Text()
        state = "▶ playing" if self.playing else "■ paused"
        speed = {"1": "1×", "2": "10×", "3": "fastest"}[self.speed]
        head.append(f" {state} {speed}  ", style="bold")
        head.append(f"Event {position:,} of {total:,}  ")
        if entry is not None:
            head.append(entry.at[:19].replace("T", " ") + "  ", style="dim")
            stage = load_vocabulary().label("stages", entry.stage)
            head.append(f"[{stage}] ")
            head.append(describe(entry.event), style="italic")
            from facilitator.room.contributions import credit_text

            who = credit_text(entry.payload, self.replay.state)
            if who:
                head.append(f" · {who}")
        else:
            head.append("The start: an empty session", style="italic")
        head.truncate(width + 2, overflow="ellipsis")
        self.query_one(TimelineBar).update(Text("\n").join([head, line]))

    def seek(self, position: int) -> None:
        self.replay.seek(position)
        self.show_position()

    def action_step(self, delta: int) -> None:
        self.seek(self.replay.position + delta)

    def action_seek_start(self) -> None:
        self.seek(0)

    def action_seek_end(self) -> None:
        self.seek(len(self.replay.timeline))

    def action_seek_to(self) -> None:
        from facilitator.tui.dialogs import SeekDialog

        def done(position: int | None) -> None:
            if position is not None:
                self.seek(position)

        self.app.push_screen(SeekDialog(len(self.replay.timeline)), done)

    def action_stage_jump(self) -> None:
        from facilitator.tui.pickers import PickDialog

        starts = self.replay.timeline.stage_starts()
        vocab = load_vocabulary()
        options = [
            (str(pos), f"{vocab.label('stages', stage)} (from event {pos:,})")
            for stage, pos in sorted(starts.items(), key=lambda item: item[1])
        ]

        def done(choice: str | None) -> None:
            if choice:
                self.seek(int(choice))

        self.app.push_screen(PickDialog("Jump to the start of a stage", options), done)

    # -- playing --------------------------------------------------------------------------

    def action_play(self) -> None:
        self.playing = not self.playing
        if self.playing and self.replay.position >= len(self.replay.timeline):
            self.replay.seek(0)
        self._schedule()
        self._draw_timeline()

    def action_speed(self, key: str) -> None:
        self.speed = key
        if self.playing:
            self._schedule()
        self._draw_timeline()

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self.playing:
            return
        factor = SPEEDS[self.speed]
        if factor == 0:
            delay = FAST_TICK
        else:
            gap = self.replay.timeline.seconds_to_next(self.replay.position)
            delay = max(min(gap, LONGEST_PAUSE) / factor, FAST_TICK)
        self._timer = self.set_timer(delay, self._advance)

    def _advance(self) -> None:
        total = len(self.replay.timeline)
        if self.replay.position >= total:
            self.playing = False
            self._draw_timeline()
            return
        step = max(1, total // 60) if SPEEDS[self.speed] == 0 else 1
        self.seek(self.replay.position + step)
        self._schedule()

    # -- what a replay does not do --------------------------------------------------------

    def go_to_stage(self, stage_id: str) -> None:
        """Look at another stage as it was at this moment (changes nothing)."""
        if self.watching is not None:
            self._watch(None)
        pane = self.show_stage(stage_id)
        if pane.is_mounted:
            self._lock_fields(pane)
        self.query_one(StageBar).current = stage_id

    def commit(self, events: Any) -> bool:
        """Nothing is written during a replay.

        Panes save a field when it loses focus; in a replay that happens as the
        timeline moves, so the attempt is dropped quietly rather than reported.
        """
        return False

    def action_undo(self) -> None:
        self.app.notify("This is a replay: nothing can be changed here.")

    def action_timebox(self) -> None:
        self.action_undo()

    def record_time(self) -> None:
        return None

    def _tick(self) -> None:
        return None

    def pane_mounted(self, pane: StagePane) -> None:
        """A replay puts back no drafts, and nothing in it can be typed into."""
        self._lock_fields(pane)
