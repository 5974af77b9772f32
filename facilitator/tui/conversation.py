"""The conversation stage (being built)."""

from facilitator.tui.placeholder import PlaceholderPane


class ConversationPane(PlaceholderPane):
    stage_id = "conversation"
