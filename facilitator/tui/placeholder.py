"""A stage whose screen is not built yet: says what it will hold."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.stagepane import StagePane


class PlaceholderPane(StagePane):
    """Shows the stage's name and purpose; replaced by the stage's real pane."""

    def compose(self) -> ComposeResult:
        stage = load_vocabulary().get("stages", self.stage_id)
        yield Static(f"[b]{stage.label}[/b]\n\n{stage.description}", classes="placeholder")
