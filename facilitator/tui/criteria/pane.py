"""The criteria stage's pane: shows one view at a time and commits what they post.

The group chooses two of the eight things that make a relationship work. Two views,
switched with ``v``: the list of the eight (pick_view.py: mark two and choose them, then
write what they mean in the group's own words) and the dot vote (vote_view.py). Each
view is its own widget with its own keys; this pane is the one place that commits
what they post (one commit each, so ctrl+z takes it back) and switches the views.
"""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widgets import ContentSwitcher

from facilitator.domain import commands
from facilitator.domain.text import shorten
from facilitator.tui.criteria import votes
from facilitator.tui.criteria.dialogs import join_names
from facilitator.tui.criteria.pick_view import PickView
from facilitator.tui.criteria.view import CriteriaView
from facilitator.tui.criteria.vote_view import VoteView
from facilitator.tui.dialogs import ConfirmDialog
from facilitator.tui.stagepane import StagePane


class CriteriaPane(StagePane):
    """What "effective" means to this group: two of the eight criteria, in their words."""

    stage_id = "criteria"

    view: reactive[str] = reactive("list", init=False)
    round_no: reactive[int] = reactive(1, init=False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._chosen_seen: list[str] | None = None
        self._started = False

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="criteria-list-view", id="criteria-views"):
            yield PickView(id="criteria-list-view")
            yield VoteView(id="criteria-vote-view")

    def on_mount(self) -> None:
        for view in self.query(CriteriaView):
            view.session = self.workshop.session
            view.drafts = self.workshop.drafts
        self.refresh_from_state()

    def on_resize(self, event: events.Resize) -> None:
        self.refresh_from_state()

    # -- the state ----------------------------------------------------------------------------

    @property
    def pick(self) -> PickView:
        return self.query_one(PickView)

    @property
    def vote(self) -> VoteView:
        return self.query_one(VoteView)

    @property
    def marks(self) -> list[str]:
        """The criteria marked for a direct pick, in the order marked."""
        return self.pick.marks

    @property
    def chosen(self) -> list[str]:
        return commands.chosen_criteria(self.state)

    def refresh_from_state(self) -> None:
        """Redraw the view that is showing; the other is drawn when it is shown."""
        if not self.is_mounted:
            return
        first, _second = votes.results(self.state)
        if not self._started:
            self._started = True
            if first.tied and commands.vote_totals(self.state, 2):
                self.round_no = 2
            has_votes = bool(commands.vote_totals(self.state, 1))
            self.view = "vote" if has_votes and len(self.chosen) < 2 else "list"
        if self.round_no == 2 and not first.tied:
            self.round_no = 1
        chosen = self.chosen
        if chosen != self._chosen_seen:
            self._chosen_seen = list(chosen)
            # A session carried forward offers the earlier two, marked but not chosen.
            self.pick.marks = list(chosen) or votes.offered_from_earlier(self.state)
        self.vote.round_no = self.round_no
        shown: CriteriaView = self.pick if self.view == "list" else self.vote
        shown.width = (self.size.width or self.app.size.width) - 2
        shown.draw()

    def focus_first(self) -> None:
        (self.vote if self.view == "vote" else self.pick).focus_first()

    def incomplete(self) -> str:
        if len(self.chosen) < 2:
            return "The group has not chosen two criteria yet."
        return ""

    def watch_view(self, view: str) -> None:
        switcher = self.query_one("#criteria-views", ContentSwitcher)
        switcher.current = f"criteria-{view}-view"
        self.refresh_from_state()
        if self.workshop.current_stage == self.stage_id:
            self.focus_first()

    def watch_round_no(self) -> None:
        self.refresh_from_state()

    # -- what the views post ------------------------------------------------------------------

    @on(CriteriaView.Show)
    def _show(self, event: CriteriaView.Show) -> None:
        event.stop()
        self.view = event.view
        if event.own_words:
            self.pick.focus_own_words()

    @on(VoteView.Round)
    def _round(self, event: VoteView.Round) -> None:
        event.stop()
        self.round_no = event.round_no

    @on(CriteriaView.Change)
    def _change(self, event: CriteriaView.Change) -> None:
        event.stop()
        try:
            saved = self.commit(event.make_events())
        except commands.DomainError as exc:
            self.notify(str(exc), title=event.title, severity="warning")
            saved = False
        if saved and event.then is not None:
            event.then()
        elif not saved and event.otherwise is not None:
            event.otherwise()

    @on(CriteriaView.Choose)
    def _choose(self, event: CriteriaView.Choose) -> None:
        """Record the group's two, after a warning if ratings would stop counting."""
        event.stop()
        criteria, method, reason = event.criteria, event.method, event.reason
        settled = event.settled or {}
        choices = sorted(self.state.rows["criterion_choice"].values(), key=lambda c: c.position)
        wanted = [
            (cid, settled.get(cid, method), "" if cid in settled else reason.strip())
            for cid in criteria
        ]
        if [(c.criterion_id, c.method, c.reason) for c in choices] == wanted:
            self.notify("Those two are already the group's choice.")
            return
        try:
            found = commands.choose_criteria(self.state, criteria, method, reason, settled=settled)
        except commands.DomainError as exc:
            self.notify(str(exc), severity="warning")
            return
        affected = commands.ratings_affected_by(self.state, criteria)

        def commit(yes: bool | None = True) -> None:
            if not yes:
                self.notify("Kept the earlier choice.")
                return
            if self.commit(found):
                names = join_names([votes.label(c) for c in criteria])
                self.notify(f"Chosen: {names}. Now write what each means to the group.")
                self.view = "list"
                self.call_after_refresh(self.pick.focus_own_words)

        if affected:
            self.app.push_screen(
                ConfirmDialog(self._affected_message(criteria, affected), yes="Change", no="Keep"),
                commit,
            )
        else:
            commit()

    def _affected_message(self, criteria: list[str], affected: list[str]) -> str:
        info = self.state.info
        lines = []
        for rating_id in affected:
            rating = self.state.rows["rating"][rating_id]
            rel = self.state.relationships.get(rating.relationship_id)
            name = rel.name if rel else "a relationship"
            stage = ""
            if rating.relationship_id == info.good_relationship_id:
                stage = "Stage 2: "
            elif rating.relationship_id == info.develop_relationship_id:
                stage = "Stage 3: "
            score = f"{rating.score}/5" if rating.score is not None else "(a note, no score)"
            lines.append(
                f"  • {stage}{shorten(name, 30)} — {votes.label(rating.criterion_id)} {score}"
            )
        if len(lines) > 8:
            lines = [*lines[:7], f"  …and {len(lines) - 7} more"]
        new = join_names([votes.label(c) for c in criteria])
        return (
            f"Changing to {new} means these ratings no longer count:\n"
            + "\n".join(lines)
            + "\n\nThey stay in the session file and its history (ctrl+z brings the old "
            "choice back), but stages 2 and 3 will rate against the new two."
        )
