"""The dot vote: a grid of the people here (rows) by the criteria (columns).

The facilitator places each person's dots for them. A tie is settled by a run-off
(round 2, one dot each, only on the tied criteria) or by the facilitator with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Static

from facilitator.domain import commands
from facilitator.domain.text import shorten
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.criteria import votes
from facilitator.tui.criteria.dialogs import (
    DecisionDialog,
    DotsEachDialog,
    criterion_name,
    join_names,
)
from facilitator.tui.criteria.result_text import result_text
from facilitator.tui.criteria.view import CriteriaView
from facilitator.tui.criteria.widgets import DotGrid
from facilitator.tui.dialogs import ConfirmDialog

TOTAL_ROW = "__total__"
LEFT_COLUMN = "__left__"


class VoteView(CriteriaView):
    """Each person's dots, the totals, who still has dots, and what the vote says."""

    BINDINGS = [
        Binding("v", "show_list", "The eight", tooltip="Back to the list of the eight"),
        Binding("a", "accept_vote", "Accept vote", tooltip="Choose the two the vote picked"),
        Binding("r", "runoff", "Run-off", tooltip="One dot each, only on the tied criteria"),
        Binding("r", "main_vote", "Main vote", tooltip="Back to the main dot vote"),
        Binding("d", "decide", "Decide", tooltip="The facilitator settles the tie, with a reason"),
        Binding(
            "e", "dots_each", "Dots each", show=False, tooltip="How many dots each person gets"
        ),
    ]
    STATE_KEYS = ("accept_vote", "runoff", "main_vote", "decide", "dots_each")

    @dataclass
    class Round(Message):
        """Show the main vote (1) or the run-off (2)."""

        round_no: int

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.round_no = 1
        self._grid_shape: Any = None
        self._grid_cells: dict[tuple[str, str], Text] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="vote-heading", classes="criteria-heading")
        yield DotGrid(id="vote-grid")
        yield Static("", id="vote-legend", classes="criteria-line")
        yield Static("", id="vote-cell", classes="criteria-line")
        yield Static("", id="vote-left", classes="criteria-line")
        yield Static("", id="vote-result", classes="criteria-status")

    def draw(self) -> None:
        self._fill_grid()
        self._fill_lines()
        self.keys_changed()

    def focus_first(self) -> None:
        self.query_one(DotGrid).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.session is None:
            return True
        if action == "dots_each":
            return self.round_no == 1
        if action == "main_vote":
            return self.round_no == 2
        if action in ("accept_vote", "runoff", "decide"):
            first, second = votes.results(self.state)
            current = first if self.round_no == 1 else second
            if action == "accept_vote":
                return current.decided and current.started
            if action == "runoff":
                return self.round_no == 1 and bool(first.tied)
            return bool(current.tied)
        return True

    # -- drawing ----------------------------------------------------------------------------

    def _fill_grid(self) -> None:
        """The dot grid: rebuilt when its shape changes, otherwise only changed cells."""
        grid = self.query_one(DotGrid)
        state = self.state
        first, _ = votes.results(state)
        round_no = self.round_no
        criteria = list(first.tied) if round_no == 2 else votes.criteria_ids()
        result = commands.vote_result(state, round_no)
        allowance = votes.allowance(state, round_no)
        voters = votes.voters(state, round_no)
        used = votes.used(state, round_no)
        dots: dict[tuple[str, str], int] = {}
        for vote in state.rows["criterion_vote"].values():
            if vote.round == round_no:
                dots[(vote.participant_id, vote.criterion_id)] = vote.dots
        names = tuple(shorten(state.participants[pid].name, 16) for pid in voters)
        left_w = max(4, min(allowance, 4))
        available = self.width - max([len(n) for n in names] + [5]) - 2 - (left_w + 2) - 1
        col_w = max(3, min(16, available // max(1, len(criteria)) - 2))

        # Every cell's content, keyed by (row key, column key).
        cells: dict[tuple[str, str], Text] = {}
        for pid in voters:
            for criterion in criteria:
                cells[(pid, criterion)] = votes.dots_text(dots.get((pid, criterion), 0), col_w)
            left = allowance - used.get(pid, 0)
            if not state.participants[pid].present:
                cells[(pid, LEFT_COLUMN)] = Text("away", style="dim")
            elif left > 0:
                cells[(pid, LEFT_COLUMN)] = Text(
                    "●" * left if left <= 4 else f"{left}●", style="bold"
                )
            else:
                cells[(pid, LEFT_COLUMN)] = Text("✓", style="dim")
        lead = result.tied and result.totals.get(result.tied[0], 0) > 0
        for criterion in criteria:
            mark = " ★" if criterion in result.chosen else ""
            if lead and criterion in result.tied:
                mark = " ="
            total = f"{result.totals.get(criterion, 0)}{mark}"
            cells[(TOTAL_ROW, criterion)] = Text(total.center(col_w), style="bold")
        cells[(TOTAL_ROW, LEFT_COLUMN)] = Text("")

        shape = (round_no, tuple(criteria), tuple(voters), names, col_w, left_w)
        if shape != self._grid_shape:
            self._grid_shape = shape
            self._build_grid(grid, criteria, voters, names, cells, col_w, left_w)
        else:
            for (row_key, column_key), content in cells.items():
                if self._grid_cells.get((row_key, column_key)) != content:
                    grid.update_cell(row_key, column_key, content)
        self._grid_cells = cells
        self._show_cell()

    def _build_grid(
        self,
        grid: DotGrid,
        criteria: list[str],
        voters: list[str],
        names: tuple[str, ...],
        cells: dict[tuple[str, str], Text],
        col_w: int,
        left_w: int,
    ) -> None:
        vocab = load_vocabulary()
        row, column = grid.cursor_coordinate
        grid.clear(columns=True)
        grid.people = voters
        grid.criteria = criteria
        ids = votes.criteria_ids()
        for criterion in criteria:
            number = ids.index(criterion) + 1
            term = vocab.get("criteria", criterion)
            header = f"{number} {term.short or term.label}"
            if len(header) > col_w:
                header = str(number)
            grid.add_column(Text(header.center(col_w), no_wrap=True), width=col_w, key=criterion)
        grid.add_column("Left", width=left_w, key=LEFT_COLUMN)
        if not voters:
            return
        for pid, name in zip(voters, names, strict=True):
            grid.add_row(
                *[cells[(pid, key)] for key in [*criteria, LEFT_COLUMN]],
                key=pid,
                label=Text(name),
            )
        grid.add_row(
            *[cells[(TOTAL_ROW, key)] for key in [*criteria, LEFT_COLUMN]],
            key=TOTAL_ROW,
            label=Text("Total", style="bold"),
        )
        grid.move_cursor(
            row=min(row, len(voters) - 1),
            column=min(column, len(criteria) - 1),
            animate=False,
        )

    def _fill_lines(self) -> None:
        state = self.state
        vocab = load_vocabulary()
        first, second = votes.results(state)
        here = sum(1 for p in state.participants.values() if p.present)
        if self.round_no == 1:
            dots = state.info.dots_per_person
            heading = Text.assemble(
                ("Dot vote", "bold"),
                # One line at 80 columns: "e" is said where the dots are, not left over.
                f": {dots} {'dot' if dots == 1 else 'dots'} each (e to change) for {here} "
                f"{'person' if here == 1 else 'people'} here. Type 0-{min(dots, 9)}, + or -.",
            )
        else:
            places = "the two places" if first.places_left == 2 else "second place"
            heading = Text.assemble(
                ("Run-off", "bold"),
                f" for {places}: one dot each, only on "
                f"{join_names([votes.label(c) for c in first.tied], 'or')}. Type 1 or 0.",
            )
        self.show("#vote-heading", heading)
        grid = self.query_one(DotGrid)
        numbers_only = any(
            len(col.label.plain.strip()) <= 1
            for key, col in grid.columns.items()
            if key.value != LEFT_COLUMN
        )
        legend = self.query_one("#vote-legend", Static)
        if legend.display != numbers_only:
            legend.display = numbers_only
        self.show(
            "#vote-legend",
            "   ".join(f"{n} {t.short or t.label}" for n, t in enumerate(vocab.criteria, 1)),
        )
        left = votes.dots_left(state, self.round_no)
        if not here:
            left_line = Text("Nobody is marked as here yet: add people in Setup (F2).")
        elif left:
            left_line = Text.assemble(
                ("Still to place: ", "bold"),
                ", ".join(f"{shorten(name, 20)} {n}" for name, n in left),
            )
        else:
            left_line = Text("Everyone here has placed their dots.", style="bold")
        self.show("#vote-left", left_line)
        self.show("#vote-result", result_text(state, self.round_no, first, second))

    def _show_cell(self) -> None:
        person, criterion = self.query_one(DotGrid).cell_at_cursor()
        if criterion is None:
            self.show("#vote-cell", "")
            return
        term = load_vocabulary().get("criteria", criterion)
        who = shorten(self.state.participants[person].name, 20) if person else ""
        self.show(
            "#vote-cell",
            Text.assemble(
                (f"{who} · " if who else "", "bold"),
                (criterion_name(criterion), "bold"),
                f": {term.description}",
            ),
        )

    @on(DataTable.CellHighlighted, "#vote-grid")
    def _cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        grid = self.query_one(DotGrid)
        row, column = event.coordinate
        if grid.people and (row >= len(grid.people) or column >= len(grid.criteria)):
            # The totals row and the dots-left column are for reading, not for dots.
            grid.move_cursor(
                row=min(row, len(grid.people) - 1),
                column=min(column, len(grid.criteria) - 1),
                animate=False,
            )
            return
        self._show_cell()

    # -- keys -------------------------------------------------------------------------------

    def action_show_list(self) -> None:
        self.post_message(self.Show("list"))

    def action_runoff(self) -> None:
        self.post_message(self.Round(2))
        self.notify("Run-off: each person here has one dot, only for the tied criteria.")

    def action_main_vote(self) -> None:
        self.post_message(self.Round(1))

    @on(DotGrid.Dots)
    def _set_cell(self, event: DotGrid.Dots) -> None:
        """Set (or add to) the dots the highlighted person puts on the highlighted criterion."""
        event.stop()
        person, criterion = self.query_one(DotGrid).cell_at_cursor()
        if person is None or criterion is None:
            self.notify("Nobody to place dots for yet: add people in Setup (F2).")
            return
        round_no = self.round_no
        dots, delta = event.dots, event.delta

        def make_events() -> list:
            # Read when committed, so that keys typed in a burst each count.
            current = 0
            for vote in self.state.rows["criterion_vote"].values():
                if (vote.participant_id, vote.criterion_id, vote.round) == (
                    person,
                    criterion,
                    round_no,
                ):
                    current = vote.dots
            new = dots if dots is not None else current + delta
            if new < 0 or new == current:
                return []
            return commands.set_dots(self.state, person, criterion, new, round_no)

        self.post_message(self.Change(make_events, title="Not placed"))

    def action_accept_vote(self) -> None:
        first, second = votes.results(self.state)
        settled = dict.fromkeys(first.chosen, "vote")  # won the main vote outright
        if self.round_no == 1:
            criteria, method = list(first.chosen), "vote"
        else:
            criteria, method = list(first.chosen) + list(second.chosen), "runoff"
        choose = self.Choose(criteria, method, settled=settled)
        left = votes.dots_left(self.state, self.round_no)
        if not left:
            self.post_message(choose)
            return
        who = join_names([shorten(name, 20) for name, _ in left])
        verb = "has" if len(left) == 1 else "have"

        def done(yes: bool | None) -> None:
            if yes:
                self.post_message(choose)

        self.app.push_screen(
            ConfirmDialog(
                f"{who} still {verb} dots to place. Accept the vote as it stands?",
                yes="Accept",
            ),
            done,
        )

    def action_decide(self) -> None:
        first, second = votes.results(self.state)
        settled = dict.fromkeys(first.chosen, "vote")
        if self.round_no == 1:
            already, result = list(first.chosen), first
        else:
            already, result = list(first.chosen) + list(second.chosen), second
            settled.update(dict.fromkeys(second.chosen, "runoff"))
        if not result.tied:
            return

        def done(values: dict | None) -> None:
            if values:
                self.post_message(
                    self.Choose(already + values["criteria"], "decision", values["reason"], settled)
                )

        self.app.push_screen(DecisionDialog(list(result.tied), result.places_left, already), done)

    def action_dots_each(self) -> None:
        def done(values: dict | None) -> None:
            if not values:
                return
            dots = values["dots"]
            used = votes.used(self.state, 1)
            over = [self.state.participants[pid].name for pid, n in used.items() if n > dots]
            if over:
                self.notify(
                    f"{join_names(over)} already placed more than {dots}. "
                    "Take some dots off first.",
                    severity="warning",
                )
                return
            self.change(lambda: commands.update_session(self.state, dots_per_person=dots))

        self.app.push_screen(DotsEachDialog(self.state.info.dots_per_person), done)
