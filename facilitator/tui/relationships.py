"""The relationships stage (being built)."""

from facilitator.tui.placeholder import PlaceholderPane


class RelationshipsPane(PlaceholderPane):
    stage_id = "all-relationships"
