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
        stages = load_vocabulary().stages
        width = self.size.width
        with_keys = width >= 100
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, stage in enumerate(stages):
            label = stage.short or stage.label
            if with_keys:
                label = f"{STAGE_KEYS[index].upper()} {label}"
            if stage.id == self.current:
                text.append(f" ▶ {label} ", style="reverse bold")
            else:
                mark = "✓" if stage.id in self.visited else " "
                text.append(f" {mark}{label} ", style="" if mark == "✓" else "dim")
        if self.app.has_class("-projector") and not self.clock:
            hint = "F10 leaves projector"
            pad = width - text.cell_len - len(hint) - 2
            if pad > 0:
                text.append(" " * pad)
                text.append(f" {hint} ", style="dim")
        if self.clock:
            pad = width - text.cell_len - len(self.clock) - 2
            if pad > 0:
                text.append(" " * pad)
                text.append(f" {self.clock} ", style=self.clock_style or "bold")
        return text
