"""The room inside the workshop screen: the web server's life, and what phones send.

``RoomLink`` is a one-line bar above the workshop screen's Footer while the room is on
("Room open · http://… · 12 phones · 2 held"). It owns the hub and the web server, and
it is where contributions are committed: the server hands each one over as a message,
so every write to the session happens in the UI's own message handling, one at a
time, through the same session and journal as the keyboard. When the workshop screen
goes (the session closes, the app quits), the bar goes with it and the room closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.widgets import Static

from facilitator.domain.commands import DomainError
from facilitator.domain.events import Event, apply_event
from facilitator.room.contributions import Contribution, events_for, events_to_take_out
from facilitator.room.hub import Hub
from facilitator.room.network import RoomServer, lan_address
from facilitator.room.qr import join_url, web_host
from facilitator.room.server import build_app
from facilitator.store.errors import SessionFileError
from facilitator.tui.guard import Guarded

if TYPE_CHECKING:
    from facilitator.tui.workshop import WorkshopScreen

REDRAW_EVERY = 0.1  # seconds: the wall redraws for the room at most this often

OPENING_LABELS = {
    "follow": "the stage on the wall",
    "vote": "the dot vote",
    "map": "adding to the map",
    "notes": "conversation notes",
    "nothing": "nothing",
}


class RoomLink(Guarded, Static):
    """The open room: its server, its hub, and the line that tells the wall about it."""

    DEFAULT_CSS = """
    RoomLink { height: 1; background: $secondary 30%; padding: 0 1; }
    """

    @dataclass
    class Apply(Message):
        """A contribution to put into the session (or take out), from the server."""

        contribution: Contribution
        how: str  # "add" | "take-out"
        done: asyncio.Future[None]

    def __init__(self, host: str, port: int = 0) -> None:
        super().__init__("", id="room-link", markup=False)
        self.server: RoomServer | None = None
        self.hub: Hub | None = None
        self._host, self._port = host, port
        self._redraw_pending = False
        self._shown_waiting: list[Contribution] = []
        self._panel_stale = False
        self._last_redraw = 0.0
        self._queue: list[RoomLink.Apply] = []

    @property
    def workshop(self) -> WorkshopScreen:
        from facilitator.tui.workshop import WorkshopScreen

        assert isinstance(self.screen, WorkshopScreen)
        return self.screen

    def open(self) -> None:
        """Bind the socket and start serving (OSError if the address cannot be used)."""
        hub = Hub(lambda: self.workshop.session.state, self._hand_over)
        self.server = RoomServer(build_app(hub), self._host, self._port)
        self.hub = hub
        hub.on_change = self._changed
        self.server.start()
        self._show()

    @property
    def url(self) -> str:
        assert self.hub is not None and self.server is not None
        return join_url(self.server.host, self.server.port, self.hub.code)

    @property
    def address(self) -> str:
        """The address as people type it."""
        assert self.hub is not None and self.server is not None
        return f"http://{web_host(self.server.host)}:{self.server.port}/{self.hub.code}/"

    async def _hand_over(self, c: Contribution, how: str) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.post_message(self.Apply(c, how, done))
        await done

    def on_room_link_apply(self, message: Apply) -> None:
        """Queue a contribution; all those that arrived together are committed at once."""
        self._queue.append(message)
        if len(self._queue) == 1:
            # (This runs after the messages already waiting: a burst is one batch.)
            self.call_later(self._commit_queued)

    def _commit_queued(self) -> None:
        """Commit the queued contributions on the UI loop, in one write to the file.

        Each is checked against the session as the ones before it leave it; one the
        session cannot take is refused alone. The file is written once for the whole
        batch (one transaction: a single ctrl+z takes a burst of phone votes back),
        since every write waits for the disk; at an ordinary pace a batch is one.
        """
        batch, self._queue = self._queue, []
        session = self.workshop.session
        scratch = session.state.clone()
        events: list[Event] = []
        taken: list[RoomLink.Apply] = []
        for message in batch:
            c = message.contribution
            try:
                if message.how == "add":
                    found = events_for(scratch, c)
                else:
                    found = events_to_take_out(scratch, c)
                for event in found:
                    apply_event(scratch, event)
            except (DomainError, ValueError) as exc:
                _settle(message.done, DomainError(str(exc)))
                continue
            events += found
            taken.append(message)
        try:
            session.apply(events)
        except (SessionFileError, ValueError) as exc:
            for message in taken:
                _settle(message.done, DomainError(str(exc)))
            self.app.notify(str(exc), title="Not saved", severity="error", timeout=8)
            return
        for message in taken:
            _settle(message.done, None)
        self._redraw_soon([m.contribution for m in taken])

    def _redraw_soon(self, contributions: list[Contribution]) -> None:
        self._shown_waiting += contributions
        self._throttled()

    def _changed(self) -> None:
        self._panel_stale = True
        self._throttled()

    def _throttled(self) -> None:
        """Redraw at most every REDRAW_EVERY seconds while phones keep arriving.

        Thirty phones voting at once would otherwise redraw the wall for every dot and
        leave the facilitator's keys waiting behind the drawing.
        """
        if self._redraw_pending:
            return
        self._redraw_pending = True
        wait = self._last_redraw + REDRAW_EVERY - time.perf_counter()
        if wait > 0:
            self.set_timer(wait, self._redraw)
        else:
            self.call_later(self._redraw)

    def _redraw(self) -> None:
        self._redraw_pending = False
        self._last_redraw = time.perf_counter()
        waiting, self._shown_waiting = self._shown_waiting, []
        if waiting:
            self.workshop.refresh_panes()
        if self._panel_stale:
            self._panel_stale = False
            self._show()
            for screen in self.app.screen_stack:
                refresh = getattr(screen, "room_changed", None)
                if refresh is not None:
                    refresh()

        def shown() -> None:
            now = time.perf_counter()
            for c in waiting:
                c.shown = now

        if waiting:
            self.call_after_refresh(shown)

    def _show(self) -> None:
        if self.hub is None:
            return
        n = self.hub.counts()
        held = f" · {n['held']} held" if n["held"] else ""
        phones = "1 phone" if n["phones"] == 1 else f"{n['phones']} phones"
        self.update(f"Room open · {self.address} · {phones}{held} · ctrl+j")

    def close_room(self) -> None:
        """Stop serving at once: the socket closes, phones get no answer."""
        server, self.server = self.server, None
        if server is not None:
            server.stop_soon()
            self.app.call_later(_finish, server)

    def on_unmount(self) -> None:
        self.close_room()


async def _finish(server: RoomServer) -> None:
    with contextlib.suppress(Exception):
        await server.stop()


def _settle(done: asyncio.Future[None], error: Exception | None) -> None:
    if done.done():
        return
    if error is None:
        done.set_result(None)
    else:
        done.set_exception(error)


def room_host(app: Any) -> str:
    """The address to serve on: --room-host, else the laptop's on the local network."""
    return getattr(app, "room_host", None) or lan_address()


def open_room(workshop: WorkshopScreen) -> RoomLink | None:
    """Open the room for the workshop's session (or find it open); None if it failed."""
    found = list(workshop.query(RoomLink))
    if found:
        return found[0]
    if workshop.session.readonly:
        workshop.app.notify("A session opened read-only cannot take part from the room.")
        return None
    link = RoomLink(room_host(workshop.app), getattr(workshop.app, "room_port", 0))
    try:
        workshop.mount(link, after="#stages")  # above the Footer, below the stage
        link.open()
        # As when a session opens (app._settle_heap): what is alive now, the web server
        # and its modules included, is set aside from garbage collection, so that a full
        # collection while phones vote does not stall the wall (one took 0.3 s).
        workshop.call_after_refresh(gc.freeze)
    except OSError as exc:
        link.remove()
        workshop.app.notify(
            f"The room could not open on {link._host}: {exc.strerror or exc}. "
            "Choose another address with --room-host.",
            title="Room not open",
            severity="error",
            timeout=10,
        )
        return None
    return link


def close_room(workshop: WorkshopScreen) -> None:
    for link in workshop.query(RoomLink):
        link.close_room()
        link.remove()
