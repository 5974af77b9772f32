"""Criteria: the group chooses two of the eight things that make a relationship work.

Two views, switched with ``v``:

* the list of the eight, where the facilitator can mark two and choose them directly,
  and where the group's own words for the chosen two are written down;
* the dot vote, a grid of the people here (rows) and the criteria (columns), where the
  facilitator places each person's dots for them. A tie is settled by a run-off
  (round 2, one dot each, only on the tied criteria) or by the facilitator with a
  reason.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import ContentSwitcher, DataTable, Static, TextArea

from facilitator.domain import commands
from facilitator.domain.commands import VoteResult
from facilitator.domain.text import TextError, clean_text, shorten
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.criteria_dialogs import (
    DecisionDialog,
    DotsEachDialog,
    criterion_name,
    join_names,
)
from facilitator.tui.dialogs import ConfirmDialog
from facilitator.tui.stagepane import StagePane
from facilitator.tui.tables import PlainTable

TOTAL_ROW = "__total__"
LEFT_COLUMN = "__left__"
DYNAMIC_ACTIONS = (
    "show_vote",
    "show_list",
    "accept_vote",
    "runoff",
    "main_vote",
    "decide",
    "dots_each",
    "own_words",
)
WIDE = 110  # from this width the tables show labels instead of numbers only
METHOD_WORDS = {
    "direct": "picked directly",
    "vote": "by dot vote",
    "runoff": "by dot vote and a run-off",
    "decision": "decided by the facilitator",
}


def _criteria_ids() -> list[str]:
    return [t.id for t in load_vocabulary().criteria]


def _label(criterion_id: str) -> str:
    return load_vocabulary().label("criteria", criterion_id)


def _dots_text(dots: int, width: int) -> Text:
    """A cell of the dot grid: a dot for each dot placed, centred in the column."""
    if not dots:
        return Text("·".center(width), style="dim")
    return Text(("●" * dots if dots <= 4 else f"{dots}●").center(width), style="bold")


class CriteriaTable(PlainTable):
    """The eight criteria. Space (or a number 1-8) marks one; Enter or c chooses two."""

    BINDINGS = [
        Binding(
            "space", "toggle_mark", "Mark", show=False, tooltip="Mark or unmark this criterion"
        ),
        Binding("c", "choose", "Choose", tooltip="Choose the two marked criteria directly"),
        Binding("enter", "choose", "Choose", show=False),
        *[Binding(str(n), f"mark_number({n})", show=False) for n in range(1, 9)],
    ]

    @property
    def pane(self) -> CriteriaPane:
        return self.query_ancestor(CriteriaPane)

    def action_toggle_mark(self) -> None:
        self.pane.toggle_mark(self.cursor_row)

    def action_mark_number(self, number: int) -> None:
        self.move_cursor(row=number - 1)
        self.pane.toggle_mark(number - 1)

    def action_choose(self) -> None:
        self.pane.choose_marked()


class DotGrid(PlainTable):
    """People (rows) by criteria (columns): the dots each person placed."""

    BINDINGS = [
        Binding("0", "set_dots(0)", "Set dots", key_display="0-9", show=False),
        *[Binding(str(n), f"set_dots({n})", show=False) for n in range(1, 10)],
        Binding("plus,equals_sign,space", "add_dots(1)", "One more", show=False),
        Binding("minus,backspace,delete", "add_dots(-1)", "One fewer", show=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=True, **kwargs)
        self.people: list[str] = []  # participant id of each row, in order
        self.criteria: list[str] = []  # criterion id of each column, in order

    @property
    def pane(self) -> CriteriaPane:
        return self.query_ancestor(CriteriaPane)

    def cell_at_cursor(self) -> tuple[str | None, str | None]:
        row, column = self.cursor_coordinate
        person = self.people[row] if 0 <= row < len(self.people) else None
        criterion = self.criteria[column] if 0 <= column < len(self.criteria) else None
        return person, criterion

    def action_cursor_down(self) -> None:
        # The totals row is for reading, not for dots: stop on the last person.
        if self.cursor_row < len(self.people) - 1:
            super().action_cursor_down()

    def action_cursor_right(self) -> None:
        # So is the dots-left column: stop on the last criterion.
        if self.cursor_column < len(self.criteria) - 1:
            super().action_cursor_right()

    def action_set_dots(self, dots: int) -> None:
        self.pane.set_cell(dots=dots)

    def action_add_dots(self, delta: int) -> None:
        self.pane.set_cell(delta=delta)


class OwnWordsArea(TextArea):
    """The group's own words for one chosen criterion; saved on leaving it or ctrl+s."""

    BINDINGS = [
        Binding("ctrl+s", "save_words", "Save", tooltip="Save these words now"),
        Binding("escape", "done", "Done", tooltip="Save and go back to the list"),
    ]

    def __init__(self, criterion_id: str) -> None:
        super().__init__(id=f"own-words-{criterion_id}", soft_wrap=True, tab_behavior="focus")
        self.criterion_id = criterion_id
        self.draft_key = f"criteria.own-words.{criterion_id}"
        self.border_title = f"What “{_label(criterion_id)}” means to us"

    @property
    def pane(self) -> CriteriaPane:
        return self.query_ancestor(CriteriaPane)

    def action_save_words(self) -> None:
        if self.pane.save_own_words(self):
            self.app.notify("Saved.", timeout=2)

    def action_done(self) -> None:
        self.pane.query_one(CriteriaTable).focus()

    def action_undo(self) -> None:
        if self.history.undo_stack:
            super().action_undo()
        else:
            # Nothing typed here to take back: undo the session's last change instead.
            self.pane.workshop.action_undo()

    def on_blur(self, event: events.Blur) -> None:
        if self.is_attached and getattr(self.app, "session", None) is not None:
            self.pane.save_own_words(self)


class CriteriaPane(StagePane):
    """What "effective" means to this group: two of the eight criteria, in their words."""

    stage_id = "criteria"
    BINDINGS = [
        Binding("v", "show_vote", "Dot vote", tooltip="Enter each person's dots in a grid"),
        Binding("v", "show_list", "The eight", tooltip="Back to the list of the eight"),
        Binding("a", "accept_vote", "Accept vote", tooltip="Choose the two the vote picked"),
        Binding("r", "runoff", "Run-off", tooltip="One dot each, only on the tied criteria"),
        Binding("r", "main_vote", "Main vote", tooltip="Back to the main dot vote"),
        Binding("d", "decide", "Decide", tooltip="The facilitator settles the tie, with a reason"),
        Binding(
            "e", "dots_each", "Dots each", show=False, tooltip="How many dots each person gets"
        ),
        Binding("w", "own_words", "Our words", show=False, tooltip="Write what each means"),
    ]

    view: reactive[str] = reactive("list", init=False)
    round_no: reactive[int] = reactive(1, init=False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.marks: list[str] = []  # marked for a direct pick, in the order marked
        self._chosen_seen: list[str] | None = None
        self._words_seen: dict[str, str] = {}  # own words last put into each text area
        self._started = False
        # What is on screen now, so that a change redraws only what it changes.
        self._shown: dict[str, Text | str] = {}
        self._list_shape: Any = None
        self._grid_shape: Any = None
        self._grid_cells: dict[tuple[str, str], Text] = {}
        self._offered: tuple[bool | None, ...] = ()

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="criteria-list-view", id="criteria-views"):
            with Vertical(id="criteria-list-view"):
                yield Static(
                    "What makes a relationship work well? The group chooses two of these eight.",
                    id="criteria-intro",
                    classes="criteria-heading",
                )
                yield CriteriaTable(id="criteria-table", cursor_type="row")
                yield Static("", id="criteria-detail", classes="criteria-line")
                yield Static("", id="criteria-chosen", classes="criteria-status")
                with Horizontal(id="own-words"):
                    for criterion in _criteria_ids():
                        yield OwnWordsArea(criterion)
                yield Static("", id="own-words-hint", classes="criteria-line")
            with Vertical(id="criteria-vote-view"):
                yield Static("", id="vote-heading", classes="criteria-heading")
                yield DotGrid(id="vote-grid")
                yield Static("", id="vote-legend", classes="criteria-line")
                yield Static("", id="vote-cell", classes="criteria-line")
                yield Static("", id="vote-left", classes="criteria-line")
                yield Static("", id="vote-result", classes="criteria-status")

    def on_mount(self) -> None:
        self.refresh_from_state()

    def on_resize(self, event: events.Resize) -> None:
        self.refresh_from_state()

    # -- reading the state ------------------------------------------------------------------

    @property
    def chosen(self) -> list[str]:
        return commands.chosen_criteria(self.state)

    def _results(self) -> tuple[VoteResult, VoteResult]:
        """The main vote's result and the run-off's."""
        return commands.vote_result(self.state, 1), commands.vote_result(self.state, 2)

    def _allowance(self, round_no: int) -> int:
        return self.state.info.dots_per_person if round_no == 1 else 1

    def _used(self, round_no: int) -> dict[str, int]:
        used: dict[str, int] = {}
        for vote in self.state.rows["criterion_vote"].values():
            if vote.round == round_no:
                used[vote.participant_id] = used.get(vote.participant_id, 0) + vote.dots
        return used

    def _voters(self, round_no: int) -> list[str]:
        """The people here, plus anyone who voted in this round and has since left."""
        used = self._used(round_no)
        return [
            pid
            for pid, person in self.state.participants.items()
            if person.present or used.get(pid)
        ]

    def _dots_left(self, round_no: int) -> list[tuple[str, int]]:
        used = self._used(round_no)
        allowance = self._allowance(round_no)
        out = []
        for pid, person in self.state.participants.items():
            left = allowance - used.get(pid, 0)
            if person.present and left > 0:
                out.append((person.name, left))
        return out

    def _width(self) -> int:
        return (self.size.width or self.app.size.width) - 2

    # -- drawing --------------------------------------------------------------------------

    def refresh_from_state(self) -> None:
        """Redraw the view that is showing; the other is drawn when it is shown."""
        if not self.is_mounted:
            return
        first, _second = self._results()
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
            self.marks = list(chosen) or offered_from_earlier(self.state)
        if self.view == "list":
            self._fill_list()
            self._fill_own_words()
        else:
            self._fill_grid()
            self._fill_vote_lines()
        # Redrawing the footer is slow (it is rebuilt), so only when a key comes or goes.
        offered = tuple(self.check_action(name, ()) for name in DYNAMIC_ACTIONS)
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()

    def _show(self, selector: str, content: Text | str) -> None:
        """Update a line of text only when it changes (each update costs a layout)."""
        if self._shown.get(selector) != content:
            self._shown[selector] = content
            self.query_one(selector, Static).update(content)

    def _fill_list(self) -> None:
        table = self.query_one(CriteriaTable)
        vocab = load_vocabulary()
        totals = commands.vote_totals(self.state, 1)
        chosen = self.chosen
        width = self._width()
        wide = width >= WIDE
        labels = {t.id: (t.label if wide else t.short or t.label) for t in vocab.criteria}
        label_w = max(len(v) for v in labels.values()) + 2
        columns = [("", 3), ("#", 1), ("Criterion", label_w)]
        if totals:
            columns.append(("Dots", 4))
        fixed = sum(w for _, w in columns) + 2 * (len(columns) + 1) + 1
        desc_w = max(12, width - fixed)
        columns.insert(3, ("What it means", desc_w))
        # Until two are chosen (and their own-words boxes need the room) every
        # description is shown whole, on two lines where one is too short.
        wrap = len(chosen) < 2
        rows = []
        for number, term in enumerate(vocab.criteria, start=1):
            is_chosen = term.id in chosen
            cells = [
                Text("[x]" if term.id in self.marks else "[ ]"),
                Text(str(number), style="bold"),
                Text(
                    labels[term.id] + (" ★" if is_chosen else ""),
                    style="bold" if is_chosen else "",
                ),
                Text(term.description if wrap else shorten(term.description, desc_w)),
            ]
            if totals:
                cells.append(Text(str(totals.get(term.id, 0) or "·"), justify="right"))
            rows.append(cells)
        shape = (tuple(columns), rows, wrap)
        if shape != self._list_shape:
            self._list_shape = shape
            row = table.cursor_row
            table.clear(columns=True)
            for title, w in columns:
                table.add_column(title, width=w)
            for term, cells in zip(vocab.criteria, rows, strict=True):
                table.add_row(*cells, key=term.id, height=None if wrap else 1)
            table.move_cursor(row=max(0, row), animate=False)
            table.set_class(wrap, "-wrapped")
            # The line under the table repeats a description only when the table cuts it.
            self.query_one("#criteria-detail").display = not wrap
        self._show_detail(table.cursor_row)

        if len(chosen) == 2:
            choices = sorted(self.state.rows["criterion_choice"].values(), key=lambda c: c.position)
            last = choices[-1]  # how the choice was settled (one may have won outright)
            how = METHOD_WORDS.get(last.method, last.method)
            line = Text.assemble(
                ("Chosen: ", "bold"),
                (join_names([criterion_name(c) for c in chosen]), "bold"),
                f" ({how}).",
            )
            reason = next((c.reason for c in choices if c.reason), "")
            if reason:
                line.append(f" Why: {shorten(reason, 200)}")
        elif offered_from_earlier(self.state):
            earlier = join_names([criterion_name(c) for c in offered_from_earlier(self.state)])
            line = Text(
                f"Not chosen yet. Last time the group chose {earlier}: they are marked, so "
                "press c to keep them, or mark others, or press v for a dot vote."
            )
        else:
            line = Text(
                "Not chosen yet. Mark two with space (or their numbers) and press c, "
                "or press v for a dot vote."
            )
        self._show("#criteria-chosen", line)

    def _show_detail(self, row: int) -> None:
        terms = load_vocabulary().criteria
        if 0 <= row < len(terms):
            term = terms[row]
            self._show("#criteria-detail", Text(f"{row + 1} {term.label}: {term.description}"))

    def _fill_own_words(self) -> None:
        chosen = self.chosen
        words = {c.criterion_id: c.own_words for c in self.state.rows["criterion_choice"].values()}
        box = self.query_one("#own-words", Horizontal)
        areas = {area.criterion_id: area for area in self.query(OwnWordsArea)}
        drafts: dict[str, str] | None = None
        for criterion, area in areas.items():
            if area.display != (criterion in chosen):
                area.display = criterion in chosen
            saved = words.get(criterion, "")
            first = criterion not in self._words_seen
            if saved != self._words_seen.get(criterion, "") or first:
                self._words_seen[criterion] = saved
                text = saved
                if first:
                    # Words being typed when the app last stopped win over the saved ones
                    # (they are saved in turn when the facilitator leaves the box).
                    if drafts is None:
                        drafts = self.workshop.session.drafts()
                    text = drafts.get(area.draft_key, "").strip() and drafts[area.draft_key]
                    text = text or saved
                if (not area.has_focus or not area.history.undo_stack) and area.text != text:
                    with area.prevent(TextArea.Changed):
                        area.load_text(text)
        shown = [w for w in box.children if isinstance(w, OwnWordsArea) and w.display]
        if [w.criterion_id for w in shown] != chosen:
            for criterion in reversed(chosen):
                box.move_child(areas[criterion], before=0)
        complete = len(chosen) == 2
        if box.display != complete:
            box.display = complete
        hint = self.query_one("#own-words-hint", Static)
        if hint.display != complete:
            hint.display = complete
        self._show(
            "#own-words-hint",
            "In the group's own words. Saved when you leave the box (or ctrl+s).",
        )

    def _fill_grid(self) -> None:
        """The dot grid: rebuilt when its shape changes, otherwise only changed cells."""
        grid = self.query_one(DotGrid)
        vocab = load_vocabulary()
        first, _ = self._results()
        round_no = self.round_no
        criteria = list(first.tied) if round_no == 2 else _criteria_ids()
        result = commands.vote_result(self.state, round_no)
        allowance = self._allowance(round_no)
        voters = self._voters(round_no)
        used = self._used(round_no)
        dots: dict[tuple[str, str], int] = {}
        for vote in self.state.rows["criterion_vote"].values():
            if vote.round == round_no:
                dots[(vote.participant_id, vote.criterion_id)] = vote.dots
        names = tuple(shorten(self.state.participants[pid].name, 16) for pid in voters)
        left_w = max(4, min(allowance, 4))
        available = self._width() - max([len(n) for n in names] + [5]) - 2 - (left_w + 2) - 1
        col_w = max(3, min(16, available // max(1, len(criteria)) - 2))

        # Every cell's content, keyed by (row key, column key).
        cells: dict[tuple[str, str], Text] = {}
        for pid in voters:
            for criterion in criteria:
                cells[(pid, criterion)] = _dots_text(dots.get((pid, criterion), 0), col_w)
            person = self.state.participants[pid]
            left = allowance - used.get(pid, 0)
            if not person.present:
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
            row, column = grid.cursor_coordinate
            grid.clear(columns=True)
            grid.people = voters
            grid.criteria = criteria
            ids = _criteria_ids()
            for criterion in criteria:
                number = ids.index(criterion) + 1
                term = vocab.get("criteria", criterion)
                header = f"{number} {term.short or term.label}"
                if len(header) > col_w:
                    header = str(number)
                grid.add_column(
                    Text(header.center(col_w), no_wrap=True), width=col_w, key=criterion
                )
            grid.add_column("Left", width=left_w, key=LEFT_COLUMN)
            if voters:
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
        else:
            for (row_key, column_key), content in cells.items():
                if self._grid_cells.get((row_key, column_key)) != content:
                    grid.update_cell(row_key, column_key, content)
        self._grid_cells = cells
        self._show_cell()

    def _fill_vote_lines(self) -> None:
        vocab = load_vocabulary()
        first, second = self._results()
        here = sum(1 for p in self.state.participants.values() if p.present)
        if self.round_no == 1:
            dots = self.state.info.dots_per_person
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
                f"{join_names([_label(c) for c in first.tied], 'or')}. Type 1 or 0.",
            )
        self._show("#vote-heading", heading)
        grid = self.query_one(DotGrid)
        numbers_only = any(
            len(col.label.plain.strip()) <= 1
            for key, col in grid.columns.items()
            if key.value != LEFT_COLUMN
        )
        legend = self.query_one("#vote-legend", Static)
        if legend.display != numbers_only:
            legend.display = numbers_only
        self._show(
            "#vote-legend",
            "   ".join(f"{n} {t.short or t.label}" for n, t in enumerate(vocab.criteria, 1)),
        )
        left = self._dots_left(self.round_no)
        if not here:
            left_line = Text("Nobody is marked as here yet: add people in Setup (F2).")
        elif left:
            left_line = Text.assemble(
                ("Still to place: ", "bold"),
                ", ".join(f"{shorten(name, 20)} {n}" for name, n in left),
            )
        else:
            left_line = Text("Everyone here has placed their dots.", style="bold")
        self._show("#vote-left", left_line)
        self._show("#vote-result", self._result_text(first, second))

    def _result_text(self, first: VoteResult, second: VoteResult) -> Text:
        """What the vote says so far, and which key settles it once everyone has voted."""

        def named(ids: tuple[str, ...] | list[str], totals: dict[str, int]) -> str:
            return join_names([f"{_label(c)} ({totals.get(c, 0)})" for c in ids])

        waiting = bool(self._dots_left(self.round_no))
        text = Text()
        result = first if self.round_no == 1 else second
        if not result.started:
            text.append("No dots yet." if self.round_no == 1 else "No run-off dots yet.")
        elif result.decided:
            leaders = named(result.chosen, result.totals)
            if self.round_no == 1:
                text.append(
                    f"So far {leaders} lead. " if waiting else f"{leaders} come out on top. "
                )
                text.append("Press a to accept the vote.", style="" if waiting else "bold")
            else:
                both = join_names([_label(c) for c in first.chosen + result.chosen])
                text.append(
                    f"So far the run-off favours {leaders}. "
                    if waiting
                    else f"The run-off picks {leaders}. "
                )
                text.append(f"Press a to accept {both}.", style="" if waiting else "bold")
        else:
            score = result.totals.get(result.tied[0], 0)
            tied = join_names([_label(c) for c in result.tied])
            text.append("So far: " if waiting else "")
            if result.chosen:
                text.append(f"{named(result.chosen, result.totals)} is in. ")
            if score == 0:
                text.append(f"No dots on the other {len(result.tied)}. ")
            elif self.round_no == 2:
                text.append(
                    f"{tied}, {score} each. " if waiting else f"Still tied: {tied}, {score} each. "
                )
            else:
                what = "second place" if result.places_left == 1 else "the two places"
                text.append(f"Tie for {what}: {tied}, {score} each. ")
            if not waiting:
                keys = "r for a run-off or d to decide" if self.round_no == 1 else "d to decide"
                text.append(f"Press {keys}.", style="bold")
        if len(self.chosen) == 2:
            text.append(f"\nChosen now: {join_names([_label(c) for c in self.chosen])}.")
        return text

    def _show_cell(self) -> None:
        grid = self.query_one(DotGrid)
        person, criterion = grid.cell_at_cursor()
        if criterion is None:
            self._show("#vote-cell", "")
            return
        term = load_vocabulary().get("criteria", criterion)
        who = shorten(self.state.participants[person].name, 20) if person else ""
        self._show(
            "#vote-cell",
            Text.assemble(
                (f"{who} · " if who else "", "bold"),
                (criterion_name(criterion), "bold"),
                f": {term.description}",
            ),
        )

    @on(DataTable.RowHighlighted, "#criteria-table")
    def _criterion_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

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

    # -- views ------------------------------------------------------------------------------

    def watch_view(self, view: str) -> None:
        switcher = self.query_one("#criteria-views", ContentSwitcher)
        switcher.current = f"criteria-{view}-view"
        self.refresh_from_state()
        if self.workshop.current_stage == self.stage_id:
            self.focus_first()

    def watch_round_no(self) -> None:
        self.refresh_from_state()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        voting = self.view == "vote"
        if action == "show_vote":
            return not voting
        if action in ("show_list", "dots_each"):
            return voting and (action == "show_list" or self.round_no == 1)
        if action == "main_vote":
            return voting and self.round_no == 2
        if action in ("accept_vote", "runoff", "decide"):
            if not voting:
                return False
            first, second = self._results()
            current = first if self.round_no == 1 else second
            if action == "accept_vote":
                return current.decided and current.started
            if action == "runoff":
                return self.round_no == 1 and bool(first.tied)
            return bool(current.tied)
        if action == "own_words":
            return len(self.chosen) == 2
        return True

    def action_show_vote(self) -> None:
        self.view = "vote"

    def action_show_list(self) -> None:
        self.view = "list"

    def action_runoff(self) -> None:
        self.round_no = 2
        self.app.notify("Run-off: each person here has one dot, only for the tied criteria.")

    def action_main_vote(self) -> None:
        self.round_no = 1

    def action_own_words(self) -> None:
        self.view = "list"
        self._focus_own_words()

    def _focus_own_words(self) -> None:
        chosen = self.chosen
        if len(chosen) == 2:
            self.query_one(f"#own-words-{chosen[0]}", OwnWordsArea).focus()

    def focus_first(self) -> None:
        if self.view == "vote":
            self.query_one(DotGrid).focus()
        else:
            self.query_one(CriteriaTable).focus()

    def incomplete(self) -> str:
        if len(self.chosen) < 2:
            return "The group has not chosen two criteria yet."
        return ""

    # -- direct pick ----------------------------------------------------------------------

    def toggle_mark(self, row: int) -> None:
        ids = _criteria_ids()
        if not 0 <= row < len(ids):
            return
        criterion = ids[row]
        if criterion in self.marks:
            self.marks.remove(criterion)
        elif len(self.marks) >= 2:
            self.app.notify(
                "Two are marked already. Unmark one first (space), then mark another.",
                severity="warning",
            )
            return
        else:
            self.marks.append(criterion)
        self._fill_list()

    def choose_marked(self) -> None:
        if len(self.marks) != 2:
            self.app.notify(
                "Mark two criteria first: space marks the highlighted one.", severity="warning"
            )
            return
        self.choose(list(self.marks), "direct")

    # -- choosing, with a warning about ratings -------------------------------------------

    def choose(
        self,
        criteria: list[str],
        method: str,
        reason: str = "",
        settled: dict[str, str] | None = None,
    ) -> None:
        """Record the group's two, after a warning if ratings would stop counting.

        ``settled`` names the criteria an earlier round chose, with how (see
        ``commands.choose_criteria``).
        """
        settled = settled or {}
        choices = sorted(self.state.rows["criterion_choice"].values(), key=lambda c: c.position)
        wanted = [
            (cid, settled.get(cid, method), "" if cid in settled else reason.strip())
            for cid in criteria
        ]
        if [(c.criterion_id, c.method, c.reason) for c in choices] == wanted:
            self.app.notify("Those two are already the group's choice.")
            return
        try:
            events = commands.choose_criteria(self.state, criteria, method, reason, settled=settled)
        except commands.DomainError as exc:
            self.app.notify(str(exc), severity="warning")
            return
        affected = commands.ratings_affected_by(self.state, criteria)

        def commit(yes: bool | None = True) -> None:
            if not yes:
                self.app.notify("Kept the earlier choice.")
                return
            if self.commit(events):
                names = join_names([_label(c) for c in criteria])
                self.app.notify(f"Chosen: {names}. Now write what each means to the group.")
                self.view = "list"
                self.call_after_refresh(self._focus_own_words)

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
            lines.append(f"  • {stage}{shorten(name, 30)} — {_label(rating.criterion_id)} {score}")
        if len(lines) > 8:
            lines = [*lines[:7], f"  …and {len(lines) - 7} more"]
        new = join_names([_label(c) for c in criteria])
        return (
            f"Changing to {new} means these ratings no longer count:\n"
            + "\n".join(lines)
            + "\n\nThey stay in the session file and its history (ctrl+z brings the old "
            "choice back), but stages 2 and 3 will rate against the new two."
        )

    # -- dot vote -------------------------------------------------------------------------

    def set_cell(self, *, dots: int | None = None, delta: int = 0) -> None:
        """Set (or add to) the dots the highlighted person puts on the highlighted criterion."""
        grid = self.query_one(DotGrid)
        person, criterion = grid.cell_at_cursor()
        if person is None or criterion is None:
            self.app.notify("Nobody to place dots for yet: add people in Setup (F2).")
            return
        current = 0
        for vote in self.state.rows["criterion_vote"].values():
            if (vote.participant_id, vote.criterion_id, vote.round) == (
                person,
                criterion,
                self.round_no,
            ):
                current = vote.dots
        new = dots if dots is not None else current + delta
        if new < 0 or new == current:
            return
        try:
            events = commands.set_dots(self.state, person, criterion, new, self.round_no)
        except commands.DomainError as exc:
            self.app.notify(str(exc), title="Not placed", severity="warning")
            return
        self.commit(events)

    def action_accept_vote(self) -> None:
        first, second = self._results()
        settled = dict.fromkeys(first.chosen, "vote")  # won the main vote outright
        if self.round_no == 1:
            criteria, method = list(first.chosen), "vote"
        else:
            criteria, method = list(first.chosen) + list(second.chosen), "runoff"
        left = self._dots_left(self.round_no)
        if not left:
            self.choose(criteria, method, settled=settled)
            return
        who = join_names([shorten(name, 20) for name, _ in left])
        verb = "has" if len(left) == 1 else "have"

        def done(yes: bool | None) -> None:
            if yes:
                self.choose(criteria, method, settled=settled)

        self.app.push_screen(
            ConfirmDialog(
                f"{who} still {verb} dots to place. Accept the vote as it stands?",
                yes="Accept",
            ),
            done,
        )

    def action_decide(self) -> None:
        first, second = self._results()
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
                self.choose(
                    already + values["criteria"], "decision", values["reason"], settled=settled
                )

        self.app.push_screen(DecisionDialog(list(result.tied), result.places_left, already), done)

    def action_dots_each(self) -> None:
        def done(values: dict | None) -> None:
            if not values:
                return
            dots = values["dots"]
            used = self._used(1)
            over = [self.state.participants[pid].name for pid, n in used.items() if n > dots]
            if over:
                self.app.notify(
                    f"{join_names(over)} already placed more than {dots}. "
                    "Take some dots off first.",
                    severity="warning",
                )
                return
            try:
                self.commit(commands.update_session(self.state, dots_per_person=dots))
            except commands.DomainError as exc:
                self.app.notify(str(exc), severity="warning")

        self.app.push_screen(DotsEachDialog(self.state.info.dots_per_person), done)

    # -- own words ------------------------------------------------------------------------

    def save_own_words(self, area: OwnWordsArea) -> bool:
        """Commit what is in a text area as the group's own words. True if saved."""
        criterion = area.criterion_id
        found = self.state.where("criterion_choice", criterion_id=criterion)
        if not found:
            return False
        choice_id, choice = found[0]
        try:
            text = clean_text(area.text)
        except TextError as exc:
            self.app.notify(str(exc), severity="warning")
            return False
        if text == choice.own_words:
            self.workshop.drafts.forget(area.draft_key)
            return True
        before = self._words_seen.get(criterion, "")
        self._words_seen[criterion] = text
        try:
            saved = self.commit(
                commands.edit(self.state, "criterion_choice", choice_id, own_words=area.text)
            )
        except commands.DomainError as exc:
            self.app.notify(str(exc), severity="warning")
            saved = False
        if saved:
            self.workshop.drafts.forget(area.draft_key)
        else:
            self._words_seen[criterion] = before
        return saved


def offered_from_earlier(state: Any) -> list[str]:
    """The two criteria an earlier session chose, offered to a session carried from it."""
    earlier = [c for c in state.info.origin_criteria if c in _criteria_ids()]
    return earlier[:2] if len(earlier) == 2 else []
