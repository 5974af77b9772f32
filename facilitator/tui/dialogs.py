"""Small modal dialogs: confirm, message, new session, participant details."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from facilitator.domain.vocabulary import load_vocabulary
from facilitator.tui.guard import Guarded
from facilitator.tui.ticks import TickBox


class ConfirmDialog(Guarded, ModalScreen[bool]):
    """Ask a yes/no question; dismisses with True for yes."""

    BINDINGS = [
        Binding("escape", "dismiss(False)", "Cancel"),
        Binding("y", "dismiss(True)", "Yes", show=False),
        Binding("n", "dismiss(False)", "No", show=False),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-text", markup=False)
            yield Static(f"y: {self.yes}    n or Escape: {self.no}", classes="dim", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, id="yes", variant="error")
                yield Button(self.no, id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class UnsavedTypingDialog(ConfirmDialog):
    """Asked before quitting or leaving while some typing could not be written."""

    def __init__(self, doing: str) -> None:
        super().__init__(
            "Some typing could not be saved: the disk is full or cannot be written to. It "
            "is still on screen. Free some space and it is saved within a few seconds. "
            f"{doing} anyway, and lose it?",
            yes=f"{doing} and lose it",
            no="Stay",
        )


class MessageDialog(Guarded, ModalScreen[None]):
    """Show a message (usually a problem) until the facilitator presses a key."""

    BINDINGS = [Binding("escape,enter", "dismiss", "Close")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.message, classes="dialog-text", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    @on(Button.Pressed)
    def _pressed(self) -> None:
        self.dismiss()


FIELDS_MAX_HEIGHT = 20  # rows of fields before they scroll, on a tall screen
SHORT_SCREEN = 32  # fewer rows than this: dialogs drop their blank rows


class FormDialog(Guarded, ModalScreen[dict[str, Any] | None]):
    """A dialog with fields; ctrl+s (or Enter, see ``enter_saves``) saves, Escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]
    heading = ""
    save_label = "Save"  # the button that takes the values
    enter_saves = True  # False: Enter in a box moves on, and only ctrl+s or Save saves

    def compose_fields(self) -> ComposeResult:  # pragma: no cover - overridden
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label(self.heading, classes="dialog-title", markup=False)
            with VerticalScroll(classes="form-fields"):
                yield from self.compose_fields()
            yield Static("", id="form-error", classes="form-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.save_label, id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def values(self) -> dict[str, Any]:  # pragma: no cover - overridden
        return {}

    def on_resize(self) -> None:
        self.set_class(self.size.height < SHORT_SCREEN, "-short")
        self.call_after_refresh(self._fit_fields)

    def _fit_fields(self) -> None:
        """Let the fields scroll, rather than push Save and Cancel off a short screen.

        On a short screen (24 rows) the dialog also loses its blank rows and its buttons
        take one row each (the ``-short`` rules in app.tcss), so that a form of five
        boxed fields still shows every one of them whole.
        """
        dialog = self.query_one(".dialog")
        fields = self.query_one(".form-fields")
        limit = int(self.size.height * 0.9)  # the dialog's own max-height
        others = sum(
            child.outer_size.height + child.styles.margin.height
            for child in dialog.children
            if child is not fields and child.display
        )
        room = max(3, min(FIELDS_MAX_HEIGHT, limit - dialog.styles.gutter.height - others))
        if fields.styles.max_height is None or fields.styles.max_height.value != room:
            fields.styles.max_height = room

    def show_error(self, message: str) -> None:
        error = self.query_one("#form-error", Static)
        error.update(message)
        if error.has_class("-shown") != bool(message):
            # The line takes no room until there is something to say.
            error.set_class(bool(message), "-shown")
            self.call_after_refresh(self._fit_fields)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        values = self.values()
        if values is not None:
            self.dismiss(values)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if self.enter_saves:
            self.action_save()
        else:  # a long form: Enter goes on to the next field
            event.stop()
            self.focus_next()


def labelled(widget: Any, label: str) -> Any:
    widget.border_title = label
    return widget


class NewSessionDialog(FormDialog):
    """Ask for a new session's title and area."""

    heading = "New workshop session"

    def compose_fields(self) -> ComposeResult:
        yield labelled(Input(placeholder="e.g. Spring mapping workshop", id="title"), "Title")
        yield labelled(Input(placeholder="the neighbourhood or area", id="area"), "Area")

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def values(self) -> dict[str, Any] | None:
        title = self.query_one("#title", Input).value.strip()
        if not title:
            self.show_error("Give the session a title.")
            return None
        return {"title": title, "area": self.query_one("#area", Input).value}


class ParticipantDialog(FormDialog):
    """Add or edit a participant: name, role, agency, consent, present."""

    def __init__(self, values: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.initial = values or {}
        self.heading = "Edit participant" if values else "Add participant"

    def compose_fields(self) -> ComposeResult:
        vocab = load_vocabulary()
        v = self.initial
        yield labelled(Input(v.get("name", ""), id="name", placeholder="their name"), "Name")
        yield labelled(
            Select(
                [(t.label, t.id) for t in vocab.roles],
                value=v.get("role", "resident-member"),
                allow_blank=False,
                id="role",
            ),
            "Role",
        )
        yield labelled(
            Input(v.get("agency", ""), id="agency", placeholder="only for agency staff"),
            "Agency (if any)",
        )
        yield TickBox(
            "Happy to be named in shared notes", v.get("consent_named", False), id="consent"
        )
        yield TickBox("Here today", v.get("present", True), id="present")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def values(self) -> dict[str, Any] | None:
        name = self.query_one("#name", Input).value
        if not name.strip():
            self.show_error("A participant needs a name (a first name is fine).")
            return None
        return {
            "name": name,
            "role": self.query_one("#role", Select).value,
            "agency": self.query_one("#agency", Input).value,
            "consent_named": self.query_one("#consent", TickBox).value,
            "present": self.query_one("#present", TickBox).value,
        }


class TimeboxDialog(FormDialog):
    """Set the minutes planned for a stage (0 or empty removes the timebox)."""

    def __init__(self, stage_label: str, minutes: int | None) -> None:
        super().__init__()
        self.heading = f"Timebox for {stage_label}"
        self.minutes = minutes

    def compose_fields(self) -> ComposeResult:
        box = Input(
            str(self.minutes or ""),
            id="minutes",
            restrict=r"[0-9]*",
            max_length=3,
            placeholder="minutes, e.g. 20",
        )
        yield labelled(box, "Minutes (empty for none)")

    def on_mount(self) -> None:
        self.query_one("#minutes", Input).focus()

    def values(self) -> dict[str, Any] | None:  # type: ignore[override]
        text = self.query_one("#minutes", Input).value.strip()
        minutes = int(text) if text else 0
        if minutes > 600:
            self.show_error("Keep a timebox under ten hours.")
            return None
        return minutes  # type: ignore[return-value]


class SeekDialog(FormDialog):
    """Jump to an event number, or a percentage of the way through."""

    heading = "Go to a point in the replay"
    save_label = "Go"

    def __init__(self, total: int) -> None:
        super().__init__()
        self.total = total

    def compose_fields(self) -> ComposeResult:
        box = Input(id="where", placeholder=f"an event from 0 to {self.total:,}, or e.g. 50%")
        yield labelled(box, "Event number or percentage")

    def on_mount(self) -> None:
        self.query_one("#where", Input).focus()

    def values(self) -> dict[str, Any] | None:  # type: ignore[override]
        text = self.query_one("#where", Input).value.strip().replace(",", "")
        try:
            if text.endswith("%"):
                share = float(text[:-1])
                if not 0 <= share <= 100:
                    raise ValueError
                return round(self.total * share / 100)  # type: ignore[return-value]
            number = int(text)
        except ValueError:
            self.show_error(f"Type a number from 0 to {self.total:,}, or a percentage like 50%.")
            return None
        if not 0 <= number <= self.total:
            self.show_error(f"There are {self.total:,} events; choose from 0 to {self.total:,}.")
            return None
        return number  # type: ignore[return-value]
