"""What both views of the criteria stage share.

A view is given what it draws from (attributes down: the session, the typing kept as
drafts, the width to fill) and posts what the facilitator changes or asks for (messages
up); the pane commits and switches views.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from rich.text import Text
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from facilitator.domain.model import SessionState
from facilitator.tui.drafts import DraftKeeper
from facilitator.tui.guard import Guarded


class CriteriaSession(Protocol):
    """What a view reads from the open session file."""

    state: SessionState

    def drafts(self) -> dict[str, str]: ...


class CriteriaView(Guarded, Vertical):
    """One view of the criteria stage; like the panes, a bug in its handlers is reported
    and the workshop goes on."""

    @dataclass
    class Change(Message):
        """Commit the events ``make_events`` builds (a refusal is shown, not raised, with
        ``title``); once they are saved ``then`` runs, and ``otherwise`` when they are not."""

        make_events: Callable[[], Any]
        then: Callable[[], None] | None = field(default=None)
        otherwise: Callable[[], None] | None = field(default=None)
        title: str = ""

    @dataclass
    class Choose(Message):
        """Make these the group's two (after a warning if ratings would stop counting).

        ``settled`` names the criteria an earlier round chose, with how."""

        criteria: list[str]
        method: str
        reason: str = ""
        settled: dict[str, str] | None = None

    @dataclass
    class Show(Message):
        """Show the other view: "list" or "vote"; ``own_words`` puts the cursor in the
        first of the group's own-words boxes."""

        view: str
        own_words: bool = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session: CriteriaSession | None = None
        self.drafts: DraftKeeper | None = None
        self.width = 78  # the columns the tables may fill
        self._shown: dict[str, Text | str] = {}
        self._offered: tuple[bool | None, ...] = ()

    @property
    def state(self) -> SessionState:
        assert self.session is not None
        return self.session.state

    def draw(self) -> None:
        """Redraw from the session state."""

    def focus_first(self) -> None:
        """Put the cursor where the facilitator most likely types next."""

    #: The keys whose offer depends on the state (see ``check_action``).
    STATE_KEYS: tuple[str, ...] = ()

    def keys_changed(self) -> None:
        """Redraw the Footer, but only when a key comes or goes (it is rebuilt, slowly)."""
        offered = tuple(self.check_action(name, ()) for name in self.STATE_KEYS)
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()

    def show(self, selector: str, content: Text | str) -> None:
        """Update a line of text only when it changes (each update costs a layout)."""
        if self._shown.get(selector) != content:
            self._shown[selector] = content
            self.query_one(selector, Static).update(content)

    def change(
        self,
        make_events: Callable[[], Any],
        then: Callable[[], None] | None = None,
        otherwise: Callable[[], None] | None = None,
    ) -> None:
        self.post_message(self.Change(make_events, then, otherwise))
