"""What every stage's pane shares: access to the open session and the undoable commit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.containers import Vertical

from facilitator.tui.guard import Guarded

if TYPE_CHECKING:
    from facilitator.domain.model import SessionState
    from facilitator.tui.workshop import WorkshopScreen


class StagePane(Guarded, Vertical):
    """A stage of the workshop, shown in the workshop screen's content switcher."""

    stage_id = ""

    @property
    def workshop(self) -> WorkshopScreen:
        from facilitator.tui.workshop import WorkshopScreen

        screen = self.screen
        assert isinstance(screen, WorkshopScreen)
        return screen

    @property
    def state(self) -> SessionState:
        return self.workshop.session.state

    def on_mount(self) -> None:
        # Runs after the subclass's own on_mount: the pane is built and drawn.
        self.workshop.pane_mounted(self)

    def commit(self, events: Any) -> bool:
        return self.workshop.commit(events)

    def refresh_from_state(self) -> None:
        """Redraw from the session state after any change (including undo)."""

    def focus_first(self) -> None:
        """Put the cursor where the facilitator most likely wants to type."""
        for widget in self.query("*"):
            if widget.focusable and widget.display:
                widget.focus()
                return

    def keep_view(self) -> None:
        """Write down where the facilitator is in this stage, for the next opening."""

    def incomplete(self) -> str:
        """Why this stage is not finished yet, or "" when it is (used for warnings)."""
        return ""
