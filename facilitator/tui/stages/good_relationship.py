"""Stage 2: one relationship that works well, what helps it and what it has led to."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Container, Vertical
from textual.widgets import (
    Input,
    Static,
    TabPane,
)

from facilitator.domain import commands
from facilitator.domain.text import shorten
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.dialogs import labelled
from facilitator.tui.stages.closer_look import (
    OUTCOME_GROUPS,
    CloserLookPane,
    tab_body,
)
from facilitator.tui.stages.closer_look_widgets import (
    Checklist,
    NoteArea,
)


class GoodRelationshipPane(CloserLookPane):
    """Stage 2: one relationship that works well, looked at closely."""

    stage_id = "good-relationship"
    stage_no = 2
    pick_field = "good_relationship_id"
    prefix = "stage2"
    effect = "helps"
    factor_hint = "What helps this relationship work? Tick all that apply."
    empty_hint = (
        "Which relationship on the map works well? Press ctrl+y (or Enter on Pick) "
        "to choose one, then rate it and say what it has led to."
    )
    NOTE_FIELDS = {"works-notes": "works_notes"}

    def compose_tabs(self) -> ComposeResult:
        with TabPane("Outcomes", id="tab-outcomes"), tab_body():
            yield Static(
                "What has this relationship led to, and for whom? Tick all that apply.",
                classes="focus-hint",
            )
            with Container(classes="columns"):
                for group, title in OUTCOME_GROUPS:
                    with Vertical(classes="outcome-group"):
                        yield labelled(
                            Checklist(id=f"outcomes-{group}", classes="checklist"), title
                        )
                        about = Static(
                            "", id=f"about-outcomes-{group}", classes="term-about outcome-about"
                        )
                        about.display = False
                        yield about
                        other = Input(
                            id=f"outcome-text-{group}",
                            classes="outcome-text",
                            placeholder="type it, then press Enter",
                        )
                        other.draft_key = f"stage2.outcome.{group}"
                        other.beneficiary = group
                        yield labelled(other, "Something else")
        with TabPane("What works", id="tab-factors"), tab_body():
            yield Static(self.factor_hint, classes="focus-hint")
            with Container(classes="columns"):
                with Vertical(classes="factor-side"):
                    yield from self.compose_factor_lists()
                with Vertical(classes="factor-side"):
                    yield from self.compose_factor_extras()
                    yield labelled(
                        NoteArea(id="works-notes", draft_key="stage2.works-notes", classes="note"),
                        "What makes it work? Notes",
                    )

    def refresh_tabs(self, rid: str, force: bool) -> None:
        vocab = load_vocabulary()
        outcomes = self.state.where("outcome", relationship_id=rid)
        for group, _title in OUTCOME_GROUPS:
            ticked = {f"v:{o.outcome_id}" for _oid, o in outcomes if o.beneficiary == group}
            items = [(f"v:{t.id}", t.label) for t in vocab.outcomes if t.group == group]
            own = [
                (f"t:{oid}", shorten(o.text, 200))
                for oid, o in outcomes
                if o.beneficiary == group and not o.outcome_id
            ]
            ticked |= {value for value, _ in own}
            self.query_one(f"#outcomes-{group}", Checklist).show(items + own, ticked)
        self.show_factors(rid)
        self.show_note(rid, "works-notes", force)

    def _outcome_events(self, rid: str, group: str, value: str) -> list[Any]:
        if value.startswith("t:"):
            return commands.remove(self.state, "outcome", value[2:])
        outcome_id = value[2:]
        found = self.state.where(
            "outcome", relationship_id=rid, beneficiary=group, outcome_id=outcome_id
        )
        if found:
            return [e for oid, _o in found for e in commands.remove(self.state, "outcome", oid)]
        return [
            commands.add(
                self.state,
                "outcome",
                relationship_id=rid,
                beneficiary=group,
                outcome_id=outcome_id,
            )
        ]

    @on(Input.Submitted, ".outcome-text")
    def _own_outcome(self, event: Input.Submitted) -> None:
        self._add_own_words(
            event,
            "outcome",
            beneficiary=event.input.beneficiary,
            outcome_id=None,
            text=event.value,
        )
