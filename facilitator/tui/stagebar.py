"""The stage bar: where the workshop is, always visible at the top of the screen."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from facilitator.domain.vocabulary import load_vocabulary

STAGE_KEYS = ("f2", "f3", "f4", "f5", "f6", "f7", "f8")


class StageBar(Widget):
    """One line: every stage, the current one highlighted, with its function key when wide."""

    current: reactive[str] = reactive("setup")
    visited: reactive[frozenset[str]] = reactive(frozenset())
    clock: reactive[str] = reactive("")  # the stage countdown, e.g. "12:30"
    clock_style: reactive[str] = reactive("")

    def render(self) -> Text:
        width = self.size.width
        text = self._stages(with_keys=width >= 100, compact=False)
        right = self.clock
        if not right and self.app.has_class("-projector"):
            hint = "F10 leaves projector"  # only where there is room to spare
            right = hint if text.cell_len + len(hint) + 2 <= width else ""
        room = width - (len(right) + 2 if right else 0)
        if text.cell_len > room and width >= 100:
            text = self._stages(with_keys=False, compact=False)  # first, without the keys
        if text.cell_len > room:
            # Narrow: tighter labels, so that the countdown always shows.
            text = self._stages(with_keys=False, compact=True)
            if text.cell_len > room:
                text.truncate(max(room, 0), overflow="ellipsis")
        if right:
            text.append(" " * max(room - text.cell_len, 0))
            style = (self.clock_style or "bold") if self.clock else "dim"
            text.append(f" {right} ", style=style)
        return text

    def _stages(self, *, with_keys: bool, compact: bool) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, stage in enumerate(load_vocabulary().stages):
            label = stage.short or stage.label
            if with_keys:
                label = f"{STAGE_KEYS[index].upper()} {label}"
            if stage.id == self.current:
                text.append(f"▶{label}" if compact else f" ▶ {label} ", style="reverse bold")
            else:
                mark = "✓" if stage.id in self.visited else " "
                shown = f"{mark}{label}" if compact else f" {mark}{label} "
                text.append(shown, style="" if mark == "✓" else "dim")
            if compact:
                text.append(" ")
        return text
