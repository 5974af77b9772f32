"""Dialogs for facilitated conversations: the agency, a note, an action, a look back."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select

from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.dialogs import FormDialog, labelled

NOT_SURE = "not-sure"


def agency_type_options() -> list[tuple[str, str]]:
    """Agency types for a Select, with "Not sure" last (general prompts only)."""
    vocab = load_vocabulary()
    options = [(t.label, t.id) for t in vocab.agency_types]
    options.append(("Not sure (general questions only)", NOT_SURE))
    return options


class AgencyDialog(FormDialog):
    """Which agency the conversation is with: its name and its type."""

    def __init__(self, name: str = "", agency_type: str | None = None) -> None:
        super().__init__()
        self.initial_name = name
        self.initial_type = agency_type or NOT_SURE
        self.heading = "Start a conversation with…"

    def compose_fields(self) -> ComposeResult:
        yield labelled(
            Input(self.initial_name, id="agency-name", placeholder="e.g. Hollin Vale GP surgery"),
            "Agency",
        )
        yield labelled(
            Select(
                agency_type_options(),
                value=self.initial_type,
                allow_blank=False,
                id="agency-type",
            ),
            "Kind of agency (some questions suit one kind)",
        )

    def on_mount(self) -> None:
        target = "#agency-type" if self.initial_name else "#agency-name"
        self.query_one(target).focus()

    def values(self) -> dict[str, Any] | None:
        name = self.query_one("#agency-name", Input).value.strip()
        if not name:
            self.show_error("Type the agency's name, as the group calls it.")
            return None
        kind = self.query_one("#agency-type", Select).value
        return {"agency_name": name, "agency_type": None if kind == NOT_SURE else kind}


class NoteDialog(FormDialog):
    """Change a note: its words, who said it and what kind of note it is."""

    heading = "Change this note"

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__()
        self.initial = values

    def compose_fields(self) -> ComposeResult:
        vocab = load_vocabulary()
        v = self.initial
        yield labelled(Input(v.get("text", ""), id="note-text"), "Note")
        yield labelled(
            Select(
                [(t.label, t.id) for t in vocab.speakers],
                value=v.get("speaker", "both"),
                allow_blank=False,
                id="note-speaker",
            ),
            "Who said it",
        )
        yield labelled(
            Select(
                [(f"{t.symbol} {t.label}", t.id) for t in vocab.note_tags],
                value=v.get("tag") or Select.NULL,
                prompt="No tag",
                id="note-tag",
            ),
            "Tag",
        )

    def on_mount(self) -> None:
        self.query_one("#note-text", Input).focus()

    def values(self) -> dict[str, Any] | None:
        text = self.query_one("#note-text", Input).value
        if not text.strip():
            self.show_error("A note needs some words. To remove it, press Delete on it instead.")
            return None
        tag = self.query_one("#note-tag", Select).value
        return {
            "text": text,
            "speaker": self.query_one("#note-speaker", Select).value,
            "tag": None if tag is Select.NULL else tag,
        }


class ActionDialog(FormDialog):
    """An agreed action: what, who (organisation and person), by when, how it stands."""

    def __init__(
        self,
        values: dict[str, Any] | None = None,
        *,
        organisations: list[str] | None = None,
        people: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.initial = values or {}
        self.heading = "Change this action" if values else "Add an agreed action"
        self.organisations = [o for o in (organisations or []) if o]
        self.people = [p for p in (people or []) if p]

    def compose_fields(self) -> ComposeResult:
        vocab = load_vocabulary()
        v = self.initial
        yield labelled(
            Input(v.get("what", ""), id="action-what", placeholder="what will happen"),
            "What",
        )
        yield labelled(
            Input(
                v.get("who_org", ""),
                id="action-org",
                placeholder=" or ".join(self.organisations[:2]) or "which organisation",
                suggester=SuggestFromList(self.organisations, case_sensitive=False),
            ),
            "Who: organisation (→ accepts a suggestion)",
        )
        yield labelled(
            Input(
                v.get("who_person", ""),
                id="action-person",
                placeholder="a name, so it doesn't fall between the gaps",
                suggester=SuggestFromList(self.people, case_sensitive=False),
            ),
            "Who: person",
        )
        yield labelled(
            Input(v.get("by_when", ""), id="action-when", placeholder="e.g. end of April"),
            "By when",
        )
        yield labelled(
            Select(
                [(f"{t.symbol} {t.label}", t.id) for t in vocab.action_statuses],
                value=v.get("status", "open"),
                allow_blank=False,
                id="action-status",
            ),
            "How it stands",
        )

    def on_mount(self) -> None:
        self.query_one("#action-what", Input).focus()

    def values(self) -> dict[str, Any] | None:
        what = self.query_one("#action-what", Input).value
        if not what.strip():
            self.show_error("Say what the action is.")
            return None
        return {
            "what": what,
            "who_org": self.query_one("#action-org", Input).value,
            "who_person": self.query_one("#action-person", Input).value,
            "by_when": self.query_one("#action-when", Input).value,
            "status": self.query_one("#action-status", Select).value,
        }


class ReviewDialog(FormDialog):
    """How an earlier action stands now, with a note."""

    def __init__(self, what: str, status: str, note: str = "") -> None:
        super().__init__()
        self.heading = f"Looking back: {what}"
        self.status = status
        self.note = note

    def compose_fields(self) -> ComposeResult:
        vocab = load_vocabulary()
        yield labelled(
            Select(
                [(f"{t.symbol} {t.label}", t.id) for t in vocab.action_statuses],
                value=self.status,
                allow_blank=False,
                id="review-status",
            ),
            "How it stands",
        )
        yield labelled(
            Input(self.note, id="review-note", placeholder="what happened, in a few words"),
            "Note (optional)",
        )

    def on_mount(self) -> None:
        self.query_one("#review-note", Input).focus()

    def values(self) -> dict[str, Any] | None:
        return {
            "status": self.query_one("#review-status", Select).value,
            "note": self.query_one("#review-note", Input).value,
        }


class AttendeeDialog(FormDialog):
    """Change an attendee's name, or move them to the other side of the table."""

    heading = "Change this person"

    def __init__(self, name: str, side: str) -> None:
        super().__init__()
        self.name_text = name
        self.side = side

    def compose_fields(self) -> ComposeResult:
        yield labelled(Input(self.name_text, id="attendee-name"), "Name")
        yield labelled(
            Select(
                [("Partnership side", "partnership"), ("Agency side", "agency")],
                value=self.side,
                allow_blank=False,
                id="attendee-side",
            ),
            "Side",
        )

    def on_mount(self) -> None:
        self.query_one("#attendee-name", Input).focus()

    def values(self) -> dict[str, Any] | None:
        name = self.query_one("#attendee-name", Input).value
        if not name.strip():
            self.show_error("A name is needed. To take someone off the list, press Delete.")
            return None
        return {"name": name, "side": self.query_one("#attendee-side", Select).value}
