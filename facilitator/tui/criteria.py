"""The criteria stage (being built)."""

from facilitator.tui.placeholder import PlaceholderPane


class CriteriaPane(PlaceholderPane):
    stage_id = "criteria"
