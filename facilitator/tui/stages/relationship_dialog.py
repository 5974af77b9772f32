"""The details of one stage 1 relationship: type, ring, purposes, who holds it, notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, SelectionList, Static, TextArea

from facilitator.domain.model import MAP_FIELDS
from facilitator.domain.text import shorten
from facilitator.domain.vocabulary import AgencyType, load_vocabulary
from facilitator.tui.dialogs import ConfirmDialog, FormDialog, labelled
from facilitator.tui.ticks import TickList

FIELDS = MAP_FIELDS  # the relationship fields this dialog edits


def notes_draft_key(relationship_id: str) -> str:
    """Where a relationship's notes are kept while they are being typed."""
    return f"stage1.notes.{relationship_id}"


def _blank(value: Any) -> Any:
    return Select.NULL if value in (None, "") else value


def _value(select: Select) -> Any:
    return None if select.is_blank() else select.value


class RelationshipDialog(FormDialog):
    """Everything about one relationship; ctrl+s saves it all as one change.

    Dismisses with the edited field values (the caller saves them), or ``None`` when
    the facilitator leaves without saving.
    """

    enter_saves = False  # a long form: Enter in the name moves on to the agency type

    def __init__(
        self,
        relationship_id: str,
        values: dict[str, Any],
        participants: list[tuple[str, str]],
        *,
        draft_notes: str | None = None,
        typed: Callable[[str, str], None] | None = None,
        check: Callable[[dict[str, Any]], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.relationship_id = relationship_id
        self.initial = {name: values.get(name) for name in FIELDS}
        self.participants = participants
        self.draft_notes = draft_notes
        self.typed = typed
        self.check = check
        self.draft_key = notes_draft_key(relationship_id)
        self.heading = f"Details: {shorten(values.get('name', ''), 50)}"
        self._subtypes_for: str | None = None

    # -- building ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        vocab = load_vocabulary()
        v = self.initial

        def select(options, value, prompt: str, id: str, **kw: Any) -> Select:
            return Select(options, value=value, prompt=prompt, id=id, compact=True, **kw)

        with Vertical(classes="dialog form"):
            yield Label(self.heading, classes="dialog-title", markup=False)
            with VerticalScroll(classes="form-fields"):
                with Horizontal(classes="dialog-row"):
                    yield Label("Name", classes="field-label")
                    yield Input(
                        v["name"] or "",
                        id="rel-name",
                        placeholder="the agency, as the group says it",
                        compact=True,
                    )
                with Horizontal(classes="dialog-row"):
                    yield Label("Agency type", classes="field-label")
                    yield select(
                        [(f"{t.symbol} {t.label}", t.id) for t in vocab.agency_types],
                        _blank(v["agency_type"]),
                        "Not chosen yet",
                        "rel-agency-type",
                    )
                    yield Label("Sub-type", classes="field-label right")
                    yield select(
                        self._subtype_options(v["agency_type"]),
                        _blank(v["agency_subtype"]),
                        "Not chosen yet",
                        "rel-subtype",
                    )
                with Horizontal(classes="dialog-row"):
                    yield Label("Relationship", classes="field-label")
                    yield select(
                        [(f"{t.symbol} {t.label}", t.id) for t in vocab.relationship_types],
                        _blank(v["rel_type"]),
                        "Not chosen yet",
                        "rel-kind",
                    )
                    yield Label("Ring", classes="field-label right")
                    yield select(
                        [(f"{t.id} {t.label}", int(t.id)) for t in vocab.closeness],
                        _blank(v["closeness"]),
                        "Not placed yet",
                        "rel-ring",
                    )
                with Horizontal(classes="dialog-row"):
                    yield Label("Effort from", classes="field-label")
                    yield select(
                        [(f"{t.symbol} {t.label}", t.id) for t in vocab.effort_directions],
                        _blank(v["effort"]),
                        "Not known",
                        "rel-effort",
                    )
                    yield Label("Now", classes="field-label right")
                    yield select(
                        [(f"{t.symbol} {t.label}", t.id) for t in vocab.relationship_states],
                        v["state"] or "active",
                        "",
                        "rel-state",
                        allow_blank=False,
                    )
                with Horizontal(classes="dialog-lists"):
                    yield labelled(
                        TickList(
                            *[
                                (t.label, t.id, t.id in (v["purposes"] or []))
                                for t in vocab.purposes
                            ],
                            id="rel-purposes",
                        ),
                        "What it is for",
                    )
                    yield labelled(
                        TickList(
                            *[
                                (t.label, t.id, t.id in (v["holder_roles"] or []))
                                for t in vocab.holders
                            ],
                            id="rel-holders",
                        ),
                        "Who holds it",
                    )
                    if self.participants:
                        chosen = set(v["holder_participants"] or [])
                        yield labelled(
                            TickList(
                                *[
                                    (Text(shorten(name, 60)), pid, pid in chosen)
                                    for pid, name in self.participants
                                ],
                                id="rel-people",
                            ),
                            "Named people",
                        )
                    else:
                        yield labelled(
                            Static("Add people in Setup to name them here.", id="rel-no-people"),
                            "Named people",
                        )
                yield Static("", id="rel-notes-restored")
                notes = TextArea(v["notes"] or "", id="rel-notes")
                notes.draft_key = self.draft_key
                yield labelled(notes, "Notes")
            yield Static("", id="form-error", classes="form-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Label("Enter: next · Space ticks · ctrl+s saves", classes="dim hint")
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def _subtype_options(self, agency_type: str | None) -> list[tuple[str, str]]:
        self._subtypes_for = agency_type
        if not agency_type:
            return []
        try:
            found = load_vocabulary().get("agency_types", agency_type)
        except KeyError:
            return []
        assert isinstance(found, AgencyType)
        return [(sub.label, sub.id) for sub in found.subtypes]

    def show_error(self, message: str) -> None:
        super().show_error(message)
        self.query_one("#form-error").set_class(bool(message), "-shown")

    def on_mount(self) -> None:
        if self.draft_notes is not None and self.draft_notes != (self.initial["notes"] or ""):
            self.query_one("#rel-notes", TextArea).text = self.draft_notes
            restored = self.query_one("#rel-notes-restored", Static)
            restored.update("Notes you had typed but not saved have been put back.")
            restored.add_class("-shown")
        self.query_one("#rel-name", Input).focus()

    # -- reacting ------------------------------------------------------------------------

    @on(Select.Changed, "#rel-agency-type")
    def _type_changed(self, event: Select.Changed) -> None:
        chosen = _value(event.select)
        if chosen == self._subtypes_for:
            return
        subtype = self.query_one("#rel-subtype", Select)
        subtype.set_options(self._subtype_options(chosen))
        subtype.clear()

    @on(TextArea.Changed, "#rel-notes")
    def _notes_typed(self, event: TextArea.Changed) -> None:
        if self.typed is not None:
            self.typed(self.draft_key, event.text_area.text)

    # -- reading back ----------------------------------------------------------------------

    def current(self) -> dict[str, Any]:
        """The values as they stand in the form, ready for ``commands.edit``."""
        vocab = load_vocabulary()

        def ticked(selector: str, kind: str | None = None) -> list[str]:
            found = self.query(selector)
            if not found:
                return list(self.initial.get("holder_participants") or [])
            chosen = set(found.first(SelectionList).selected)
            if kind is None:  # keep the order people are listed in
                return [pid for pid, _ in self.participants if pid in chosen]
            return [t.id for t in vocab.terms(kind) if t.id in chosen]

        return {
            "name": self.query_one("#rel-name", Input).value,
            "agency_type": _value(self.query_one("#rel-agency-type", Select)),
            "agency_subtype": _value(self.query_one("#rel-subtype", Select)),
            "rel_type": _value(self.query_one("#rel-kind", Select)),
            "closeness": _value(self.query_one("#rel-ring", Select)),
            "purposes": ticked("#rel-purposes", "purposes"),
            "holder_roles": ticked("#rel-holders", "holders"),
            "holder_participants": ticked("#rel-people"),
            "effort": _value(self.query_one("#rel-effort", Select)),
            "state": _value(self.query_one("#rel-state", Select)) or "active",
            "notes": self.query_one("#rel-notes", TextArea).text,
        }

    def changed(self) -> bool:
        now = self.current()
        for name in FIELDS:
            before = self.initial[name]
            after = now[name]
            if isinstance(before, list):
                if sorted(before) != sorted(after):
                    return True
            elif (before or None) != (after or None):
                if name == "name" and (before or "").strip() == (after or "").strip():
                    continue
                return True
        return False

    def values(self) -> dict[str, Any] | None:
        values = self.current()
        if not values["name"].strip():
            self.show_error("A relationship needs a name.")
            self.query_one("#rel-name", Input).focus()
            return None
        if self.check is not None:
            problem = self.check(values)
            if problem:
                self.show_error(problem)
                return None
        return values

    def action_cancel(self) -> None:
        if not self.changed():
            self.dismiss(None)
            return

        def done(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                "Leave without saving? The changes you made here will be lost.",
                yes="Leave without saving",
                no="Keep editing",
            ),
            done,
        )
