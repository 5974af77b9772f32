"""The notes stage (being built)."""

from facilitator.tui.placeholder import PlaceholderPane


class NotesPane(PlaceholderPane):
    stage_id = "notes"
