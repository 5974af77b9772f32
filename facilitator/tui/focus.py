"""The focus stage (being built)."""

from facilitator.tui.placeholder import PlaceholderPane


class GoodRelationshipPane(PlaceholderPane):
    stage_id = "good-relationship"


class DevelopPane(PlaceholderPane):
    stage_id = "to-develop"
