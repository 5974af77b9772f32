"""The room panel (ctrl+j): the QR code to join, what is open, and what has arrived.

From here the facilitator chooses what the room can add to, holds everything for
checking first, accepts, holds back or removes any contribution, takes a phone out
of the room, and closes the room.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from facilitator.domain.commands import DomainError
from facilitator.room.contributions import ACCEPTED, HELD, REMOVED
from facilitator.room.hub import OPENINGS
from facilitator.room.qr import qr_lines
from facilitator.room.server import describe
from facilitator.tui.guard import Guarded
from facilitator.tui.room import OPENING_LABELS, RoomLink

_STATUS = {ACCEPTED: "in", HELD: "held", REMOVED: "out", "waiting": "…"}


class RoomScreen(Guarded, ModalScreen[None]):
    """What the room is doing, over the workshop; Escape goes back, the room stays open."""

    CSS_PATH = "room.tcss"
    BINDINGS = [
        Binding(
            "escape,ctrl+j", "dismiss", "Back", tooltip="Back to the stage; the room stays open"
        ),
        Binding("o", "opening", "Open to room", show=False, tooltip="What phones can add to"),
        Binding(
            "h", "hold_all", "Hold all", show=False, tooltip="Keep arrivals out until accepted"
        ),
        Binding("a", "accept", "Accept", tooltip="Put the arrival into the session"),
        Binding("p", "hold", "Hold", tooltip="Take the arrival out of the session, keep it here"),
        Binding("delete,x", "remove", "Remove", tooltip="Take the arrival out for good"),
        Binding("k", "revoke", "Phone out", tooltip="That phone can send nothing more"),
        Binding("ctrl+w", "close_room", "Close room", tooltip="Stop the room page"),
    ]

    def __init__(self, link: RoomLink) -> None:
        super().__init__()
        self.link = link

    @property
    def hub(self) -> Any:
        return self.link.hub

    def compose(self) -> ComposeResult:
        with Horizontal(id="room-panel"):
            qr = Text("\n".join(qr_lines(self.link.url)), style="black on white")
            yield Static(qr, id="room-qr")
            with Vertical(id="room-side"):
                yield Static(id="room-info", markup=False)
                yield Static("Arrivals (newest first)", classes="room-heading")
                yield OptionList(id="room-arrivals")
                yield Static("Phones", classes="room-heading")
                yield OptionList(id="room-phones")
        yield Footer()

    def on_mount(self) -> None:
        self.room_changed()
        self.query_one("#room-arrivals", OptionList).focus()

    def room_changed(self) -> None:
        """Redraw from the hub (called whenever anything in the room changes)."""
        hub = self.hub
        if hub is None or not self.query("#room-info"):
            return
        n = hub.counts()
        info = Text()
        info.append("Join on the hall's Wi-Fi:\n", style="bold")
        info.append(f"{self.link.address}\n")
        info.append("Code ")
        info.append(hub.code, style="bold reverse")
        info.append(f"\no: open to the room: {OPENING_LABELS[hub.opening]}")
        if hub.opening == "follow":
            info.append(f" (now {OPENING_LABELS[hub.what_is_open()]})")
        info.append(f"\nh: hold everything to check first: {'on' if hub.hold else 'off'}")
        phones = "1 phone" if n["phones"] == 1 else f"{n['phones']} phones"
        info.append(f"\n{phones} · {n['arrived']} arrived · {n['held']} held")
        self.query_one("#room-info", Static).update(info)
        labels = {d.id: hub.label(d) for d in hub.devices.values()}
        self._fill(
            "#room-arrivals",
            [
                Option(
                    Text(f"{_STATUS[c.status]:>4}  {labels.get(c.device_id, '?')}: {describe(c)}"),
                    id=c.id,
                )
                for c in reversed(hub.contributions[-300:])
            ],
        )
        self._fill(
            "#room-phones",
            [
                Option(Text(labels[d.id] + (" (taken out)" if d.revoked else "")), id=d.id)
                for d in hub.devices.values()
                if d.joined
            ],
        )

    def _fill(self, selector: str, options: list[Option]) -> None:
        listing = self.query_one(selector, OptionList)
        keep = listing.highlighted_option.id if listing.highlighted_option else None
        listing.clear_options()
        listing.add_options(options)
        ids = [o.id for o in options]
        if keep in ids:
            listing.highlighted = ids.index(keep)
        elif options:
            listing.highlighted = 0

    def _selected(self, selector: str) -> str | None:
        option = self.query_one(selector, OptionList).highlighted_option
        return option.id if option else None

    def action_opening(self) -> None:
        i = OPENINGS.index(self.hub.opening)
        self.hub.opening = OPENINGS[(i + 1) % len(OPENINGS)]
        self.hub.changed()

    def action_hold_all(self) -> None:
        self.hub.hold = not self.hub.hold
        self.hub.changed()

    async def _act(self, how: str) -> None:
        cid = self._selected("#room-arrivals")
        if cid is None:
            self.app.notify("Pick an arrival first.")
            return
        try:
            await getattr(self.hub, how)(cid)
        except DomainError as exc:
            self.app.notify(str(exc), title="Not changed", severity="error")

    async def action_accept(self) -> None:
        await self._act("accept")

    async def action_hold(self) -> None:
        await self._act("hold_back")

    async def action_remove(self) -> None:
        await self._act("remove")

    def action_revoke(self) -> None:
        device_id = self._selected("#room-phones")
        if device_id is None:
            self.app.notify("Pick a phone in the list of phones first (Tab).")
            return
        self.hub.revoke(device_id)
        self.app.notify("That phone is out of the room: it can send nothing more.")

    def action_close_room(self) -> None:
        from facilitator.tui.room import close_room

        workshop = self.link.workshop
        self.dismiss()
        close_room(workshop)
        self.app.notify("The room is closed: its page no longer answers.")
