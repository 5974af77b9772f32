"""The list of the eight criteria: mark two and choose them, then write what they mean."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Static, TextArea

from facilitator.domain import commands
from facilitator.domain.text import TextError, clean_text, shorten
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.criteria.dialogs import criterion_name, join_names
from facilitator.tui.criteria.view import CriteriaView
from facilitator.tui.criteria.votes import METHOD_WORDS, criteria_ids, offered_from_earlier
from facilitator.tui.criteria.widgets import CriteriaTable, OwnWordsArea

WIDE = 110  # from this width the table shows labels instead of short names


class PickView(CriteriaView):
    """The eight, two of them marked and chosen directly, and the group's own words."""

    BINDINGS = [
        Binding("v", "show_vote", "Dot vote", tooltip="Enter each person's dots in a grid"),
        Binding("w", "own_words", "Our words", show=False, tooltip="Write what each means"),
    ]
    STATE_KEYS = ("own_words",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.marks: list[str] = []  # marked for a direct pick, in the order marked
        self._words_seen: dict[str, str] = {}  # own words last put into each text area
        self._list_shape: Any = None

    def compose(self) -> ComposeResult:
        yield Static(
            "What makes a relationship work well? The group chooses two of these eight.",
            id="criteria-intro",
            classes="criteria-heading",
        )
        yield CriteriaTable(id="criteria-table", cursor_type="row")
        yield Static("", id="criteria-detail", classes="criteria-line")
        yield Static("", id="criteria-chosen", classes="criteria-status")
        with Horizontal(id="own-words"):
            for criterion in criteria_ids():
                yield OwnWordsArea(criterion)
        yield Static("", id="own-words-hint", classes="criteria-line")

    @property
    def chosen(self) -> list[str]:
        return commands.chosen_criteria(self.state)

    def draw(self) -> None:
        self._fill_list()
        self._fill_own_words()
        self.keys_changed()

    def focus_first(self) -> None:
        self.query_one(CriteriaTable).focus()

    def focus_own_words(self) -> None:
        chosen = self.chosen
        if len(chosen) == 2:
            self.query_one(f"#own-words-{chosen[0]}", OwnWordsArea).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "own_words" and self.session is not None:
            return len(self.chosen) == 2
        return True

    def action_show_vote(self) -> None:
        self.post_message(self.Show("vote"))

    def action_own_words(self) -> None:
        self.post_message(self.Show("list", own_words=True))

    # -- drawing ----------------------------------------------------------------------------

    def _fill_list(self) -> None:
        table = self.query_one(CriteriaTable)
        vocab = load_vocabulary()
        totals = commands.vote_totals(self.state, 1)
        chosen = self.chosen
        width = self.width
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
        self.show("#criteria-chosen", self._chosen_line(chosen))

    def _chosen_line(self, chosen: list[str]) -> Text:
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
            return line
        if offered_from_earlier(self.state):
            earlier = join_names([criterion_name(c) for c in offered_from_earlier(self.state)])
            return Text(
                f"Not chosen yet. Last time the group chose {earlier}: they are marked, so "
                "press c to keep them, or mark others, or press v for a dot vote."
            )
        return Text(
            "Not chosen yet. Mark two with space (or their numbers) and press c, "
            "or press v for a dot vote."
        )

    def _show_detail(self, row: int) -> None:
        terms = load_vocabulary().criteria
        if 0 <= row < len(terms):
            term = terms[row]
            self.show("#criteria-detail", Text(f"{row + 1} {term.label}: {term.description}"))

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
                        assert self.session is not None
                        drafts = self.session.drafts()
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
        self.show(
            "#own-words-hint",
            "In the group's own words. Saved when you leave the box (or ctrl+s).",
        )

    @on(DataTable.RowHighlighted, "#criteria-table")
    def _criterion_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    # -- marking and choosing ---------------------------------------------------------------

    @on(CriteriaTable.Mark)
    def _toggle_mark(self, event: CriteriaTable.Mark) -> None:
        event.stop()
        ids = criteria_ids()
        if not 0 <= event.row < len(ids):
            return
        criterion = ids[event.row]
        if criterion in self.marks:
            self.marks.remove(criterion)
        elif len(self.marks) >= 2:
            self.notify(
                "Two are marked already. Unmark one first (space), then mark another.",
                severity="warning",
            )
            return
        else:
            self.marks.append(criterion)
        self._fill_list()

    @on(CriteriaTable.Choose)
    def _choose_marked(self, event: CriteriaTable.Choose) -> None:
        event.stop()
        if len(self.marks) != 2:
            self.notify(
                "Mark two criteria first: space marks the highlighted one.", severity="warning"
            )
            return
        self.post_message(self.Choose(list(self.marks), "direct"))

    # -- own words --------------------------------------------------------------------------

    @on(OwnWordsArea.Done)
    def _words_done(self, event: OwnWordsArea.Done) -> None:
        event.stop()
        self.query_one(CriteriaTable).focus()

    @on(OwnWordsArea.Save)
    def _save_words(self, event: OwnWordsArea.Save) -> None:
        """Ask for what is in a text area to be committed as the group's own words."""
        event.stop()
        area = event.area
        criterion = area.criterion_id
        found = self.state.where("criterion_choice", criterion_id=criterion)
        if not found:
            return
        choice_id, choice = found[0]
        try:
            text = clean_text(area.text)
        except TextError as exc:
            self.notify(str(exc), severity="warning")
            return
        assert self.drafts is not None
        drafts = self.drafts

        def saved() -> None:
            drafts.forget(area.draft_key)
            if event.announce:
                self.notify("Saved.", timeout=2)

        if text == choice.own_words:
            saved()
            return
        before = self._words_seen.get(criterion, "")
        # Seen before it is saved, so that the redraw the commit brings keeps the cursor.
        self._words_seen[criterion] = text
        typed = area.text

        def restore() -> None:
            self._words_seen[criterion] = before

        self.change(
            lambda: commands.edit(self.state, "criterion_choice", choice_id, own_words=typed),
            saved,
            restore,
        )
